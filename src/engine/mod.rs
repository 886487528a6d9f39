//! Deterministic parallel sampling: the scenario's inputs are sampled column by column in
//! fixed-size chunks and pushed through the cost model.
//!
//! Chunk `c` draws input `i` from its own stream `stream_rng(seed, c, i)` (see [`seed`]), and
//! every chunk writes to its own slice of the output columns. Hence, for Monte Carlo:
//! - the output is byte-identical for any number of threads;
//! - the first N samples of a run of M > N samples are the run of N (prefix stability; with
//!   correlated inputs every chunk is generated whole, so this holds there too);
//! - changing one input's distribution leaves every other input's draws unchanged.
//!
//! Latin hypercube and Sobol designs ([`design`]) map each input's probability level through
//! its quantile function; they are thread-independent but, by nature, not prefix-stable.
//! Rank correlations are induced per chunk by Iman–Conover ([`correlate`]).

mod correlate;
pub mod design;
pub mod seed;
pub mod sobol;

pub use design::Method;

use crate::model::{Derived, Feasibility, Input, Metric, Row, N_INPUTS, N_METRICS};
use crate::scenario::Scenario;
use design::{open_unit, InputDesign};
use rand::Rng;
use rayon::prelude::*;

/// Samples per chunk. Part of the determinism contract: changing it changes the streams.
pub const CHUNK_SIZE: usize = 1 << 14;

/// The sampled columns of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// One column per metric, in [`Metric::ALL`] order. The columns of derived metrics (see
    /// `derived`) are never written (all zero, and never resident in memory): use
    /// [`Simulation::value`] or [`Simulation::metric`].
    pub metrics: Vec<Vec<f64>>,
    /// The scenario's derived metrics, by metric index.
    pub derived: [Option<Derived>; N_METRICS],
    /// One column per input the model reads, in stream order, when asked for.
    pub inputs: Option<Vec<(Input, Vec<f64>)>>,
    /// Samples rejected as physically impossible: NaN in every metric column.
    pub rejected: usize,
    /// Samples made possible by clamping (`on_infeasible = "clamp"`), kept in the columns.
    pub clamped: usize,
}

