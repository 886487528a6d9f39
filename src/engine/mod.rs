//! Deterministic parallel sampling: the scenario's inputs are sampled column by column in
//! fixed-size chunks, pushed through the cost model, and each finished chunk is handed to a
//! [`Sink`].
//!
//! Chunk `c` draws input `i` from its own stream `stream_rng(seed, c, i)` (see
//! [`crate::rng`]), so a chunk's values do not depend on which thread computes it or when.
//! Hence, for Monte Carlo:
//! - the output is byte-identical for any number of threads;
//! - the first N samples of a run of M > N samples are the run of N (prefix stability; with
//!   correlated inputs every chunk is generated whole, so this holds there too);
//! - changing one input's distribution leaves every other input's draws unchanged.
//!
//! Latin hypercube and Sobol designs ([`design`]) map each input's probability level through
//! its quantile function; they are thread-independent but, by nature, not prefix-stable.
//! Rank correlations are induced per chunk by Iman–Conover (module `correlate`).
//!
//! Sinks receive chunks from any worker thread in any order, each with its index; a sink
//! whose result depends on order combines per-chunk parts in chunk order. [`Columns`] (the
//! whole run in memory, as a [`Simulation`]) is the sink most runs use.

mod columns;
mod correlate;
pub mod design;
mod plain;
mod reevaluate;
pub mod sobol;

pub use columns::{Columns, ColumnsSink, Simulation};
pub use reevaluate::reevaluate_pinned;

use crate::dist::QuantileTable;
use crate::model::ROW_LEN;
use crate::model::{Feasibility, Metric, Outputs, Row, OUTPUTS_LEN};
use crate::rng::{self, derive_seed, SeedDomain};
use crate::scenario::{ResolvedInput, Scenario};
use crate::settings::Method;
use design::{open_unit, InputDesign};
use rand::Rng;
use rayon::prelude::*;

/// Samples per chunk. Part of the determinism contract: changing it changes the streams.
pub const CHUNK_SIZE: usize = 1 << 14;

/// Stream index of the per-chunk generator used to induce correlations (beyond any input's).
const CORRELATION_STREAM: u64 = 1 << 32;

/// How a run draws its samples.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// The run's seed.
    pub seed: u64,
    /// Monte Carlo, Latin hypercube or Sobol.
    pub method: Method,
    /// Independent replicate index of a Latin hypercube or Sobol design (0 for Monte Carlo).
    pub replicate: u64,
    /// Keep every input column in the result (read by [`simulate_chunks`]'s [`Columns`]).
    pub keep_inputs: bool,
    /// Called with 0 before each chunk starts and with the chunk's number of samples once it is
    /// finished. A front end may stop the run from this call by unwinding
    /// (`std::panic::resume_unwind`): no chunk starts after that, and the run's results are
    /// never made (the Python package stops a job on Ctrl-C this way).
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
}

/// One finished chunk, as the engine hands it to a [`Sink`].
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    /// The chunk's index in the run: it holds samples `index × CHUNK_SIZE ..`.
    pub index: u64,
    /// Samples in the chunk (`CHUNK_SIZE` but for a run's last chunk).
    pub len: usize,
    /// Samples rejected as physically impossible: NaN in every metric.
    pub rejected: usize,
    /// Samples made possible by clamping (`on_infeasible = "clamp"`).
    pub clamped: usize,
    inputs: &'a [Vec<f64>],
    metrics: &'a [Vec<f64>],
}

impl<'a> Chunk<'a> {
    /// A chunk of `len` samples: input columns in [`Scenario::inputs`] order and every metric
    /// column, each at least `len` long.
    pub fn new(
        index: u64,
        len: usize,
        (rejected, clamped): (usize, usize),
        inputs: &'a [Vec<f64>],
        metrics: &'a [Vec<f64>],
    ) -> Chunk<'a> {
        Chunk {
            index,
            len,
            rejected,
            clamped,
            inputs,
            metrics,
        }
    }

    /// The values of the scenario's `k`-th input (in [`Scenario::inputs`] order).
    pub fn input(&self, k: usize) -> &'a [f64] {
        &self.inputs[k][..self.len]
    }

    /// The values of the `k`-th metric (in [`Scenario::metrics`] order).
    pub fn metric_at(&self, k: usize) -> &'a [f64] {
        &self.metrics[k][..self.len]
    }

    /// The values of `metric`, derived metrics included.
    pub fn metric(&self, metric: Metric) -> &'a [f64] {
        &self.metrics[metric.index()][..self.len]
    }
}

