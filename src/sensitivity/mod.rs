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
pub mod sobol;
pub mod spearman;
pub mod tornado;
pub mod width;

pub use spearman::{top_drivers, Driver, TopDrivers};

use crate::engine::{self, Simulation};
use crate::model::{Input, Metric};
use crate::rng::{derive_seed, SeedDomain};
use crate::scenario::{Scenario, ScenarioError};
use bootstrap::Bootstrap;
use serde::Serialize;

/// A sensitivity method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Spearman,
    Tornado,
    Sobol,
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
    pub seed: u64,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// Methods to run; duplicates are ignored, order does not matter.
    pub methods: Vec<Method>,
    pub metrics: Vec<Metric>,
    /// Bootstrap resamples for the Sobol and width intervals.
    pub resamples: usize,
    /// Whether the scenario's inputs are correlated: Sobol indices assume independence, so
    /// they then come with a warning.
    pub correlated_inputs: bool,
}

/// One number of the analysis: a row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub scenario: String,
    pub metric: &'static str,
    pub input: &'static str,
    pub method: Method,
    /// `rho`; `low`, `high`, `swing`; `first_order`, `total`; `shrink`, `shrink_pct`,
    /// `pinned_width`.
    pub statistic: &'static str,
    pub value: f64,
    /// `None` where there is no interval (the tornado is exact).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// A metric's reference values: at the medians of the inputs, and the run's P5–P95 band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricBase {
    pub metric: &'static str,
    pub unit: &'static str,
    /// The metric with every input at its median (the tornado's centre).
    pub at_medians: f64,
    /// The run's P5–P95 width (`None` when only the tornado ran, which needs no run).
    pub band_width: Option<f64>,
}

/// An uncertain input's P10, median and P90.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputRange {
    pub input: &'static str,
    pub unit: &'static str,
    pub p10: f64,
    pub median: f64,
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
    pub tool: &'static str,
    pub version: &'static str,
    pub scenario: String,
    pub description: String,
    pub origin: String,
    pub sha256: String,
    pub path: &'static str,
    pub samples: usize,
    pub seed: u64,
    pub confidence: f64,
    pub resamples: usize,
    pub threads: usize,
    pub methods: Vec<Method>,
    pub definitions: Definitions,
    pub metrics: Vec<MetricBase>,
    pub inputs: Vec<InputRange>,
    pub sobol: Option<SobolDesign>,
    pub warnings: Vec<String>,
    pub results: Vec<Estimate>,
    pub elapsed_s: f64,
}

/// How each method is computed, for provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definitions {
    pub spearman: &'static str,
    pub tornado: &'static str,
    pub sobol: &'static str,
    pub width: &'static str,
}

const DEFINITIONS: Definitions = Definitions {
    spearman: "Spearman rank correlation (average ranks for ties) over the run's samples; interval tanh(atanh(rho) ± z·sqrt(1.06/(n-3))) (Fieller, Hartley & Pearson 1957)",
    tornado: "metric with one input at its P10 (low) and P90 (high), all others at their medians; swing = |high - low|; exact, no interval",
    sobol: "Saltelli et al. 2010 design (A = the run, B = an independent run at a derived seed, A_B^(i)); first order: Saltelli 2010; total: Jansen 1999; centred outputs; Poisson bootstrap over rows, percentile intervals",
    width: "P5-P95 width (type 7) shrink when one input is pinned at its median, rerun with the same seed (common random numbers); paired Poisson bootstrap, percentile intervals",
};

/// Purposes of derived seeds; part of the determinism contract.
const SEED_SOBOL_B: u64 = 1;
const SEED_SOBOL_BOOTSTRAP: u64 = 2;
const SEED_WIDTH_BOOTSTRAP: u64 = 3;

/// A seed for `purpose` derived from the run's seed.
fn derived_seed(seed: u64, purpose: u64) -> u64 {
    derive_seed(seed, SeedDomain::Sensitivity, purpose)
}

