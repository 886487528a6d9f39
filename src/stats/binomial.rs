//! Exact tail probabilities and quantiles of the Binomial(n, p) distribution, for every `n` a
//! run can draw (statrs' `Binomial::inverse_cdf` fails from about n = 2²⁵, where its
//! incomplete-beta continued fraction stops converging within its fixed 140 iterations).
//!
//! Method:
//! - The probability mass `b(k) = P(K = k)` is computed in Loader's saddle-point form
//!   (C. Loader, *Fast and accurate computation of binomial probabilities*, 2000; the algorithm
//!   of R's `dbinom`): `ln b(k) = δ(n) − δ(k) − δ(n−k) − D(k, np) − D(n−k, nq)
//!   − ½ ln(2π k (n−k) / n)`, with `δ` the Stirling-series remainder of `ln m!` and
//!   `D(x, μ) = x ln(x/μ) + μ − x` evaluated by its series near `x = μ`. It keeps full relative
//!   precision at any `n`, where `ln Γ` differences lose it.
//! - A tail below the mean is summed outwards from `k`: `b(j−1)/b(j) = j q / ((n−j+1) p) < 1`
//!   decreases with `j`, so once a term times `r / (1 − r)` is below 10⁻¹⁷ of the sum, the
//!   rest is too, and the sum stops (a rigorous bound on what is left out). It takes
//!   O(√(npq)) terms: about 10⁵ at n = 2³⁰, always negligible beside drawing the n samples.
//!   A tail that would reach past the mean is taken as one minus the other tail.
//! - The quantile `min { k : P(K ≤ k) ≥ t }` is found by a search started at the
//!   Cornish–Fisher normal approximation, widened by doubling steps until it brackets the
//!   answer, then bisected on the exact tails.
//!
//! Accuracy: relative error of a tail about `√(npq) · ε` (below 10⁻¹¹ for n ≤ 2³⁶), so a
//! quantile is exact unless the tail at a rank is within that of the target. Counts are
//! handled as `f64`, exact for `n < 2⁵³`.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::gamma::ln_gamma;

/// `ln √(2π)`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Relative size of the neglected rest of a tail sum.
const TAIL_TOLERANCE: f64 = 1e-17;

/// `δ(m)` for `m = 0, 1, …, 15` (from `ln Γ` in 40-digit arithmetic, rounded to `f64`), where
/// the series converges too slowly and `ln Γ` differences lose digits.
#[rustfmt::skip]
const STIRLING_ERROR_SMALL: [f64; 16] = [
    0.0,
    0.081_061_466_795_327_26, 0.041_340_695_955_409_3,
    0.027_677_925_684_998_34, 0.020_790_672_103_765_093,
    0.016_644_691_189_821_193, 0.013_876_128_823_070_748,
    0.011_896_709_945_891_77, 0.010_411_265_261_972_096,
    0.009_255_462_182_712_733, 0.008_330_563_433_362_87,
    0.007_573_675_487_951_841, 0.006_942_840_107_209_53,
    0.006_408_994_188_004_207, 0.005_951_370_112_758_847_5,
    0.005_554_733_551_962_801,
];

/// `δ(m) = ln m! − ln(√(2π m) (m/e)^m)`, the error of Stirling's formula (Loader 2000, eq. 4):
/// tabulated for whole `m ≤ 15`, else the Stirling series to the term that is below machine
/// precision.
fn stirling_error(m: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if m <= 15.0 {
        if m == m.floor() {
            return STIRLING_ERROR_SMALL[m as usize];
        }
        return ln_gamma(m + 1.0) - (m + 0.5) * m.ln() + m - LN_SQRT_2PI;
    }
    let mm = m * m;
    if m > 500.0 {
        (S0 - S1 / mm) / m
    } else if m > 80.0 {
        (S0 - (S1 - S2 / mm) / mm) / m
    } else if m > 35.0 {
        (S0 - (S1 - (S2 - S3 / mm) / mm) / mm) / m
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / mm) / mm) / mm) / mm) / m
    }
}

