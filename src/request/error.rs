//! The library's one error type: every way a request can fail, each message naming what is
//! wrong (the file, the field or the option) and how to fix it.

use super::memory::format_bytes;
use crate::export::{ExportError, OutputError};
use crate::scenario::ScenarioError;
use crate::settings::SettingError;
use std::path::PathBuf;

/// Why a request could not be validated or carried out.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario file (or preset) that cannot be used.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// An option whose value is invalid, or that does not fit the scenario.
    #[error(transparent)]
    Setting(#[from] SettingError),
    /// The output folder already holds results and replacing them was not asked for.
    #[error(
        "{} already holds results ({}); pass --force to replace them or --out DIR to write elsewhere",
        dir.display(),
        files.join(", ")
    )]
    ResultsExist {
        /// The output folder.
        dir: PathBuf,
        /// The result files found in it.
        files: Vec<String>,
    },
    /// Writing the results failed.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// A chart of the report could not be drawn.
    #[error(transparent)]
    Chart(#[from] crate::chart::ChartError),
    /// The output folder cannot be used (not a folder, in use by another job, ...).
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The job would need more memory than it may use; nothing was allocated.
    #[error(
        "{job} needs about {} of memory{detail}, more than the limit of {} ({limit_source}); {fix}",
        format_bytes(*needed),
        format_bytes(*limit)
    )]
    Memory {
        /// `this run`, `this sensitivity analysis`.
        job: &'static str,
        /// Bytes needed, estimated.
        needed: u128,
        /// What the estimate is for, e.g. ` for 1000 samples (96 bytes each)`.
        detail: String,
        /// Bytes allowed.
        limit: u128,
        /// Where the limit comes from (`--max-memory`, the memory available).
        limit_source: &'static str,
        /// How to make the job fit.
        fix: String,
    },
    /// The worker threads could not be started.
    #[error("cannot start the worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// Scenarios that cannot be used: every failure, one a line.
    #[error("{} of the scenarios {} invalid:\n  {}", failures.len(), if failures.len() == 1 { "is" } else { "are" }, failures.join("\n  "))]
    Invalid {
        /// One message per invalid scenario.
        failures: Vec<String>,
    },
    /// A run's record (run.json) that cannot be run again.
    #[error("{path}: {problem}")]
    Record {
        /// The record, as given.
        path: String,
        /// What is wrong, and what to do.
        problem: String,
    },
    /// A run whose headline metric has no finite sample: nothing usable to report.
    #[error("{scenario}: nothing usable: {reason}")]
    NothingUsable {
        /// The scenario's file or preset.
        scenario: String,
        /// Why, and what to do.
        reason: String,
    },
    /// Precision control drew its sample cap without meeting every target.
    #[error(
        "precision targets not met within {max_samples} samples: {}; raise --max-samples or relax the targets",
        missed.join(", ")
    )]
    PrecisionNotMet {
        /// The sample cap.
        max_samples: usize,
        /// Each missed target, with the scenario and the half-width reached.
        missed: Vec<String>,
    },
}