/// Runs the chosen methods on `scenario` on the current rayon pool.
pub fn analyze(scenario: &Scenario, options: &Options) -> Result<SensitivityReport, ScenarioError> {
    let started = std::time::Instant::now();
    let mut methods = options.methods.clone();
    methods.sort_unstable();
    methods.dedup();
    let has = |method| methods.contains(&method);
    let mut table = Table {
        scenario,
        options,
        results: Vec::new(),
        warnings: Vec::new(),
    };
    if uncertain_inputs(scenario).is_empty() {
        table
            .warnings
            .push("no input is uncertain: every input is a constant".to_string());
    }
    let run = (has(Method::Spearman) || has(Method::Sobol) || has(Method::Width)).then(|| {
        let keep_inputs = has(Method::Spearman) || has(Method::Sobol);
        engine::simulate(scenario, options.samples, options.seed, keep_inputs)
    });
    let tornado = tornado::tornado(scenario);
    let mut sobol_design = None;
    if let Some(run) = &run {
        if has(Method::Spearman) {
            table.spearman(run);
        }
        if has(Method::Tornado) {
            table.tornado(&tornado);
        }
        if has(Method::Sobol) && !uncertain_inputs(scenario).is_empty() {
            sobol_design = Some(table.sobol(run));
        }
        if has(Method::Width) {
            table.width(run)?;
        }
    } else if has(Method::Tornado) {
        table.tornado(&tornado);
    }
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

/// The rows and warnings gathered so far; one method per method. Within each metric, a
/// method's inputs are ordered by its main statistic (|ρ|, swing, total effect, shrink),
/// largest first.
struct Table<'a> {
    scenario: &'a Scenario,
    options: &'a Options,
    results: Vec<Estimate>,
    warnings: Vec<String>,
}

impl Table<'_> {
    fn push(
        &mut self,
        (metric, input, method): (Metric, Input, Method),
        statistic: &'static str,
        value: f64,
        ci: Option<(f64, f64)>,
    ) {
        self.results.push(Estimate {
            scenario: self.scenario.name().to_string(),
            metric: metric.name(),
            input: input.name(),
            method,
            statistic,
            value,
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
        });
    }

    fn spearman(&mut self, run: &Simulation) {
        let options = self.options;
        let found =
            spearman::correlations(self.scenario, run, &options.metrics, options.confidence);
        for metric in &options.metrics {
            let mut rows: Vec<_> = found.iter().filter(|c| c.metric == *metric).collect();
            rows.sort_by(|a, b| descending(a.rho.abs(), b.rho.abs()));
            if let Some(c) = rows.first().filter(|c| c.pairs < run.len()) {
                self.warnings.push(format!(
                    "spearman: {} of {} samples of {} are not finite and are left out",
                    run.len() - c.pairs,
                    run.len(),
                    metric.name()
                ));
            }
            for c in rows {
                let ci = Some((c.ci_low, c.ci_high));
                self.push((c.metric, c.input, Method::Spearman), "rho", c.rho, ci);
            }
        }
    }

    fn tornado(&mut self, tornado: &tornado::Tornado) {
        for metric in &self.options.metrics {
            let m = *metric as usize;
            let swing = |bar: &tornado::Bar| (bar.high[m] - bar.low[m]).abs();
            let mut bars: Vec<_> = tornado.bars.iter().collect();
            bars.sort_by(|a, b| descending(swing(a), swing(b)));
            for bar in bars {
                let key = (*metric, bar.input, Method::Tornado);
                self.push(key, "low", bar.low[m], None);
                self.push(key, "high", bar.high[m], None);
                self.push(key, "swing", swing(bar), None);
            }
        }
    }

    fn sobol(&mut self, run: &Simulation) -> SobolDesign {
        let (found, design, inputs) = sobol_on_model(self.scenario, run, self.options);
        if self.options.correlated_inputs {
            self.warnings.push(
                "sobol: this scenario correlates its inputs, but Sobol indices assume independent inputs and are not variance shares here; read the Spearman and width results instead"
                    .to_string(),
            );
        }
        if design.rows_dropped > 0 {
            self.warnings.push(format!(
                "sobol: {} of {} rows had a non-finite model value and were left out",
                design.rows_dropped, design.base_samples
            ));
        }
        for (o, metric) in self.options.metrics.iter().enumerate() {
            let total = |i: usize| found.indices[o][i].total.value;
            let mut order: Vec<usize> = (0..inputs.len()).collect();
            order.sort_by(|a, b| descending(total(*a), total(*b)));
            for i in order {
                let index = found.indices[o][i];
                for (statistic, b) in [("first_order", index.first_order), ("total", index.total)] {
                    let key = (*metric, inputs[i], Method::Sobol);
                    self.push(key, statistic, b.value, Some((b.ci_low, b.ci_high)));
                }
            }
        }
        design
    }

    fn width(&mut self, run: &Simulation) -> Result<(), ScenarioError> {
        let options = self.options;
        let bootstrap = Bootstrap {
            resamples: options.resamples,
            seed: derived_seed(options.seed, SEED_WIDTH_BOOTSTRAP),
            level: options.confidence,
        };
        let found = width::shrinks(
            self.scenario,
            run,
            &options.metrics,
            options.samples,
            options.seed,
            &bootstrap,
        )?;
        for metric in &options.metrics {
            let mut rows: Vec<_> = found.iter().filter(|s| s.metric == *metric).collect();
            rows.sort_by(|a, b| descending(a.shrink.value, b.shrink.value));
            for s in rows {
                let key = (*metric, s.input, Method::Width);
                for (statistic, b) in [("shrink", s.shrink), ("shrink_pct", s.shrink_pct)] {
                    self.push(key, statistic, b.value, Some((b.ci_low, b.ci_high)));
                }
                self.push(key, "pinned_width", s.pinned_width, None);
            }
        }
        Ok(())
    }
}

