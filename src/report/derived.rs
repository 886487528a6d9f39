//! Summaries of every metric of a run: stored columns are summarised in parallel; a metric
//! that is constant, or a fixed multiple of another, in a scenario has no column and its
//! summary is derived exactly from its base's.

use super::{Settings, CHARTED_METRICS};
use crate::engine::Simulation;
use crate::model::{Derived, Metric};
use crate::stats::{
    self, Event, Exceedance, Histogram, Interval, PercentileDefinition, PercentileEstimate, Summary,
};
use rayon::prelude::*;

/// The percentile definition of run.json: type 7 but for the whole-valued metrics.
pub const PERCENTILE_DEFINITION: &str = "Hyndman-Fan type 7 (linear interpolation, as NumPy/R default); type 1 (inverse empirical CDF, always a value the metric took) for the whole-valued metrics gpus and gpu_hours_per_day";

/// How the percentiles of `metric` are read: type 1 for metrics that take only whole values.
pub(super) fn percentile_definition(metric: Metric) -> PercentileDefinition {
    if metric.whole_valued() {
        PercentileDefinition::InverseCdf
    } else {
        PercentileDefinition::Interpolated
    }
}

/// The events of `--exceed` and `--below` for `metric`.
pub(super) fn events(settings: &Settings, metric: Metric) -> Vec<Event> {
    settings
        .events
        .iter()
        .filter(|(m, _)| m.name() == metric.name())
        .map(|(_, event)| *event)
        .collect()
}

/// Every metric's summary, a rejected sample (NaN in every metric) counted as rejected, not as
/// non-finite.
pub(crate) fn metric_summaries(simulation: &Simulation, settings: &Settings) -> Vec<Summary> {
    let mut summaries = summarize_metrics(simulation, settings);
    for summary in &mut summaries {
        summary.non_finite -= simulation.rejected;
    }
    summaries
}

/// One summary per metric, in the simulation's metric order: the stored columns are summarised in
/// parallel, the derived metrics are then derived from them. Every summary counts a rejected
/// sample as non-finite (the caller moves that count to `rejected`).
pub(crate) fn summarize_metrics(simulation: &Simulation, settings: &Settings) -> Vec<Summary> {
    let stored: Vec<Option<Summary>> = simulation
        .metrics
        .par_iter()
        .enumerate()
        .map(|(index, column)| {
            simulation.derived[index].is_none().then(|| {
                stats::summarize_as(
                    column,
                    &settings.percentiles,
                    settings.confidence,
                    &events(settings, simulation.metric_set[index]),
                    percentile_definition(simulation.metric_set[index]),
                )
            })
        })
        .collect();
    simulation
        .metric_set
        .iter()
        .zip(&stored)
        .map(
            |(metric, summary)| match (summary, simulation.derived[metric.index()]) {
                (Some(summary), _) => summary.clone(),
                (None, Some(Derived::Scaled { of, factor })) => {
                    let base = stored[of.index()]
                        .as_ref()
                        .expect("a scaled metric's base is stored");
                    if (base.max * factor).is_finite() && (base.min * factor).is_finite() {
                        let column = &simulation.metrics[of.index()];
                        let counted = events(settings, *metric)
                            .into_iter()
                            .map(|event| {
                                let threshold = event.threshold / factor;
                                let count = column
                                    .iter()
                                    .filter(|x| x.is_finite() && event.side.holds(**x, threshold))
                                    .count();
                                (event, count)
                            })
                            .collect();
                        scaled_summary(base, factor, counted, settings.confidence)
                    } else {
                        // Scaling overflows some samples: they are not finite in this metric,
                        // so summarise its own values.
                        stats::summarize_as(
                            &simulation.metric(*metric),
                            &settings.percentiles,
                            settings.confidence,
                            &events(settings, *metric),
                            percentile_definition(*metric),
                        )
                    }
                }
                (None, Some(Derived::Constant(value))) => constant_summary(
                    value,
                    simulation.len(),
                    simulation.rejected,
                    &events(settings, *metric),
                    settings,
                ),
                (None, None) => unreachable!("every metric is stored or derived"),
            },
        )
        .collect()
}

