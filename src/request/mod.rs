//! The validated request: what a caller asks for, merged and checked once, and the jobs that
//! carry it out.
//!
//! A caller (the command line, the Python package, a test) fills [`CommonOptions`] and the
//! job's options ([`RunOptions`], [`SensitivityOptions`]) with what the user typed: every
//! setting optional. [`RunRequest::new`] and [`SensitivityRequest::new`] load the scenarios,
//! merge "caller > scenario file > default" (the defaults live in [`crate::settings`]) and
//! validate everything, so a request that exists can run. Running it ([`RunRequest::run`],
//! [`RunRequest::execute`]) needs nothing else but a [`Progress`] to report to.

mod batch;
mod compare;
mod error;
mod memory;
mod merge;
mod progress;
mod record;
mod run;
mod run_set;
mod run_settings;
mod sensitivity;
mod shard;
mod sweep;
mod sweep_shard;

pub use compare::{CompareOptions, CompareRequest};
pub use error::Error;
pub use memory::format_bytes;
pub use merge::{merge_job, MergeOptions, MergeRequest};
pub use progress::{Progress, Silent};
pub use run::{RunOptions, RunRequest};
pub use sensitivity::{SensitivityOptions, SensitivityRequest};
pub use shard::{Shard, ShardOption};
pub use sweep::{parse_vary, SweepOptions, SweepRequest, MAX_POINTS};
pub use sweep_shard::SweepMergeRequest;

use crate::chart::ChartError;
use crate::export::html;
use crate::scenario::{Override, SamplingSettings, Scenario};
use crate::settings::{
    thread_limit, SettingError, DEFAULT_CONFIDENCE, DEFAULT_SAMPLES, DEFAULT_SEED,
};
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
    /// The most memory the job may use, in bytes (the memory available when `None`).
    pub max_memory: Option<u64>,
    /// The command line that asked for the job, as given, for its record (empty when the
    /// job does not come from a command line).
    pub command: Vec<String>,
    /// Leave out `report.html` and `plots/` (written by default).
    pub no_report: bool,
    /// Scenarios given as text rather than as files; a job's scenario names match their
    /// `origin` before any file or preset.
    pub texts: Vec<ScenarioText>,
}

/// A scenario given as TOML text rather than as a file or preset name (a notebook's string or
/// table). A job takes it wherever it takes a scenario file, named by its `origin`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioText {
    /// Where the text came from, as messages and `run.json` name it in place of a file path,
    /// e.g. `<string>`; also the name a job's options use for it.
    pub origin: String,
    /// The scenario's name when the text has no `name`.
    pub stem: String,
    /// The scenario, in the scenario-file format.
    pub text: String,
}

/// Where a job writes its result files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The output folder.
    pub dir: PathBuf,
    /// Whether results already there may be replaced.
    pub force: bool,
    /// Whether `report.html` and `plots/` are written.
    pub report: bool,
    /// The command that started the job, for the report's provenance.
    pub command_line: Option<String>,
}

impl Output {
    /// Fails, writing nothing, when the path is not a folder, or the folder already holds
    /// results and `force` is not set. (A job checks again once it holds the folder's lock.)
    pub fn refuse_existing(&self) -> Result<(), Error> {
        crate::export::check_output_path(&self.dir)?;
        let existing = crate::export::OutputDir::existing_results(&self.dir);
        if existing.is_empty() || self.force {
            return Ok(());
        }
        Err(Error::ResultsExist {
            dir: self.dir.clone(),
            files: existing
                .iter()
                .filter_map(|p| {
                    let name = p.file_name()?.to_str()?;
                    Some(match p.is_dir() {
                        true => format!("{name}/"),
                        false => name.to_string(),
                    })
                })
                .collect(),
        })
    }
}

impl Output {
    /// Runs a job and writes its result set into the folder: the folder is locked first, the
    /// check for results is made under the lock, and `exporters`' files, with the report
    /// `document` makes (unless left out), are swapped in whole.
    fn write<R>(
        &self,
        exporters: Vec<Box<dyn crate::export::Exporter<R>>>,
        job: impl FnOnce() -> Result<R, Error>,
        document: impl FnOnce(&R, Option<&str>) -> Result<html::Document, ChartError>,
    ) -> Result<R, Error> {
        let mut out = crate::export::OutputDir::open(&self.dir)?;
        self.refuse_existing()?;
        let report = job()?;
        for exporter in exporters.iter().filter(|e| e.applies(&report)) {
            out.stage(exporter.file_name(), |writer| {
                exporter.write(&report, writer)
            })?;
        }
        self.stage_report(&mut out, |line| document(&report, line))?;
        out.commit()?;
        Ok(report)
    }

