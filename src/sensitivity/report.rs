//! What a sensitivity analysis reports: one tidy table of [`Estimate`]s, with the reference
//! values and provenance of [`SensitivityReport`] around it.

use super::Method;
use serde::Serialize;

/// One number of the analysis: a row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub scenario: String,
    pub metric: &'static str,
    pub input: &'static str,
    pub method: Method,
    /// `rho`; `low`, `high`, `swing`; `first_order`, `total`; `shrink`, `shrink_pct`,
    /// `pinned_width`.
    pub statistic: &'static str,
    pub value: f64,
    /// `None` where there is no interval (the tornado is exact).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// A metric's reference values: at the medians of the inputs, and the run's P5–P95 band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricBase {
    pub metric: &'static str,
    pub unit: &'static str,
    /// The metric with every input at its median (the tornado's centre).
    pub at_medians: f64,
    /// The run's P5–P95 width (`None` when only the tornado ran, which needs no run).
    pub band_width: Option<f64>,
}

/// An uncertain input's P10, median and P90.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputRange {
    pub input: &'static str,
    pub unit: &'static str,
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
}

/// Facts about the Sobol design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SobolDesign {
    /// Rows N of each of A and B.
    pub base_samples: usize,
    /// Model evaluations N(k + 2).
    pub evaluations: usize,
    /// Rows dropped because a model value was not finite.
    pub rows_dropped: usize,
    /// Seed of matrix B (matrix A is the run itself).
    pub b_seed: u64,
}

/// The analysis of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityReport {
    pub tool: &'static str,
    pub version: &'static str,
    pub scenario: String,
    pub description: String,
    pub origin: String,
    pub sha256: String,
    pub path: &'static str,
    pub samples: usize,
    pub seed: u64,
    pub confidence: f64,
    pub resamples: usize,
    pub threads: usize,
    pub methods: Vec<Method>,
    pub definitions: Definitions,
    pub metrics: Vec<MetricBase>,
    pub inputs: Vec<InputRange>,
    pub sobol: Option<SobolDesign>,
    pub warnings: Vec<String>,
    pub results: Vec<Estimate>,
    pub elapsed_s: f64,
}

/// How each method is computed, for provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definitions {
    pub spearman: &'static str,
    pub tornado: &'static str,
    pub sobol: &'static str,
    pub width: &'static str,
}

pub(super) const DEFINITIONS: Definitions = Definitions {
    spearman: "Spearman rank correlation (average ranks for ties) over the run's samples; interval tanh(atanh(rho) ± z·sqrt(1.06/(n-3))) (Fieller, Hartley & Pearson 1957)",
    tornado: "metric with one input at its P10 (low) and P90 (high), all others at their medians; swing = |high - low|; exact, no interval",
    sobol: "Saltelli et al. 2010 design (A = the run, B = an independent run at a derived seed, A_B^(i)); first order: Saltelli 2010; total: Jansen 1999; centred outputs; Poisson bootstrap over rows, percentile intervals",
    width: "P5-P95 width (type 7) shrink when one input is pinned at its median, rerun with the same seed (common random numbers); paired Poisson bootstrap, percentile intervals",
};