/// `D(x, μ) = x ln(x/μ) + μ − x ≥ 0`, the deviance term (Loader 2000, eq. 5), by its series
/// in `v = (x − μ)/(x + μ)` when `x` is near `μ` (where the direct form cancels).
fn deviance(x: f64, mu: f64) -> f64 {
    if (x - mu).abs() < 0.1 * (x + mu) {
        let v = (x - mu) / (x + mu);
        let mut sum = (x - mu) * v;
        let mut term = 2.0 * x * v;
        let v2 = v * v;
        for j in 1..1000 {
            term *= v2;
            let next = sum + term / f64::from(2 * j + 1);
            if next == sum {
                return next;
            }
            sum = next;
        }
        sum
    } else {
        x * (x / mu).ln() + mu - x
    }
}

/// `ln P(K = k)` for `K ~ Binomial(n, p)`, `q = 1 − p`, `0 < p < 1`, `0 ≤ k ≤ n`.
fn ln_mass(n: f64, k: f64, p: f64, q: f64) -> f64 {
    if k == 0.0 {
        return n * (-p).ln_1p();
    }
    if k == n {
        return n * (-q).ln_1p();
    }
    let lc = stirling_error(n)
        - stirling_error(k)
        - stirling_error(n - k)
        - deviance(k, n * p)
        - deviance(n - k, n * q);
    lc - LN_SQRT_2PI - 0.5 * (k * (1.0 - k / n)).ln()
}

/// `P(K ≤ k)` for `k < np`, summed from `k` downwards (see the module docs).
fn lower_tail_below_mean(n: f64, k: f64, p: f64, q: f64) -> f64 {
    let (mut sum, mut term, mut j) = (1.0f64, 1.0f64, k);
    while j > 0.0 {
        let ratio = j * q / ((n - j + 1.0) * p);
        term *= ratio;
        sum += term;
        if term * ratio / (1.0 - ratio) < TAIL_TOLERANCE * sum {
            break;
        }
        j -= 1.0;
    }
    (ln_mass(n, k, p, q) + sum.ln()).exp()
}

/// `P(K ≤ k)` for `K ~ Binomial(n, p)`, `0 < p < 1`.
pub fn cdf(n: u64, k: u64, p: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    let (nf, kf, q) = (n as f64, k as f64, 1.0 - p);
    if kf < nf * p {
        lower_tail_below_mean(nf, kf, p, q)
    } else {
        // P(K ≥ k + 1) = P(n − K ≤ n − k − 1), n − K ~ Binomial(n, q), and n − k − 1 < nq.
        let upper = lower_tail_below_mean(nf, nf - kf - 1.0, q, p);
        1.0 - upper
    }
}

/// The smallest `k` in `0..=n` with `P(K ≤ k) ≥ t` (with `strict`: `> t`), for
/// `K ~ Binomial(n, p)`, `0 < p < 1`, `t < 1`.
pub fn quantile(n: u64, p: f64, t: f64, strict: bool) -> u64 {
    let holds = |k: u64| {
        let c = cdf(n, k, p);
        if strict {
            c > t
        } else {
            c >= t
        }
    };
    let start = normal_start(n, p, t);
    // Bracket: `below` fails (or is "−1"), `above` holds.
    let (mut below, mut above): (Option<u64>, u64) = if holds(start) {
        let mut step = 1u64;
        let mut above = start;
        loop {
            match above.checked_sub(step) {
                Some(k) if holds(k) => above = k,
                Some(k) => break (Some(k), above),
                None => break (None, above),
            }
            step *= 2;
        }
    } else {
        let mut step = 1u64;
        let mut below = start;
        loop {
            let k = below.saturating_add(step).min(n);
            if holds(k) {
                break (Some(below), k);
            }
            below = k;
            step *= 2;
        }
    };
    if below.is_none() {
        if holds(0) {
            return 0;
        }
        below = Some(0);
    }
    let mut below = below.expect("set above");
    while above - below > 1 {
        let mid = below + (above - below) / 2;
        if holds(mid) {
            above = mid;
        } else {
            below = mid;
        }
    }
    above
}