    /// Stages `report.html` and `plots/` as `document` makes them, unless left out.
    fn stage_report(
        &self,
        out: &mut crate::export::OutputDir,
        document: impl FnOnce(Option<&str>) -> Result<html::Document, ChartError>,
    ) -> Result<(), Error> {
        if self.report {
            let document = document(self.command_line.as_deref())?;
            html::stage_document(out, &document)?;
        }
        Ok(())
    }
}

/// `command` (argv) as a shell would take it back, named `costbands`: an argument with
/// anything but letters, digits and `_./=:,@%+-` in it is single-quoted. `None` for a job
/// that does not come from a command line.
fn shell_line(command: &[String]) -> Option<String> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_./=:,@%+-".contains(c);
    let (_, args) = command.split_first()?;
    let words = args.iter().map(|arg| {
        if !arg.is_empty() && arg.chars().all(safe) {
            arg.clone()
        } else {
            format!("'{}'", arg.replace('\'', "'\\''"))
        }
    });
    Some(
        std::iter::once("costbands".to_string())
            .chain(words)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The settings shared by every job, merged and validated.
#[derive(Debug, Clone, PartialEq)]
struct Common {
    samples: u64,
    /// Where `samples` comes from, for messages: `--samples`, or the file's field.
    samples_setting: String,
    seed: u64,
    confidence: f64,
    threads: Option<usize>,
}

impl Common {
    /// The worker threads the job will use.
    fn threads_used(&self) -> usize {
        self.threads
            .filter(|t| *t > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
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

    /// Merges with the `[sampling]` of the scenario file `origin` and the defaults.
    fn merge(&self, file: &SamplingSettings, origin: &str) -> Result<Common, Error> {
        let confidence = self
            .confidence
            .or(file.confidence)
            .unwrap_or(DEFAULT_CONFIDENCE);
        stats::check_confidence(confidence)
            .map_err(|e| SettingError::new("--confidence", e.to_string()))?;
        if let Some(threads) = self.threads {
            let limit = thread_limit();
            if threads > limit {
                return Err(SettingError::new(
                    format!("--threads {threads}"),
                    format!("at most {limit} worker threads here (4 per core, and never fewer than 64); results do not depend on the thread count, so more threads only add overhead"),
                )
                .into());
            }
        }
        let samples_setting = match (self.samples, file.samples) {
            (None, Some(_)) => format!("{origin}: sampling.samples"),
            _ => "--samples".to_string(),
        };
        Ok(Common {
            samples: self.samples.or(file.samples).unwrap_or(DEFAULT_SAMPLES),
            samples_setting,
            seed: self.seed.or(file.seed).unwrap_or(DEFAULT_SEED),
            confidence,
            threads: self.threads,
        })
    }

    /// The output folder: `--out`, else `results/<default_name>`.
    fn output(&self, default_name: &str) -> Result<Output, Error> {
        if self.out.as_deref() == Some(Path::new("-")) {
            return Err(SettingError::new(
                "--out -",
                "results are a set of files in a folder, not a stream: give --out a folder \
                 (./- if you mean a folder named -); --format json prints the results on stdout",
            )
            .into());
        }
        Ok(Output {
            dir: self
                .out
                .clone()
                .unwrap_or_else(|| Path::new("results").join(default_name)),
            force: self.force,
            report: !self.no_report,
            command_line: shell_line(&self.command),
        })
    }

    /// The memory limit of the job.
    fn memory_limit(&self) -> memory::Limit {
        memory::Limit::new(self.max_memory)
    }

    /// Loads a scenario given as text, a scenario file or a preset, or the default preset
    /// when `name` is `None`.
    fn load_scenario(&self, name: Option<&str>, overrides: &[Override]) -> Result<Scenario, Error> {
        let text = name.and_then(|name| self.texts.iter().find(|t| t.origin == name));
        if let (None, Some(record)) = (text, name.filter(|n| record::is_record(n))) {
            return Err(SettingError::new(
                record,
                "a run's record (run.json) can be given to `run` and `rerun` only; to use one of \
                 its scenarios here, save its resolved_scenario text as a .toml file and give that",
            )
            .into());
        }
        Ok(match (text, name) {
            (Some(t), _) => Scenario::from_toml(&t.text, &t.origin, &t.stem, overrides)?,
            (None, Some(name)) => Scenario::load(name, overrides)?,
            (None, None) => Scenario::default_scenario(overrides)?,
        })
    }
}

/// The merged samples as a `usize`, at least `minimum`.
fn sample_count(common: &Common, minimum: u64, what: &str) -> Result<usize, Error> {
    let setting = common.samples_setting.as_str();
    if common.samples < minimum {
        return Err(SettingError::new(setting, format!("must be at least {minimum}{what}")).into());
    }
    usize::try_from(common.samples)
        .map_err(|_| SettingError::new(setting, "is too large for this machine").into())
}

/// A worker pool of `threads` threads (one per core when `None`).
fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?)
}
