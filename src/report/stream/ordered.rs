//! A streamed run that also hands its samples on, in sample order (for a samples file written
//! as the run goes): the chunks run in windows of a fixed number of samples, each window's
//! columns (inputs included) are kept until they are handed on, and the next window is
//! computed while the previous one is being written. Memory is two windows, whatever the
//! number of samples; the summaries are those of [`super::stream_scenario`], bit for bit
//! (counts and exact sums merge in any order).

use super::{options, report_stream, shifts, Parts, ScenarioStream};
use crate::engine::{self, Chunk, Columns, Simulation, Sink, CHUNK_SIZE};
use crate::report::ScenarioReport;
use crate::scenario::Scenario;
use crate::settings::Settings;
use std::io;

/// Where a window of samples goes: called with the index of its first sample and its columns,
/// window after window in sample order; an error stops the run.
pub type Block<'a> = dyn FnMut(u64, &Simulation) -> io::Result<()> + Send + 'a;

/// Both sinks of a window: the summaries and the window's columns.
struct Both<'a, 'b> {
    parts: &'a Parts<'b>,
    columns: engine::ColumnsSink<'a>,
}

impl Sink for Both<'_, '_> {
    fn accept(&self, chunk: &Chunk<'_>) {
        self.parts.accept(chunk);
        self.columns.accept(chunk);
    }
}

/// Streams the whole Monte Carlo run of `scenario` with `settings`, as
/// [`super::stream_scenario`] does, and hands its samples to `on_block` in windows of
/// `window_samples` (a multiple of the chunk size), in sample order.
pub fn stream_scenario_in_order(
    scenario: &Scenario,
    settings: &Settings,
    window_samples: usize,
    progress: Option<&(dyn Fn(usize) + Sync)>,
    on_block: &mut Block<'_>,
) -> io::Result<ScenarioReport> {
    assert!(
        window_samples > 0 && window_samples.is_multiple_of(CHUNK_SIZE),
        "whole chunks"
    );
    let template = ScenarioStream::empty(scenario, settings, &shifts(scenario, settings));
    let parts = Parts::new(&template);
    let options = options(settings, progress);
    let compute = |first: usize| {
        let len = window_samples.min(settings.samples - first);
        let mut columns = Columns::allocate(scenario, len, true);
        let first_chunk = (first / CHUNK_SIZE) as u64;
        let sink = Both {
            parts: &parts,
            columns: columns.sink(first_chunk),
        };
        engine::run(scenario, &options, first_chunk, len, &sink);
        drop(sink);
        (first as u64, columns.into_simulation())
    };
    let mut pending: Option<(u64, Simulation)> = None;
    for first in (0..settings.samples).step_by(window_samples) {
        let (computed, written) = rayon::join(
            || compute(first),
            || match pending.take() {
                Some((at, block)) => on_block(at, &block),
                None => Ok(()),
            },
        );
        written?;
        pending = Some(computed);
    }
    if let Some((at, block)) = pending {
        on_block(at, &block)?;
    }
    let mut total = template.clone();
    parts.merge_into(&mut total);
    Ok(report_stream(scenario, settings, &total))
}
