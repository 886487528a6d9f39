//! One run of one or more scenarios: settings, per-metric summaries, provenance.
//!
//! Monte Carlo runs report distribution-free order-statistic intervals (see [`crate::stats`]).
//! Latin hypercube and Sobol samples are not independent, so their intervals come from R
//! independent randomised replicates ([`replicates`]); precision control extends Monte Carlo
//! runs until target half-widths are met ([`precision`]).

pub mod breakdown;
pub mod compare;
mod correlation;
mod derived;
pub mod precision;
pub mod record;
mod rejection;
pub mod replicates;
pub mod stream;
pub mod sweep;
mod types;

pub use correlation::{CorrelationReport, CORRELATION_CHECK_SAMPLES};
pub(crate) use derived::summarize_metrics;
pub use rejection::REJECTED_WARNING_SHARE;
pub use types::{InputReport, MetricReport, RunReport, ScenarioReport, StreamNote};

use crate::engine::{self, Options, Simulation};
use crate::model::Metric;
use crate::scenario::Scenario;
use crate::sensitivity::{self, TopDrivers};
use crate::settings::{Method, SettingError, Settings};
use crate::stats::{self, Summary};
use correlation::correlation_report;
use rejection::rejection_warning;

/// Checks that `scenario` can be run with `settings`.
pub fn check_settings(settings: &Settings, scenario: &Scenario) -> Result<(), SettingError> {
    for (metric, event) in &settings.events {
        if scenario.metric_named(metric.name()).is_none() {
            let option = match event.side {
                stats::Side::Above => "--exceed",
                stats::Side::Below => "--below",
            };
            return Err(SettingError::new(
                format!("{option} {}", metric.name()),
                format!(
                    "scenario {} has no line item of that name; its metrics: {}",
                    scenario.name(),
                    metric_names(scenario)
                ),
            ));
        }
    }
    let uncertain = scenario.uncertain_inputs().count();
    let problem = match settings.method {
        Method::Sobol if scenario.correlation().is_some() => {
            "correlated inputs need --sampler mc or lhs: reordering Sobol points for \
             Iman–Conover would destroy their low-discrepancy structure"
                .to_string()
        }
        Method::Sobol if uncertain > engine::sobol::MAX_DIMENSIONS => format!(
            "{uncertain} uncertain inputs, but Sobol points are available in at most {} \
             dimensions; use --sampler lhs",
            engine::sobol::MAX_DIMENSIONS
        ),
        Method::Lhs | Method::Sobol if settings.samples < 2 * settings.replicates => {
            return Err(SettingError::new(
                "",
                format!(
                    "{} samples cannot be split into {} replicates of at least 2",
                    settings.samples, settings.replicates
                ),
            ))
        }
        _ => return Ok(()),
    };
    Err(SettingError::new(scenario.origin(), problem))
}

/// The names of `scenario`'s metrics, comma-separated.
pub(crate) fn metric_names(scenario: &Scenario) -> String {
    let names: Vec<&str> = scenario.metrics().iter().map(|m| m.name()).collect();
    names.join(", ")
}

/// Simulates `scenario` with `settings` and summarises every metric.
pub fn run_scenario(
    scenario: &Scenario,
    settings: &Settings,
) -> Result<ScenarioReport, SettingError> {
    check_settings(settings, scenario)?;
    Ok(simulate_scenario(scenario, settings, false, None).0)
}

/// Simulates `scenario` (whose `settings` have passed [`check_settings`]), summarises every
/// metric and returns the report with the raw columns (input columns too when
/// `keep_inputs`). `progress` sees the samples of each finished chunk.
pub fn simulate_scenario(
    scenario: &Scenario,
    settings: &Settings,
    keep_inputs: bool,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> (ScenarioReport, Simulation) {
    let options = Options {
        seed: settings.seed,
        method: settings.method,
        replicate: 0,
        keep_inputs,
        progress,
    };
    if settings.method != Method::Mc {
        return replicates::run(scenario, settings, &options);
    }
    let simulation = engine::simulate_chunks(scenario, &options, 0, settings.samples);
    (
        summarize_simulation(scenario, settings, &simulation),
        simulation,
    )
}

/// Summarises every metric of `simulation` (stored columns in parallel, derived metrics from
/// their base) and gathers the scenario's provenance.
pub fn summarize_simulation(
    scenario: &Scenario,
    settings: &Settings,
    simulation: &Simulation,
) -> ScenarioReport {
    let summaries = derived::metric_summaries(simulation, settings);
    debug_assert_eq!(summaries.len(), scenario.metrics().len());
    let histograms = derived::metric_histograms(simulation, &summaries);
    let kept = (settings.method == Method::Mc).then_some(simulation);
    let counts = Counts {
        drawn: simulation.len(),
        rejected: simulation.rejected,
        clamped: simulation.clamped,
    };
    let breakdown = breakdown::breakdown(
        scenario.model(),
        simulation,
        &summaries,
        settings.confidence,
    );
    let found = Found {
        summaries,
        histograms,
        breakdown,
        top_drivers: drivers(scenario, settings, counts.drawn, kept),
        correlations: correlation_report(scenario, settings, simulation),
    };
    scenario_report(scenario, settings, counts, found)
}

/// What a run found for a scenario's metrics and inputs.
pub(crate) struct Found {
    summaries: Vec<Summary>,
    histograms: Vec<Option<stats::Histogram>>,
    /// Where the money goes (empty for a streamed run, which keeps no columns to pair).
    breakdown: Vec<breakdown::Component>,
    top_drivers: TopDrivers,
    correlations: Option<CorrelationReport>,
}

/// Samples drawn, rejected and clamped in a scenario's run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counts {
    drawn: usize,
    rejected: usize,
    clamped: usize,
}

