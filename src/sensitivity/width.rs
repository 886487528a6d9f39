//! Value of information: how much narrower the P5–P95 band of a metric becomes when one
//! input is pinned at its median.
//!
//! For each uncertain input the scenario is rerun with that input replaced by the constant
//! median ([`Scenario::with_input_pinned`]) and the same seed. The engine keys every input's
//! random stream by the input, so every other input draws exactly the values it drew in the
//! baseline run: the two runs share common random numbers, and their difference measures the
//! pinned input's effect with much less noise than two independent runs would. The shrink is
//! `W − W_i` (metric units) and `100 · (W − W_i) / W` (percent), where W is the baseline
//! P5–P95 width (type-7 percentiles) and W_i the width with input i pinned. It can be slightly
//! negative for an input that hardly matters, or where pinning moves the band onto a step of
//! the whole-server rounding.
//!
//! Intervals: a paired percentile bootstrap ([`super::bootstrap`]): sample j has the same
//! multiplicity in the baseline and in every pinned run, so the interval reflects the common
//! random numbers.

use super::bootstrap::{percentile_interval, Bootstrap, PoissonWeights};
use super::sobol::Bounded;
use crate::engine::{self, Simulation};
use crate::model::{Input, Metric};
use crate::scenario::{Scenario, ScenarioError};
use crate::stats::order::{order_statistics, type7_ranks};
use rayon::prelude::*;

/// The P5–P95 width (type-7 percentiles) of the finite values of `data`; NaN when there are
/// none.
pub fn band_width(data: &[f64]) -> f64 {
    let n = data.iter().filter(|x| x.is_finite()).count();
    if n == 0 {
        return f64::NAN;
    }
    let (l5, h5, w5) = type7_ranks(n, 0.05);
    let (l95, h95, w95) = type7_ranks(n, 0.95);
    let mut ranks = vec![l5, h5, l95, h95];
    ranks.dedup();
    let values = order_statistics(data, &ranks);
    let at = |rank: usize| values[ranks.binary_search(&rank).expect("rank was selected")];
    let p5 = at(l5) + w5 * (at(h5) - at(l5));
    let p95 = at(l95) + w95 * (at(h95) - at(l95));
    p95 - p5
}

/// What pinning one input does to one metric's band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shrink {
    /// The input pinned at its median.
    pub input: Input,
    /// The metric whose band is measured.
    pub metric: Metric,
    /// The P5–P95 width with the input pinned.
    pub pinned_width: f64,
    /// Baseline width minus pinned width, in the metric's units.
    pub shrink: Bounded,
    /// The shrink as a percentage of the baseline width.
    pub shrink_pct: Bounded,
}

/// The shrink of each of `metrics` for each uncertain input of `scenario`, against the
/// `baseline` run (`samples` draws with `seed`); ordered by input, then metric.
pub fn shrinks(
    scenario: &Scenario,
    baseline: &Simulation,
    metrics: &[Metric],
    samples: usize,
    seed_value: u64,
    bootstrap: &Bootstrap,
) -> Result<Vec<Shrink>, ScenarioError> {
    let widths = |sim: &Simulation| -> Vec<f64> {
        metrics
            .iter()
            .map(|m| band_width(&sim.metric(*m)))
            .collect()
    };
    let resamples = Resamples::new(bootstrap, samples);
    let base_widths = widths(baseline);
    let base_boot = resampled_widths(baseline, metrics, &resamples);
    let mut found = Vec::new();
    for resolved in scenario.inputs() {
        if resolved.dist.as_constant().is_some() {
            continue;
        }
        let pinned = scenario.with_input_pinned(resolved.input, resolved.dist.median())?;
        let run = engine::simulate(&pinned, samples, seed_value, false);
        let pinned_widths = widths(&run);
        let pinned_boot = resampled_widths(&run, metrics, &resamples);
        for (m, metric) in metrics.iter().enumerate() {
            let shrink = |w: f64, p: f64| w - p;
            let pct = |w: f64, p: f64| 100.0 * (w - p) / w;
            let bound = |stat: &dyn Fn(f64, f64) -> f64| {
                let draws: Vec<f64> = base_boot
                    .iter()
                    .zip(&pinned_boot)
                    .map(|(b, p)| stat(b[m], p[m]))
                    .collect();
                let (ci_low, ci_high) = percentile_interval(&draws, bootstrap.level);
                Bounded {
                    value: stat(base_widths[m], pinned_widths[m]),
                    ci_low,
                    ci_high,
                }
            };
            found.push(Shrink {
                input: resolved.input,
                metric: *metric,
                pinned_width: pinned_widths[m],
                shrink: bound(&shrink),
                shrink_pct: bound(&pct),
            });
        }
    }
    Ok(found)
}

