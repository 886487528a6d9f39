//! Percentiles as exact order statistics, with distribution-free confidence intervals.
//!
//! Definitions (Hyndman & Fan 1996), with the sorted sample `x(1) ≤ … ≤ x(n)`:
//! - type 7, the default of R and NumPy, for metrics on a continuous scale: with
//!   `h = (n − 1)·p + 1`, the estimate is `x(⌊h⌋) + (h − ⌊h⌋)·(x(⌊h⌋+1) − x(⌊h⌋))`;
//! - type 1, the inverse of the empirical CDF, for metrics that only take whole values (GPUs):
//!   `x(⌈np⌉)` (`x(1)` at `p = 0`), always a value the metric took.
//!
//! Confidence interval (David & Nagaraja, *Order Statistics*, §7.1): the number `K` of samples
//! at or below the true quantile `ξ_p` is Binomial(n, p) for a continuous distribution, so
//! `x(l) ≤ ξ_p` fails only when `K < l` and `x(u) ≥ ξ_p` only when `K ≥ u`. With
//! `l = min { k : P(K ≤ k) ≥ α/2 }` and `u` the smallest rank with `P(K ≥ u) ≤ α/2`, each
//! end misses with probability at most `α/2` and `[x(l), x(u)]` covers `ξ_p` with probability
//! at least `1 − α`; for a discrete distribution (ties) the coverage is only higher. The
//! binomial quantiles are exact at every `n` ([`super::binomial`]).
//!
//! When `l` would be 0 (`(1 − p)ⁿ ≥ α/2`) or `u` would be `n + 1` (`pⁿ ≥ α/2`), no order
//! statistic is far enough out: that end is open (`−∞` or `+∞`), never clamped to the sample
//! minimum or maximum, which would claim more confidence than the sample holds. P0 and P100
//! are always open on their outer side.
//!
//! Only the needed order statistics are found, without sorting or reordering the data, by
//! radix selection ([`order_statistics`]): one pass builds a histogram of the top 16 bits of
//! each value's order-preserving integer key, which tells which bucket holds each wanted rank;
//! a second pass copies out just those buckets, which are then resolved the same way on the
//! next 16 bits, or sorted once small. Two passes over the data for any number of ranks,
//! against ~log₂(k) passes for multi-quickselect and a full O(n log n) sort.

use super::binomial;

/// 0-based ranks `(lower, upper)` of the order statistics bracketing percentile `p` (in
/// `[0, 1]`) with confidence `level`, for `n ≥ 1` samples; `None` where no order statistic is
/// far enough out, i.e. the interval is open on that side.
pub fn ci_ranks(n: usize, p: f64, level: f64) -> (Option<usize>, Option<usize>) {
    if p <= 0.0 {
        return (None, Some(0));
    }
    if p >= 1.0 {
        return (Some(n - 1), None);
    }
    let half_alpha = (1.0 - level) / 2.0;
    let n64 = n as u64;
    // 1-based l = min { k : P(K ≤ k) ≥ α/2 }; l = 0 has no order statistic.
    let lower_1based = binomial::quantile(n64, p, half_alpha, false);
    // P(K ≥ u) = P(n − K ≤ n − u) with n − K ~ Binomial(n, 1 − p): the smallest such u is
    // n + 1 − min { j : P(n − K ≤ j) > α/2 }; u = n + 1 has no order statistic.
    let upper_1based = n64 + 1 - binomial::quantile(n64, 1.0 - p, half_alpha, true);
    (
        (lower_1based >= 1).then(|| lower_1based as usize - 1),
        (upper_1based <= n64).then(|| upper_1based as usize - 1),
    )
}

/// The smallest sample size whose interval for percentile `p` (in `(0, 1)`) at `level` has
/// both ends: `(1 − p)ⁿ < α/2` and `pⁿ < α/2`.
pub fn samples_for_closed_interval(p: f64, level: f64) -> u64 {
    let ln_half_alpha = ((1.0 - level) / 2.0).ln();
    let tail = p.min(1.0 - p);
    (ln_half_alpha / (-tail).ln_1p()).floor() as u64 + 1
}

