//! Where the money goes: each part of the daily cost (compute, energy, other opex, each line
//! item, training when included) with its median, its mean and the mean's interval, and its share of the mean
//! daily cost, `E[component] ÷ E[daily_cost_usd]`, with an interval.
//!
//! The share is a ratio of means, `R = c̄ ÷ t̄`. Its interval is the delta method's (the
//! standard ratio estimator; Cochran, *Sampling Techniques*, 3rd ed., §6.4):
//! `R ± t(n−1) · sd(c − R·t) ÷ (√n · t̄)`, over the samples in which the daily cost is finite.
//! It treats the samples as independent, which for a Latin hypercube or Sobol design is
//! conservative (neither has a larger variance than Monte Carlo for such means, up to a factor
//! n ÷ (n − 1) for the hypercube; Owen 1997). The components add up to the daily cost in every
//! sample, so the shares add up to 100% (to rounding).

use crate::engine::Simulation;
use crate::model::{Derived, Metric, Model};
use crate::stats::{self, interval, Interval};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// One part of the daily cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// The metric the part is, e.g. `energy_cost_usd_per_day`.
    pub metric: &'static str,
    /// A short name, e.g. `energy`.
    pub component: &'static str,
    /// The part's median (type-7 percentile), USD/day.
    pub usd_per_day_p50: f64,
    /// The part's mean, USD/day, as the metric's summary reports it.
    pub mean: f64,
    /// The mean's interval, as the metric's summary reports it.
    pub mean_ci: Interval,
    /// `mean ÷ E[daily_cost_usd]`, a fraction.
    pub share_of_mean: f64,
    /// The share's interval (delta method), a fraction.
    pub share_ci: Interval,
}

/// The metrics that add up to `daily_cost_usd` under `model`, with their short names.
pub fn components(model: &Model) -> Vec<(Metric, &'static str)> {
    let mut parts = vec![
        (Metric::ComputeCostUsdPerDay, "compute"),
        (Metric::EnergyCostUsdPerDay, "energy"),
        (Metric::OtherOpexUsdPerDay, "other opex"),
    ];
    for metric in model.items.metrics() {
        let item = metric.cost_item().expect("a line item's metric");
        parts.push((metric, item.name));
    }
    if model.include_training {
        parts.push((Metric::TrainingUsdPerDay, "training"));
    }
    parts
}

/// The breakdown of the daily cost of `simulation` under `model`, from the metrics' summaries
/// (for means, their intervals and medians) and the columns (for the share intervals). Reads
/// the columns in place, one component per worker: a derived metric's values are formed from
/// its base column as they are read, and at most one column is copied (a median the summary
/// does not hold).
pub fn breakdown(
    model: &Model,
    simulation: &Simulation,
    summaries: &[stats::Summary],
    level: f64,
) -> Vec<Component> {
    let total = simulation.metric(Metric::DailyCostUsd);
    let total_summary = &summaries[Metric::DailyCostUsd.index()];
    components(model)
        .into_par_iter()
        .map(|(metric, component)| {
            let part = Part::of(simulation, metric);
            let summary = &summaries[metric.index()];
            let share = summary.mean / total_summary.mean;
            Component {
                metric: metric.name(),
                component,
                usd_per_day_p50: median(summary, || simulation.metric(metric)),
                mean: summary.mean,
                mean_ci: summary.mean_ci,
                share_of_mean: share,
                share_ci: ratio_interval(
                    &part,
                    &total,
                    (share, total_summary.mean),
                    total_summary.samples,
                    level,
                ),
            }
        })
        .collect()
}

/// A component's values as read from the simulation: its own column, or its base's.
struct Part<'a> {
    column: &'a [f64],
    derived: Option<Derived>,
}

impl<'a> Part<'a> {
    fn of(simulation: &'a Simulation, metric: Metric) -> Part<'a> {
        let derived = simulation.derived[metric.index()];
        let stored = derived.map_or(metric, Derived::base);
        Part {
            column: &simulation.metrics[stored.index()],
            derived,
        }
    }
}

/// The type-7 median of the finite values of `column`: the summary's when it reports P50,
/// else computed (NaN when there is no finite value).
fn median<'a>(summary: &stats::Summary, column: impl FnOnce() -> Cow<'a, [f64]>) -> f64 {
    if let Some(p50) = summary.percentiles.iter().find(|p| p.percentile == 50.0) {
        return p50.value;
    }
    let finite: Vec<f64> = column().iter().copied().filter(|x| x.is_finite()).collect();
    stats::percentile_estimates(&finite, &[50.0], 0.5)
        .first()
        .map_or(f64::NAN, |estimate| estimate.value)
}