/// The Cornish–Fisher approximation of the `t`-quantile, clamped to `0..=n`.
fn normal_start(n: u64, p: f64, t: f64) -> u64 {
    let (nf, q) = (n as f64, 1.0 - p);
    let z = Normal::standard().inverse_cdf(t.clamp(1e-300, 1.0 - 1e-16));
    let sd = (nf * p * q).sqrt();
    let guess = nf * p + z * sd + (z * z - 1.0) * (q - p) / 6.0 - 0.5;
    if guess.is_nan() || guess <= 0.0 {
        0
    } else {
        (guess.round() as u64).min(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{Binomial, DiscreteCDF};

    #[test]
    fn cdf_matches_statrs_where_statrs_is_accurate() {
        for n in [1u64, 2, 3, 7, 20, 50, 200, 1000] {
            for p in [0.001, 0.01, 0.05, 0.3, 0.5, 0.77, 0.99] {
                let reference = Binomial::new(p, n).unwrap();
                for k in 0..=n {
                    let (ours, theirs) = (cdf(n, k, p), reference.cdf(k));
                    assert!(
                        (ours - theirs).abs() <= 1e-11 * theirs + 1e-14,
                        "n {n}, p {p}, k {k}: {ours} vs {theirs}"
                    );
                }
            }
        }
    }

    #[test]
    fn quantile_is_the_smallest_count_whose_cdf_reaches_the_target() {
        let sizes = [1u64, 2, 5, 17, 1000, 123_457, 1 << 36];
        let ps = [1e-12, 1e-3, 0.3, 0.5, 0.999, 1.0 - 1e-9];
        let targets = [1e-6, 0.005, 0.025, 0.05, 0.4999];
        for n in sizes {
            for p in ps {
                for t in targets {
                    for strict in [false, true] {
                        let reaches = |k: u64| {
                            let c = cdf(n, k, p);
                            if strict {
                                c > t
                            } else {
                                c >= t
                            }
                        };
                        let k = quantile(n, p, t, strict);
                        assert!(k <= n && reaches(k), "n {n}, p {p}, t {t}: {k}");
                        assert!(k == 0 || !reaches(k - 1), "n {n}, p {p}, t {t}: {k}");
                    }
                }
            }
        }
    }

    #[test]
    fn stirling_error_matches_high_precision_values() {
        // ln Γ(m + 1) − (m + ½) ln m + m − ln √(2π) (mpmath, 40 digits, rounded to f64), on both
        // sides of every switch between series lengths.
        let reference = [
            (1.0, 0.081_061_466_795_327_26),
            (2.0, 0.041_340_695_955_409_3),
            (10.0, 0.008_330_563_433_362_87),
            (15.0, 0.005_554_733_551_962_801),
            (16.0, 0.005_207_655_919_609_640_4),
            (35.0, 0.002_380_887_608_234_112),
            (36.0, 0.002_314_755_290_514_684),
            (80.0, 0.001_041_661_241_561_619_2),
            (81.0, 0.001_028_801_357_710_777_4),
            (500.0, 0.000_166_666_644_444_469_84),
            (501.0, 0.000_166_333_976_579_932_7),
            (1e4, 8.333333330555555e-06),
            (1e9, 8.333333333333333e-11),
        ];
        // What matters is the absolute error, which is the relative error of a mass.
        for (m, exact) in reference {
            let error = (stirling_error(m) - exact).abs();
            assert!(error < 2e-16, "m {m}: {} vs {exact}", stirling_error(m));
        }
    }

    #[test]
    fn deviance_series_matches_the_direct_form() {
        let direct = |x: f64, mu: f64| x * (x / mu).ln() + mu - x;
        for (x, mu) in [(10.0, 11.0), (10.0, 13.0), (1e6, 1.01e6), (3.0, 300.0)] {
            let (series, plain) = (deviance(x, mu), direct(x, mu));
            assert!((series - plain).abs() <= 1e-12 * plain, "{x}, {mu}");
        }
        assert_eq!(deviance(7.0, 7.0), 0.0);
    }
}
