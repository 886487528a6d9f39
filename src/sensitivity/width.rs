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

use super::bootstrap::{percentile_interval, rows_per_unit, Bootstrap, PoissonWeights};
use super::sobol::Bounded;
use crate::engine::{self, Simulation};
use crate::model::{Input, Metric};
use crate::scenario::{Scenario, ScenarioError};
use crate::stats::order::{order_statistics, type7_ranks};
use rayon::prelude::*;
use std::borrow::Cow;

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
        let median = resolved.dist.median();
        let pinned = scenario.with_input_pinned(resolved.input, median)?;
        // Without rank correlations the pinned run is the baseline's rows re-evaluated
        // (bit-identical, see `engine::reevaluate_pinned`); with them it is drawn again.
        let reused = scenario
            .correlation()
            .is_none()
            .then(|| engine::reevaluate_pinned(&pinned, baseline, (resolved.input, median)))
            .flatten();
        let run = reused.unwrap_or_else(|| engine::simulate(&pinned, samples, seed_value, false));
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
            let table = resamples.table(r);
            let weight = |j: usize| resamples.weight(&table, j);
            sorted
                .iter()
                .map(|s| s.resampled_width(weight, resamples.totals[r]))
                .collect()
        })
        .collect()
}

/// Bytes of multiplicity tables kept for all resamples at once (beyond, each is rebuilt when
/// needed): 13 MB for the default 200 resamples of at most 65,535 units.
const TABLES_MAX_BYTES: usize = 1 << 26;

/// The bootstrap's multiplicities and, per resample, their total over all samples.
pub(super) struct Resamples {
    weights: PoissonWeights,
    /// Samples per bootstrap unit, as a shift: sample j is in unit `j >> unit_shift`.
    unit_shift: u32,
    units: usize,
    /// Every resample's table, when they fit in [`TABLES_MAX_BYTES`].
    tables: Option<Vec<Vec<u8>>>,
    pub(super) totals: Vec<usize>,
}

impl Resamples {
    pub(super) fn new(bootstrap: &Bootstrap, samples: usize) -> Resamples {
        let rows_per_unit = rows_per_unit(samples);
        let mut resamples = Resamples {
            weights: PoissonWeights::new(bootstrap.seed),
            unit_shift: rows_per_unit.trailing_zeros(),
            units: samples.div_ceil(rows_per_unit),
            tables: None,
            totals: Vec::new(),
        };
        let total = |table: &[u8]| {
            let full: usize = table[..samples / rows_per_unit]
                .iter()
                .map(|w| usize::from(*w))
                .sum();
            let partial = table
                .get(samples / rows_per_unit)
                .map_or(0, |w| usize::from(*w) * (samples % rows_per_unit));
            full * rows_per_unit + partial
        };
        if bootstrap.resamples.saturating_mul(resamples.units) <= TABLES_MAX_BYTES {
            let tables: Vec<Vec<u8>> = (0..bootstrap.resamples)
                .into_par_iter()
                .map(|r| resamples.build_table(r))
                .collect();
            resamples.totals = tables.iter().map(|table| total(table)).collect();
            resamples.tables = Some(tables);
        } else {
            resamples.totals = (0..bootstrap.resamples)
                .into_par_iter()
                .map(|r| total(&resamples.build_table(r)))
                .collect();
        }
        resamples
    }

    fn build_table(&self, r: usize) -> Vec<u8> {
        (0..self.units)
            .map(|unit| self.weights.weight(r, unit) as u8)
            .collect()
    }

    /// The multiplicity of every unit in resample `r` (each at most 20).
    pub(super) fn table(&self, r: usize) -> Cow<'_, [u8]> {
        match &self.tables {
            Some(tables) => Cow::Borrowed(&tables[r]),
            None => Cow::Owned(self.build_table(r)),
        }
    }

    /// The multiplicity of sample `j` in the resample whose [`table`](Self::table) is `table`.
    #[inline]
    pub(super) fn weight(&self, table: &[u8], j: usize) -> usize {
        usize::from(table[j >> self.unit_shift])
    }
}

