//! Sweeps: one scenario at many values of one or more inputs, with common random numbers.
//!
//! Every point is the base scenario with overrides (`--set NAME=VALUE` for each varied input),
//! and its samples are exactly those of `run --set NAME=VALUE` at the same seed: each input
//! draws from its own stream, so an input a point does not change takes the same draws at every
//! point, and the differences between points come from the varied inputs alone.
//!
//! Monte Carlo sweeps sample the base scenario once per chunk (through an engine [`Sink`]):
//! for every point the chunk's input columns are reused where the point's input is the base's,
//! only the changed inputs are redrawn (from the same streams a run of the point would use),
//! and the point's model is evaluated. A point whose correlations differ from the base's, and
//! every point of a Latin hypercube or Sobol sweep, runs as a run of its own.

use super::derived::metric_summaries;
use crate::engine::{self, Chunk, Columns, ColumnsSink, Options, Simulation, Sink};
use crate::scenario::Scenario;
use crate::settings::{Method, Settings};
use crate::stats::Summary;

/// Where each input column of a point comes from in a chunk of the base scenario.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// The base scenario's `k`-th input column.
    Base(usize),
    /// Drawn for the point (its distribution differs from the base's, or the base lacks it).
    Own,
}

/// How a point is computed from the base's chunks, or `None` when it must run on its own.
fn plan(base: &Scenario, point: &Scenario) -> Option<Vec<Source>> {
    if base.correlation() != point.correlation() {
        return None;
    }
    let sources: Vec<Source> = point
        .inputs()
        .iter()
        .map(|resolved| {
            let shared = base.inputs().iter().position(|b| {
                b.input == resolved.input
                    && b.draw == resolved.draw
                    && b.dist.kind() == resolved.dist.kind()
                    && b.dist.truncation() == resolved.dist.truncation()
            });
            shared.map_or(Source::Own, Source::Base)
        })
        .collect();
    // An input correlated in the base must be the base's own column (permuted by the base's
    // Iman–Conover step); a redrawn one would not be.
    let correlated_own = point.correlation().is_some_and(|c| {
        point
            .inputs()
            .iter()
            .zip(&sources)
            .any(|(r, s)| matches!(s, Source::Own) && c.inputs.contains(&r.input))
    });
    (!correlated_own).then_some(sources)
}

/// Samples every point of a sweep over `base` and summarises every metric of each, in the
/// order of `points`, with the number of samples each rejected. `progress` sees the base's
/// finished chunks.
pub fn sweep(
    base: &Scenario,
    points: &[Scenario],
    settings: &Settings,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Vec<(Vec<Summary>, usize)> {
    let plans: Vec<Option<Vec<Source>>> = points
        .iter()
        .map(|p| {
            (settings.method == Method::Mc)
                .then(|| plan(base, p))
                .flatten()
        })
        .collect();
    let mut shared: Vec<Option<Columns>> = points
        .iter()
        .zip(&plans)
        .map(|(p, plan)| {
            plan.is_some()
                .then(|| Columns::allocate(p, settings.samples, false))
        })
        .collect();
    if plans.iter().any(Option::is_some) {
        let sinks: Vec<Option<ColumnsSink<'_>>> = shared
            .iter_mut()
            .map(|c| c.as_mut().map(|c| c.sink(0)))
            .collect();
        let sink = SweepSink {
            points,
            plans: &plans,
            sinks,
            seed: settings.seed,
        };
        let options = Options {
            seed: settings.seed,
            progress,
            ..Options::default()
        };
        engine::run(base, &options, 0, settings.samples, &sink);
    }
    points
        .iter()
        .zip(shared)
        .map(|(point, columns)| match columns {
            Some(columns) => summaries(&columns.into_simulation(), settings),
            None => {
                // A run of its own, summarised as a run is (designs: replicate intervals).
                let (report, _) = super::simulate_scenario(point, settings, false, None);
                let summaries = report.metrics.into_iter().map(|m| m.summary).collect();
                (summaries, report.rejected)
            }
        })
        .collect()
}

fn summaries(simulation: &Simulation, settings: &Settings) -> (Vec<Summary>, usize) {
    let summaries = metric_summaries(simulation, settings);
    debug_assert_eq!(summaries.len(), simulation.metric_set.len());
    (summaries, simulation.rejected)
}

/// Evaluates every planned point on each chunk of the base scenario.
struct SweepSink<'a> {
    points: &'a [Scenario],
    plans: &'a [Option<Vec<Source>>],
    sinks: Vec<Option<ColumnsSink<'a>>>,
    seed: u64,
}

impl Sink for SweepSink<'_> {
    fn accept(&self, chunk: &Chunk<'_>) {
        let mut own: Vec<Vec<f64>> = Vec::new();
        let n_metrics = self.points.first().map_or(0, |point| point.metrics().len());
        let mut metrics: Vec<Vec<f64>> = vec![vec![0.0; chunk.len]; n_metrics];
        for ((point, plan), sink) in self.points.iter().zip(self.plans).zip(&self.sinks) {
            let (Some(plan), Some(sink)) = (plan, sink) else {
                continue;
            };
            own.clear();
            for (resolved, source) in point.inputs().iter().zip(plan) {
                if let Source::Own = source {
                    let mut column = vec![0.0; chunk.len];
                    engine::draw_column(resolved, self.seed, chunk.index, &mut column);
                    own.push(column);
                }
            }
            let mut own_columns = own.iter();
            let columns: Vec<&[f64]> = plan
                .iter()
                .map(|source| match source {
                    Source::Base(k) => chunk.input(*k),
                    Source::Own => own_columns.next().expect("one per own input"),
                })
                .collect();
            let counts = engine::evaluate(point, &columns, &mut metrics, chunk.len);
            let inputs: Vec<Vec<f64>> = Vec::new();
            sink.accept(&Chunk::new(
                chunk.index,
                chunk.len,
                counts,
                &inputs,
                &metrics,
            ));
        }
    }
}

/// One point of a sweep: the values of the varied inputs and every metric's summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SweepPoint {
    /// The value of each varied input, as given (in the order of [`SweepReport::varied`]).
    pub values: Vec<String>,
    /// Samples rejected as physically impossible at this point.
    pub rejected: usize,
    /// One report per metric, in the swept scenario's metric order.
    pub metrics: Vec<super::MetricReport>,
}

/// A whole sweep: provenance, the varied inputs and one report per point.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SweepReport {
    /// `costbands`.
    pub tool: &'static str,
    /// The version that made it.
    pub version: &'static str,
    /// `sweep`: the job, for a reader of the file.
    pub job: &'static str,
    /// The command line that asked for the sweep, as given (empty from a library call).
    pub command: Vec<String>,
    /// The base scenario's name.
    pub scenario: String,
    /// Where it came from: a file path or `preset NAME`.
    pub origin: String,
    /// The base scenario as swept: its resolved text (see `Scenario::resolved_text`); each
    /// point is it with `--set NAME=VALUE` for every varied input.
    pub resolved_scenario: String,
    /// The run settings every point shares.
    #[serde(flatten)]
    pub settings: Settings,
    /// Worker threads (results do not depend on them).
    pub threads: usize,
    /// The varied inputs, in grid order (the last varies fastest).
    pub varied: Vec<String>,
    /// How the points share draws.
    pub method_note: &'static str,
    /// Wall-clock seconds.
    pub elapsed_s: f64,
    /// Every point, in grid order.
    pub points: Vec<SweepPoint>,
}
