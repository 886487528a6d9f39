//! Summary statistics of one metric's samples, each with a Monte Carlo confidence interval.
//!
//! - Mean: blocked, compensated summation in sample order ([`accurate_sum`]), so the result
//!   does not depend on thread count; Student-t interval ([`interval::mean_interval`]).
//! - Standard deviation: two-pass, `n − 1` denominator.
//! - Percentiles: exact order statistics, Hyndman–Fan type 7, with distribution-free binomial
//!   intervals ([`order`]).
//! - Exceedance `P(X > threshold)`: Wilson score interval ([`interval::wilson`]).
//!
//! Non-finite samples (from a division by a sampled zero, say) are counted and excluded.

pub mod interval;
pub mod linalg;
pub mod order;
pub mod rank;

pub use interval::Interval;

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

/// Summarises `data`; `percentiles` are in percent. Non-finite values are counted and left
/// out of every statistic.
pub fn summarize(data: &[f64], percentiles: &[f64], level: f64, thresholds: &[f64]) -> Summary {
    // A finite total means every value is finite (NaN and ±∞ never cancel to a finite sum), so
    // the common case needs no separate check.
    let total = accurate_sum(data, |x| x);
    let kept: Vec<f64>;
    let (finite, total) = if total.is_finite() {
        (data, total)
    } else {
        kept = data.iter().copied().filter(|x| x.is_finite()).collect();
        (&kept[..], accurate_sum(&kept, |x| x))
    };
    let n = finite.len();
    if n == 0 {
        return empty_summary(data.len(), percentiles, thresholds);
    }
    let mean = total / n as f64;
    let std_dev = if n > 1 {
        (accurate_sum(finite, |x| (x - mean) * (x - mean)) / (n - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    let (percentiles, min, max) = order_summary(finite, percentiles, level);
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

/// Sum with Neumaier's compensation, in iteration order.
pub fn neumaier_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for x in values {
        let t = sum + x;
        compensation += if sum.abs() >= x.abs() {
            (sum - t) + x
        } else {
            (x - t) + sum
        };
        sum = t;
    }
    sum + compensation
}

/// Values summed per block before blocks are combined with compensation.
const SUM_BLOCK: usize = 4096;

/// The sum of `term(x)` over `values`, depending only on their order, not on threads: blocks of
/// [`SUM_BLOCK`] values are summed in eight interleaved lanes (pairwise-like error growth,
/// vectorisable), and the block sums are combined with Neumaier compensation. For values of one
/// sign the relative error is about `SUM_BLOCK / 8 × ε`; it is not a cancellation-proof sum.
pub fn accurate_sum(values: &[f64], term: impl Fn(f64) -> f64) -> f64 {
    let mut blocks = Vec::with_capacity(values.len() / SUM_BLOCK + 1);
    for block in values.chunks(SUM_BLOCK) {
        let mut lanes = [0.0f64; 8];
        let mut eights = block.chunks_exact(8);
        for eight in &mut eights {
            for (lane, x) in lanes.iter_mut().zip(eight) {
                *lane += term(*x);
            }
        }
        for (lane, x) in lanes.iter_mut().zip(eights.remainder()) {
            *lane += term(*x);
        }
        blocks.push(neumaier_sum(lanes.into_iter()));
    }
    neumaier_sum(blocks.into_iter())
}

/// Type-7 percentiles with binomial order-statistic intervals; `finite` holds only finite
/// values.
pub fn percentile_estimates(
    finite: &[f64],
    percentiles: &[f64],
    level: f64,
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
    order_summary(finite, percentiles, level).0
}

/// The percentile estimates and the minimum and maximum of `finite` (non-empty), all found in
/// one radix selection.
fn order_summary(
    finite: &[f64],
    percentiles: &[f64],
    level: f64,
) -> (Vec<PercentileEstimate>, f64, f64) {
    let n = finite.len();
    type Plan = ((usize, usize, f64), (usize, usize));
    let plans: Vec<Plan> = percentiles
        .iter()
        .map(|pct| {
            let p = pct / 100.0;
            (order::type7_ranks(n, p), order::ci_ranks(n, p, level))
        })
        .collect();
    let mut ranks: Vec<usize> = plans
        .iter()
        .flat_map(|((lo, hi, _), (ci_lo, ci_hi))| [*lo, *hi, *ci_lo, *ci_hi])
        .chain([0, n - 1])
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let values = order::order_statistics_of_finite(finite, &ranks);
    let at = |rank: usize| values[ranks.binary_search(&rank).expect("rank was selected")];
    let estimates = percentiles
        .iter()
        .zip(plans)
        .map(
            |(pct, ((lo, hi, weight), (ci_lo, ci_hi)))| PercentileEstimate {
                percentile: *pct,
                value: at(lo) + weight * (at(hi) - at(lo)),
                ci_low: at(ci_lo),
                ci_high: at(ci_hi),
            },
        )
        .collect();
    (estimates, at(0), at(n - 1))
}

#[cfg(test)]
mod tests;