/// 0-based ranks and weight of the type-7 estimate: `x[lo] + weight · (x[hi] − x[lo])`.
pub fn type7_ranks(n: usize, p: f64) -> (usize, usize, f64) {
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = (h.floor() as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    (lo, hi, h - lo as f64)
}

/// 0-based rank of the type-1 estimate of the percentile `percent` (in `[0, 100]`):
/// `⌈n · percent / 100⌉ − 1`, at least 0. The product is formed before the division, and a
/// result within a few ulps of a whole number counts as whole, so that e.g. P7 of 100 samples
/// is `x(7)` although `0.07 · 100` is `7.000000000000001` in floating point.
pub fn type1_rank(n: usize, percent: f64) -> usize {
    let x = n as f64 * percent.clamp(0.0, 100.0) / 100.0;
    let nearest = x.round();
    let whole = if (x - nearest).abs() <= 8.0 * f64::EPSILON * x {
        nearest
    } else {
        x.ceil()
    };
    (whole as usize).clamp(1, n) - 1
}

/// Bits of the key resolved per radix pass.
const RADIX_BITS: u32 = 16;

/// Buckets this small (or keys fully resolved) are sorted directly.
const SORT_BELOW: usize = 1 << 12;

/// An unsigned integer whose order is the total order of finite `f64` values.
#[inline]
fn key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The values at 0-based `ranks` (sorted, unique, each `< n`) of the finite values of `data`
/// (non-finite values are skipped; `n` is the number of finite values), as a full sort would
/// place them. `data` is not modified.
pub fn order_statistics(data: &[f64], ranks: &[usize]) -> Vec<f64> {
    let finite: Vec<f64>;
    let values: &[f64] = if data.iter().all(|x| x.is_finite()) {
        data
    } else {
        finite = data.iter().copied().filter(|x| x.is_finite()).collect();
        &finite
    };
    radix_select(values, ranks, 0)
}

/// [`order_statistics`] for data the caller knows to be finite.
pub(crate) fn order_statistics_of_finite(finite: &[f64], ranks: &[usize]) -> Vec<f64> {
    debug_assert!(finite.iter().all(|x| x.is_finite()));
    radix_select(finite, ranks, 0)
}

fn radix_select(data: &[f64], ranks: &[usize], level: u32) -> Vec<f64> {
    let resolved_bits = RADIX_BITS * level;
    if data.len() <= SORT_BELOW || resolved_bits >= 64 || data.len() >= u32::MAX as usize {
        let mut sorted = data.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        return ranks.iter().map(|r| sorted[*r]).collect();
    }
    let width = RADIX_BITS.min(64 - resolved_bits);
    let bucket = |x: f64| ((key(x) << resolved_bits) >> (64 - width)) as usize;
    let mut counts = vec![0u32; 1 << width];
    for x in data {
        counts[bucket(*x)] += 1;
    }
    // For each rank: its bucket and its rank inside the bucket.
    let mut wanted: Vec<(usize, usize)> = Vec::with_capacity(ranks.len());
    let (mut start, mut next) = (0usize, 0usize);
    for (index, count) in counts.iter().enumerate() {
        let end = start + *count as usize;
        while next < ranks.len() && ranks[next] < end {
            wanted.push((index, ranks[next] - start));
            next += 1;
        }
        start = end;
    }
    // Each wanted bucket's copy, sized exactly; then reuse `counts` as bucket -> slot
    // (u32::MAX: not wanted).
    let mut buckets: Vec<Vec<f64>> = Vec::new();
    let mut slots: Vec<usize> = Vec::new();
    for (index, _) in &wanted {
        if slots.last() != Some(index) {
            slots.push(*index);
            buckets.push(Vec::with_capacity(counts[*index] as usize));
        }
    }
    counts.fill(u32::MAX);
    for (slot, index) in slots.iter().enumerate() {
        counts[*index] = slot as u32;
    }
    for x in data {
        let slot = counts[bucket(*x)];
        if slot != u32::MAX {
            buckets[slot as usize].push(*x);
        }
    }
    let mut values = Vec::with_capacity(ranks.len());
    for (slot, contents) in buckets.iter().enumerate() {
        let local: Vec<usize> = wanted
            .iter()
            .filter(|(index, _)| counts[*index] as usize == slot)
            .map(|(_, rank)| *rank)
            .collect();
        values.extend(radix_select(contents, &local, level + 1));
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_statistics_match_a_full_sort_on_hard_inputs() {
        let mut state = 3u64;
        let mut next = || crate::rng::splitmix64(&mut state);
        let cases: Vec<Vec<f64>> = vec![
            (0..50_000).map(|_| (next() >> 11) as f64 * 1e-3).collect(),
            (0..50_000).map(|_| ((next() % 7) as f64) * 8.0).collect(),
            (0..50_000)
                .map(|_| f64::from_bits(next() >> 2) - 1e300)
                .collect(),
            (0..50_000)
                .map(|_| (next() as i64 as f64) * 1e-20)
                .collect(),
            vec![2.5; 30_000],
            (0..30_000)
                .map(|i| {
                    if i % 2 == 0 {
                        -0.0
                    } else {
                        1.0 + f64::EPSILON * (i % 5) as f64
                    }
                })
                .collect(),
        ];
        for (case, data) in cases.into_iter().enumerate() {
            let mut sorted = data.clone();
            sorted.sort_by(f64::total_cmp);
            let n = data.len();
            let ranks = [0, 1, n / 100, n / 2 - 1, n / 2, n / 2 + 1, n - 2, n - 1];
            let found = order_statistics(&data, &ranks);
            let expected: Vec<f64> = ranks.iter().map(|r| sorted[*r]).collect();
            assert_eq!(found, expected, "case {case}");
        }
    }

    #[test]
    fn order_statistics_skip_non_finite_values() {
        let data = [3.0, f64::NAN, 1.0, f64::INFINITY, 2.0, f64::NEG_INFINITY];
        assert_eq!(order_statistics(&data, &[0, 1, 2]), vec![1.0, 2.0, 3.0]);
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
        assert_eq!(ci_ranks(100, 0.5, 0.95), (Some(39), Some(60)));
    }

    #[test]
    fn ci_ranks_are_open_where_no_order_statistic_is_far_enough_out() {
        // 0.99⁵ = 0.95 ≥ 0.025: no lower end; P(K ≥ 2) = 0.00098 ≤ 0.025: upper end x(2).
        assert_eq!(ci_ranks(5, 0.01, 0.95), (None, Some(1)));
        assert_eq!(ci_ranks(5, 0.99, 0.95), (Some(3), None));
        assert_eq!(ci_ranks(1, 0.5, 0.95), (None, None));
        assert_eq!(ci_ranks(7, 0.0, 0.95), (None, Some(0)));
        assert_eq!(ci_ranks(7, 1.0, 0.95), (Some(6), None));
        // P1 needs 368 samples for a lower end at 95%: 0.99³⁶⁷ = 0.0250 ≥ 0.025 > 0.99³⁶⁸.
        assert_eq!(samples_for_closed_interval(0.01, 0.95), 368);
        assert_eq!(ci_ranks(367, 0.01, 0.95).0, None);
        assert_eq!(ci_ranks(368, 0.01, 0.95).0, Some(0));
        assert_eq!(samples_for_closed_interval(0.5, 0.95), 6);
        assert_eq!(ci_ranks(5, 0.5, 0.95), (None, None));
        assert_eq!(ci_ranks(6, 0.5, 0.95), (Some(0), Some(5)));
    }

    #[test]
    fn type1_is_the_inverse_empirical_cdf() {
        // numpy.percentile(range(1, 101), 7, method="inverted_cdf") == 7
        assert_eq!(type1_rank(100, 7.0), 6);
        assert_eq!(type1_rank(100, 7.5), 7);
        assert_eq!(type1_rank(100, 0.0), 0);
        assert_eq!(type1_rank(100, 100.0), 99);
        assert_eq!(type1_rank(1000, 99.9), 998);
        assert_eq!(type1_rank(20, 1.0), 0);
        assert_eq!(type1_rank(20, 99.0), 19);
        assert_eq!(type1_rank(3, 50.0), 1);
        assert_eq!(type1_rank(4, 50.0), 1);
    }
}
