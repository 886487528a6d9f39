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
    let radix = Radix::at(level);
    let mut counter = Counter::new(radix.buckets(), data.len());
    counter.add(data, |x| radix.bucket(x));
    let counts = counter.finish();
    let mut gather = Gather::new(counts, ranks);
    gather.add(data, |x| radix.bucket(x));
    gather.resolve(level)
}

/// Whether [`count_and_sum`] and [`select_and_sum`] do radix selection (else a sort is cheaper,
/// or the data too long for `u32` counts).
pub(crate) fn fused_passes_apply(len: usize) -> bool {
    len > SORT_BELOW && len < u32::MAX as usize
}

/// The first radix pass over `data` (see [`fused_passes_apply`]), which also sums `data` as
/// [`accurate_sum`](super::moments::accurate_sum) does, bit for bit: one read of the column
/// for both.
pub(crate) fn count_and_sum(data: &[f64]) -> (f64, Vec<u32>) {
    let radix = Radix::at(0);
    let mut counter = Counter::new(radix.buckets(), data.len());
    let total = super::moments::accurate_sum_visiting(
        data,
        |x| x,
        |block| counter.add(block, |x| radix.bucket(x)),
    );
    (total, counter.finish())
}

/// The values at `ranks` of `data` (all finite) from the `counts` of [`count_and_sum`], and the
/// [`accurate_sum`](super::moments::accurate_sum) of `term` over `data`, in one more read.
pub(crate) fn select_and_sum(
    data: &[f64],
    counts: Vec<u32>,
    ranks: &[usize],
    term: impl Fn(f64) -> f64,
) -> (Vec<f64>, f64) {
    let radix = Radix::at(0);
    let mut gather = Gather::new(counts, ranks);
    let sum = super::moments::accurate_sum_visiting(data, term, |block| {
        gather.add(block, |x| radix.bucket(x));
    });
    (gather.resolve(0), sum)
}

/// The buckets of one level of radix selection: the next [`RADIX_BITS`] bits of the key.
#[derive(Clone, Copy)]
struct Radix {
    resolved_bits: u32,
    width: u32,
}

impl Radix {
    fn at(level: u32) -> Radix {
        let resolved_bits = RADIX_BITS * level;
        Radix {
            resolved_bits,
            width: RADIX_BITS.min(64 - resolved_bits),
        }
    }

    fn buckets(self) -> usize {
        1 << self.width
    }

    #[inline]
    fn bucket(self, x: f64) -> usize {
        ((key(x) << self.resolved_bits) >> (64 - self.width)) as usize
    }
}

/// Counts of values per bucket. Neighbouring values of a column often share a bucket, and
/// incrementing one counter again before its last increment is stored stalls the loop, so
/// four interleaved sets of counters are kept and added at the end.
/// Short data (fewer than 65,536 values) get one set.
struct Counter {
    buckets: usize,
    sets: Vec<u32>,
}

impl Counter {
    fn new(buckets: usize, values: usize) -> Counter {
        let sets = if values < 1 << 16 { 1 } else { 4 };
        Counter {
            buckets,
            sets: vec![0u32; sets * buckets],
        }
    }

    fn add(&mut self, data: &[f64], bucket: impl Fn(f64) -> usize) {
        if self.sets.len() == self.buckets {
            for x in data {
                self.sets[bucket(*x)] += 1;
            }
            return;
        }
        let (sets01, sets23) = self.sets.split_at_mut(2 * self.buckets);
        let (set0, set1) = sets01.split_at_mut(self.buckets);
        let (set2, set3) = sets23.split_at_mut(self.buckets);
        let mut fours = data.chunks_exact(4);
        for four in &mut fours {
            set0[bucket(four[0])] += 1;
            set1[bucket(four[1])] += 1;
            set2[bucket(four[2])] += 1;
            set3[bucket(four[3])] += 1;
        }
        for x in fours.remainder() {
            set0[bucket(*x)] += 1;
        }
    }

    fn finish(mut self) -> Vec<u32> {
        if self.sets.len() == self.buckets {
            return self.sets;
        }
        let (set0, rest) = self.sets.split_at_mut(self.buckets);
        let (set1, rest) = rest.split_at_mut(self.buckets);
        let (set2, set3) = rest.split_at_mut(self.buckets);
        for (((a, b), c), d) in set0.iter_mut().zip(&*set1).zip(&*set2).zip(&*set3) {
            *a += b + c + d;
        }
        self.sets.truncate(self.buckets);
        self.sets
    }
}

/// The second pass of one level: copies of the buckets that hold a wanted rank.
struct Gather {
    /// For each rank: its bucket and its rank inside the bucket.
    wanted: Vec<(usize, usize)>,
    /// Bucket → slot in `copies` (`u32::MAX`: not wanted).
    slot_of: Vec<u32>,
    copies: Vec<Vec<f64>>,
}

impl Gather {
    fn new(mut counts: Vec<u32>, ranks: &[usize]) -> Gather {
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
        // Each wanted bucket's copy, sized exactly; then `counts` becomes bucket → slot.
        let mut copies: Vec<Vec<f64>> = Vec::new();
        let mut slots: Vec<usize> = Vec::new();
        for (index, _) in &wanted {
            if slots.last() != Some(index) {
                slots.push(*index);
                copies.push(Vec::with_capacity(counts[*index] as usize));
            }
        }
        counts.fill(u32::MAX);
        for (slot, index) in slots.iter().enumerate() {
            counts[*index] = slot as u32;
        }
        Gather {
            wanted,
            slot_of: counts,
            copies,
        }
    }

    fn add(&mut self, data: &[f64], bucket: impl Fn(f64) -> usize) {
        for x in data {
            let slot = self.slot_of[bucket(*x)];
            if slot != u32::MAX {
                self.copies[slot as usize].push(*x);
            }
        }
    }

    /// The wanted values, each bucket resolved on the next level.
    fn resolve(self, level: u32) -> Vec<f64> {
        let mut values = Vec::with_capacity(self.wanted.len());
        for (slot, contents) in self.copies.iter().enumerate() {
            let local: Vec<usize> = self
                .wanted
                .iter()
                .filter(|(index, _)| self.slot_of[*index] as usize == slot)
                .map(|(_, rank)| *rank)
                .collect();
            values.extend(radix_select(contents, &local, level + 1));
        }
        values
    }
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