/// The report of `scenario` from what its run found.
fn scenario_report(
    scenario: &Scenario,
    settings: &Settings,
    counts: Counts,
    found: Found,
) -> ScenarioReport {
    let Found {
        summaries,
        histograms,
        breakdown,
        top_drivers,
        correlations,
    } = found;
    let Counts {
        drawn,
        rejected,
        clamped,
    } = counts;
    let rejected_share = if drawn == 0 {
        0.0
    } else {
        rejected as f64 / drawn as f64
    };
    let mut warnings = scenario.warnings().to_vec();
    if rejected_share > REJECTED_WARNING_SHARE {
        warnings.push(rejection_warning(scenario, rejected, drawn));
    }
    let model = scenario.model();
    ScenarioReport {
        name: scenario.name().to_string(),
        description: scenario.description().to_string(),
        origin: scenario.origin().to_string(),
        sha256: scenario.sha256().to_string(),
        gpu: scenario.gpu().map(|(id, _)| id.to_string()),
        path: scenario.path().name(),
        provisioning: model.provisioning.name(),
        price: model.price.name(),
        on_infeasible: model.on_infeasible.name(),
        training: model.training.name(),
        include_training: model.include_training,
        rejected,
        rejected_share,
        clamped,
        inputs: input_reports(scenario),
        warnings,
        samples_used: drawn,
        resolved_scenario: scenario.resolved_text(&record::sampling_used(settings, drawn)),
        correlations,
        precision: Vec::new(),
        metrics: with_histograms(metric_reports(scenario.metrics(), summaries), histograms),
        breakdown,
        top_drivers,
    }
}

/// The metrics whose distribution a single scenario's report draws, in order; the only ones
/// whose histogram a run keeps (see [`MetricReport::histogram`]).
pub const CHARTED_METRICS: [Metric; 4] = [
    Metric::DailyCostUsd,
    Metric::Gpus,
    Metric::CostPerQueryUsd,
    Metric::WhPerQuery,
];

/// `metrics` with their histograms, kept for the [`CHARTED_METRICS`] only.
fn with_histograms(
    mut metrics: Vec<MetricReport>,
    histograms: Vec<Option<stats::Histogram>>,
) -> Vec<MetricReport> {
    for (metric, histogram) in metrics.iter_mut().zip(histograms) {
        let charted = CHARTED_METRICS.iter().any(|m| m.name() == metric.metric);
        metric.histogram = histogram.filter(|_| charted);
    }
    metrics
}

/// One report per metric of `metrics` (a scenario's [`Scenario::metrics`]), from its summary
/// (without histogram).
pub fn metric_reports(metrics: &[Metric], summaries: Vec<Summary>) -> Vec<MetricReport> {
    debug_assert_eq!(metrics.len(), summaries.len());
    metrics
        .iter()
        .zip(summaries)
        .map(|(metric, summary)| MetricReport {
            metric: metric.name(),
            unit: metric.unit(),
            summary,
            histogram: None,
        })
        .collect()
}

/// Top drivers of the daily cost. Monte Carlo runs use their own first samples (prefix
/// stability makes a re-simulated prefix identical); designs use an independent Monte Carlo
/// sample of the same inputs, and say so.
fn drivers(
    scenario: &Scenario,
    settings: &Settings,
    samples: usize,
    kept: Option<&Simulation>,
) -> TopDrivers {
    let mut top = sensitivity::top_drivers(
        scenario,
        samples,
        settings.seed,
        Metric::DailyCostUsd,
        settings.confidence,
        kept,
    );
    if settings.method != Method::Mc {
        top.note = format!(
            "an independent Monte Carlo sample of {} draws of the same inputs",
            top.samples
        );
    }
    top
}

/// Each input of `scenario` as resolved for a run, for provenance, with the file's comment on
/// it.
pub fn input_reports(scenario: &Scenario) -> Vec<InputReport> {
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
            note: scenario.note(resolved.input).map(str::to_string),
        })
        .collect()
}
