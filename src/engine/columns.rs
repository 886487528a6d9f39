//! The in-memory sink: every metric column (and, when asked, every input column) of a run,
//! each chunk written into its own slice, so the columns are in sample order whatever the
//! order the chunks finish in.

use super::{Chunk, Destination, Sink, CHUNK_SIZE};
use crate::model::{Derived, Input, Metric, OUTPUTS_LEN};
use crate::scenario::Scenario;
use std::sync::Mutex;

/// The sampled columns of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// One column per metric, in [`Scenario::metrics`] order. The columns of derived metrics (see
    /// `derived`) are never written (all zero, and never resident in memory): use
    /// [`Simulation::value`] or [`Simulation::metric`].
    pub metrics: Vec<Vec<f64>>,
    /// The metric of each column of `metrics`: the scenario's [`Scenario::metrics`].
    pub metric_set: Vec<Metric>,
    /// The scenario's derived metrics, by metric index.
    pub derived: [Option<Derived>; OUTPUTS_LEN],
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
        match self.derived[metric.index()] {
            None => std::borrow::Cow::Borrowed(&self.metrics[metric.index()]),
            Some(derived) => std::borrow::Cow::Owned(
                self.metrics[(derived.base()).index()]
                    .iter()
                    .map(|x| derived.value(*x))
                    .collect(),
            ),
        }
    }

    /// The value of `metric` in sample `index`, derived metrics included.
    pub fn value(&self, metric: Metric, index: usize) -> f64 {
        match self.derived[metric.index()] {
            None => self.metrics[metric.index()][index],
            Some(derived) => derived.value(self.metrics[(derived.base()).index()][index]),
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

/// Full-length columns for a run, filled by the [`Sink`] that [`Columns::sink`] lends out.
#[derive(Debug)]
pub struct Columns {
    metrics: Vec<Vec<f64>>,
    metric_set: Vec<Metric>,
    derived: [Option<Derived>; OUTPUTS_LEN],
    inputs: Option<(Vec<Input>, Vec<Vec<f64>>)>,
    rejected: usize,
    clamped: usize,
}

impl Columns {
    /// Columns for `samples` samples of `scenario`. Derived metrics' columns are allocated but
    /// never written (a zeroed allocation is never resident); input columns only when
    /// `keep_inputs`.
    pub fn allocate(scenario: &Scenario, samples: usize, keep_inputs: bool) -> Columns {
        Columns {
            metrics: (0..scenario.metrics().len())
                .map(|_| vec![0.0; samples])
                .collect(),
            metric_set: scenario.metrics().to_vec(),
            derived: *scenario.derived_metrics(),
            inputs: keep_inputs.then(|| {
                (
                    scenario.inputs().iter().map(|r| r.input).collect(),
                    scenario
                        .inputs()
                        .iter()
                        .map(|_| vec![0.0; samples])
                        .collect(),
                )
            }),
            rejected: 0,
            clamped: 0,
        }
    }

    /// A sink writing chunk `first_chunk + k` into samples `k × CHUNK_SIZE ..` of the columns.
    pub fn sink(&mut self, first_chunk: u64) -> ColumnsSink<'_> {
        let samples = self.metrics.first().map_or(0, Vec::len);
        let mut parts: Vec<Part<'_>> = (0..samples.div_ceil(CHUNK_SIZE))
            .map(|_| Part::default())
            .collect();
        for (column, derived) in self.metrics.iter_mut().zip(&self.derived) {
            for (part, slice) in parts.iter_mut().zip(column.chunks_mut(CHUNK_SIZE)) {
                part.metrics.push(derived.is_none().then_some(slice));
            }
        }
        if let Some((_, columns)) = &mut self.inputs {
            for column in columns {
                for (part, slice) in parts.iter_mut().zip(column.chunks_mut(CHUNK_SIZE)) {
                    part.inputs.push(slice);
                }
            }
        }
        ColumnsSink {
            first_chunk,
            parts: parts.into_iter().map(Mutex::new).collect(),
            rejected: &mut self.rejected,
            clamped: &mut self.clamped,
        }
    }

    /// The filled columns.
    pub fn into_simulation(self) -> Simulation {
        Simulation {
            metrics: self.metrics,
            metric_set: self.metric_set,
            derived: self.derived,
            inputs: self
                .inputs
                .map(|(inputs, columns)| inputs.into_iter().zip(columns).collect()),
            rejected: self.rejected,
            clamped: self.clamped,
        }
    }
}

/// One chunk's slices of the columns, and its counts once written.
#[derive(Default)]
struct Part<'a> {
    metrics: Vec<Option<&'a mut [f64]>>,
    inputs: Vec<&'a mut [f64]>,
    counts: (usize, usize),
}

/// The sink of [`Columns::sink`]; its counts reach the columns when it is dropped.
pub struct ColumnsSink<'a> {
    first_chunk: u64,
    parts: Vec<Mutex<Part<'a>>>,
    rejected: &'a mut usize,
    clamped: &'a mut usize,
}

impl Sink for ColumnsSink<'_> {
    fn fill_in_place(
        &self,
        index: u64,
        fill: &mut dyn FnMut(&mut Destination<'_, '_>) -> (usize, usize),
    ) -> bool {
        let offset = (index - self.first_chunk) as usize;
        let mut part = self.parts[offset].lock().unwrap_or_else(|e| e.into_inner());
        let Part {
            metrics, inputs, ..
        } = &mut *part;
        let counts = fill(&mut Destination {
            metrics: metrics.as_mut_slice(),
            inputs: inputs.as_mut_slice(),
        });
        part.counts = counts;
        true
    }

    fn accept(&self, chunk: &Chunk<'_>) {
        let offset = (chunk.index - self.first_chunk) as usize;
        // Each chunk locks only its own part: never contended.
        let mut part = self.parts[offset].lock().unwrap_or_else(|e| e.into_inner());
        for (k, slot) in part.metrics.iter_mut().enumerate() {
            if let Some(slice) = slot {
                slice.copy_from_slice(chunk.metric_at(k));
            }
        }
        for (k, slice) in part.inputs.iter_mut().enumerate() {
            slice.copy_from_slice(chunk.input(k));
        }
        part.counts = (chunk.rejected, chunk.clamped);
    }
}

impl Drop for ColumnsSink<'_> {
    fn drop(&mut self) {
        for part in &self.parts {
            let (rejected, clamped) = part.lock().unwrap_or_else(|e| e.into_inner()).counts;
            *self.rejected += rejected;
            *self.clamped += clamped;
        }
    }
}
