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
//! - Exceedance `P(X > threshold)`: Wilson score interval ([`interval::wilson`]).
//!
//! Every percentile interval contains its own estimate. Non-finite samples (from a division by
//! a sampled zero, say) are counted and excluded.

pub mod binomial;
pub mod interval;
pub mod linalg;
pub mod moments;
pub mod order;
pub mod rank;

pub use interval::Interval;
pub use moments::{accurate_sum, neumaier_sum};

use serde::Serialize;

/// Percentiles reported when none are asked for.
pub const DEFAULT_PERCENTILES: [f64; 9] = [1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0];

/// Confidence level of every interval when none is asked for.
pub const DEFAULT_CONFIDENCE: f64 = 0.95;

/// One percentile with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PercentileEstimate {
    /// In percent, e.g. `97.5`.
    pub percentile: f64,
    pub value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// `P(X > threshold)` with its Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Exceedance {
    pub threshold: f64,
    pub count: usize,
    pub probability: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Everything reported about one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Finite samples used.
    pub samples: usize,
    /// Samples that were NaN or infinite (excluded from every statistic).
    pub non_finite: usize,
    pub mean: f64,
    pub mean_ci: Interval,
    pub std_dev: f64,
    pub min: f64,
    pub max: f64,
    pub percentiles: Vec<PercentileEstimate>,
    pub exceedances: Vec<Exceedance>,
}

impl PercentileEstimate {
    /// Whether the interval has no finite end on some side (too few samples for the level).
    pub fn is_open(&self) -> bool {
        self.ci_low == f64::NEG_INFINITY || self.ci_high == f64::INFINITY
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

/// Checks a percentile list: non-empty, each in `[0, 100]`.
pub fn check_percentiles(list: &[f64]) -> Result<(), LevelError> {
    if list.is_empty() {
        return Err(LevelError::NoPercentiles);
    }
    match list.iter().find(|p| !(**p >= 0.0 && **p <= 100.0)) {
        Some(bad) => Err(LevelError::PercentileOutside(*bad)),
        None => Ok(()),
    }
}

/// Checks a confidence level: strictly between 0 and 1.
pub fn check_confidence(level: f64) -> Result<(), LevelError> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(LevelError::Confidence(level))
    }
}

/// A percentile list or confidence level that cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum LevelError {
    /// The percentile list is empty.
    #[error("give at least one percentile, e.g. [5, 50, 95]")]
    NoPercentiles,
    /// A percentile outside `[0, 100]`.
    #[error("percentile {0} is outside [0, 100]")]
    PercentileOutside(f64),
    /// A confidence level outside `(0, 1)`.
    #[error("confidence {0} must be strictly between 0 and 1, e.g. 0.95")]
    Confidence(f64),
}

/// Summarises `data` with type-7 percentiles; `percentiles` are in percent. Non-finite values
/// are counted and left out of every statistic.
pub fn summarize(data: &[f64], percentiles: &[f64], level: f64, thresholds: &[f64]) -> Summary {
    summarize_as(
        data,
        percentiles,
        level,
        thresholds,
        PercentileDefinition::Interpolated,
    )
}

/// [`summarize`] with percentiles read by `definition`.
pub fn summarize_as(
    data: &[f64],
    percentiles: &[f64],
    level: f64,
    thresholds: &[f64],
    definition: PercentileDefinition,
) -> Summary {
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
        return empty_summary(data.len(), percentiles, thresholds);
    }
    let (percentiles, min, max) = order_summary(finite, percentiles, level, definition);
    // Rounding can put the mean of a (nearly) constant column an ulp outside its range.
    let mean = moments::mean(finite, total).clamp(min, max);
    let std_dev = moments::std_dev(finite, mean);
    Summary {
        samples: n,
        non_finite: data.len() - n,
        mean,
        mean_ci: interval::mean_interval(mean, std_dev, n, level),
        std_dev,
        min,
        max,
        percentiles,
        exceedances: thresholds
            .iter()
            .map(|threshold| exceedance(finite, *threshold, level))
            .collect(),
    }
}

fn empty_summary(non_finite: usize, percentiles: &[f64], thresholds: &[f64]) -> Summary {
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
        exceedances: thresholds
            .iter()
            .map(|threshold| Exceedance {
                threshold: *threshold,
                count: 0,
                probability: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            })
            .collect(),
    }
}

