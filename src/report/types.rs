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
    pub metric: &'static str,
    pub unit: &'static str,
    #[serde(flatten)]
    pub summary: Summary,
}

/// One input as resolved for the run, for provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputReport {
    pub name: &'static str,
    pub unit: &'static str,
    pub origin: InputOrigin,
    pub describe: String,
    pub distribution: crate::dist::Kind,
    pub truncate: Option<crate::dist::Truncation>,
}

/// What a run found for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioReport {
    pub name: String,
    pub description: String,
    pub origin: String,
    pub sha256: String,
    pub gpu: Option<String>,
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
    pub inputs: Vec<InputReport>,
    pub warnings: Vec<String>,
    /// Samples actually drawn (a design rounds up to whole replicates; precision control may
    /// draw more or fewer than asked).
    pub samples_used: usize,
    /// Requested, induced and achieved rank correlations, when the scenario has any.
    pub correlations: Option<CorrelationReport>,
    /// Precision targets and whether each was met, under precision control.
    pub precision: Vec<precision::TargetReport>,
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
    pub tool: &'static str,
    pub version: &'static str,
    #[serde(flatten)]
    pub settings: Settings,
    pub threads: usize,
    pub chunk_size: usize,
    pub percentile_definition: &'static str,
    pub percentile_ci_method: &'static str,
    pub mean_ci_method: &'static str,
    pub exceedance_ci_method: &'static str,
    pub elapsed_s: f64,
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
