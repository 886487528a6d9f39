//! What a sensitivity analysis reports: one tidy table of [`Estimate`]s, with the reference
//! values and provenance of [`SensitivityReport`] around it.

use super::Method;
use serde::Serialize;

/// One number of the analysis: a row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// The scenario's name.
    pub scenario: String,
    /// The metric analysed, e.g. `daily_cost_usd`.
    pub metric: &'static str,
    /// The uncertain input the number is about.
    pub input: &'static str,
    /// The method that produced it.
    pub method: Method,
    /// `rho`; `low`, `high`, `swing`; `first_order`, `total`; `shrink`, `shrink_pct`,
    /// `pinned_width`.
    pub statistic: &'static str,
    /// The statistic: ρ and Sobol indices are unitless, `shrink_pct` is in percent, the
    /// tornado's values, `shrink` and `pinned_width` are in the metric's unit.
    pub value: f64,
    /// Lower end of the confidence interval; `None` where there is none (the tornado is
    /// exact, `pinned_width` is reported without one).
    pub ci_low: Option<f64>,
    /// Upper end of the confidence interval; `None` where `ci_low` is.
    pub ci_high: Option<f64>,
}

/// A metric's reference values: at the medians of the inputs, and the run's P5–P95 band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricBase {
    /// The metric's name.
    pub metric: &'static str,
    /// The unit of `at_medians` and `band_width`.
    pub unit: &'static str,
    /// The metric with every input at its median (the tornado's centre).
    pub at_medians: f64,
    /// The run's P5–P95 width (`None` when only the tornado ran, which needs no run).
    pub band_width: Option<f64>,
}

/// An uncertain input's P10, median and P90.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputRange {
    /// The input's name.
    pub input: &'static str,
    /// The unit of its quantiles.
    pub unit: &'static str,
    /// The 10% quantile of its distribution (the tornado's low end).
    pub p10: f64,
    /// The median of its distribution (where width pins it, and the tornado's centre).
    pub median: f64,
    /// The 90% quantile of its distribution (the tornado's high end).
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
    /// `costbands`.
    pub tool: &'static str,
    /// The crate version that produced the report.
    pub version: &'static str,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's description (may be empty).
    pub description: String,
    /// Where the scenario came from: a file path or `preset NAME`.
    pub origin: String,
    /// SHA-256 of the scenario text, hex.
    pub sha256: String,
    /// How the model obtains busy GPU time: `fleet`, `throughput`, `flops` or `roofline`.
    pub path: &'static str,
    /// Samples of the run, and rows N of each of Sobol's matrices A and B.
    pub samples: usize,
    /// The run's seed; every other seed of the analysis is derived from it.
    pub seed: u64,
    /// Confidence level of every interval, e.g. 0.95.
    pub confidence: f64,
    /// Bootstrap resamples behind the Sobol and width intervals.
    pub resamples: usize,
    /// Worker threads that ran the analysis (the results do not depend on it).
    pub threads: usize,
    /// The methods run, sorted, without duplicates.
    pub methods: Vec<Method>,
    /// A one-line definition of each method.
    pub definitions: Definitions,
    /// Each metric analysed, with its reference values.
    pub metrics: Vec<MetricBase>,
    /// Each uncertain input with its P10, median and P90.
    pub inputs: Vec<InputRange>,
    /// The Sobol design, when Sobol indices were estimated.
    pub sobol: Option<SobolDesign>,
    /// What a reader should know: left-out samples, correlated inputs under Sobol, no
    /// uncertain input.
    pub warnings: Vec<String>,
    /// Every number of the analysis, the rows of `sensitivity.csv`, in report order.
    pub results: Vec<Estimate>,
    /// Wall-clock seconds the analysis took.
    pub elapsed_s: f64,
}

/// How each method is computed, for provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definitions {
    /// Spearman's ρ and its Fisher-z interval.
    pub spearman: &'static str,
    /// The tornado's low, high and swing.
    pub tornado: &'static str,
    /// The Sobol design, estimators and bootstrap.
    pub sobol: &'static str,
    /// The band-width shrink and its paired bootstrap.
    pub width: &'static str,
}

pub(super) const DEFINITIONS: Definitions = Definitions {
    spearman: "Spearman rank correlation (average ranks for ties) over the run's samples; interval tanh(atanh(rho) ± z·sqrt(1.06/(n-3))) (Fieller, Hartley & Pearson 1957)",
    tornado: "metric with one input at its P10 (low) and P90 (high), all others at their medians; swing = |high - low|; exact, no interval",
    sobol: "Saltelli et al. 2010 design (A = the run, B = an independent run at a derived seed, A_B^(i)); first order: Saltelli 2010; total: Jansen 1999; centred outputs; Poisson bootstrap over rows, percentile intervals",
    width: "P5-P95 width (type 7) shrink when one input is pinned at its median, rerun with the same seed (common random numbers); paired Poisson bootstrap, percentile intervals",
};