/// Where finished chunks go. `accept` is called once per chunk, from any worker thread, in
/// any order: a sink whose result depends on order keeps per-chunk parts and combines them in
/// chunk order.
pub trait Sink: Sync {
    /// Receives one finished chunk.
    fn accept(&self, chunk: &Chunk<'_>);

    /// Lends chunk `index`'s own slices of the final columns to `fill`, which writes the chunk
    /// there and returns its (rejected, clamped) counts; `false` (the default) when the sink
    /// has no such slices, and the chunk is then handed to [`Sink::accept`] instead.
    fn fill_in_place(
        &self,
        index: u64,
        fill: &mut dyn FnMut(&mut Destination<'_, '_>) -> (usize, usize),
    ) -> bool {
        let _ = (index, fill);
        false
    }
}

/// One chunk's slices of a run's final columns: every metric's (`None` for a derived metric,
/// which has no column) and, when the run keeps them, every input's.
pub struct Destination<'a, 'c> {
    /// In [`Scenario::metrics`] order.
    pub metrics: &'a mut [Option<&'c mut [f64]>],
    /// In [`Scenario::inputs`] order; empty when inputs are not kept.
    pub inputs: &'a mut [&'c mut [f64]],
}

/// Runs `samples` Monte Carlo draws of `scenario` with `seed` on the current rayon pool,
/// keeping the input columns when `keep_inputs` is set.
pub fn simulate(scenario: &Scenario, samples: usize, seed: u64, keep_inputs: bool) -> Simulation {
    let options = Options {
        seed,
        keep_inputs,
        ..Options::default()
    };
    simulate_chunks(scenario, &options, 0, samples)
}

/// Samples `first_chunk × CHUNK_SIZE .. + samples` of the run described by `options` into
/// memory (Monte Carlo runs can so be extended in prefix-stable increments). Designs (LHS,
/// Sobol) always start at chunk 0 and have exactly `samples` points.
pub fn simulate_chunks(
    scenario: &Scenario,
    options: &Options<'_>,
    first_chunk: u64,
    samples: usize,
) -> Simulation {
    let mut columns = Columns::allocate(scenario, samples, options.keep_inputs);
    {
        let sink = columns.sink(first_chunk);
        run(scenario, options, first_chunk, samples, &sink);
    }
    columns.into_simulation()
}

/// Samples `first_chunk × CHUNK_SIZE .. + samples` of the run described by `options` on the
/// current rayon pool, handing every finished chunk to `sink`.
///
/// # Panics
/// When a design (LHS, Sobol) does not start at chunk 0: designs cannot be extended.
pub fn run(
    scenario: &Scenario,
    options: &Options<'_>,
    first_chunk: u64,
    samples: usize,
    sink: &dyn Sink,
) {
    assert!(
        options.method == Method::Mc || first_chunk == 0,
        "designs cannot be extended"
    );
    let designs = input_designs(scenario, options, samples);
    let tables = quantile_tables(scenario, options, samples);
    let context = ChunkContext {
        scenario,
        options,
        designs: &designs,
        tables: &tables,
    };
    let n_chunks = samples.div_ceil(CHUNK_SIZE);
    (0..n_chunks).into_par_iter().for_each(|offset| {
        if let Some(progress) = options.progress {
            progress(0);
        }
        let len = (samples - offset * CHUNK_SIZE).min(CHUNK_SIZE);
        run_chunk(&context, first_chunk + offset as u64, len, sink);
        if let Some(progress) = options.progress {
            progress(len);
        }
    });
}

fn input_designs(scenario: &Scenario, options: &Options<'_>, samples: usize) -> Vec<InputDesign> {
    let key = derive_seed(options.seed, SeedDomain::Replicate, options.replicate);
    let mut dimension = 0;
    scenario
        .inputs()
        .iter()
        .map(|resolved| {
            let design = InputDesign::new(
                options.method,
                samples as u64,
                key,
                resolved.input.stream(),
                dimension,
            );
            if resolved.is_uncertain() {
                dimension += 1;
            }
            design
        })
        .collect()
}