/// The histograms the report draws, in the simulation's metric order: a metric of
/// [`CHARTED_METRICS`] gets its column's histogram over the range its summary suggests (a
/// scaled metric's is its base's, scaled; a constant metric has none); every other metric none,
/// and its column is not read for one.
pub(crate) fn metric_histograms(
    simulation: &Simulation,
    summaries: &[Summary],
) -> Vec<Option<Histogram>> {
    // The stored columns a charted metric reads: its own, or its base's.
    let mut needed = vec![false; simulation.metrics.len()];
    for metric in CHARTED_METRICS {
        if metric.index() < needed.len() {
            let base = simulation.derived[metric.index()].map_or(metric, Derived::base);
            needed[base.index()] = true;
        }
    }
    let stored: Vec<Option<Histogram>> = simulation
        .metrics
        .par_iter()
        .zip(summaries)
        .enumerate()
        .map(|(index, (column, summary))| {
            if simulation.derived[index].is_some() || !needed[index] {
                return None;
            }
            Histogram::of_summarized(column, summary, true)
        })
        .collect();
    simulation
        .metric_set
        .iter()
        .map(|metric| match simulation.derived[metric.index()] {
            _ if !CHARTED_METRICS.contains(metric) => None,
            None => stored[metric.index()].clone(),
            Some(Derived::Scaled { of, factor }) => {
                let base = stored[of.index()].as_ref()?;
                let scaled = base.scaled(factor);
                scaled.edges.iter().all(|e| e.is_finite()).then_some(scaled)
            }
            Some(Derived::Constant(_)) => None,
        })
        .collect()
}

/// The summary of `factor × X` from that of `X` (`factor > 0`): order statistics, mean,
/// standard deviation and their intervals scale exactly (up to rounding); `P(factor × X > t)`
/// is `P(X > t / factor)` (and `<` likewise): `counted` holds each event with the count of
/// X's finite values beyond `t / factor`.
pub(super) fn scaled_summary(
    base: &Summary,
    factor: f64,
    counted: Vec<(Event, usize)>,
    level: f64,
) -> Summary {
    let scale = |interval: Interval| Interval {
        low: factor * interval.low,
        high: factor * interval.high,
    };
    Summary {
        samples: base.samples,
        non_finite: base.non_finite,
        mean: factor * base.mean,
        mean_ci: scale(base.mean_ci),
        std_dev: factor * base.std_dev,
        min: factor * base.min,
        max: factor * base.max,
        percentiles: base
            .percentiles
            .iter()
            .map(|p| PercentileEstimate {
                percentile: p.percentile,
                value: factor * p.value,
                ci_low: factor * p.ci_low,
                ci_high: factor * p.ci_high,
            })
            .collect(),
        exceedances: counted
            .into_iter()
            .map(|(event, count)| exceedance(event, count, base.samples, level))
            .collect(),
    }
}

/// The summary of a metric equal to `value` in every one of `drawn − rejected` kept samples.
pub(super) fn constant_summary(
    value: f64,
    drawn: usize,
    rejected: usize,
    events: &[Event],
    settings: &Settings,
) -> Summary {
    let n = drawn - rejected;
    let (value, std_dev) = match n {
        0 => (f64::NAN, f64::NAN),
        1 => (value, f64::NAN),
        _ => (value, 0.0),
    };
    let at = |percentile: f64| PercentileEstimate {
        percentile,
        value,
        ci_low: value,
        ci_high: value,
    };
    Summary {
        samples: n,
        non_finite: rejected,
        mean: value,
        mean_ci: stats::interval::mean_interval(value, std_dev, n, settings.confidence),
        std_dev,
        min: value,
        max: value,
        percentiles: settings.percentiles.iter().copied().map(at).collect(),
        exceedances: events
            .iter()
            .map(|event| {
                let count = if event.holds(value) { n } else { 0 };
                exceedance(*event, count, n, settings.confidence)
            })
            .collect(),
    }
}

fn exceedance(event: Event, count: usize, n: usize, level: f64) -> Exceedance {
    let ci = stats::interval::wilson(count, n, level);
    Exceedance {
        event: event.side,
        threshold: event.threshold,
        count,
        probability: count as f64 / n as f64,
        ci_low: ci.low,
        ci_high: ci.high,
    }
}
