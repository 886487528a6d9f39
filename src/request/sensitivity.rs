//! The `sensitivity` job: which inputs drive a metric (Spearman, tornado, Sobol, width).

use super::memory;
use super::{sample_count, thread_pool, CommonOptions, Error, Output};
use crate::export::{self, html};
use crate::model::Metric;
use crate::scenario::Scenario;
use crate::sensitivity::{self, Method, Options, SensitivityReport};
use crate::settings::{SettingError, DEFAULT_RESAMPLES};

/// What a caller asks of a sensitivity analysis, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SensitivityOptions {
    /// The options every job takes.
    pub common: CommonOptions,
    /// A scenario file or preset name; the default preset when `None`.
    pub scenario: Option<String>,
    /// Methods to run; all four when empty.
    pub methods: Vec<Method>,
    /// Metric names to analyse, or `all`; the daily cost when empty.
    pub metrics: Vec<String>,
    /// Bootstrap resamples for the Sobol and width intervals.
    pub resamples: Option<usize>,
}

/// A validated sensitivity analysis.
#[derive(Debug, Clone)]
pub struct SensitivityRequest {
    scenario: Scenario,
    options: Options,
    threads: Option<usize>,
    output: Output,
}

impl SensitivityRequest {
    /// Loads the scenario, merges the settings (`options` > the scenario file > the defaults)
    /// and validates them.
    pub fn new(options: &SensitivityOptions) -> Result<SensitivityRequest, Error> {
        let overrides = options.common.overrides()?;
        let scenario = options
            .common
            .load_scenario(options.scenario.as_deref(), &overrides)?;
        let common = options
            .common
            .merge(scenario.sampling(), scenario.origin())?;
        let resamples = options.resamples.unwrap_or(DEFAULT_RESAMPLES);
        if resamples < 2 {
            return Err(SettingError::new("--resamples", "must be at least 2, e.g. 200").into());
        }
        let methods = if options.methods.is_empty() {
            Method::ALL.to_vec()
        } else {
            options.methods.clone()
        };
        let analysis = Options {
            samples: sample_count(&common, 4, " for a sensitivity analysis")?,
            seed: common.seed,
            confidence: common.confidence,
            methods,
            metrics: metrics(&options.metrics, &scenario)?,
            resamples,
            correlated_inputs: scenario.correlation().is_some(),
        };
        let output = options
            .common
            .output(&format!("{}-sensitivity", scenario.name()))?;
        let needed = memory::sensitivity_bytes(&scenario, &analysis, common.threads_used());
        memory::check_sensitivity(needed, &analysis, &options.common.memory_limit())?;
        Ok(SensitivityRequest {
            scenario,
            options: analysis,
            threads: common.threads,
            output,
        })
    }

    /// The scenario analysed.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Where the result files go.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Runs the analysis on the request's own worker pool.
    pub fn run(&self) -> Result<SensitivityReport, Error> {
        let pool = thread_pool(self.threads)?;
        Ok(pool.install(|| sensitivity::analyze(&self.scenario, &self.options))?)
    }

    /// What the report says about the scenario beyond the results.
    pub fn facts(&self) -> html::ScenarioFacts {
        html::ScenarioFacts::of(&self.scenario)
    }

    /// Runs the analysis and writes its files into the output folder (locked for the duration),
    /// all or none. Refuses, writing nothing, when the folder holds results and replacing them
    /// was not asked for.
    pub fn execute(&self) -> Result<SensitivityReport, Error> {
        let facts = self.facts();
        self.output.write(
            export::sensitivity_exporters(),
            || self.run(),
            |report, line| html::sensitivity_document(report, &facts, line),
        )
    }
}

/// The metrics `--metric` names in `scenario` (its line items included); `all` is every one.
fn metrics(names: &[String], scenario: &Scenario) -> Result<Vec<Metric>, SettingError> {
    if names.is_empty() {
        return Ok(vec![Metric::DailyCostUsd]);
    }
    if names.iter().any(|n| n.trim() == "all") {
        return Ok(scenario.metrics().to_vec());
    }
    let mut metrics = Vec::new();
    for name in names {
        let metric = scenario.metric_named(name.trim()).ok_or_else(|| {
            let known: Vec<&str> = scenario.metrics().iter().map(|m| m.name()).collect();
            SettingError::new(
                "--metric",
                format!(
                    "unknown metric \"{name}\"; metrics: {}, or all",
                    known.join(", ")
                ),
            )
        })?;
        if !metrics.contains(&metric) {
            metrics.push(metric);
        }
    }
    Ok(metrics)
}
