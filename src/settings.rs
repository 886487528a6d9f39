//! How a run samples and what it reports: the sampling [`Method`], the validated [`Settings`]
//! of a run, and every default, each defined once here.
//!
//! Settings come from three places, merged once by the request layer: the caller (command
//! line, Python keyword or library request) first, then the scenario file's `[sampling]`
//! table, then the defaults below.

use crate::model::Metric;
use crate::stats::Event;
use serde::{Deserialize, Serialize};

pub use crate::stats::{DEFAULT_CONFIDENCE, DEFAULT_PERCENTILES};

/// Samples per run when neither the caller nor the scenario file says.
pub const DEFAULT_SAMPLES: u64 = 100_000;

/// Seed when neither the caller nor the scenario file says.
pub const DEFAULT_SEED: u64 = 42;

/// Replicates of a Latin hypercube or Sobol run when none are asked for.
pub const DEFAULT_REPLICATES: usize = 10;

/// Sample cap under precision control when none is given: 64 bytes a sample for the 8 metric
/// columns, so about 3.2 GB (lowered to what fits in the memory limit).
pub const DEFAULT_MAX_SAMPLES: u64 = 50_000_000;

/// Bootstrap resamples of the Sobol and width intervals of a sensitivity analysis.
pub const DEFAULT_RESAMPLES: usize = 200;

/// Worker threads a job may always ask for, however few the cores.
pub const MIN_THREAD_LIMIT: usize = 64;

/// The most worker threads a job may ask for: 4 per core, and never fewer than
/// [`MIN_THREAD_LIMIT`]. Results do not depend on the thread count; past the cores, threads
/// only cost time and memory.
pub fn thread_limit() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_mul(4).max(MIN_THREAD_LIMIT)
}

/// Parses a memory size: bytes (`4000000000`, `4e9`), or a number with a binary unit `K`, `M`,
/// `G`, `T` (`4G` = 4 GiB; `KiB`, `GB` and the like read the same). The number is read by
/// [`crate::number`]; the unit is the trailing run of letters.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .len();
    let (number, unit) = text.split_at(split);
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => {
            return Err(format!(
                "unknown unit \"{unit}\" in \"{text}\"; use e.g. 512M, 4G or 1T"
            ))
        }
    };
    let value = crate::number::parse(number, crate::number::Quantity::Amount)
        .ok()
        .filter(|x| *x > 0.0)
        .ok_or_else(|| format!("\"{text}\" is not a positive size, e.g. 4G"))?;
    let bytes = value * (1u64 << shift) as f64;
    if bytes >= u64::MAX as f64 {
        return Err(format!("\"{text}\" is too large"));
    }
    Ok(bytes as u64)
}

/// How input values are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
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
    /// The events whose probability is reported, per metric: `P(metric > threshold)`
    /// (`--exceed`) and `P(metric < threshold)` (`--below`), in the order asked.
    #[serde(skip)]
    pub events: Vec<(Metric, Event)>,
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
            events: Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_binary_units() {
        assert_eq!(parse_bytes("4096"), Ok(4096));
        assert_eq!(parse_bytes("512M"), Ok(512 << 20));
        assert_eq!(parse_bytes("4G"), Ok(4 << 30));
        assert_eq!(parse_bytes("4 GiB"), Ok(4 << 30));
        assert_eq!(parse_bytes("1.5t"), Ok(3 << 39));
        assert_eq!(parse_bytes("4e9"), Ok(4_000_000_000));
        assert_eq!(parse_bytes("1_024K"), Ok(1 << 20));
        for bad in ["", "0", "-1G", "4X", "G", "nanG", "1e30T"] {
            assert!(parse_bytes(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_thread_limit_is_at_least_64() {
        assert!(thread_limit() >= MIN_THREAD_LIMIT);
    }
}
