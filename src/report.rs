//! One run of one or more scenarios: settings, per-metric summaries, provenance.

use crate::engine::{self, Simulation, CHUNK_SIZE};
use crate::model::{Derived, Metric, OnInfeasible, Price, Provisioning, N_METRICS};
use crate::scenario::{InputOrigin, Scenario};
use crate::stats::{self, Exceedance, Interval, PercentileEstimate, Summary};
use rayon::prelude::*;
use serde::Serialize;

/// How a run samples and what it reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    pub samples: usize,
    pub seed: u64,
    /// Percentiles to report, in percent.
    pub percentiles: Vec<f64>,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// `(metric, threshold)` pairs for `P(metric > threshold)`.
    #[serde(skip)]
    pub exceed: Vec<(Metric, f64)>,
}

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

/// A run that rejects more than this share of its samples as physically impossible says so
/// loudly (a warning on stderr and in `run.json`).
pub const REJECTED_WARNING_SHARE: f64 = 0.05;

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
    pub metrics: Vec<MetricReport>,
}

impl ScenarioReport {
    /// The report of `metric`.
    pub fn metric(&self, metric: Metric) -> &MetricReport {
        &self.metrics[metric as usize]
    }
}

/// A callback that sees a simulation's raw columns, in sample order.
pub type SampleSink<'a> = &'a mut dyn FnMut(&Simulation) -> std::io::Result<()>;

/// Simulates `scenario` and summarises every metric. When `on_samples` is given it sees the
/// raw columns (in sample order) before they are summarised.
pub fn run_scenario(
    scenario: &Scenario,
    settings: &Settings,
    on_samples: Option<SampleSink<'_>>,
) -> std::io::Result<ScenarioReport> {
    let simulation = engine::simulate(
        scenario,
        settings.samples,
        settings.seed,
        on_samples.is_some(),
    );
    if let Some(callback) = on_samples {
        callback(&simulation)?;
    }
    let mut summaries = summarize_metrics(&simulation, settings);
    debug_assert_eq!(summaries.len(), N_METRICS);
    // A rejected sample is NaN in every metric: count it as rejected, not as non-finite.
    for summary in &mut summaries {
        summary.non_finite -= simulation.rejected;
    }
    let drawn = simulation.len();
    let rejected_share = if drawn == 0 {
        0.0
    } else {
        simulation.rejected as f64 / drawn as f64
    };
    let mut warnings = scenario.warnings().to_vec();
    if rejected_share > REJECTED_WARNING_SHARE {
        warnings.push(rejection_warning(scenario, simulation.rejected, drawn));
    }
    let model = scenario.model();
    Ok(ScenarioReport {
        name: scenario.name().to_string(),
        description: scenario.description().to_string(),
        origin: scenario.origin().to_string(),
        sha256: scenario.sha256().to_string(),
        gpu: scenario.gpu().map(|(id, _)| id.to_string()),
        path: scenario.path().name(),
        provisioning: match model.provisioning {
            Provisioning::Average => "average",
            Provisioning::Peak => "peak",
            Provisioning::Given { .. } => "given",
        },
        price: match model.price {
            Price::Rental => "rental",
            Price::Owned => "owned",
        },
        on_infeasible: model.on_infeasible.name(),
        rejected: simulation.rejected,
        rejected_share,
        clamped: simulation.clamped,
        inputs: input_reports(scenario),
        warnings,
        metrics: Metric::ALL
            .iter()
            .zip(summaries)
            .map(|(metric, summary)| MetricReport {
                metric: metric.name(),
                unit: metric.unit(),
                summary,
            })
            .collect(),
    })
}

/// The thresholds of `--exceed` for `metric`.
fn thresholds(settings: &Settings, metric: Metric) -> Vec<f64> {
    settings
        .exceed
        .iter()
        .filter(|(m, _)| *m == metric)
        .map(|(_, t)| *t)
        .collect()
}

/// One summary per metric, in [`Metric::ALL`] order: the stored columns are summarised in
/// parallel, the derived metrics are then derived from them. Every summary counts a rejected
/// sample as non-finite (the caller moves that count to `rejected`).
fn summarize_metrics(simulation: &Simulation, settings: &Settings) -> Vec<Summary> {
    let stored: Vec<Option<Summary>> = simulation
        .metrics
        .par_iter()
        .enumerate()
        .map(|(index, column)| {
            simulation.derived[index].is_none().then(|| {
                stats::summarize(
                    column,
                    &settings.percentiles,
                    settings.confidence,
                    &thresholds(settings, Metric::ALL[index]),
                )
            })
        })
        .collect();
    Metric::ALL
        .iter()
        .zip(&stored)
        .map(
            |(metric, summary)| match (summary, simulation.derived[*metric as usize]) {
                (Some(summary), _) => summary.clone(),
                (None, Some(Derived::Scaled { of, factor })) => scaled_summary(
                    stored[of as usize]
                        .as_ref()
                        .expect("a scaled metric's base is stored"),
                    simulation
                        .metric(of)
                        .expect("a scaled metric's base is stored"),
                    factor,
                    &thresholds(settings, *metric),
                    settings.confidence,
                ),
                (None, Some(Derived::Constant(value))) => constant_summary(
                    value,
                    simulation.len(),
                    simulation.rejected,
                    &thresholds(settings, *metric),
                    settings,
                ),
                (None, None) => unreachable!("every metric is stored or derived"),
            },
        )
        .collect()
}