/// A column's finite values with their sample indices, the two tails a resampled P5 and P95
/// are read from in order: the lowest tenth and the highest tenth (ties included), each sorted
/// from its end inwards, as a full sort by (value, index) would place them. A resample whose
/// order statistic lies deeper (never seen: the tenth is some twenty standard deviations of the
/// resampled count beyond the twentieth) is read from a full sort made then.
pub(super) struct Sorted {
    /// The finite values, in sample order.
    finite: Vec<(f64, u32)>,
    /// The lowest values, increasing.
    low: Vec<(f64, u32)>,
    /// The highest values, decreasing.
    high: Vec<(f64, u32)>,
    /// Sample indices of the values that are not finite.
    non_finite: Vec<u32>,
}

/// Orders (value, index) pairs as the full sort does.
fn by_value_then_index(a: &(f64, u32), b: &(f64, u32)) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

impl Sorted {
    pub(super) fn new(column: &[f64]) -> Sorted {
        type Pairs = Vec<(f64, u32)>;
        let (finite, non_finite): (Pairs, Pairs) = (0..column.len() as u32)
            .map(|j| (column[j as usize], j))
            .partition(|(x, _)| x.is_finite());
        let n = finite.len();
        let tail = n / 10 + 1024;
        let (mut low, mut high) = if 2 * tail >= n {
            (finite.clone(), finite.clone())
        } else {
            let values: Vec<f64> = finite.iter().map(|(x, _)| *x).collect();
            let cut = order_statistics(&values, &[tail - 1, n - tail]);
            let below = |bound: f64| {
                let keep = move |(x, _): &&(f64, u32)| x.total_cmp(&bound).is_le();
                finite.iter().filter(keep).copied().collect::<Vec<_>>()
            };
            let above = |bound: f64| {
                let keep = move |(x, _): &&(f64, u32)| x.total_cmp(&bound).is_ge();
                finite.iter().filter(keep).copied().collect::<Vec<_>>()
            };
            (below(cut[0]), above(cut[1]))
        };
        low.sort_unstable_by(by_value_then_index);
        high.sort_unstable_by(|a, b| by_value_then_index(b, a));
        Sorted {
            finite,
            low,
            high,
            non_finite: non_finite.into_iter().map(|(_, j)| j).collect(),
        }
    }

    /// The P5–P95 width of a resample in which sample j appears `weight(j)` times (`total`
    /// times in all samples, finite or not): the type-7 order statistics found by accumulating
    /// multiplicities from each end of the sorted column, so only about a tenth of it is
    /// visited.
    pub(super) fn resampled_width(&self, weight: impl Fn(usize) -> usize, total: usize) -> f64 {
        let weight = |j: u32| weight(j as usize);
        let total = total - self.non_finite.iter().map(|j| weight(*j)).sum::<usize>();
        if total == 0 {
            return f64::NAN;
        }
        let (l5, h5, w5) = type7_ranks(total, 0.05);
        let (l95, h95, w95) = type7_ranks(total, 0.95);
        let ranked_in = |tail: &mut dyn Iterator<Item = &(f64, u32)>, ranks| {
            ranked(tail.map(|(x, j)| (weight(*j), *x)), ranks)
        };
        let full = || {
            let mut sorted = self.finite.clone();
            sorted.sort_unstable_by(by_value_then_index);
            sorted
        };
        let mut low = ranked_in(&mut self.low.iter(), [l5, h5]);
        if low.iter().any(|x| x.is_nan()) {
            low = ranked_in(&mut full().iter(), [l5, h5]);
        }
        // From the top, ascending rank r is descending rank total − 1 − r.
        let from_top = [total - 1 - h95, total - 1 - l95];
        let mut high = ranked_in(&mut self.high.iter(), from_top);
        if high.iter().any(|x| x.is_nan()) {
            high = ranked_in(&mut full().iter().rev(), from_top);
        }
        let p5 = low[0] + w5 * (low[1] - low[0]);
        let p95 = high[1] + w95 * (high[0] - high[1]);
        p95 - p5
    }
}

/// The values at two increasing 0-based ranks of a multiset given as (multiplicity, value)
/// pairs in order.
fn ranked(pairs: impl Iterator<Item = (usize, f64)>, ranks: [usize; 2]) -> [f64; 2] {
    let mut found = [f64::NAN; 2];
    let mut next = 0;
    let mut seen = 0;
    for (weight, value) in pairs {
        seen += weight;
        while next < 2 && ranks[next] < seen {
            found[next] = value;
            next += 1;
        }
        if next == 2 {
            break;
        }
    }
    found
}
