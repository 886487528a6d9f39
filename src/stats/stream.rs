//! The summary of one metric built chunk by chunk, in memory independent of the number of
//! samples, and mergeable exactly: any split of a run's chunks, summarised apart and merged in
//! any order, gives the same bits as one pass.
//!
//! - Counts (finite, non-finite, each event), minimum and maximum: exact integers and exact
//!   comparisons.
//! - Mean and standard deviation: each chunk's sums (compensated, [`super::accurate_sum`]) of
//!   `x·2⁻⁶⁴`, `d·2⁻⁶⁴` and `(d·2⁻⁶⁴)²` with `d = x − shift` are added into exact sums
//!   ([`ExactSum`]) and rounded once. The shift (a value near the centre, fixed before the run)
//!   keeps `Σd² − (Σd)²/n` free of cancellation (the shifted-data algorithm, Chan, Golub &
//!   LeVeque 1983); the power-of-two scaling keeps sums of values up to ~1e290 from
//!   overflowing. Both agree with the two-pass in-memory values to about 1e-15 relative.
//! - Percentiles: the ranks and interval ranks of the in-memory definitions
//!   ([`super::order`]), read from a [`Sketch`]: each order statistic to within
//!   [`RELATIVE_ERROR`](super::sketch::RELATIVE_ERROR) (2⁻¹⁵) of its value, rank 0 and `n − 1` exactly (the minimum
//!   and maximum). The interval's ends are the outer edges of the buckets holding its order
//!   statistics, so the interval can only be wider than the exact one, never narrower: it
//!   keeps the exact interval's coverage.

use super::exact_sum::ExactSum;
use super::sketch::{RankBucket, Sketch};
use super::{
    interval, order, Event, Exceedance, Histogram, PercentileDefinition, PercentileEstimate,
    Summary,
};

/// `2⁻⁶⁴`: the scale of every summed value.
const DOWN: f64 = 1.0 / 18_446_744_073_709_551_616.0;

/// Everything a streaming summary of one metric holds.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricStream {
    /// The value subtracted before the spread is summed.
    pub shift: f64,
    /// Finite values counted.
    pub finite: u64,
    /// Non-finite values counted.
    pub non_finite: u64,
    /// Smallest finite value (`+inf` before any).
    pub min: f64,
    /// Largest finite value (`-inf` before any).
    pub max: f64,
    /// `Σ x·2⁻⁶⁴` over finite values.
    pub sum: ExactSum,
    /// `Σ (x − shift)·2⁻⁶⁴`.
    pub deviations: ExactSum,
    /// `Σ ((x − shift)·2⁻⁶⁴)²`.
    pub squares: ExactSum,
    /// The events counted, and the finite values in each.
    pub events: Vec<(Event, u64)>,
    /// The finite values in log-linear buckets.
    pub sketch: Sketch,
}

impl MetricStream {
    /// An empty summary that will count `events` and sum deviations from `shift` (finite).
    pub fn new(shift: f64, events: &[Event]) -> MetricStream {
        MetricStream {
            shift,
            finite: 0,
            non_finite: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sum: ExactSum::default(),
            deviations: ExactSum::default(),
            squares: ExactSum::default(),
            events: events.iter().map(|e| (*e, 0)).collect(),
            sketch: Sketch::default(),
        }
    }

