//! Streaming runs (`--stream`): every chunk is summarised as it finishes and dropped, so memory
//! does not grow with the number of samples, and the summaries of any split of the chunks
//! (threads, shards) merge into the same bits.
//!
//! Each stored metric gets a [`MetricStream`] (exact counts, extremes, exceedances and sums; a
//! quantile sketch, see [`crate::stats::stream`]); metrics derived from another (constant, or
//! a fixed multiple) are derived from their base's summary as the in-memory run derives them,
//! their events counted on the base's values. Top drivers and achieved correlations come from
//! the run's first samples re-simulated (prefix stability makes them the in-memory run's).

use super::{correlation_report, derived, drivers, scenario_report, Counts, Found, ScenarioReport};
use crate::engine::{self, Chunk, Options, Simulation, Sink, CHUNK_SIZE};
use crate::model::Derived;
use crate::scenario::Scenario;
use crate::settings::Settings;
use crate::stats::stream::MetricStream;
use crate::stats::{Event, Histogram, Summary};
use std::ops::Range;
use std::sync::Mutex;

mod ordered;

pub use ordered::{stream_scenario_in_order, Block};

/// What a streaming run of a scenario (or of some of its chunks) has counted.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioStream {
    /// One summary per metric, in [`Scenario::metrics`] order; `None` for derived metrics.
    pub metrics: Vec<Option<MetricStream>>,
    /// Samples drawn.
    pub drawn: u64,
    /// Samples rejected as physically impossible.
    pub rejected: u64,
    /// Samples made possible by clamping.
    pub clamped: u64,
}

impl ScenarioStream {
    /// An empty stream for `scenario` run with `settings`: each stored metric sums deviations
    /// from its shift and counts its own events, then those of the metrics scaled from it.
    pub fn empty(scenario: &Scenario, settings: &Settings, shifts: &[f64]) -> ScenarioStream {
        let layout = event_layout(scenario, settings);
        ScenarioStream {
            metrics: scenario
                .metrics()
                .iter()
                .map(|m| {
                    let index = m.index();
                    scenario.derived_metrics()[index]
                        .is_none()
                        .then(|| MetricStream::new(shifts[index], &layout[index]))
                })
                .collect(),
            drawn: 0,
            rejected: 0,
            clamped: 0,
        }
    }

    /// Adds what `other` (other chunks of the same run) counted.
    pub fn merge(&mut self, other: &ScenarioStream) {
        for (mine, theirs) in self.metrics.iter_mut().zip(&other.metrics) {
            if let (Some(mine), Some(theirs)) = (mine, theirs) {
                mine.merge(theirs);
            }
        }
        self.drawn += other.drawn;
        self.rejected += other.rejected;
        self.clamped += other.clamped;
    }

    fn add(&mut self, chunk: &Chunk<'_>) {
        for (k, stream) in self.metrics.iter_mut().enumerate() {
            if let Some(stream) = stream {
                stream.add(chunk.metric_at(k));
            }
        }
        self.drawn += chunk.len as u64;
        self.rejected += chunk.rejected as u64;
        self.clamped += chunk.clamped as u64;
    }
}

/// The events each stored metric counts, by metric index: its own (`--exceed`, `--below`),
/// then, for each metric scaled from it, that metric's events with thresholds divided by the
/// factor. Derived metrics count none.
pub fn event_layout(scenario: &Scenario, settings: &Settings) -> Vec<Vec<Event>> {
    let derived = scenario.derived_metrics();
    let mut layout: Vec<Vec<Event>> = scenario
        .metrics()
        .iter()
        .map(|m| match derived[m.index()] {
            None => derived::events(settings, *m),
            Some(_) => Vec::new(),
        })
        .collect();
    for &metric in scenario.metrics() {
        if let Some(Derived::Scaled { of, factor }) = derived[metric.index()] {
            for event in derived::events(settings, metric) {
                layout[of.index()].push(Event {
                    side: event.side,
                    threshold: event.threshold / factor,
                });
            }
        }
    }
    layout
}

/// Each stored metric's shift: the median of its finite values in chunk 0 of the run (0
/// without any), so that every shard of a run sums deviations from the same value.
pub fn shifts(scenario: &Scenario, settings: &Settings) -> Vec<f64> {
    struct First(Mutex<Vec<f64>>);
    impl Sink for First {
        fn accept(&self, chunk: &Chunk<'_>) {
            let n_metrics = self.0.lock().unwrap_or_else(|e| e.into_inner()).len();
            let medians = (0..n_metrics).map(|k| {
                let mut finite: Vec<f64> = chunk
                    .metric_at(k)
                    .iter()
                    .copied()
                    .filter(|x| x.is_finite())
                    .collect();
                if finite.is_empty() {
                    return 0.0;
                }
                let middle = finite.len() / 2;
                *finite.select_nth_unstable_by(middle, f64::total_cmp).1
            });
            *self.0.lock().unwrap_or_else(|e| e.into_inner()) = medians.collect();
        }
    }
    let first = First(Mutex::new(vec![0.0; scenario.metrics().len()]));
    let options = options(settings, None);
    engine::run(
        scenario,
        &options,
        0,
        settings.samples.min(CHUNK_SIZE),
        &first,
    );
    first.0.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn options<'a>(settings: &Settings, progress: Option<&'a (dyn Fn(usize) + Sync)>) -> Options<'a> {
    Options {
        seed: settings.seed,
        method: settings.method,
        replicate: 0,
        keep_inputs: false,
        progress,
    }
}

/// The chunks of a run of `samples` samples.
pub fn chunk_count(samples: usize) -> u64 {
    samples.div_ceil(CHUNK_SIZE) as u64
}

