//! Summary statistics of one metric's samples, each with a Monte Carlo confidence interval.
//!
//! - Mean: blocked, compensated summation in sample order, rescaled when a plain sum would
//!   overflow ([`moments`]), so the result does not depend on thread count; Student-t
//!   interval ([`interval::mean_interval`]).
//! - Standard deviation: two-pass, `n − 1` denominator, rescaled when the squares would
//!   overflow or underflow.
//! - Percentiles: exact order statistics, Hyndman–Fan type 7, or type 1 for metrics that take
//!   only whole values ([`PercentileDefinition`]), with distribution-free binomial intervals
//!   that are open on a side where the sample is too small for the confidence asked
//!   ([`order`], [`binomial`]).
//! - Exceedance `P(X > threshold)` and its mirror `P(X < threshold)` (both strict, so a value
//!   equal to the threshold counts in neither): Wilson score interval ([`interval::wilson`]).
//! - A fixed-bin [`Histogram`] of the column, for charts ([`histogram`]).
//! - Streaming (`--stream`): the same summary built chunk by chunk in memory independent of
//!   the number of samples and merged exactly across threads and shards ([`stream`]): exact
//!   counts, extremes and exceedances, exactly summed moments ([`exact_sum`]), percentiles
//!   from a log-linear quantile sketch within a relative error of 2⁻¹⁵ ([`sketch`]).
//!
//! Every percentile interval contains its own estimate. Non-finite samples (from a division by
//! a sampled zero, say) are counted and excluded.

pub mod binomial;
pub mod exact_sum;
pub mod histogram;
pub mod interval;
mod levels;
pub mod linalg;
pub mod moments;
mod open;
pub mod order;
mod plan;
pub mod rank;
pub mod sketch;
pub mod stream;

pub use histogram::{BinScale, Histogram};
pub use interval::Interval;
pub use levels::{check_confidence, check_percentiles, LevelError};
pub use moments::{accurate_sum, neumaier_sum};
pub use open::open_interval_warning;

use plan::RankPlan;
use serde::{Deserialize, Serialize};

/// Percentiles reported when none are asked for.
pub const DEFAULT_PERCENTILES: [f64; 9] = [1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0];

/// Confidence level of every interval when none is asked for.
pub const DEFAULT_CONFIDENCE: f64 = 0.95;

/// One percentile with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PercentileEstimate {
    /// In percent, e.g. `97.5`.
    pub percentile: f64,
    /// The percentile of the sample, in the metric's unit (read by the summary's
    /// [`PercentileDefinition`]; NaN when no sample is finite).
    pub value: f64,
    /// Lower end of the confidence interval, in the metric's unit. As [`summarize`] computes
    /// it: the order statistic at a binomial rank (distribution-free), or `-inf` when no rank
    /// lies far enough below for the confidence asked.
    pub ci_low: f64,
    /// Upper end of the confidence interval, likewise; `inf` when no rank lies far enough
    /// above.
    pub ci_high: f64,
}

/// Which side of a threshold an event lies on; both are strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    /// `X > threshold` (`--exceed`); written `>`.
    #[serde(rename = ">")]
    Above,
    /// `X < threshold` (`--below`); written `<`.
    #[serde(rename = "<")]
    Below,
}

impl Side {
    /// `>` or `<`, as files and tables write the event.
    pub fn symbol(self) -> &'static str {
        match self {
            Side::Above => ">",
            Side::Below => "<",
        }
    }

    /// Parses `>` or `<`.
    pub fn from_symbol(text: &str) -> Option<Side> {
        match text {
            ">" => Some(Side::Above),
            "<" => Some(Side::Below),
            _ => None,
        }
    }

    /// Whether `x` lies strictly on this side of `threshold`.
    pub fn holds(self, x: f64, threshold: f64) -> bool {
        match self {
            Side::Above => x > threshold,
            Side::Below => x < threshold,
        }
    }
}

/// An event whose probability is reported: `X > threshold` or `X < threshold`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// Which side of the threshold.
    pub side: Side,
    /// The threshold, in the metric's unit.
    pub threshold: f64,
}

impl Event {
    /// `X > threshold`.
    pub fn above(threshold: f64) -> Event {
        Event {
            side: Side::Above,
            threshold,
        }
    }

    /// `X < threshold`.
    pub fn below(threshold: f64) -> Event {
        Event {
            side: Side::Below,
            threshold,
        }
    }

    /// Whether the finite value `x` is in the event.
    pub fn holds(self, x: f64) -> bool {
        self.side.holds(x, self.threshold)
    }
}

