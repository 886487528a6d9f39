//! Sensitivity analysis: which uncertain inputs drive a metric, four ways.
//!
//! - [`spearman`]: Spearman's rank correlation of each input with the metric over the run's
//!   own samples, with a Fisher-z interval using the standard error √(1.06 / (n − 3)) of
//!   Fieller, Hartley & Pearson (1957).
//! - [`tornado`]: the metric with one input at its P10 and at its P90, every other input at its
//!   median; exact, no sampling.
//! - [`sobol`]: first-order and total-effect Sobol indices from the sampling scheme of Saltelli
//!   et al. (2010, "Variance based sensitivity analysis of model output"), Saltelli's
//!   first-order and Jansen's (1999) total-effect estimators, bootstrap intervals
//!   ([`bootstrap`]).
//! - [`width`]: value of information, the shrink of the P5–P95 band when an input is pinned at
//!   its median, from a rerun with common random numbers.
//!
//! Constant inputs are skipped by every method. [`analyze`] runs the chosen methods on a
//! scenario and returns one tidy table of [`Estimate`]s; every random step (the runs, Sobol's
//! matrix B, the bootstraps) has a seed derived from the run's seed, so the result is
//! reproducible and independent of the thread count.

pub mod bootstrap;
mod report;
pub mod sobol;
mod sobol_model;
pub mod spearman;
mod table;
pub mod tornado;
pub mod width;

pub use report::{Definitions, Estimate, InputRange, MetricBase, SensitivityReport, SobolDesign};
pub use spearman::{top_drivers, Driver, TopDrivers};

use crate::engine::{self, Simulation};
use crate::model::Metric;
use crate::rng::{derive_seed, SeedDomain};
use crate::scenario::{Scenario, ScenarioError};
use report::DEFINITIONS;
use serde::Serialize;
use table::Table;

/// A sensitivity method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Spearman's rank correlation of each input with the metric over the run's samples.
    Spearman,
    /// The metric with one input at its P10 and P90, the others at their medians.
    Tornado,
    /// First-order and total-effect Sobol indices.
    Sobol,
    /// The shrink of the P5–P95 band when one input is pinned at its median.
    Width,
}

impl Method {
    /// Every method, in report order.
    pub const ALL: [Method; 4] = [
        Method::Spearman,
        Method::Tornado,
        Method::Sobol,
        Method::Width,
    ];

    /// The name used on the command line and in exports.
    pub fn name(self) -> &'static str {
        match self {
            Method::Spearman => "spearman",
            Method::Tornado => "tornado",
            Method::Sobol => "sobol",
            Method::Width => "width",
        }
    }
}

/// What to analyse and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Samples of the run (Spearman, width) and base sample size N of Sobol's design.
    pub samples: usize,
    /// Seed of the run; the seeds of Sobol's matrix B and of the bootstraps derive from it.
    pub seed: u64,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// Methods to run; duplicates are ignored, order does not matter.
    pub methods: Vec<Method>,
    /// Metrics to analyse, in report order.
    pub metrics: Vec<Metric>,
    /// Bootstrap resamples for the Sobol and width intervals.
    pub resamples: usize,
    /// Whether the scenario's inputs are correlated: Sobol indices assume independence, so
    /// they then come with a warning.
    pub correlated_inputs: bool,
}

/// Purposes of derived seeds; part of the determinism contract.
const SEED_SOBOL_B: u64 = 1;
const SEED_SOBOL_BOOTSTRAP: u64 = 2;
const SEED_WIDTH_BOOTSTRAP: u64 = 3;

/// A seed for `purpose` derived from the run's seed.
fn derived_seed(seed: u64, purpose: u64) -> u64 {
    derive_seed(seed, SeedDomain::Sensitivity, purpose)
}

/// Runs the chosen methods on `scenario` on the current rayon pool.
///
/// Spearman, Sobol and width share one run of `options.samples` samples at `options.seed`; the
/// tornado needs none. Fails only when a width rerun cannot pin an input.
pub fn analyze(scenario: &Scenario, options: &Options) -> Result<SensitivityReport, ScenarioError> {
    let started = std::time::Instant::now();
    let mut methods = options.methods.clone();
    methods.sort_unstable();
    methods.dedup();
    let has = |method| methods.contains(&method);
    let run = (has(Method::Spearman) || has(Method::Sobol) || has(Method::Width)).then(|| {
        // Width reruns re-evaluate the kept inputs instead of drawing them again.
        let keep_inputs = has(Method::Spearman) || has(Method::Sobol) || has(Method::Width);
        engine::simulate(scenario, options.samples, options.seed, keep_inputs)
    });
    let tornado = tornado::tornado(scenario);
    let mut table = Table::new(scenario, options);
    let sobol_design = table.fill(&methods, run.as_ref(), &tornado)?;
    Ok(SensitivityReport {
        tool: "costbands",
        version: env!("CARGO_PKG_VERSION"),
        scenario: scenario.name().to_string(),
        description: scenario.description().to_string(),
        origin: scenario.origin().to_string(),
        sha256: scenario.sha256().to_string(),
        path: scenario.path().name(),
        samples: options.samples,
        seed: options.seed,
        confidence: options.confidence,
        resamples: options.resamples,
        threads: rayon::current_num_threads(),
        methods,
        definitions: DEFINITIONS,
        metrics: metric_bases(&options.metrics, &tornado, run.as_ref()),
        inputs: input_ranges(scenario),
        sobol: sobol_design,
        warnings: table.warnings,
        results: table.results,
        elapsed_s: started.elapsed().as_secs_f64(),
    })
}

/// The reference values of each metric: at the inputs' medians, and the run's P5–P95 width.
fn metric_bases(
    metrics: &[Metric],
    tornado: &tornado::Tornado,
    run: Option<&Simulation>,
) -> Vec<MetricBase> {
    metrics
        .iter()
        .map(|metric| MetricBase {
            metric: metric.name(),
            unit: metric.unit(),
            at_medians: tornado.base[metric.index()],
            band_width: run.map(|r| width::band_width(&r.metric(*metric))),
        })
        .collect()
}

/// The P10, median and P90 of each uncertain input.
fn input_ranges(scenario: &Scenario) -> Vec<InputRange> {
    scenario
        .uncertain_inputs()
        .map(|r| InputRange {
            input: r.input.name(),
            unit: r.input.info().unit,
            p10: r.dist.quantile(tornado::TORNADO_LOW),
            median: r.dist.median(),
            p90: r.dist.quantile(tornado::TORNADO_HIGH),
        })
        .collect()
}

#[cfg(test)]
mod tests;
