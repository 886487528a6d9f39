//! Deterministic parallel Monte Carlo: the scenario's inputs are sampled column by column in
//! fixed-size chunks and pushed through the cost model.
//!
//! Chunk `c` draws input `i` from its own stream `stream_rng(seed, c, i)` (see [`seed`]), and
//! every chunk writes to its own slice of the output columns. Hence:
//! - the output is byte-identical for any number of threads;
//! - the first N samples of a run of M > N samples are the run of N (prefix stability);
//! - changing one input's distribution leaves every other input's draws unchanged.

pub mod seed;

use crate::model::{Derived, Feasibility, Input, Metric, Row, N_INPUTS, N_METRICS};
use crate::scenario::Scenario;
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
    /// The column of `metric`, or None when it is derived from another metric.
    pub fn metric(&self, metric: Metric) -> Option<&[f64]> {
        match self.derived[metric as usize] {
            None => Some(&self.metrics[metric as usize]),
            Some(_) => None,
        }
    }

    /// The value of `metric` in sample `index`, derived metrics included.
    pub fn value(&self, metric: Metric, index: usize) -> f64 {
        match self.derived[metric as usize] {
            None => self.metrics[metric as usize][index],
            Some(derived) => derived.value(self.metrics[derived.base() as usize][index]),
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

/// Runs `samples` draws of `scenario` with `seed` on the current rayon pool, keeping the input
/// columns when `keep_inputs` is set.
pub fn simulate(scenario: &Scenario, samples: usize, seed: u64, keep_inputs: bool) -> Simulation {
    let mut metrics: Vec<Vec<f64>> = (0..N_METRICS).map(|_| vec![0.0; samples]).collect();
    let n_inputs = scenario.inputs().len();
    let mut inputs: Vec<Vec<f64>> = if keep_inputs {
        (0..n_inputs).map(|_| vec![0.0; samples]).collect()
    } else {
        Vec::new()
    };
    let mut jobs = chunk_slices(&mut metrics, &mut inputs, samples);
    let counts: Vec<Counts> = jobs
        .par_iter_mut()
        .map(|job| run_chunk(scenario, seed, job))
        .collect();
    drop(jobs);
    Simulation {
        derived: *scenario.derived_metrics(),
        rejected: counts.iter().map(|c| c.rejected).sum(),
        clamped: counts.iter().map(|c| c.clamped).sum(),
        metrics,
        inputs: keep_inputs.then(|| {
            scenario
                .inputs()
                .iter()
                .map(|resolved| resolved.input)
                .zip(inputs)
                .collect()
        }),
    }
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
) -> Vec<ChunkJob<'a>> {
    let n_chunks = samples.div_ceil(CHUNK_SIZE);
    let mut jobs: Vec<ChunkJob<'a>> = (0..n_chunks)
        .map(|index| ChunkJob {
            index: index as u64,
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

fn run_chunk(scenario: &Scenario, seed: u64, job: &mut ChunkJob<'_>) -> Counts {
    let len = job.metrics[0].len();
    let resolved = scenario.inputs();
    // Input columns go straight into the kept columns, or into scratch buffers.
    let mut scratch: Vec<Vec<f64>> = Vec::new();
    let mut columns: Vec<&mut [f64]> = if job.inputs.is_empty() {
        scratch.extend(resolved.iter().map(|_| vec![0.0; len]));
        scratch.iter_mut().map(Vec::as_mut_slice).collect()
    } else {
        job.inputs.iter_mut().map(|slice| &mut **slice).collect()
    };
    for (resolved, column) in resolved.iter().zip(columns.iter_mut()) {
        let mut rng = seed::stream_rng(seed, job.index, resolved.input as u64);
        resolved.dist.fill(&mut rng, column);
    }
    let model = scenario.model();
    let derived = scenario.derived_metrics();
    let mut counts = Counts::default();
    let slots: Vec<usize> = resolved.iter().map(|r| r.input as usize).collect();
    let mut row: Row = [f64::NAN; N_INPUTS];
    for sample in 0..len {
        for (slot, column) in slots.iter().zip(columns.iter()) {
            row[*slot] = column[sample];
        }
        let evaluation = model.evaluate(&row);
        match evaluation.status {
            Feasibility::Feasible => {}
            Feasibility::Clamped => counts.clamped += 1,
            Feasibility::Rejected => counts.rejected += 1,
        }
        for ((column, value), derived) in
            job.metrics.iter_mut().zip(evaluation.outputs).zip(derived)
        {
            if derived.is_none() {
                column[sample] = value;
            }
        }
    }
    counts
}