/// `ratio ± t(n−1) · sd(part − ratio · total) ÷ (√n · total_mean)`, over the `n` samples whose
/// total is finite (the total's summary counts them).
fn ratio_interval(
    part: &Part<'_>,
    total: &[f64],
    (ratio, total_mean): (f64, f64),
    n: usize,
    level: f64,
) -> Interval {
    if n < 2 || !(total_mean != 0.0) {
        return Interval {
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let mean = residual_sum(part, total, ratio, |r| r) / n as f64;
    let squares = residual_sum(part, total, ratio, |r| (r - mean) * (r - mean));
    let sd = (squares / (n - 1) as f64).sqrt();
    let half = interval::t_critical((n - 1) as f64, level) * sd / ((n as f64).sqrt() * total_mean);
    Interval {
        low: ratio - half,
        high: ratio + half,
    }
}

/// The sum of `term(part − ratio · total)` over the samples whose total is finite.
fn residual_sum(part: &Part<'_>, total: &[f64], ratio: f64, term: impl Fn(f64) -> f64) -> f64 {
    match part.derived {
        None => blocked_sum(part.column, total, |c, t| term(c - ratio * t)),
        Some(derived) => blocked_sum(part.column, total, |base, t| {
            term(derived.value(base) - ratio * t)
        }),
    }
}

/// The sum of `term(base, total)` over the samples whose total is finite, in the blocked,
/// compensated order of [`stats::moments::accurate_sum`] (eight lanes per block of 4096, block
/// sums combined with Neumaier's compensation): deterministic and vectorisable.
fn blocked_sum(base: &[f64], total: &[f64], term: impl Fn(f64, f64) -> f64) -> f64 {
    const BLOCK: usize = 4096;
    let term = |b: f64, t: f64| if t.is_finite() { term(b, t) } else { 0.0 };
    let mut blocks = Vec::with_capacity(total.len() / BLOCK + 1);
    for (base, total) in base.chunks(BLOCK).zip(total.chunks(BLOCK)) {
        let mut lanes = [0.0f64; 8];
        let (base8, total8) = (base.chunks_exact(8), total.chunks_exact(8));
        let (base_rest, total_rest) = (base8.remainder(), total8.remainder());
        for (b, t) in base8.zip(total8) {
            for lane in 0..8 {
                lanes[lane] += term(b[lane], t[lane]);
            }
        }
        for (lane, (b, t)) in lanes.iter_mut().zip(base_rest.iter().zip(total_rest)) {
            *lane += term(*b, *t);
        }
        blocks.push(stats::moments::neumaier_sum(lanes.into_iter()));
    }
    stats::moments::neumaier_sum(blocks.into_iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_share_has_a_zero_width_interval_and_a_varying_one_covers_its_ratio() {
        let total = [10.0, 20.0, 30.0, 40.0];
        let half: Vec<f64> = total.iter().map(|t| t / 2.0).collect();
        let stored = |column| Part {
            column,
            derived: None,
        };
        let ci = ratio_interval(&stored(&half), &total, (0.5, 25.0), 4, 0.95);
        assert_eq!((ci.low, ci.high), (0.5, 0.5));
        // The same half, derived from the total as it is read.
        let scaled = Part {
            column: &total,
            derived: Some(Derived::Scaled {
                of: Metric::DailyCostUsd,
                factor: 0.5,
            }),
        };
        assert_eq!(ratio_interval(&scaled, &total, (0.5, 25.0), 4, 0.95), ci);
        let part = [1.0, 9.0, 3.0, 27.0];
        let ratio = 40.0 / 100.0;
        let ci = ratio_interval(&stored(&part), &total, (ratio, 25.0), 4, 0.95);
        assert!(ci.low < ratio && ratio < ci.high, "{ci:?}");
        // By hand: residuals c − 0.4 t = −3, 1, −9, 11; mean 0, sd √(212 / 3).
        let sd = (212.0f64 / 3.0).sqrt();
        let half = interval::t_critical(3.0, 0.95) * sd / (2.0 * 25.0);
        assert!((ci.high - ratio - half).abs() < 1e-12);
    }
}