    /// Counts one chunk's values.
    pub fn add(&mut self, data: &[f64]) {
        let finite = data.iter().filter(|x| x.is_finite()).count();
        self.finite += finite as u64;
        self.non_finite += (data.len() - finite) as u64;
        let keep = |x: f64, f: &dyn Fn(f64) -> f64| if x.is_finite() { f(x) } else { 0.0 };
        let shift = self.shift;
        self.sum
            .add(super::accurate_sum(data, |x| keep(x, &|x| x * DOWN)));
        self.deviations.add(super::accurate_sum(data, |x| {
            keep(x, &|x| (x - shift) * DOWN)
        }));
        self.squares.add(super::accurate_sum(data, |x| {
            keep(x, &|x| {
                let d = (x - shift) * DOWN;
                d * d
            })
        }));
        for &x in data.iter().filter(|x| x.is_finite()) {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        for (event, count) in &mut self.events {
            *count += data
                .iter()
                .filter(|x| x.is_finite() && event.holds(**x))
                .count() as u64;
        }
        self.sketch.add(data);
    }

    /// Adds everything `other` (a summary of other chunks of the same metric, with the same
    /// shift and events) counted.
    pub fn merge(&mut self, other: &MetricStream) {
        debug_assert_eq!(self.shift.to_bits(), other.shift.to_bits());
        self.finite += other.finite;
        self.non_finite += other.non_finite;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum.merge(&other.sum);
        self.deviations.merge(&other.deviations);
        self.squares.merge(&other.squares);
        for ((_, count), (_, more)) in self.events.iter_mut().zip(&other.events) {
            *count += more;
        }
        self.sketch.merge(&other.sketch);
    }

    /// The mean of the finite values (NaN when none).
    pub fn mean(&self) -> f64 {
        if self.finite == 0 {
            return f64::NAN;
        }
        (self.sum.value() / self.finite as f64 / DOWN).clamp(self.min, self.max)
    }

    /// The sample standard deviation (`n − 1` denominator; NaN below two values).
    pub fn std_dev(&self) -> f64 {
        if self.finite < 2 {
            return f64::NAN;
        }
        let n = self.finite as f64;
        let s = self.deviations.value();
        let spread = (self.squares.value() - s * (s / n)).max(0.0);
        (spread / (n - 1.0)).sqrt() / DOWN
    }

    /// The summary of the metric, with the percentiles `percentiles` (in percent) read by
    /// `definition` and intervals at `level`; the events are those the stream counted, in its
    /// order, the first `own` of them reported.
    pub fn summary(
        &self,
        percentiles: &[f64],
        level: f64,
        definition: PercentileDefinition,
        own: usize,
    ) -> Summary {
        let samples = self.finite as usize;
        let nan = interval::Interval {
            low: f64::NAN,
            high: f64::NAN,
        };
        let (mean, std_dev) = (self.mean(), self.std_dev());
        Summary {
            samples,
            non_finite: self.non_finite as usize,
            mean,
            mean_ci: if samples == 0 {
                nan
            } else {
                interval::mean_interval(mean, std_dev, samples, level)
            },
            std_dev,
            min: if samples == 0 { f64::NAN } else { self.min },
            max: if samples == 0 { f64::NAN } else { self.max },
            percentiles: self.percentiles(percentiles, level, definition),
            exceedances: self.events[..own]
                .iter()
                .map(|(event, count)| self.exceedance(*event, *count, level))
                .collect(),
        }
    }

    /// `P(event)` with its Wilson interval, from `count` of the finite values.
    pub fn exceedance(&self, event: Event, count: u64, level: f64) -> Exceedance {
        let n = self.finite as usize;
        if n == 0 {
            return Exceedance {
                event: event.side,
                threshold: event.threshold,
                count: 0,
                probability: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            };
        }
        let ci = interval::wilson(count as usize, n, level);
        Exceedance {
            event: event.side,
            threshold: event.threshold,
            count: count as usize,
            probability: count as f64 / n as f64,
            ci_low: ci.low,
            ci_high: ci.high,
        }
    }

    fn percentiles(
        &self,
        percentiles: &[f64],
        level: f64,
        definition: PercentileDefinition,
    ) -> Vec<PercentileEstimate> {
        let n = self.finite as usize;
        if n == 0 {
            return super::percentile_estimates(&[], percentiles, level);
        }
        let plans: Vec<_> = percentiles
            .iter()
            .map(|pct| {
                let estimate = match definition {
                    PercentileDefinition::Interpolated => order::type7_ranks(n, pct / 100.0),
                    PercentileDefinition::InverseCdf => {
                        let rank = order::type1_rank(n, *pct);
                        (rank, rank, 0.0)
                    }
                };
                (estimate, order::ci_ranks(n, pct / 100.0, level))
            })
            .collect();
        let mut ranks: Vec<usize> = plans
            .iter()
            .flat_map(|((lo, hi, _), (l, u))| [Some(*lo), Some(*hi), *l, *u])
            .flatten()
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        let buckets = self.sketch.rank_buckets(&ranks);
        let whole = definition == PercentileDefinition::InverseCdf;
        let at = |rank: usize| -> RankBucket {
            let found = buckets[ranks.binary_search(&rank).expect("rank was read")];
            self.clamped(rank, found, whole)
        };
        percentiles
            .iter()
            .zip(plans)
            .map(|(pct, ((lo, hi, weight), (l, u)))| {
                let value = super::interpolate(at(lo).middle, at(hi).middle, weight);
                PercentileEstimate {
                    percentile: *pct,
                    value,
                    ci_low: l.map_or(f64::NEG_INFINITY, |r| at(r).low).min(value),
                    ci_high: u.map_or(f64::INFINITY, |r| at(r).high).max(value),
                }
            })
            .collect()
    }

    /// The bucket of rank `rank` narrowed to what is known exactly: the minimum and maximum
    /// at the extreme ranks, every value within them; a whole-valued metric's representative
    /// is a whole number of the bucket.
    fn clamped(&self, rank: usize, found: RankBucket, whole: bool) -> RankBucket {
        let n = self.finite as usize;
        let exact = |x: f64| RankBucket {
            middle: x,
            low: x,
            high: x,
        };
        if rank == 0 {
            return exact(self.min);
        }
        if rank + 1 == n {
            return exact(self.max);
        }
        let low = found.low.max(self.min);
        let high = found.high.min(self.max);
        let mut middle = found.middle.clamp(low, high);
        if whole {
            let rounded = middle.round();
            middle = if rounded >= low && rounded <= high {
                rounded
            } else {
                low.ceil().min(high)
            };
        }
        RankBucket { middle, low, high }
    }

    /// The chart histogram over the range [`Histogram::range_for`] gives for `summary`, with
    /// each bucket's count placed at its midpoint.
    pub fn histogram(&self, summary: &Summary, allow_log: bool) -> Option<Histogram> {
        let outer = summary.outer_percentiles();
        let (lo, hi, scale) = Histogram::range_for(summary.min, summary.max, outer, allow_log)?;
        let counted = self.sketch.buckets().map(|b| {
            let middle = super::sketch::bucket_values(b.bucket)
                .middle
                .clamp(self.min, self.max);
            (middle, b.count)
        });
        Histogram::of_counts(counted, lo, hi, scale)
    }
}