/// Streams the chunks `chunks` of the Monte Carlo run of `scenario` with `settings` (whose
/// `samples` is the whole run's) through the summaries.
pub fn stream_chunks(
    scenario: &Scenario,
    settings: &Settings,
    chunks: Range<u64>,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> ScenarioStream {
    let template = ScenarioStream::empty(scenario, settings, &shifts(scenario, settings));
    let first_sample = (chunks.start as usize) * CHUNK_SIZE;
    let end_sample = ((chunks.end as usize) * CHUNK_SIZE).min(settings.samples);
    let mut total = template.clone();
    if end_sample <= first_sample {
        return total;
    }
    let parts = Parts::new(&template);
    engine::run(
        scenario,
        &options(settings, progress),
        chunks.start,
        end_sample - first_sample,
        &parts,
    );
    parts.merge_into(&mut total);
    total
}

/// A sink of one partial stream per worker busy at once; counts and exact sums merge in any
/// order.
struct Parts<'a> {
    template: &'a ScenarioStream,
    idle: Mutex<Vec<ScenarioStream>>,
}

impl<'a> Parts<'a> {
    fn new(template: &'a ScenarioStream) -> Parts<'a> {
        Parts {
            template,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Adds every partial stream to `total`.
    fn merge_into(self, total: &mut ScenarioStream) {
        for part in self.idle.into_inner().unwrap_or_else(|e| e.into_inner()) {
            total.merge(&part);
        }
    }
}

impl Sink for Parts<'_> {
    fn accept(&self, chunk: &Chunk<'_>) {
        let taken = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut part = taken.unwrap_or_else(|| self.template.clone());
        part.add(chunk);
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(part);
    }
}

/// Streams the whole Monte Carlo run of `scenario` with `settings` and reports it.
pub fn stream_scenario(
    scenario: &Scenario,
    settings: &Settings,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> ScenarioReport {
    let chunks = 0..chunk_count(settings.samples);
    let stream = stream_chunks(scenario, settings, chunks, progress);
    report_stream(scenario, settings, &stream)
}

/// The report of a scenario's whole streamed run.
pub fn report_stream(
    scenario: &Scenario,
    settings: &Settings,
    stream: &ScenarioStream,
) -> ScenarioReport {
    let counts = Counts {
        drawn: stream.drawn as usize,
        rejected: stream.rejected as usize,
        clamped: stream.clamped as usize,
    };
    let (summaries, histograms) = summaries(scenario, settings, stream);
    let no_columns = Simulation {
        metrics: Vec::new(),
        metric_set: scenario.metrics().to_vec(),
        derived: *scenario.derived_metrics(),
        inputs: None,
        rejected: counts.rejected,
        clamped: counts.clamped,
    };
    let found = Found {
        summaries,
        histograms,
        // The shares' intervals pair each part with the total sample by sample; a stream
        // keeps no samples to pair.
        breakdown: Vec::new(),
        top_drivers: drivers(scenario, settings, counts.drawn, None),
        correlations: correlation_report(scenario, settings, &no_columns),
    };
    scenario_report(scenario, settings, counts, found)
}

/// Every metric's summary and histogram, in [`Scenario::metrics`] order, a rejected sample counted
/// as rejected, not as non-finite.
fn summaries(
    scenario: &Scenario,
    settings: &Settings,
    stream: &ScenarioStream,
) -> (Vec<Summary>, Vec<Option<Histogram>>) {
    let derived = scenario.derived_metrics();
    let stored: Vec<Option<(Summary, Option<Histogram>)>> = stream
        .metrics
        .iter()
        .zip(scenario.metrics().iter().copied())
        .map(|(metric_stream, metric)| {
            let metric_stream = metric_stream.as_ref()?;
            let own = derived::events(settings, metric).len();
            let summary = metric_stream.summary(
                &settings.percentiles,
                settings.confidence,
                derived::percentile_definition(metric),
                own,
            );
            let histogram = metric_stream.histogram(&summary, true);
            Some((summary, histogram))
        })
        .collect();
    let n_metrics = scenario.metrics().len();
    let mut borrowed = vec![0usize; n_metrics];
    let mut summaries = Vec::with_capacity(n_metrics);
    let mut histograms = Vec::with_capacity(n_metrics);
    for &metric in scenario.metrics() {
        let index = metric.index();
        let (summary, histogram) = match (&stored[index], derived[index]) {
            (Some((summary, histogram)), _) => (summary.clone(), histogram.clone()),
            (None, Some(Derived::Scaled { of, factor })) => {
                let base = stream.metrics[of.index()].as_ref().expect("stored");
                let (base_summary, base_histogram) = stored[of.index()].as_ref().expect("stored");
                let own = derived::events(settings, of).len();
                let events = derived::events(settings, metric);
                let start = own + borrowed[of.index()];
                borrowed[of.index()] += events.len();
                let counted = events
                    .into_iter()
                    .zip(&base.events[start..])
                    .map(|(event, (_, count))| (event, *count as usize))
                    .collect();
                let summary =
                    derived::scaled_summary(base_summary, factor, counted, settings.confidence);
                let histogram = base_histogram.as_ref().and_then(|h| {
                    let scaled = h.scaled(factor);
                    scaled.edges.iter().all(|e| e.is_finite()).then_some(scaled)
                });
                (summary, histogram)
            }
            (None, Some(Derived::Constant(value))) => (
                derived::constant_summary(
                    value,
                    stream.drawn as usize,
                    stream.rejected as usize,
                    &derived::events(settings, metric),
                    settings,
                ),
                None,
            ),
            (None, None) => unreachable!("every metric is stored or derived"),
        };
        summaries.push(summary);
        histograms.push(histogram);
    }
    // As in memory: every summary counted the rejected samples as non-finite.
    for summary in &mut summaries {
        summary.non_finite -= stream.rejected as usize;
    }
    (summaries, histograms)
}
