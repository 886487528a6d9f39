//! How a run samples and what it reports: the sampling [`Method`], the validated [`Settings`]
//! of a run, and every default, each defined once here.
//!
//! Settings come from three places, merged once by the request layer: the caller (command
//! line, Python keyword or library request) first, then the scenario file's `[sampling]`
//! table, then the defaults below.

use crate::model::Metric;
use serde::Serialize;

pub use crate::stats::{DEFAULT_CONFIDENCE, DEFAULT_PERCENTILES};

/// Samples per run when neither the caller nor the scenario file says.
pub const DEFAULT_SAMPLES: u64 = 100_000;

/// Seed when neither the caller nor the scenario file says.
pub const DEFAULT_SEED: u64 = 42;

/// Replicates of a Latin hypercube or Sobol run when none are asked for.
pub const DEFAULT_REPLICATES: usize = 10;

/// Sample cap under precision control when none is given: 64 bytes a sample for the 8 metric
/// columns, so about 3.2 GB.
pub const DEFAULT_MAX_SAMPLES: u64 = 50_000_000;

/// Bootstrap resamples of the Sobol and width intervals of a sensitivity analysis.
pub const DEFAULT_RESAMPLES: usize = 200;

/// How input values are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Independent draws (Monte Carlo).
    #[default]
    Mc,
    /// Latin hypercube: each input stratified into `n` equal-probability strata.
    Lhs,
    /// Scrambled Sobol quasi-Monte Carlo points.
    Sobol,
}

impl Method {
    /// Parses `mc`, `lhs` or `sobol`.
    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "mc" => Some(Method::Mc),
            "lhs" => Some(Method::Lhs),
            "sobol" => Some(Method::Sobol),
            _ => None,
        }
    }

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Method::Mc => "mc",
            Method::Lhs => "lhs",
            Method::Sobol => "sobol",
        }
    }
}

/// How a run samples and what it reports, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Samples to draw (a design rounds up to whole replicates).
    pub samples: usize,
    /// The run's seed: every random stream derives from it.
    pub seed: u64,
    /// Percentiles to report, in percent.
    pub percentiles: Vec<f64>,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// `(metric, threshold)` pairs for `P(metric > threshold)`.
    #[serde(skip)]
    pub exceed: Vec<(Metric, f64)>,
    /// Sampling method.
    pub method: Method,
    /// Independent replicates of a Latin hypercube or Sobol design (unused for Monte Carlo).
    pub replicates: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            samples: DEFAULT_SAMPLES as usize,
            seed: DEFAULT_SEED,
            percentiles: DEFAULT_PERCENTILES.to_vec(),
            confidence: DEFAULT_CONFIDENCE,
            exceed: Vec::new(),
            method: Method::Mc,
            replicates: DEFAULT_REPLICATES,
        }
    }
}

impl Settings {
    /// Samples per replicate of a design (all samples for Monte Carlo).
    pub fn replicate_size(&self) -> usize {
        match self.method {
            Method::Mc => self.samples,
            _ => self.samples.div_ceil(self.replicates),
        }
    }
}

/// A setting whose value is invalid: which setting (an option such as `--samples`, or the
/// scenario it does not fit) and what is wrong with it, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting}{separator}{problem}", separator = if self.setting.is_empty() { "" } else { ": " })]
pub struct SettingError {
    /// The setting, e.g. `--samples`, or `--precision daily_cost_usd:p95`.
    pub setting: String,
    /// What is wrong, and how to fix it.
    pub problem: String,
}

impl SettingError {
    /// An error in `setting`.
    pub fn new(setting: impl Into<String>, problem: impl Into<String>) -> SettingError {
        SettingError {
            setting: setting.into(),
            problem: problem.into(),
        }
    }
}