/// `P(X > threshold)` or `P(X < threshold)` with its Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Exceedance {
    /// Which side of the threshold: `>` or `<`.
    pub event: Side,
    /// The threshold, in the metric's unit.
    pub threshold: f64,
    /// Finite samples strictly on the event's side of the threshold.
    pub count: usize,
    /// `count ÷ finite samples`, the estimate of the event's probability.
    pub probability: f64,
    /// Lower end of the confidence interval of the probability (Wilson score, as
    /// [`summarize`] computes it).
    pub ci_low: f64,
    /// Upper end of the confidence interval of the probability.
    pub ci_high: f64,
}

/// Everything reported about one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Finite samples used.
    pub samples: usize,
    /// Samples that were NaN or infinite (excluded from every statistic).
    pub non_finite: usize,
    /// Mean of the finite samples, in the metric's unit (compensated summation in sample order).
    pub mean: f64,
    /// Confidence interval of the mean (Student t, as [`summarize`] computes it).
    pub mean_ci: Interval,
    /// Sample standard deviation (`n − 1` denominator), in the metric's unit.
    pub std_dev: f64,
    /// Smallest finite sample.
    pub min: f64,
    /// Largest finite sample.
    pub max: f64,
    /// One estimate per percentile asked for, in the order asked.
    pub percentiles: Vec<PercentileEstimate>,
    /// One estimate per event asked for (`--exceed`, `--below`), in the order asked.
    pub exceedances: Vec<Exceedance>,
}

impl PercentileEstimate {
    /// Whether the interval has no finite end on some side (too few samples for the level).
    pub fn is_open(&self) -> bool {
        self.ci_low == f64::NEG_INFINITY || self.ci_high == f64::INFINITY
    }
}

impl Summary {
    /// The values of the lowest and highest percentiles reported, when they lie at or beyond
    /// P5 and P95 (the outer band a chart shows).
    pub fn outer_percentiles(&self) -> Option<(f64, f64)> {
        let by_level = |a: &&PercentileEstimate, b: &&PercentileEstimate| {
            a.percentile.total_cmp(&b.percentile)
        };
        let low = self
            .percentiles
            .iter()
            .filter(|p| p.percentile <= 5.0)
            .min_by(by_level)?;
        let high = self
            .percentiles
            .iter()
            .filter(|p| p.percentile >= 95.0)
            .max_by(by_level)?;
        Some((low.value, high.value))
    }
}

/// How a percentile is read from the sorted sample (Hyndman & Fan 1996, see [`order`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentileDefinition {
    /// Type 7: linear interpolation between adjacent order statistics (NumPy and R default).
    Interpolated,
    /// Type 1: the inverse of the empirical CDF, `x(⌈np⌉)`, always a value the metric took;
    /// for metrics that take only whole values.
    InverseCdf,
}

/// Summarises `data` with type-7 percentiles; `percentiles` are in percent, `events` the
/// probabilities to estimate. Non-finite values are counted and left out of every statistic.
pub fn summarize(data: &[f64], percentiles: &[f64], level: f64, events: &[Event]) -> Summary {
    summarize_as(
        data,
        percentiles,
        level,
        events,
        PercentileDefinition::Interpolated,
    )
}

/// [`summarize`] with percentiles read by `definition`.
pub fn summarize_as(
    data: &[f64],
    percentiles: &[f64],
    level: f64,
    events: &[Event],
    definition: PercentileDefinition,
) -> Summary {
    if order::fused_passes_apply(data.len()) {
        let (total, counts) = order::count_and_sum(data);
        if total.is_finite() {
            return summarize_finite(
                data,
                (total, counts),
                percentiles,
                level,
                events,
                definition,
            );
        }
    }
    // A finite total means every value is finite (NaN and ±∞ never cancel to a finite sum), so
    // the common case needs no separate check; a total that overflowed is rescaled in `mean`.
    let total = accurate_sum(data, |x| x);
    let kept: Vec<f64>;
    let (finite, total) = if total.is_finite() || data.iter().all(|x| x.is_finite()) {
        (data, total)
    } else {
        kept = data.iter().copied().filter(|x| x.is_finite()).collect();
        (&kept[..], accurate_sum(&kept, |x| x))
    };
    let n = finite.len();
    if n == 0 {
        return empty_summary(data.len(), percentiles, events);
    }
    let (percentiles, min, max) = order_summary(finite, percentiles, level, definition);
    // Rounding can put the mean of a (nearly) constant column an ulp outside its range.
    let mean = moments::mean(finite, total).clamp(min, max);
    let std_dev = moments::std_dev(finite, mean);
    let moments = (mean, std_dev, min, max);
    assemble(data.len(), finite, moments, percentiles, (events, level))
}

