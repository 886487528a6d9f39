//! The bootstrap behind the Sobol and width intervals: a Poisson bootstrap with percentile
//! intervals.
//!
//! Resampling N rows with replacement gives each row a multiplicity; the classic bootstrap
//! draws them jointly (multinomial, summing to N). The Poisson bootstrap draws each row's
//! multiplicity independently from Poisson(1) (Hanley & MacGibbon 2006, "Creating non-parametric
//! bootstrap samples using Poisson frequencies", Computer Methods and Programs in Biomedicine
//! 83, 57–62; Chamandy et al. 2012, "Estimating uncertainty for massive data streams"), which
//! matches the multinomial for large N (Poisson(1) is the limit of Binomial(N, 1/N)) and has
//! one practical advantage: the multiplicity of row j in resample r is a pure function of
//! `(seed, r, j)`. So every resample is accumulated in one pass over the rows (Sobol), only the
//! rows an estimate needs are visited (the tails of a sorted column, for the width), paired
//! runs share resamples for free, and the result does not depend on the thread count.
//!
//! Units: at up to 65,535 rows each row is a unit. Beyond, rows are resampled in blocks of `b`
//! consecutive rows, `b` the largest power of two with at least 32,768 blocks
//! ([`rows_per_unit`]), so 32,768 to 65,535 units: a block's rows share one multiplicity. Rows
//! are independent draws, so blocks are independent, identically distributed units, and the
//! Poisson bootstrap over them is the bootstrap of a sample of blocks (a cluster bootstrap,
//! Davison & Hinkley 1997, §3.8), consistent for the same smooth statistics (ratios of means,
//! quantiles); a block sum has `b` times a row's variance, so the resampled spread is the same
//! in expectation. What it saves: a row's terms are summed once into its block, and a resample
//! weights the block sums (the Sobol pass costs `R × N ÷ b` weighted sums instead of `R × N`),
//! and a resample's multiplicities fit in a table of at most 65,535 entries.
//!
//! Intervals are percentile intervals (Efron & Tibshirani 1993, §13.3): the type-7 quantiles at
//! (1 ∓ level) / 2 of the resampled statistics.

use crate::rng::splitmix64;
use crate::stats::order::type7_ranks;

/// How the bootstrap runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    /// Poisson resamples drawn (R).
    pub resamples: usize,
    /// Seed of the multiplicities: the multiplicity of row j in resample r is a function of
    /// `(seed, r, j)` alone.
    pub seed: u64,
    /// Confidence level of the percentile intervals.
    pub level: f64,
}

/// Fewest bootstrap units beyond which rows are grouped into blocks ([`rows_per_unit`]).
pub const MIN_UNITS: usize = 32_768;

/// Rows per bootstrap unit for `rows` rows: 1 below `2 × MIN_UNITS` rows, else the largest
/// power of two `b` with `rows ÷ b ≥ MIN_UNITS` (so `MIN_UNITS` to `2 × MIN_UNITS − 1` units).
pub fn rows_per_unit(rows: usize) -> usize {
    if rows < 2 * MIN_UNITS {
        return 1;
    }
    let ratio = rows / MIN_UNITS;
    1 << (usize::BITS - 1 - ratio.leading_zeros())
}

/// Multiplicities above this are cut to it (probability below 10⁻¹⁹ per row).
const MAX_WEIGHT: usize = 20;

/// Multiplicities below this are found without branches.
const COMMON_WEIGHTS: usize = 8;

/// Poisson(1) multiplicities keyed by (resample, row).
#[derive(Debug, Clone)]
pub struct PoissonWeights {
    seed: u64,
    /// `thresholds[k]` = ⌊F(k) · 2⁶⁴⌋, F the Poisson(1) CDF.
    thresholds: [u64; MAX_WEIGHT],
}

impl PoissonWeights {
    /// The multiplicities of the bootstrap seeded with `seed`.
    pub fn new(seed: u64) -> PoissonWeights {
        let mut thresholds = [u64::MAX; MAX_WEIGHT];
        let (mut term, mut cdf) = ((-1.0f64).exp(), 0.0);
        for (k, threshold) in thresholds.iter_mut().enumerate() {
            cdf += term;
            term /= (k + 1) as f64;
            // Saturating conversion: F(k) rounds to 1 from k = 18 on.
            *threshold = (cdf * 2f64.powi(64)) as u64;
        }
        PoissonWeights { seed, thresholds }
    }

