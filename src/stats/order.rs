//! Percentiles as exact order statistics, with distribution-free confidence intervals.
//!
//! Definition: Hyndman & Fan (1996) type 7, the default of R and NumPy: with the sorted sample
//! `x(1) ≤ … ≤ x(n)` and `h = (n − 1)·p + 1`, the estimate is
//! `x(⌊h⌋) + (h − ⌊h⌋)·(x(⌊h⌋+1) − x(⌊h⌋))`.
//!
//! Confidence interval: the number of samples below the true quantile `ξ_p` is
//! Binomial(n, p), so `[x(l), x(u)]` with `l = B⁻¹(α/2)` and `u = B⁻¹(1 − α/2) + 1` (B the
//! Binomial CDF, quantiles from statrs) covers `ξ_p` with probability at least `1 − α` for any
//! continuous distribution (David & Nagaraja, *Order Statistics*, §7.1). When `l` or `u` would
//! fall outside `1..=n` the bound is clamped to the sample minimum or maximum.
//!
//! Only the needed order statistics are found, by recursive `select_nth_unstable` over the
//! sorted list of ranks (multi-quickselect): O(n log k) for k ranks, no full sort.

use statrs::distribution::{Binomial, DiscreteCDF};

/// 0-based ranks `(lower, upper)` of the order statistics bracketing percentile `p` (in
/// `[0, 1]`) with confidence `level`, for `n ≥ 1` samples.
pub fn ci_ranks(n: usize, p: f64, level: f64) -> (usize, usize) {
    if p <= 0.0 {
        return (0, 0);
    }
    if p >= 1.0 {
        return (n - 1, n - 1);
    }
    let alpha = 1.0 - level;
    let binomial = Binomial::new(p, n as u64).expect("p in (0, 1) and n ≥ 1");
    let lower_1based = binomial.inverse_cdf(alpha / 2.0).max(1);
    let upper_1based = (binomial.inverse_cdf(1.0 - alpha / 2.0) + 1).min(n as u64);
    (lower_1based as usize - 1, upper_1based as usize - 1)
}

/// 0-based ranks and weight of the type-7 estimate: `x[lo] + weight · (x[hi] − x[lo])`.
pub fn type7_ranks(n: usize, p: f64) -> (usize, usize, f64) {
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = (h.floor() as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    (lo, hi, h - lo as f64)
}

/// Rearranges `data` so that for every rank `r` in `ranks` (sorted, unique, `< data.len()`),
/// `data[r]` is the value a full sort would put there. `data` must hold no NaN.
pub fn select_ranks(data: &mut [f64], ranks: &[usize]) {
    if ranks.is_empty() {
        return;
    }
    let middle = ranks.len() / 2;
    let pivot = ranks[middle];
    let (left, _, right) = data.select_nth_unstable_by(pivot, f64::total_cmp);
    select_ranks(left, &ranks[..middle]);
    let shifted: Vec<usize> = ranks[middle + 1..].iter().map(|r| r - pivot - 1).collect();
    select_ranks(right, &shifted);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_ranks_matches_a_full_sort() {
        let mut state = 7u64;
        let data: Vec<f64> = (0..10_001)
            .map(|_| crate::engine::seed::splitmix64(&mut state) as f64)
            .collect();
        let mut sorted = data.clone();
        sorted.sort_by(f64::total_cmp);
        let ranks = [0, 1, 17, 500, 4_999, 5_000, 5_001, 9_999, 10_000];
        let mut selected = data;
        select_ranks(&mut selected, &ranks);
        for r in ranks {
            assert_eq!(selected[r], sorted[r], "rank {r}");
        }
    }

    #[test]
    fn type7_matches_numpy_linear() {
        // numpy.percentile([1, 2, 3, 4], 40) == 2.2
        let (lo, hi, w) = type7_ranks(4, 0.4);
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((x[lo] + w * (x[hi] - x[lo]) - 2.2).abs() < 1e-12);
        assert_eq!(type7_ranks(4, 1.0), (3, 3, 0.0));
    }

    #[test]
    fn median_ci_ranks_match_the_textbook_example() {
        // n = 100, median, 95%: the classic interval is [x(40), x(61)] (1-based).
        assert_eq!(ci_ranks(100, 0.5, 0.95), (39, 60));
    }

    #[test]
    fn ci_ranks_are_clamped_for_tiny_samples() {
        assert_eq!(ci_ranks(5, 0.01, 0.95), (0, 1));
        assert_eq!(ci_ranks(5, 0.99, 0.95), (3, 4));
    }
}