/// Orders NaN last, then by decreasing value.
fn descending(a: f64, b: f64) -> std::cmp::Ordering {
    match (a.is_nan(), b.is_nan()) {
        (false, false) => b.total_cmp(&a),
        (a_nan, b_nan) => a_nan.cmp(&b_nan),
    }
}

fn uncertain_inputs(scenario: &Scenario) -> Vec<Input> {
    scenario.uncertain_inputs().map(|r| r.input).collect()
}

/// Sobol indices of the cost model: A is the run's own input columns, B an independent run at
/// a derived seed, every A_B^(i) row evaluated with the scenario's own model
/// ([`Model::evaluate`](crate::model::Model::evaluate)) in parallel.
fn sobol_on_model(
    scenario: &Scenario,
    run: &Simulation,
    options: &Options,
) -> (sobol::SobolResult, SobolDesign, Vec<Input>) {
    let b_seed = derived_seed(options.seed, SEED_SOBOL_B);
    let run_b = engine::simulate(scenario, options.samples, b_seed, true);
    let a: Vec<(Input, &[f64])> = spearman::uncertain_columns(scenario, run);
    let b: Vec<(Input, &[f64])> = spearman::uncertain_columns(scenario, &run_b);
    let slots: Vec<usize> = a.iter().map(|(input, _)| *input as usize).collect();
    let mut base_row = tornado::median_row(scenario);
    for (slot, value) in base_row.iter_mut().enumerate() {
        if slots.contains(&slot) {
            *value = f64::NAN;
        }
    }
    let model = scenario.model();
    let metrics = &options.metrics;
    let f = |x: &[f64], out: &mut [f64]| {
        let mut row = base_row;
        for (slot, value) in slots.iter().zip(x) {
            row[*slot] = *value;
        }
        let outputs = model.evaluate(&row).outputs;
        for (out, metric) in out.iter_mut().zip(metrics) {
            *out = outputs[*metric as usize];
        }
    };
    let bootstrap = Bootstrap {
        resamples: options.resamples,
        seed: derived_seed(options.seed, SEED_SOBOL_BOOTSTRAP),
        level: options.confidence,
    };
    let a_columns: Vec<&[f64]> = a.iter().map(|(_, column)| *column).collect();
    let b_columns: Vec<&[f64]> = b.iter().map(|(_, column)| *column).collect();
    let found = sobol::sobol_indices_multi(&a_columns, &b_columns, metrics.len(), f, &bootstrap);
    let design = SobolDesign {
        base_samples: options.samples,
        evaluations: found.evaluations,
        rows_dropped: found.dropped,
        b_seed,
    };
    (found, design, a.iter().map(|(input, _)| *input).collect())
}

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
            at_medians: tornado.base[*metric as usize],
            band_width: run.map(|r| width::band_width(&r.metric(*metric))),
        })
        .collect()
}

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