/// `[resample][metric]` widths of `sim` over the bootstrap resamples. Every run uses the same
/// multiplicities (keyed by sample index), which pairs them.
fn resampled_widths(sim: &Simulation, metrics: &[Metric], resamples: &Resamples) -> Vec<Vec<f64>> {
    let sorted: Vec<Sorted> = metrics
        .par_iter()
        .map(|m| Sorted::new(&sim.metric(*m)))
        .collect();
    (0..resamples.totals.len())
        .into_par_iter()
        .map(|r| {
            sorted
                .iter()
                .map(|s| s.resampled_width(&resamples.weights, r, resamples.totals[r]))
                .collect()
        })
        .collect()
}

/// The bootstrap's multiplicities and, per resample, their total over all samples.
pub(super) struct Resamples {
    pub(super) weights: PoissonWeights,
    pub(super) totals: Vec<usize>,
}

impl Resamples {
    pub(super) fn new(bootstrap: &Bootstrap, samples: usize) -> Resamples {
        let weights = PoissonWeights::new(bootstrap.seed);
        let totals = (0..bootstrap.resamples)
            .into_par_iter()
            .map(|r| (0..samples).map(|j| weights.weight(r, j) as usize).sum())
            .collect();
        Resamples { weights, totals }
    }
}

/// A column's finite values in increasing order, with their sample indices.
pub(super) struct Sorted {
    order: Vec<u32>,
    values: Vec<f64>,
    all_finite: bool,
}

impl Sorted {
    pub(super) fn new(column: &[f64]) -> Sorted {
        let mut keyed: Vec<(f64, u32)> = (0..column.len() as u32)
            .map(|j| (column[j as usize], j))
            .filter(|(x, _)| x.is_finite())
            .collect();
        keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Sorted {
            all_finite: keyed.len() == column.len(),
            order: keyed.iter().map(|(_, j)| *j).collect(),
            values: keyed.iter().map(|(x, _)| *x).collect(),
        }
    }

    /// The P5–P95 width of resample `r`, in which sample j appears `weights.weight(r, j)`
    /// times (`total` times in all, when every value is finite): the type-7 order statistics
    /// found by accumulating multiplicities from each end of the sorted column, so only about
    /// a tenth of it is visited.
    pub(super) fn resampled_width(&self, weights: &PoissonWeights, r: usize, total: usize) -> f64 {
        let weight = |j: &u32| weights.weight(r, *j as usize) as usize;
        let total: usize = if self.all_finite {
            total
        } else {
            self.order.iter().map(weight).sum()
        };
        if total == 0 {
            return f64::NAN;
        }
        let (l5, h5, w5) = type7_ranks(total, 0.05);
        let (l95, h95, w95) = type7_ranks(total, 0.95);
        let low = ranked(self.order.iter().map(weight).zip(&self.values), [l5, h5]);
        // From the top, ascending rank r is descending rank total − 1 − r.
        let high = ranked(
            self.order
                .iter()
                .rev()
                .map(weight)
                .zip(self.values.iter().rev()),
            [total - 1 - h95, total - 1 - l95],
        );
        let p5 = low[0] + w5 * (low[1] - low[0]);
        let p95 = high[1] + w95 * (high[0] - high[1]);
        p95 - p5
    }
}

/// The values at two increasing 0-based ranks of a multiset given as (multiplicity, value)
/// pairs in order.
fn ranked<'a>(pairs: impl Iterator<Item = (usize, &'a f64)>, ranks: [usize; 2]) -> [f64; 2] {
    let mut found = [f64::NAN; 2];
    let mut next = 0;
    let mut seen = 0;
    for (weight, value) in pairs {
        seen += weight;
        while next < 2 && ranks[next] < seen {
            found[next] = *value;
            next += 1;
        }
        if next == 2 {
            break;
        }
    }
    found
}
