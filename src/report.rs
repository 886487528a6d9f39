//! One run of one or more scenarios: settings, per-metric summaries, provenance.

use crate::engine::{self, Simulation, CHUNK_SIZE};
use crate::model::{Metric, N_METRICS};
use crate::scenario::{InputOrigin, Scenario};
use crate::sensitivity::{self, TopDrivers};
use crate::stats::{self, Summary};
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

/// What a run found for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioReport {
    pub name: String,
    pub description: String,
    pub origin: String,
    pub sha256: String,
    pub gpu: Option<String>,
    pub path: &'static str,
    pub inputs: Vec<InputReport>,
    pub warnings: Vec<String>,
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
    let summaries: Vec<Summary> = simulation
        .metrics
        .par_iter()
        .enumerate()
        .map(|(index, column)| {
            let metric = Metric::ALL[index];
            let thresholds: Vec<f64> = settings
                .exceed
                .iter()
                .filter(|(m, _)| *m == metric)
                .map(|(_, t)| *t)
                .collect();
            stats::summarize(
                column,
                &settings.percentiles,
                settings.confidence,
                &thresholds,
            )
        })
        .collect();
    debug_assert_eq!(summaries.len(), N_METRICS);
    let top_drivers = sensitivity::top_drivers(
        scenario,
        settings.samples,
        settings.seed,
        Metric::DailyCostUsd,
        settings.confidence,
        Some(&simulation),
    );
    Ok(ScenarioReport {
        name: scenario.name().to_string(),
        description: scenario.description().to_string(),
        origin: scenario.origin().to_string(),
        sha256: scenario.sha256().to_string(),
        gpu: scenario.gpu().map(|(id, _)| id.to_string()),
        path: scenario.path().name(),
        inputs: input_reports(scenario),
        warnings: scenario.warnings().to_vec(),
        metrics: Metric::ALL
            .iter()
            .zip(summaries)
            .map(|(metric, summary)| MetricReport {
                metric: metric.name(),
                unit: metric.unit(),
                summary,
            })
            .collect(),
        top_drivers,
    })
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
