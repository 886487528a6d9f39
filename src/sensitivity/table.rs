//! The tidy table [`analyze`](super::analyze) fills, one method at a time.

use super::bootstrap::Bootstrap;
use super::report::{Estimate, SobolDesign};
use super::{
    derived_seed, sobol_model, spearman, tornado, width, Method, Options, SEED_WIDTH_BOOTSTRAP,
};
use crate::engine::Simulation;
use crate::model::{Input, Metric};
use crate::scenario::{Scenario, ScenarioError};

/// The rows and warnings gathered so far; one method per method. Within each metric, a
/// method's inputs are ordered by its main statistic (|ρ|, swing, total effect, shrink),
/// largest first.
pub(super) struct Table<'a> {
    scenario: &'a Scenario,
    options: &'a Options,
    /// The rows of `sensitivity.csv`, in report order.
    pub(super) results: Vec<Estimate>,
    /// What a reader of the results should know (left-out samples, correlated inputs).
    pub(super) warnings: Vec<String>,
}

impl<'a> Table<'a> {
    /// An empty table for `scenario`.
    pub(super) fn new(scenario: &'a Scenario, options: &'a Options) -> Table<'a> {
        Table {
            scenario,
            options,
            results: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Runs `methods` (sorted, without duplicates) in report order. The tornado needs no run;
    /// every other method reads `run`, which is there whenever one of them is asked for.
    /// Returns the Sobol design when Sobol indices were estimated.
    pub(super) fn fill(
        &mut self,
        methods: &[Method],
        run: Option<&Simulation>,
        tornado: &tornado::Tornado,
    ) -> Result<Option<SobolDesign>, ScenarioError> {
        let has = |method| methods.contains(&method);
        let any_uncertain = self.scenario.uncertain_inputs().next().is_some();
        if !any_uncertain {
            self.warnings
                .push("no input is uncertain: every input is a constant".to_string());
        }
        let mut sobol_design = None;
        if let Some(run) = run {
            if has(Method::Spearman) {
                self.spearman(run);
            }
            if has(Method::Tornado) {
                self.tornado(tornado);
            }
            if has(Method::Sobol) && any_uncertain {
                sobol_design = Some(self.sobol(run));
            }
            if has(Method::Width) {
                self.width(run)?;
            }
        } else if has(Method::Tornado) {
            self.tornado(tornado);
        }
        Ok(sobol_design)
    }

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
            let m = metric.index();
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
        let (found, design, inputs) = sobol_model::sobol_on_model(self.scenario, run, self.options);
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