/// The summary of `finite` (the finite values of a column of `len`) from its moments and
/// extremes `(mean, std_dev, min, max)` and percentile estimates, with the events' exceedances.
fn assemble(
    len: usize,
    finite: &[f64],
    (mean, std_dev, min, max): (f64, f64, f64, f64),
    percentiles: Vec<PercentileEstimate>,
    (events, level): (&[Event], f64),
) -> Summary {
    let n = finite.len();
    Summary {
        samples: n,
        non_finite: len - n,
        mean,
        mean_ci: interval::mean_interval(mean, std_dev, n, level),
        std_dev,
        min,
        max,
        percentiles,
        exceedances: events
            .iter()
            .map(|event| exceedance(finite, *event, level))
            .collect(),
    }
}

/// [`summarize_as`] for a column long enough for radix selection whose total is finite (so
/// every value is), given that total and its first radix counts ([`order::count_and_sum`]):
/// the second read of the column selects the order statistics and sums the squared deviations
/// together. Bit for bit what the separate passes give.
fn summarize_finite(
    data: &[f64],
    (total, counts): (f64, Vec<u32>),
    percentiles: &[f64],
    level: f64,
    events: &[Event],
    definition: PercentileDefinition,
) -> Summary {
    let n = data.len();
    let plan = RankPlan::new(n, percentiles, level, definition);
    let sum_mean = total / n as f64;
    let (values, squares) = order::select_and_sum(data, counts, &plan.ranks, |x| {
        (x - sum_mean) * (x - sum_mean)
    });
    let (percentiles, min, max) = plan.estimates(percentiles, &values);
    // Rounding can put the mean of a (nearly) constant column an ulp outside its range; the
    // deviations are then summed again about the clamped mean.
    let mean = sum_mean.clamp(min, max);
    let std_dev = if mean == sum_mean {
        moments::std_dev_from_squares(data, mean, squares)
    } else {
        moments::std_dev(data, mean)
    };
    assemble(
        n,
        data,
        (mean, std_dev, min, max),
        percentiles,
        (events, level),
    )
}

fn empty_summary(non_finite: usize, percentiles: &[f64], events: &[Event]) -> Summary {
    let nan = Interval {
        low: f64::NAN,
        high: f64::NAN,
    };
    Summary {
        samples: 0,
        non_finite,
        mean: f64::NAN,
        mean_ci: nan,
        std_dev: f64::NAN,
        min: f64::NAN,
        max: f64::NAN,
        percentiles: percentile_estimates(&[], percentiles, 0.5),
        exceedances: events
            .iter()
            .map(|event| Exceedance {
                event: event.side,
                threshold: event.threshold,
                count: 0,
                probability: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            })
            .collect(),
    }
}

fn exceedance(finite: &[f64], event: Event, level: f64) -> Exceedance {
    let count = finite.iter().filter(|x| event.holds(**x)).count();
    let ci = interval::wilson(count, finite.len(), level);
    Exceedance {
        event: event.side,
        threshold: event.threshold,
        count,
        probability: count as f64 / finite.len() as f64,
        ci_low: ci.low,
        ci_high: ci.high,
    }
}

/// Type-7 percentiles with binomial order-statistic intervals; `finite` holds only finite
/// values.
pub fn percentile_estimates(
    finite: &[f64],
    percentiles: &[f64],
    level: f64,
) -> Vec<PercentileEstimate> {
    percentile_estimates_as(
        finite,
        percentiles,
        level,
        PercentileDefinition::Interpolated,
    )
}

/// [`percentile_estimates`] with percentiles read by `definition`.
pub fn percentile_estimates_as(
    finite: &[f64],
    percentiles: &[f64],
    level: f64,
    definition: PercentileDefinition,
) -> Vec<PercentileEstimate> {
    if finite.is_empty() {
        let nan = |percentile| PercentileEstimate {
            percentile,
            value: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
        return percentiles.iter().copied().map(nan).collect();
    }
    order_summary(finite, percentiles, level, definition).0
}

/// The percentile estimates and the minimum and maximum of `finite` (non-empty), all found in
/// one radix selection.
fn order_summary(
    finite: &[f64],
    percentiles: &[f64],
    level: f64,
    definition: PercentileDefinition,
) -> (Vec<PercentileEstimate>, f64, f64) {
    let plan = RankPlan::new(finite.len(), percentiles, level, definition);
    let values = order::order_statistics_of_finite(finite, &plan.ranks);
    plan.estimates(percentiles, &values)
}

/// `low + weight · (high − low)`: exactly `low` at weight 0, and without overflow when the
/// difference exceeds `f64::MAX`.
pub(crate) fn interpolate(low: f64, high: f64, weight: f64) -> f64 {
    if weight == 0.0 {
        return low;
    }
    let value = low + weight * (high - low);
    if value.is_finite() {
        value
    } else {
        (1.0 - weight) * low + weight * high
    }
}

#[cfg(test)]
mod tests;
