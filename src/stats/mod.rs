//! Summary statistics of one metric's samples, each with a Monte Carlo confidence interval.
//!
//! - Mean: compensated (Neumaier) summation in sample order, so the result does not depend on
//!   thread count; Student-t interval ([`interval::mean_interval`]).
//! - Standard deviation: two-pass, `n − 1` denominator.
//! - Percentiles: exact order statistics, Hyndman–Fan type 7, with distribution-free binomial
//!   intervals ([`order`]).
//! - Exceedance `P(X > threshold)`: Wilson score interval ([`interval::wilson`]).
//!
//! Non-finite samples (from a division by a sampled zero, say) are counted and excluded.

pub mod interval;
pub mod order;

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
pub fn check_percentiles(list: &[f64]) -> Result<(), String> {
    if list.is_empty() {
        return Err("give at least one percentile, e.g. [5, 50, 95]".into());
    }
    match list.iter().find(|p| !(**p >= 0.0 && **p <= 100.0)) {
        Some(bad) => Err(format!("percentile {bad} is outside [0, 100]")),
        None => Ok(()),
    }
}

/// Checks a confidence level: strictly between 0 and 1.
pub fn check_confidence(level: f64) -> Result<(), String> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(format!(
            "confidence {level} must be strictly between 0 and 1, e.g. 0.95"
        ))
    }
}

/// Summarises `column`, which is reordered in place (non-finite values moved to the end,
/// order statistics selected). `percentiles` are in percent.
pub fn summarize(
    column: &mut [f64],
    percentiles: &[f64],
    level: f64,
    thresholds: &[f64],
) -> Summary {
    let finite_len = partition_finite(column);
    let data = &mut column[..finite_len];
    let n = data.len();
    let mean = neumaier_sum(data.iter().copied()) / n as f64;
    let std_dev = if n > 1 {
        (neumaier_sum(data.iter().map(|x| (x - mean) * (x - mean))) / (n - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    let exceedances = thresholds
        .iter()
        .map(|threshold| exceedance(data, *threshold, level))
        .collect();
    let (min, max) = data
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(*x), hi.max(*x))
        });
    Summary {
        samples: n,
        non_finite: column.len() - n,
        mean: if n > 0 { mean } else { f64::NAN },
        mean_ci: interval::mean_interval(mean, std_dev, n, level),
        std_dev,
        min: if n > 0 { min } else { f64::NAN },
        max: if n > 0 { max } else { f64::NAN },
        percentiles: percentile_estimates(&mut column[..finite_len], percentiles, level),
        exceedances,
    }
}

fn exceedance(data: &[f64], threshold: f64, level: f64) -> Exceedance {
    let count = data.iter().filter(|x| **x > threshold).count();
    let ci = interval::wilson(count, data.len(), level);
    Exceedance {
        threshold,
        count,
        probability: count as f64 / data.len() as f64,
        ci_low: ci.low,
        ci_high: ci.high,
    }
}

/// Moves finite values to the front (stable), returning how many there are.
fn partition_finite(column: &mut [f64]) -> usize {
    let mut kept = 0;
    for i in 0..column.len() {
        if column[i].is_finite() {
            column.swap(kept, i);
            kept += 1;
        }
    }
    kept
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

/// Type-7 percentiles with binomial order-statistic intervals; `data` holds only finite
/// values and is reordered.
pub fn percentile_estimates(
    data: &mut [f64],
    percentiles: &[f64],
    level: f64,
) -> Vec<PercentileEstimate> {
    let n = data.len();
    if n == 0 {
        let nan = |percentile| PercentileEstimate {
            percentile,
            value: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
        return percentiles.iter().copied().map(nan).collect();
    }
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
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    order::select_ranks(data, &ranks);
    percentiles
        .iter()
        .zip(plans)
        .map(
            |(pct, ((lo, hi, weight), (ci_lo, ci_hi)))| PercentileEstimate {
                percentile: *pct,
                value: data[lo] + weight * (data[hi] - data[lo]),
                ci_low: data[ci_lo],
                ci_high: data[ci_hi],
            },
        )
        .collect()
}

#[cfg(test)]
mod tests;
