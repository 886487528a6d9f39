//! The values a run produces, which exporters read: [`RunReport`] (provenance and one
//! [`ScenarioReport`] per scenario), and within each scenario one [`MetricReport`] per metric
//! and one [`InputReport`] per input.

use super::correlation::CorrelationReport;
use super::{derived, precision};
use crate::engine::CHUNK_SIZE;
use crate::model::Metric;
use crate::scenario::InputOrigin;
use crate::sensitivity::TopDrivers;
use crate::settings::{Method, Settings};
use crate::stats::{self, Summary};
use serde::Serialize;

/// What a run found for one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricReport {
    /// The metric's name, e.g. `daily_cost_usd`.
    pub metric: &'static str,
    /// The unit of every value in `summary` (probabilities aside), e.g. `USD/day`.
    pub unit: &'static str,
    /// Mean, spread, percentiles and exceedances, each with its interval; in `run.json` its
    /// fields sit beside `metric` and `unit`.
    #[serde(flatten)]
    pub summary: Summary,
    /// The finite values in fixed bins, for charts (not in `run.json`): `None` for a constant
    /// metric, one without finite values, and the points of a sweep (which chart percentiles).
    #[serde(skip)]
    pub histogram: Option<stats::Histogram>,
}

/// One input as resolved for the run, for provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputReport {
    /// The input's name, e.g. `gpu_hour_usd`.
    pub name: &'static str,
    /// The unit of its values.
    pub unit: &'static str,
    /// Where its distribution came from: the file, `--set`, the GPU catalog or the default
    /// (or pinned at its median, in a sensitivity rerun).
    pub origin: InputOrigin,
    /// A short human description, e.g. `lognormal(P5 1000, P95 3000)`.
    pub describe: String,
    /// The distribution's kind and parameters, as resolved.
    pub distribution: crate::dist::Kind,
    /// Truncation bounds and the probability mass they keep, when truncated.
    pub truncate: Option<crate::dist::Truncation>,
    /// The scenario file's comment on the input (where its range comes from), when its
    /// distribution is the file's; for reports (not in `run.json`).
    #[serde(skip)]
    pub note: Option<String>,
}

/// What a run found for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioReport {
    /// The scenario's name.
    pub name: String,
    /// The scenario's description (may be empty).
    pub description: String,
    /// Where the scenario came from: a file path or `preset NAME`.
    pub origin: String,
    /// SHA-256 of the scenario text, hex.
    pub sha256: String,
    /// The GPU catalog entry named by `gpu = "..."`, if any.
    pub gpu: Option<String>,
    /// How the model obtains busy GPU time: `fleet`, `throughput`, `flops` or `roofline`.
    pub path: &'static str,
    /// `average` (utilization), `peak` (peak_to_average, target_utilization) or `given`.
    pub provisioning: &'static str,
    /// `rental` or `owned`.
    pub price: &'static str,
    /// `reject` or `clamp`.
    pub on_infeasible: &'static str,
    /// Samples rejected as physically impossible; they are left out of every statistic and
    /// not counted in any metric's `non_finite`.
    pub rejected: usize,
    /// `rejected ÷ samples drawn`.
    pub rejected_share: f64,
    /// Samples brought into range by `on_infeasible = "clamp"` (kept in the statistics).
    pub clamped: usize,
    /// Every input the model reads, as resolved for the run, in stream order.
    pub inputs: Vec<InputReport>,
    /// The scenario's own warnings, then the run's: many rejected samples, open intervals.
    pub warnings: Vec<String>,
    /// Samples actually drawn (a design rounds up to whole replicates; precision control may
    /// draw more or fewer than asked).
    pub samples_used: usize,
    /// Requested, induced and achieved rank correlations, when the scenario has any.
    pub correlations: Option<CorrelationReport>,
    /// Precision targets and whether each was met, under precision control.
    pub precision: Vec<precision::TargetReport>,
    /// One report per metric, in output order ([`Metric::ALL`]).
    pub metrics: Vec<MetricReport>,
    /// The inputs most rank-correlated with the daily cost, from a prefix of the run.
    pub top_drivers: TopDrivers,
}

impl ScenarioReport {
    /// The report of `metric`.
    pub fn metric(&self, metric: Metric) -> &MetricReport {
        &self.metrics[metric as usize]
    }
}

/// A whole run: provenance and one report per scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    /// `costbands`.
    pub tool: &'static str,
    /// The crate version that produced the report.
    pub version: &'static str,
    /// The settings every scenario ran with (samples, seed, percentiles, confidence, …); in
    /// `run.json` its fields sit at the top level.
    #[serde(flatten)]
    pub settings: Settings,
    /// Worker threads that ran it (the results do not depend on it).
    pub threads: usize,
    /// Samples per chunk, each chunk with its own random streams.
    pub chunk_size: usize,
    /// How percentiles are read from the sorted sample.
    pub percentile_definition: &'static str,
    /// How the percentiles' confidence intervals are computed.
    pub percentile_ci_method: &'static str,
    /// How the mean's confidence interval is computed.
    pub mean_ci_method: &'static str,
    /// How the exceedance probabilities' confidence intervals are computed.
    pub exceedance_ci_method: &'static str,
    /// Wall-clock seconds the run took.
    pub elapsed_s: f64,
    /// One report per scenario, in the order given.
    pub scenarios: Vec<ScenarioReport>,
}

impl RunReport {
    /// Wraps scenario reports with the run's provenance; `threads` ran it.
    pub fn new(
        settings: Settings,
        scenarios: Vec<ScenarioReport>,
        elapsed_s: f64,
        threads: usize,
    ) -> RunReport {
        let mut scenarios = scenarios;
        for s in &mut scenarios {
            let summaries = s.metrics.iter().map(|m| &m.summary);
            let open = stats::open_interval_warning(summaries, settings.confidence);
            s.warnings.extend(open);
        }
        let by_replicates = settings.method != Method::Mc;
        let replicated = "Student t over independent randomised replicates (LHS/Sobol samples are not independent)";
        RunReport {
            tool: "costbands",
            version: env!("CARGO_PKG_VERSION"),
            settings,
            threads,
            chunk_size: CHUNK_SIZE,
            percentile_definition: derived::PERCENTILE_DEFINITION,
            percentile_ci_method: if by_replicates {
                replicated
            } else {
                "distribution-free order-statistic interval, exact binomial ranks; an end whose rank does not exist at this sample size is open (null)"
            },
            mean_ci_method: if by_replicates {
                replicated
            } else {
                "Student t"
            },
            exceedance_ci_method: if by_replicates {
                replicated
            } else {
                "Wilson score"
            },
            elapsed_s,
            scenarios,
        }
    }
}
