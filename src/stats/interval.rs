//! Confidence intervals for the mean (Student t; Cornish–Fisher expansion of its quantile for
//! large samples) and for a probability (Wilson score, Wilson 1927).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// A two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower end, in the unit of the estimate; `-inf` when the interval is open below.
    pub low: f64,
    /// Upper end, in the unit of the estimate; `inf` when the interval is open above.
    pub high: f64,
}

/// Above this many degrees of freedom statrs' t quantile loses accuracy (at 10⁷ it returns
/// 1.83 for the 97.5% point instead of 1.96), so the Cornish–Fisher expansion takes over.
const T_EXPANSION_MIN_DOF: f64 = 1e4;

/// The two-sided critical value of Student's t with `dof` degrees of freedom at `level`:
/// statrs' quantile up to 10⁴ degrees of freedom, beyond that the Cornish–Fisher expansion in
/// 1/ν (Abramowitz & Stegun 26.7.5), whose next term is below 1e-15 there.
pub fn t_critical(dof: f64, level: f64) -> f64 {
    let upper = 0.5 + level / 2.0;
    if dof > T_EXPANSION_MIN_DOF {
        let z = Normal::standard().inverse_cdf(upper);
        let g1 = (z.powi(3) + z) / 4.0;
        let g2 = (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / 96.0;
        let g3 = (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / 384.0;
        return z + g1 / dof + g2 / dof.powi(2) + g3 / dof.powi(3);
    }
    StudentsT::new(0.0, 1.0, dof)
        .map(|t| t.inverse_cdf(upper))
        .unwrap_or(f64::NAN)
}

/// The standard normal quantile at `0.5 + level / 2`.
pub fn z_critical(level: f64) -> f64 {
    Normal::standard().inverse_cdf(0.5 + level / 2.0)
}

/// Student-t interval for a mean from `n` samples with standard deviation `sd`. One sample
/// says nothing about the spread: the interval is open on both sides, `(−∞, ∞)`; none is NaN.
pub fn mean_interval(mean: f64, sd: f64, n: usize, level: f64) -> Interval {
    if n < 2 {
        let unbounded = if n == 1 { f64::INFINITY } else { f64::NAN };
        return Interval {
            low: -unbounded,
            high: unbounded,
        };
    }
    let half = t_critical((n - 1) as f64, level) * sd / (n as f64).sqrt();
    Interval {
        low: mean - half,
        high: mean + half,
    }
}

/// Wilson score interval for a binomial proportion `successes / n` (Wilson 1927).
pub fn wilson(successes: usize, n: usize, level: f64) -> Interval {
    if n == 0 {
        return Interval {
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let z = z_critical(level);
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_critical_matches_tables() {
        assert!((t_critical(10.0, 0.95) - 2.228_138_851_986).abs() < 1e-9);
        assert!((t_critical(1000.0, 0.95) - 1.962_339_081).abs() < 1e-8);
        assert!((t_critical(10.0, 0.99) - 3.169_272_672_617).abs() < 1e-8);
    }

    #[test]
    fn t_critical_is_accurate_for_huge_samples_statrs_regression() {
        // Exact values (R: qt(0.975, df)); statrs alone gave 1.8266 at 1e7.
        assert!((t_critical(1e5, 0.95) - 1.959_987_708_0).abs() < 1e-9);
        assert!((t_critical(1e7, 0.95) - 1.959_964_221_8).abs() < 1e-9);
        let below = t_critical(T_EXPANSION_MIN_DOF, 0.95);
        let above = t_critical(T_EXPANSION_MIN_DOF * 1.000_001, 0.95);
        assert!((below - above).abs() < 1e-9, "{below} vs {above}");
    }

    #[test]
    fn wilson_matches_a_worked_example() {
        // 81 successes of 263 at 95%: [0.2553, 0.3662] (Newcombe 1998, table I style check).
        let ci = wilson(81, 263, 0.95);
        assert!((ci.low - 0.2553).abs() < 5e-4, "{ci:?}");
        assert!((ci.high - 0.3662).abs() < 5e-4, "{ci:?}");
    }

    #[test]
    fn wilson_stays_inside_zero_one() {
        let none = wilson(0, 50, 0.95);
        assert_eq!(none.low, 0.0);
        assert!(none.high > 0.0 && none.high < 0.1);
        let all = wilson(50, 50, 0.95);
        assert_eq!(all.high, 1.0);
    }
}