    /// The multiplicity of unit `j` (a row, or a block of rows: see [`rows_per_unit`]) in
    /// resample `r`: inverse-CDF Poisson(1) from a 64-bit hash of (seed, r, j).
    #[inline]
    pub fn weight(&self, r: usize, j: usize) -> u32 {
        let mut state = self
            .seed
            .wrapping_add((r as u64).wrapping_mul(0xA076_1D64_78BD_642F))
            ^ (j as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
        let u = splitmix64(&mut state);
        // Branch-free for the common values (the weights are random, so a loop's exit branch
        // would mispredict); 8 or more (probability 1.0e-5) continues one step at a time.
        let mut k: usize = self.thresholds[..COMMON_WEIGHTS]
            .iter()
            .map(|t| usize::from(u >= *t))
            .sum();
        while (COMMON_WEIGHTS..MAX_WEIGHT).contains(&k) && u >= self.thresholds[k] {
            k += 1;
        }
        k as u32
    }
}

/// The type-7 quantiles at (1 ∓ level) / 2 of the finite values of `draws`.
pub fn percentile_interval(draws: &[f64], level: f64) -> (f64, f64) {
    let mut finite: Vec<f64> = draws.iter().copied().filter(|x| x.is_finite()).collect();
    if finite.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    finite.sort_unstable_by(f64::total_cmp);
    let at = |p: f64| {
        let (lo, hi, weight) = type7_ranks(finite.len(), p);
        finite[lo] + weight * (finite[hi] - finite[lo])
    };
    (at((1.0 - level) / 2.0), at((1.0 + level) / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_poisson_one_and_reproducible() {
        let weights = PoissonWeights::new(5);
        let n = 200_000;
        let draws: Vec<f64> = (0..n).map(|j| f64::from(weights.weight(3, j))).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / n as f64;
        let zeros = draws.iter().filter(|w| **w == 0.0).count() as f64 / n as f64;
        let twos = draws.iter().filter(|w| **w == 2.0).count() as f64 / n as f64;
        let e = (-1.0f64).exp();
        assert!(
            (mean - 1.0).abs() < 0.01 && (var - 1.0).abs() < 0.02,
            "{mean} {var}"
        );
        assert!((zeros - e).abs() < 0.005 && (twos - e / 2.0).abs() < 0.005);
        assert_eq!(weights.weight(3, 17), PoissonWeights::new(5).weight(3, 17));
        let differ =
            |a: &PoissonWeights, r: usize| (0..100).any(|j| a.weight(r, j) != weights.weight(3, j));
        assert!(differ(&weights, 4) && differ(&PoissonWeights::new(6), 3));
    }

    #[test]
    fn resamples_are_uncorrelated() {
        let weights = PoissonWeights::new(1);
        let n = 100_000;
        let pair: f64 = (0..n)
            .map(|j| {
                (f64::from(weights.weight(0, j)) - 1.0) * (f64::from(weights.weight(1, j)) - 1.0)
            })
            .sum::<f64>()
            / n as f64;
        assert!(pair.abs() < 0.015, "{pair}");
    }

    #[test]
    fn units_are_rows_until_there_are_enough_blocks() {
        assert_eq!(rows_per_unit(1), 1);
        assert_eq!(rows_per_unit(65_535), 1);
        assert_eq!(rows_per_unit(65_536), 2);
        assert_eq!(rows_per_unit(1_000_000), 16);
        assert_eq!(rows_per_unit(1 << 30), 1 << 15);
        for rows in [65_536usize, 100_000, 1_000_000, 12_345_678] {
            let units = rows.div_ceil(rows_per_unit(rows));
            assert!(
                (MIN_UNITS..2 * MIN_UNITS + 1).contains(&units),
                "{rows}: {units}"
            );
        }
    }

    #[test]
    fn percentile_interval_of_a_known_list() {
        let draws: Vec<f64> = (0..=100).map(f64::from).collect();
        let (low, high) = percentile_interval(&draws, 0.9);
        assert!((low - 5.0).abs() < 1e-12 && (high - 95.0).abs() < 1e-12);
        let (lo, hi) = percentile_interval(&[f64::NAN], 0.9);
        assert!(lo.is_nan() && hi.is_nan());
    }
}