/// Design runs of at least this many samples read beta, PERT, normal and lognormal quantiles
/// from a verified table ([`QuantileTable`]); a beta's 16,385 exact quantiles cost about what
/// 16,000 samples do.
pub const TABULATED_QUANTILES_FROM: usize = 1 << 16;

/// Per input (in [`Scenario::inputs`] order), the table its design levels are read from, if
/// any: only design runs of [`TABULATED_QUANTILES_FROM`] samples or more use one (built once
/// per distribution and kept by it, so a design's replicates share it); Monte Carlo never does.
fn quantile_tables<'a>(
    scenario: &'a Scenario,
    options: &Options<'_>,
    samples: usize,
) -> Vec<Option<&'a QuantileTable>> {
    let tabulate = options.method != Method::Mc && samples >= TABULATED_QUANTILES_FROM;
    scenario
        .inputs()
        .par_iter()
        .map(|resolved| {
            let uncertain = resolved.dist.as_constant().is_none();
            (tabulate && uncertain)
                .then(|| resolved.dist.quantile_table())
                .flatten()
        })
        .collect()
}

struct ChunkContext<'a> {
    scenario: &'a Scenario,
    options: &'a Options<'a>,
    designs: &'a [InputDesign],
    tables: &'a [Option<&'a QuantileTable>],
}

fn run_chunk(context: &ChunkContext<'_>, index: u64, len: usize, sink: &dyn Sink) {
    let scenario = context.scenario;
    let plain = scenario.correlation().is_none() && context.options.method == Method::Mc;
    if plain
        && sink.fill_in_place(index, &mut |destination| {
            plain::fill(context, index, len, destination)
        })
    {
        return;
    }
    // Correlated Monte Carlo chunks are always generated whole so that Iman–Conover sees the
    // same rows whatever the run length (prefix stability).
    let whole = scenario.correlation().is_some() && context.options.method == Method::Mc;
    let fill_len = if whole { CHUNK_SIZE } else { len };
    let n_metrics = scenario.metrics().len();
    let mut scratch = Scratch::take(scenario.inputs().len(), fill_len, n_metrics, len);
    draw_inputs(context, index, &mut scratch.inputs);
    let inputs: Vec<&[f64]> = scratch.inputs.iter().map(Vec::as_slice).collect();
    let (rejected, clamped) = evaluate(scenario, &inputs, &mut scratch.metrics, len);
    sink.accept(&Chunk {
        index,
        len,
        rejected,
        clamped,
        inputs: &scratch.inputs,
        metrics: &scratch.metrics,
    });
    scratch.give_back();
}

/// Fills every input column of chunk `index`, then induces the scenario's rank correlations.
fn draw_inputs(context: &ChunkContext<'_>, index: u64, columns: &mut [Vec<f64>]) {
    let resolved = context.scenario.inputs();
    let seed = derive_seed(
        context.options.seed,
        SeedDomain::Replicate,
        context.options.replicate,
    );
    let first_index = index * CHUNK_SIZE as u64;
    for (k, (resolved, column)) in resolved.iter().zip(columns.iter_mut()).enumerate() {
        match &context.designs[k] {
            InputDesign::Random => draw_column(resolved, seed, index, column),
            design => match resolved.dist.as_constant() {
                Some(value) => column.fill(value),
                None => {
                    let mut rng = rng::stream_rng(seed, index, resolved.draw.stream);
                    let table = context.tables[k];
                    for (offset, x) in column.iter_mut().enumerate() {
                        let level =
                            design.level(first_index + offset as u64, open_unit(rng.next_u64()));
                        *x = table
                            .and_then(|table| table.quantile(level))
                            .unwrap_or_else(|| resolved.dist.quantile(level));
                    }
                }
            },
        }
    }
    if let Some(correlation) = context.scenario.correlation() {
        let mut rng = rng::stream_rng(seed, index, CORRELATION_STREAM);
        let mut group: Vec<&mut [f64]> = resolved
            .iter()
            .zip(columns.iter_mut())
            .filter(|(r, _)| correlation.inputs.contains(&r.input))
            .map(|(_, column)| column.as_mut_slice())
            .collect();
        correlate::induce(&mut group, &correlation.factor, &mut rng);
    }
}