impl Simulation {
    /// The column of `metric`: borrowed when stored, computed when derived.
    pub fn metric(&self, metric: Metric) -> std::borrow::Cow<'_, [f64]> {
        match self.derived[metric as usize] {
            None => std::borrow::Cow::Borrowed(&self.metrics[metric as usize]),
            Some(derived) => std::borrow::Cow::Owned(
                self.metrics[derived.base() as usize]
                    .iter()
                    .map(|x| derived.value(*x))
                    .collect(),
            ),
        }
    }

    /// The value of `metric` in sample `index`, derived metrics included.
    pub fn value(&self, metric: Metric, index: usize) -> f64 {
        match self.derived[metric as usize] {
            None => self.metrics[metric as usize][index],
            Some(derived) => derived.value(self.metrics[derived.base() as usize][index]),
        }
    }

    /// Appends the samples of `more` (a later part of the same run, or another replicate):
    /// stored columns are extended; derived metrics' columns stay unwritten (a fresh zeroed
    /// allocation never touches memory); kept input columns are extended when both have them.
    pub fn append(&mut self, more: Simulation) {
        let was_empty = self.is_empty();
        for ((column, extra), derived) in
            self.metrics.iter_mut().zip(more.metrics).zip(more.derived)
        {
            if derived.is_none() {
                column.extend(extra);
            } else {
                *column = vec![0.0; column.len() + extra.len()];
            }
        }
        self.rejected += more.rejected;
        self.clamped += more.clamped;
        match (&mut self.inputs, more.inputs) {
            (Some(columns), Some(extra)) => {
                for ((_, column), (_, values)) in columns.iter_mut().zip(extra) {
                    column.extend(values);
                }
            }
            (None, Some(extra)) if was_empty => self.inputs = Some(extra),
            _ => {}
        }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.metrics.first().map_or(0, Vec::len)
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Stream index of the per-chunk generator used to induce correlations (beyond any input's).
const CORRELATION_STREAM: u64 = 1 << 32;

/// How a run draws its samples.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    pub seed: u64,
    pub method: Method,
    /// Independent replicate index of a Latin hypercube or Sobol design (0 for Monte Carlo).
    pub replicate: u64,
    /// Keep every input column in the result.
    pub keep_inputs: bool,
    /// Called with the number of samples of each finished chunk.
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
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

/// Samples `first_chunk × CHUNK_SIZE .. + samples` of the run described by `options` (Monte
/// Carlo runs can so be extended in prefix-stable increments). Designs (LHS, Sobol) always
/// start at chunk 0 and have exactly `samples` points.
pub fn simulate_chunks(
    scenario: &Scenario,
    options: &Options<'_>,
    first_chunk: u64,
    samples: usize,
) -> Simulation {
    assert!(
        options.method == Method::Mc || first_chunk == 0,
        "designs cannot be extended"
    );
    let mut metrics: Vec<Vec<f64>> = (0..N_METRICS).map(|_| vec![0.0; samples]).collect();
    let n_inputs = scenario.inputs().len();
    let mut inputs: Vec<Vec<f64>> = if options.keep_inputs {
        (0..n_inputs).map(|_| vec![0.0; samples]).collect()
    } else {
        Vec::new()
    };
    let designs = input_designs(scenario, options, samples);
    let context = ChunkContext {
        scenario,
        options,
        designs: &designs,
    };
    let mut jobs = chunk_slices(&mut metrics, &mut inputs, samples, first_chunk);
    let counts: Vec<Counts> = jobs
        .par_iter_mut()
        .map(|job| {
            let counts = run_chunk(&context, job);
            if let Some(progress) = options.progress {
                progress(job.metrics[0].len());
            }
            counts
        })
        .collect();
    drop(jobs);
    Simulation {
        derived: *scenario.derived_metrics(),
        rejected: counts.iter().map(|c| c.rejected).sum(),
        clamped: counts.iter().map(|c| c.clamped).sum(),
        metrics,
        inputs: options.keep_inputs.then(|| {
            scenario
                .inputs()
                .iter()
                .map(|resolved| resolved.input)
                .zip(inputs)
                .collect()
        }),
    }
}

/// The seed of a design replicate: the run seed for replicate 0, a mix of both otherwise.
pub fn replicate_seed(seed: u64, replicate: u64) -> u64 {
    if replicate == 0 {
        return seed;
    }
    let mut state = seed ^ replicate.wrapping_mul(0xA24B_AED4_963E_E407);
    seed::splitmix64(&mut state)
}

fn input_designs(scenario: &Scenario, options: &Options<'_>, samples: usize) -> Vec<InputDesign> {
    let key = replicate_seed(options.seed, options.replicate);
    let mut dimension = 0;
    scenario
        .inputs()
        .iter()
        .map(|resolved| {
            let design = InputDesign::new(
                options.method,
                samples as u64,
                key,
                resolved.input as u64,
                dimension,
            );
            if resolved.dist.as_constant().is_none() {
                dimension += 1;
            }
            design
        })
        .collect()
}

struct ChunkContext<'a> {
    scenario: &'a Scenario,
    options: &'a Options<'a>,
    designs: &'a [InputDesign],
}

/// One chunk's share of the output: its index and mutable slices of every column.
struct ChunkJob<'a> {
    index: u64,
    metrics: Vec<&'a mut [f64]>,
    inputs: Vec<&'a mut [f64]>,
}

fn chunk_slices<'a>(
    metrics: &'a mut [Vec<f64>],
    inputs: &'a mut [Vec<f64>],
    samples: usize,
    first_chunk: u64,
) -> Vec<ChunkJob<'a>> {
    let n_chunks = samples.div_ceil(CHUNK_SIZE);
    let mut jobs: Vec<ChunkJob<'a>> = (0..n_chunks)
        .map(|index| ChunkJob {
            index: first_chunk + index as u64,
            metrics: Vec::with_capacity(N_METRICS),
            inputs: Vec::new(),
        })
        .collect();
    for column in metrics.iter_mut() {
        for (job, slice) in jobs.iter_mut().zip(column.chunks_mut(CHUNK_SIZE)) {
            job.metrics.push(slice);
        }
    }
    for column in inputs.iter_mut() {
        for (job, slice) in jobs.iter_mut().zip(column.chunks_mut(CHUNK_SIZE)) {
            job.inputs.push(slice);
        }
    }
    jobs
}

