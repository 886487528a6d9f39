//! Confidence intervals for Latin hypercube and Sobol runs from independent randomised
//! replicates (Owen 1997; L'Ecuyer & Lemieux 2002): the run is R independent designs of n/R
//! points; each statistic is estimated on the pooled sample, and its interval is
//! `pooled ± t(R−1) · sd(replicate estimates) / √R`.

use super::{summarize_metrics, summarize_simulation, ScenarioReport};
use crate::engine::{self, Options, Simulation};
use crate::settings::{Method, Settings};
use crate::stats::{interval, Summary};

pub(super) fn run(
    scenario: &crate::scenario::Scenario,
    settings: &Settings,
    options: &Options<'_>,
) -> (ScenarioReport, Simulation) {
    let size = settings.replicate_size();
    let mut pooled = Simulation {
        metrics: vec![Vec::new(); scenario.metrics().len()],
        metric_set: scenario.metrics().to_vec(),
        derived: *scenario.derived_metrics(),
        inputs: None,
        rejected: 0,
        clamped: 0,
    };
    let mut estimates: Vec<Vec<Summary>> = Vec::with_capacity(settings.replicates);
    for replicate in 0..settings.replicates {
        let replicate_options = Options {
            replicate: replicate as u64,
            ..*options
        };
        let simulation = engine::simulate_chunks(scenario, &replicate_options, 0, size);
        estimates.push(replicate_summaries(settings, &simulation));
        pooled.append(simulation);
    }
    let mut report = summarize_simulation(scenario, settings, &pooled);
    for (index, metric) in report.metrics.iter_mut().enumerate() {
        let per_replicate: Vec<&Summary> = estimates.iter().map(|s| &s[index]).collect();
        widen(&mut metric.summary, &per_replicate, settings.confidence);
    }
    for component in &mut report.breakdown {
        if let Some(metric) = scenario.metric_named(component.metric) {
            component.mean_ci = report.metrics[metric.index()].summary.mean_ci;
        }
    }
    if settings.method == Method::Sobol && !size.is_power_of_two() {
        report.warnings.push(format!(
            "sobol: {size} points per replicate is not a power of two, so the points are not a \
             balanced (0, m, s)-net; use --samples {} with {} replicates",
            size.next_power_of_two() * settings.replicates,
            settings.replicates
        ));
    }
    (report, pooled)
}

fn replicate_summaries(settings: &Settings, simulation: &Simulation) -> Vec<Summary> {
    summarize_metrics(simulation, settings)
}

/// `(low, high)` = `pooled ± t(R−1) · sd(values) / √R`.
fn interval_around(pooled: f64, values: &[f64], level: f64) -> (f64, f64) {
    let r = values.len() as f64;
    let mean = values.iter().sum::<f64>() / r;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (r - 1.0)).sqrt();
    let half = interval::t_critical(r - 1.0, level) * sd / r.sqrt();
    (pooled - half, pooled + half)
}

/// Replaces the independent-sample intervals of `summary` by replicate intervals.
fn widen(summary: &mut Summary, replicates: &[&Summary], level: f64) {
    let means: Vec<f64> = replicates.iter().map(|s| s.mean).collect();
    (summary.mean_ci.low, summary.mean_ci.high) = interval_around(summary.mean, &means, level);
    for (index, estimate) in summary.percentiles.iter_mut().enumerate() {
        let values: Vec<f64> = replicates
            .iter()
            .map(|s| s.percentiles[index].value)
            .collect();
        (estimate.ci_low, estimate.ci_high) = interval_around(estimate.value, &values, level);
    }
    for (index, exceedance) in summary.exceedances.iter_mut().enumerate() {
        let values: Vec<f64> = replicates
            .iter()
            .map(|s| s.exceedances[index].probability)
            .collect();
        let (low, high) = interval_around(exceedance.probability, &values, level);
        (exceedance.ci_low, exceedance.ci_high) = (low.max(0.0), high.min(1.0));
    }
}