/// Draws the Monte Carlo values of `resolved` in chunk `index` of a run seeded with `seed`
/// (before any correlation is induced): exactly what the engine draws for it, so a caller can
/// redraw one input of a chunk the engine handed it.
pub fn draw_column(resolved: &ResolvedInput, seed: u64, index: u64, column: &mut [f64]) {
    if let Some(value) = resolved.dist.as_constant() {
        column.fill(value);
        return;
    }
    let mut rng = rng::stream_rng(seed, index, resolved.draw.stream);
    if resolved.draw.by_quantile {
        for x in column.iter_mut() {
            *x = resolved.dist.quantile(open_unit(rng.next_u64()));
        }
    } else {
        resolved.dist.fill(&mut rng, column);
    }
}

/// A worker's input and metric buffers for one chunk.
struct Scratch {
    inputs: Vec<Vec<f64>>,
    metrics: Vec<Vec<f64>>,
}

thread_local! {
    /// Buffers reused from chunk to chunk on each worker thread: a fresh 128 KiB column per
    /// input per chunk would be an mmap, page faults and an munmap each time.
    static SCRATCH: std::cell::RefCell<Option<Scratch>> = const { std::cell::RefCell::new(None) };
}

impl Scratch {
    /// `n_inputs` input columns of length `input_len` and every metric column of length
    /// `metric_len`, with stale contents: every caller overwrites them.
    fn take(n_inputs: usize, input_len: usize, n_metrics: usize, metric_len: usize) -> Scratch {
        let mut scratch = SCRATCH.with(|cell| cell.take()).unwrap_or(Scratch {
            inputs: Vec::new(),
            metrics: Vec::new(),
        });
        scratch.inputs.resize_with(n_inputs, Vec::new);
        for column in &mut scratch.inputs {
            column.resize(input_len, 0.0);
        }
        scratch.metrics.resize_with(n_metrics, Vec::new);
        for column in &mut scratch.metrics {
            column.resize(metric_len, 0.0);
        }
        scratch
    }

    fn give_back(self) {
        SCRATCH.with(|cell| *cell.borrow_mut() = Some(self));
    }
}

/// [`evaluate`] into a chunk's slices of the final metric columns (`None`: a derived metric,
/// not written).
pub(crate) fn evaluate_into(
    scenario: &Scenario,
    columns: &[&[f64]],
    metrics: &mut [Option<&mut [f64]>],
    len: usize,
) -> (usize, usize) {
    let model = scenario.model();
    let (mut rejected, mut clamped) = (0, 0);
    let slots: Vec<usize> = scenario.inputs().iter().map(|r| r.input.index()).collect();
    let mut row: Row = [f64::NAN; ROW_LEN];
    let mut outputs: Outputs = [f64::NAN; OUTPUTS_LEN];
    for sample in 0..len {
        for (slot, column) in slots.iter().zip(columns) {
            row[*slot] = column[sample];
        }
        match model.evaluate_into(&row, &mut outputs) {
            Feasibility::Feasible => {}
            Feasibility::Clamped => clamped += 1,
            Feasibility::Rejected => rejected += 1,
        }
        for (column, value) in metrics.iter_mut().zip(&outputs) {
            if let Some(column) = column {
                column[sample] = *value;
            }
        }
    }
    (rejected, clamped)
}

/// Evaluates `scenario`'s model on the first `len` rows of `columns` (one per input, in
/// [`Scenario::inputs`] order), writing every metric column (each at least `len` long);
/// returns the rejected and clamped counts.
pub fn evaluate(
    scenario: &Scenario,
    columns: &[&[f64]],
    metrics: &mut [Vec<f64>],
    len: usize,
) -> (usize, usize) {
    let mut slices: Vec<Option<&mut [f64]>> = metrics
        .iter_mut()
        .map(|column| Some(column.as_mut_slice()))
        .collect();
    evaluate_into(scenario, columns, &mut slices, len)
}
