//! The values a run produces, which exporters read: [`RunReport`] (provenance and one
//! [`ScenarioReport`] per scenario), and within each scenario one [`MetricReport`] per metric
//! and one [`InputReport`] per input.

use super::correlation::CorrelationReport;
use super::record::{self, Provenance, RecipeScenario, RecordedSettings};
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
    /// The finite values in fixed bins, for charts (not in `run.json`): kept for the metrics
    /// the report charts ([`super::CHARTED_METRICS`]); `None` for any other, a constant metric,
    /// one without finite values, and the points of a sweep (which chart percentiles).
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
    /// How the training cost is obtained: `none`, `cost`, `gpu_hours` or `compute`.
    pub training: &'static str,
    /// Whether `training_usd_per_day` is part of `daily_cost_usd` (`include_training`).
    pub include_training: bool,
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
    /// The scenario as it ran, as TOML that reproduces it on its own: its file with the
    /// `--set` overrides applied, the GPU catalog entry it reads and a `[sampling]` table with
    /// the settings used and `samples_used` (see `Scenario::resolved_text`).
    pub resolved_scenario: String,
    /// Requested, induced and achieved rank correlations, when the scenario has any.
    pub correlations: Option<CorrelationReport>,
    /// Precision targets and whether each was met, under precision control.
    pub precision: Vec<precision::TargetReport>,
    /// One report per metric, in output order ([`Metric::ALL`]).
    pub metrics: Vec<MetricReport>,
    /// Where the money goes: each part of the daily cost and its share of the mean.
    pub breakdown: Vec<super::breakdown::Component>,
    /// The inputs most rank-correlated with the daily cost, from a prefix of the run.
    pub top_drivers: TopDrivers,
}

impl ScenarioReport {
    /// The report of `metric` (a line item's by name: see [`Metric::from_name_or_item`]).
    /// Panics when the scenario has no such line item; [`ScenarioReport::find_metric`] does
    /// not.
    pub fn metric(&self, metric: Metric) -> &MetricReport {
        self.find_metric(metric)
            .unwrap_or_else(|| panic!("scenario {} has no metric {}", self.name, metric.name()))
    }

    /// The report of `metric`, if the scenario has it.
    pub fn find_metric(&self, metric: Metric) -> Option<&MetricReport> {
        match metric.cost_item() {
            None => self.metrics.get(metric.index()),
            Some(_) => self.metrics.iter().find(|m| m.metric == metric.name()),
        }
    }
}

/// A whole run: provenance and one report per scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    /// `costbands`.
    pub tool: &'static str,
    /// The crate version that produced the report.
    pub version: &'static str,
    /// `run`: the job, for a reader of the file.
    pub job: &'static str,
    /// The format of what the record holds for a rerun ([`record::RECORD_FORMAT`]).
    pub record_format: u32,
    /// The command line that asked for the run, as given (empty from a library call).
    pub command: Vec<String>,
    /// The record (run.json) this run reruns, if it is a rerun.
    pub rerun_of: Option<String>,
    /// The settings every scenario ran with (samples, seed, percentiles, confidence, …).
    #[serde(skip)]
    pub settings: Settings,
    /// The settings as recorded; in `run.json` its fields sit at the top level.
    #[serde(flatten)]
    pub recorded: RecordedSettings,
    /// SHA-256 of everything a rerun reads (see [`record::recipe_sha256`]).
    pub recipe_sha256: String,
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
    /// How a streaming run (`--stream`) summarised its samples; absent from in-memory runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<StreamNote>,
    /// One report per scenario, in the order given.
    pub scenarios: Vec<ScenarioReport>,
}

/// What a streaming run reports about its method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamNote {
    /// Why the run streamed: `--stream`, or the memory an in-memory run would need.
    pub reason: String,
    /// How the percentiles were found.
    pub quantile_summary: &'static str,
    /// The largest relative distance of a reported order statistic from the exact one
    /// (twice this for the whole-valued metrics, whose estimates are whole numbers).
    pub relative_error_bound: f64,
    /// The process's peak resident memory at the end of the run, in bytes (`VmHWM` of
    /// `/proc/self/status`; absent where there is none).
    pub peak_rss_bytes: Option<u64>,
}

impl StreamNote {
    /// The note of a run that streamed for `reason`.
    pub fn new(reason: String, peak_rss_bytes: Option<u64>) -> StreamNote {
        StreamNote {
            reason,
            quantile_summary: STREAM_PERCENTILE_METHOD,
            relative_error_bound: stats::sketch::RELATIVE_ERROR,
            peak_rss_bytes,
        }
    }
}

/// How a streaming run's percentiles and their intervals are found.
pub const STREAM_PERCENTILE_METHOD: &str = "the exact ranks of the in-memory definitions read from a mergeable log-linear quantile sketch (2^14 buckets per octave): each order statistic within a relative 2^-15 of its exact value, the minimum and maximum exact; interval ends are the outer edges of the buckets holding the interval's order statistics, so the interval is at least as wide as the exact one";

impl RunReport {
    /// The report of the scenario at `index` alone, with the run's provenance: what the
    /// scenario's own sub-folder of a batch holds.
    pub fn for_scenario(&self, index: usize) -> RunReport {
        let scenarios = vec![self.scenarios[index].clone()];
        RunReport {
            recipe_sha256: recipe_of(&self.recorded, &scenarios),
            scenarios,
            ..self.clone()
        }
    }

    /// Wraps scenario reports with the run's provenance; `threads` ran it.
    pub fn new(
        settings: Settings,
        scenarios: Vec<ScenarioReport>,
        elapsed_s: f64,
        threads: usize,
        provenance: Provenance,
    ) -> RunReport {
        let mut scenarios = scenarios;
        for s in &mut scenarios {
            let summaries = s.metrics.iter().map(|m| &m.summary);
            let open = stats::open_interval_warning(summaries, settings.confidence);
            s.warnings.extend(open);
        }
        let by_replicates = settings.method != Method::Mc;
        let replicated = "Student t over independent randomised replicates (LHS/Sobol samples are not independent)";
        let recorded = RecordedSettings::new(
            &settings,
            provenance.samples_requested,
            provenance.max_samples,
        );
        RunReport {
            tool: "costbands",
            version: env!("CARGO_PKG_VERSION"),
            job: "run",
            record_format: record::RECORD_FORMAT,
            command: provenance.command,
            rerun_of: provenance.rerun_of,
            recipe_sha256: recipe_of(&recorded, &scenarios),
            recorded,
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
            stream: None,
            scenarios,
        }
    }

    /// The report of a run that streamed (see [`StreamNote`]): its percentile interval
    /// method says so.
    pub fn streamed(self, note: StreamNote) -> RunReport {
        RunReport {
            percentile_ci_method: STREAM_PERCENTILE_METHOD,
            stream: Some(note),
            ..self
        }
    }
}

/// The recipe checksum of `scenarios` run with `recorded` settings.
fn recipe_of(recorded: &RecordedSettings, scenarios: &[ScenarioReport]) -> String {
    let recipe: Vec<RecipeScenario> = scenarios
        .iter()
        .map(|s| RecipeScenario {
            name: s.name.clone(),
            resolved_scenario: s.resolved_scenario.clone(),
            samples_used: s.samples_used,
        })
        .collect();
    record::recipe_sha256(recorded, &recipe)
}
