//! The validated request: what a caller asks for, merged and checked once, and the jobs that
//! carry it out.
//!
//! A caller (the command line, the Python package, a test) fills [`CommonOptions`] and the
//! job's options ([`RunOptions`], [`SensitivityOptions`]) with what the user typed: every
//! setting optional. [`RunRequest::new`] and [`SensitivityRequest::new`] load the scenarios,
//! merge "caller > scenario file > default" (the defaults live in [`crate::settings`]) and
//! validate everything, so a request that exists can run. Running it ([`RunRequest::run`],
//! [`RunRequest::execute`]) needs nothing else but a [`Progress`] to report to.

mod compare;
mod error;
mod progress;
mod run;
mod sensitivity;
mod sweep;

pub use compare::{CompareOptions, CompareRequest};
pub use error::Error;
pub use progress::{Progress, Silent};
pub use run::{RunOptions, RunRequest};
pub use sensitivity::{SensitivityOptions, SensitivityRequest};
pub use sweep::{parse_vary, SweepOptions, SweepRequest, MAX_POINTS};

use crate::scenario::{Override, SamplingSettings, Scenario};
use crate::settings::{SettingError, DEFAULT_CONFIDENCE, DEFAULT_SAMPLES, DEFAULT_SEED};
use crate::stats;
use std::path::{Path, PathBuf};

/// Options every job takes; `None` means the scenario file's value, else the default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommonOptions {
    /// Monte Carlo samples.
    pub samples: Option<u64>,
    /// The run's seed.
    pub seed: Option<u64>,
    /// Worker threads (one per core when `None`); results do not depend on it.
    pub threads: Option<usize>,
    /// Output folder (a name under `results/` from the scenarios when `None`).
    pub out: Option<PathBuf>,
    /// Input overrides `NAME=VALUE`, in scenario-file syntax.
    pub set: Vec<String>,
    /// Confidence level of every interval.
    pub confidence: Option<f64>,
    /// Replace results already in the output folder.
    pub force: bool,
}

/// Where a job writes its result files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The output folder.
    pub dir: PathBuf,
    /// Whether results already there may be replaced.
    pub force: bool,
}

impl Output {
    /// Fails, writing nothing, when the folder already holds results and `force` is not set.
    pub fn refuse_existing(&self) -> Result<(), Error> {
        let existing = crate::export::OutputDir::existing_results(&self.dir);
        if existing.is_empty() || self.force {
            return Ok(());
        }
        Err(Error::ResultsExist {
            dir: self.dir.clone(),
            files: existing
                .iter()
                .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
                .map(str::to_string)
                .collect(),
        })
    }
}

/// The settings shared by every job, merged and validated.
#[derive(Debug, Clone, PartialEq)]
struct Common {
    samples: u64,
    seed: u64,
    confidence: f64,
    threads: Option<usize>,
}

impl CommonOptions {
    /// Parses the `--set` overrides.
    fn overrides(&self) -> Result<Vec<Override>, Error> {
        Ok(self
            .set
            .iter()
            .map(|item| Override::parse(item))
            .collect::<Result<_, _>>()?)
    }

    /// Merges with the scenario file's `[sampling]` and the defaults.
    fn merge(&self, file: &SamplingSettings) -> Result<Common, Error> {
        let confidence = self
            .confidence
            .or(file.confidence)
            .unwrap_or(DEFAULT_CONFIDENCE);
        stats::check_confidence(confidence)
            .map_err(|e| SettingError::new("--confidence", e.to_string()))?;
        Ok(Common {
            samples: self.samples.or(file.samples).unwrap_or(DEFAULT_SAMPLES),
            seed: self.seed.or(file.seed).unwrap_or(DEFAULT_SEED),
            confidence,
            threads: self.threads,
        })
    }

    /// The output folder: `--out`, else `results/<default_name>`.
    fn output(&self, default_name: &str) -> Output {
        Output {
            dir: self
                .out
                .clone()
                .unwrap_or_else(|| Path::new("results").join(default_name)),
            force: self.force,
        }
    }
}

/// Loads a scenario file or preset, or the default preset when `name` is `None`.
fn load_scenario(name: Option<&str>, overrides: &[Override]) -> Result<Scenario, Error> {
    Ok(match name {
        Some(name) => Scenario::load(name, overrides)?,
        None => Scenario::default_scenario(overrides)?,
    })
}

/// `samples` as a `usize`, at least `minimum`.
fn sample_count(samples: u64, minimum: u64, what: &str) -> Result<usize, Error> {
    if samples < minimum {
        return Err(
            SettingError::new("--samples", format!("must be at least {minimum}{what}")).into(),
        );
    }
    usize::try_from(samples)
        .map_err(|_| SettingError::new("--samples", "is too large for this machine").into())
}

/// A worker pool of `threads` threads (one per core when `None`).
fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?)
}