fn exceedance(finite: &[f64], threshold: f64, level: f64) -> Exceedance {
    let count = finite.iter().filter(|x| **x > threshold).count();
    let ci = interval::wilson(count, finite.len(), level);
    Exceedance {
        threshold,
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

/// Where one percentile's estimate and interval come from: 0-based ranks `(lo, hi, weight)`
/// of the estimate `x[lo] + weight · (x[hi] − x[lo])`, and the interval's ranks (`None`: open).
struct Plan {
    estimate: (usize, usize, f64),
    interval: (Option<usize>, Option<usize>),
}

/// The percentile estimates and the minimum and maximum of `finite` (non-empty), all found in
/// one radix selection.
fn order_summary(
    finite: &[f64],
    percentiles: &[f64],
    level: f64,
    definition: PercentileDefinition,
) -> (Vec<PercentileEstimate>, f64, f64) {
    let n = finite.len();
    let plans: Vec<Plan> = percentiles
        .iter()
        .map(|pct| Plan {
            estimate: match definition {
                PercentileDefinition::Interpolated => order::type7_ranks(n, pct / 100.0),
                PercentileDefinition::InverseCdf => {
                    let rank = order::type1_rank(n, *pct);
                    (rank, rank, 0.0)
                }
            },
            interval: order::ci_ranks(n, pct / 100.0, level),
        })
        .collect();
    let mut ranks: Vec<usize> = plans
        .iter()
        .flat_map(|plan| {
            let (lo, hi, _) = plan.estimate;
            let (ci_lo, ci_hi) = plan.interval;
            [Some(lo), Some(hi), ci_lo, ci_hi]
        })
        .flatten()
        .chain([0, n - 1])
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let values = order::order_statistics_of_finite(finite, &ranks);
    let at = |rank: usize| values[ranks.binary_search(&rank).expect("rank was selected")];
    let estimates = percentiles
        .iter()
        .zip(plans)
        .map(|(pct, plan)| {
            let (lo, hi, weight) = plan.estimate;
            let value = interpolate(at(lo), at(hi), weight);
            let (ci_lo, ci_hi) = plan.interval;
            // An end short of the estimate (type 7 at a handful of samples) moves out to it:
            // a wider interval only covers more often.
            PercentileEstimate {
                percentile: *pct,
                value,
                ci_low: ci_lo.map_or(f64::NEG_INFINITY, at).min(value),
                ci_high: ci_hi.map_or(f64::INFINITY, at).max(value),
            }
        })
        .collect();
    (estimates, at(0), at(n - 1))
}

/// `low + weight · (high − low)`: exactly `low` at weight 0, and without overflow when the
/// difference exceeds `f64::MAX`.
fn interpolate(low: f64, high: f64, weight: f64) -> f64 {
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

/// The warning a run gives once when some interval is open: which percentiles (and whether
/// the mean) have an interval with no finite end on some side, and the samples that would
/// close them. `None` when every interval is closed.
pub fn open_interval_warning<'a>(
    summaries: impl IntoIterator<Item = &'a Summary>,
    level: f64,
) -> Option<String> {
    let mut open: Vec<f64> = Vec::new();
    let mut mean_open = false;
    let mut samples = 0;
    for summary in summaries {
        for estimate in summary.percentiles.iter().filter(|e| e.is_open()) {
            if !open.contains(&estimate.percentile) {
                open.push(estimate.percentile);
            }
        }
        mean_open |=
            summary.mean_ci.low == f64::NEG_INFINITY || summary.mean_ci.high == f64::INFINITY;
        samples = samples.max(summary.samples);
    }
    if open.is_empty() && !mean_open {
        return None;
    }
    open.sort_by(f64::total_cmp);
    let mut names: Vec<String> = open.iter().map(|p| format!("P{p}")).collect();
    if mean_open {
        names.push("the mean".to_string());
    }
    let needed = open
        .iter()
        .filter(|p| **p > 0.0 && **p < 100.0)
        .map(|p| order::samples_for_closed_interval(p / 100.0, level))
        .chain(mean_open.then_some(2))
        .max();
    let outer: Vec<String> = open
        .iter()
        .filter(|p| **p <= 0.0 || **p >= 100.0)
        .map(|p| format!("P{p}"))
        .collect();
    let outer_note = match outer.len() {
        1 => format!("{} is open on its outer side", outer[0]),
        _ => format!("{} are open on their outer side", join_and(&outer)),
    };
    let closing = match needed {
        Some(needed) if !outer.is_empty() => format!(
            "; all but {} close from {needed} samples ({outer_note} at any sample size)",
            join_and(&outer)
        ),
        Some(needed) => format!("; they close from {needed} samples"),
        None => format!("; {outer_note} at any sample size"),
    };
    let why = if mean_open {
        "no order statistic lies far enough out for that confidence (for the mean: one sample \
         shows no spread)"
    } else {
        "no order statistic lies far enough out for that confidence"
    };
    Some(format!(
        "with {samples} samples, the {}% intervals of {} have no finite end on one or both \
         sides: {why}, so they run to -inf or inf (in summary.csv and bands.csv; null in \
         run.json) rather than stop at the sample minimum or maximum{closing}",
        level * 100.0,
        join_and(&names)
    ))
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests;