/// The summary of `factor × X` from that of `X` (`factor > 0`): order statistics, mean,
/// standard deviation and their intervals scale exactly (up to rounding); `P(factor × X > t)`
/// is `P(X > t / factor)`, counted on X's column.
fn scaled_summary(
    base: &Summary,
    column: &[f64],
    factor: f64,
    thresholds: &[f64],
    level: f64,
) -> Summary {
    let scale = |interval: Interval| Interval {
        low: factor * interval.low,
        high: factor * interval.high,
    };
    Summary {
        samples: base.samples,
        non_finite: base.non_finite,
        mean: factor * base.mean,
        mean_ci: scale(base.mean_ci),
        std_dev: factor * base.std_dev,
        min: factor * base.min,
        max: factor * base.max,
        percentiles: base
            .percentiles
            .iter()
            .map(|p| PercentileEstimate {
                percentile: p.percentile,
                value: factor * p.value,
                ci_low: factor * p.ci_low,
                ci_high: factor * p.ci_high,
            })
            .collect(),
        exceedances: thresholds
            .iter()
            .map(|threshold| {
                let below = threshold / factor;
                let count = column
                    .iter()
                    .filter(|x| x.is_finite() && **x > below)
                    .count();
                exceedance(*threshold, count, base.samples, level)
            })
            .collect(),
    }
}

/// The summary of a metric equal to `value` in every one of `drawn − rejected` kept samples.
fn constant_summary(
    value: f64,
    drawn: usize,
    rejected: usize,
    thresholds: &[f64],
    settings: &Settings,
) -> Summary {
    let n = drawn - rejected;
    let (value, std_dev) = match n {
        0 => (f64::NAN, f64::NAN),
        1 => (value, f64::NAN),
        _ => (value, 0.0),
    };
    let at = |percentile: f64| PercentileEstimate {
        percentile,
        value,
        ci_low: value,
        ci_high: value,
    };
    Summary {
        samples: n,
        non_finite: rejected,
        mean: value,
        mean_ci: stats::interval::mean_interval(value, std_dev, n, settings.confidence),
        std_dev,
        min: value,
        max: value,
        percentiles: settings.percentiles.iter().copied().map(at).collect(),
        exceedances: thresholds
            .iter()
            .map(|threshold| {
                let count = if value > *threshold { n } else { 0 };
                exceedance(*threshold, count, n, settings.confidence)
            })
            .collect(),
    }
}

fn exceedance(threshold: f64, count: usize, n: usize, level: f64) -> Exceedance {
    let ci = stats::interval::wilson(count, n, level);
    Exceedance {
        threshold,
        count,
        probability: count as f64 / n as f64,
        ci_low: ci.low,
        ci_high: ci.high,
    }
}

fn rejection_warning(scenario: &Scenario, rejected: usize, drawn: usize) -> String {
    let fix = match scenario.model().on_infeasible {
        OnInfeasible::Reject => {
            "raise gpus_per_replica (or leave it out to size replicas to fit), lower batch_size or context_tokens, or set on_infeasible = \"clamp\""
        }
        OnInfeasible::Clamp => {
            "even clamped, these samples could not hold the weights and one sequence: raise gpus_per_replica or leave it out to size replicas to fit"
        }
    };
    format!(
        "{rejected} of {drawn} samples ({:.1}%, more than {:.0}%) were rejected as physically infeasible (weights + KV cache larger than the replica's memory, active_params_b above total_params_b, or a fraction outside (0, 1]); every statistic describes only the feasible samples. To fix: {fix}",
        100.0 * rejected as f64 / drawn as f64,
        100.0 * REJECTED_WARNING_SHARE
    )
}

fn input_reports(scenario: &Scenario) -> Vec<InputReport> {
    scenario
        .inputs()
        .iter()
        .map(|resolved| InputReport {
            name: resolved.input.name(),
            unit: resolved.input.info().unit,
            origin: resolved.origin,
            describe: resolved.dist.describe(),
            distribution: resolved.dist.kind().clone(),
            truncate: resolved.dist.truncation(),
        })
        .collect()
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
    pub elapsed_s: f64,
    pub scenarios: Vec<ScenarioReport>,
}

impl RunReport {
    /// Wraps scenario reports with the run's provenance.
    pub fn new(settings: Settings, scenarios: Vec<ScenarioReport>, elapsed_s: f64) -> RunReport {
        RunReport {
            tool: "costbands",
            version: env!("CARGO_PKG_VERSION"),
            settings,
            threads: rayon::current_num_threads(),
            chunk_size: CHUNK_SIZE,
            percentile_definition: "Hyndman-Fan type 7 (linear interpolation, as NumPy/R default)",
            percentile_ci_method: "distribution-free order-statistic interval, binomial ranks",
            mean_ci_method: "Student t",
            elapsed_s,
            scenarios,
        }
    }
}