/// How many of a chunk's samples were rejected or clamped.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    rejected: usize,
    clamped: usize,
}

fn run_chunk(context: &ChunkContext<'_>, job: &mut ChunkJob<'_>) -> Counts {
    let len = job.metrics[0].len();
    let scenario = context.scenario;
    let resolved = scenario.inputs();
    let correlation = scenario.correlation();
    // Correlated Monte Carlo chunks are always generated whole so that Iman–Conover sees the
    // same rows whatever the run length (prefix stability).
    let whole = correlation.is_some() && context.options.method == Method::Mc;
    let fill_len = if whole { CHUNK_SIZE } else { len };
    let mut columns = take_scratch(resolved.len(), fill_len);
    let seed = replicate_seed(context.options.seed, context.options.replicate);
    let first_index = job.index * CHUNK_SIZE as u64;
    for ((resolved, column), design) in resolved.iter().zip(columns.iter_mut()).zip(context.designs)
    {
        let mut rng = seed::stream_rng(seed, job.index, resolved.input as u64);
        match (design, resolved.dist.as_constant()) {
            (_, Some(value)) => column.fill(value),
            (InputDesign::Random, None) => resolved.dist.fill(&mut rng, column),
            (design, None) => {
                for (offset, x) in column.iter_mut().enumerate() {
                    let level =
                        design.level(first_index + offset as u64, open_unit(rng.next_u64()));
                    *x = resolved.dist.quantile(level);
                }
            }
        }
    }
    if let Some(correlation) = correlation {
        let mut rng = seed::stream_rng(seed, job.index, CORRELATION_STREAM);
        let mut group: Vec<&mut [f64]> = resolved
            .iter()
            .zip(columns.iter_mut())
            .filter(|(r, _)| correlation.inputs.contains(&r.input))
            .map(|(_, column)| column.as_mut_slice())
            .collect();
        correlate::induce(&mut group, &correlation.factor, &mut rng);
    }
    for (kept, column) in job.inputs.iter_mut().zip(&columns) {
        kept.copy_from_slice(&column[..len]);
    }
    let counts = evaluate_chunk(scenario, &columns, &mut job.metrics, len);
    give_back_scratch(columns);
    counts
}

thread_local! {
    /// Input buffers reused from chunk to chunk on each worker thread: a fresh 128 KiB column
    /// per input per chunk would be an mmap, page faults and an munmap each time.
    static SCRATCH: std::cell::RefCell<Vec<Vec<f64>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `count` columns of length `len` whose contents are stale: every caller overwrites them.
fn take_scratch(count: usize, len: usize) -> Vec<Vec<f64>> {
    let mut columns = SCRATCH.with(|cell| cell.take());
    columns.resize_with(count, Vec::new);
    for column in &mut columns {
        column.resize(len, 0.0);
    }
    columns
}

fn give_back_scratch(columns: Vec<Vec<f64>>) {
    SCRATCH.with(|cell| *cell.borrow_mut() = columns);
}

fn evaluate_chunk(
    scenario: &Scenario,
    columns: &[Vec<f64>],
    metrics: &mut [&mut [f64]],
    len: usize,
) -> Counts {
    let model = scenario.model();
    let derived = scenario.derived_metrics();
    let mut counts = Counts::default();
    let slots: Vec<usize> = scenario.inputs().iter().map(|r| r.input as usize).collect();
    let mut row: Row = [f64::NAN; N_INPUTS];
    for sample in 0..len {
        for (slot, column) in slots.iter().zip(columns) {
            row[*slot] = column[sample];
        }
        let evaluation = model.evaluate(&row);
        match evaluation.status {
            Feasibility::Feasible => {}
            Feasibility::Clamped => counts.clamped += 1,
            Feasibility::Rejected => counts.rejected += 1,
        }
        for ((column, value), derived) in metrics.iter_mut().zip(evaluation.outputs).zip(derived) {
            if derived.is_none() {
                column[sample] = value;
            }
        }
    }
    counts
}
