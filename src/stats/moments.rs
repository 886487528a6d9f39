//! Mean and standard deviation of a column, deterministic and overflow-safe.
//!
//! Sums are blocked and compensated ([`accurate_sum`]: eight interleaved lanes per block of
//! 4096 values, block sums combined with Neumaier's compensation, Neumaier 1974), always in
//! sample order, so results do not depend on thread count. The standard deviation is two-pass
//! with the `n − 1` denominator.
//!
//! Scaling: a sum of finite values can overflow (values near `f64::MAX`) and a sum of squared
//! deviations can overflow or underflow (deviations beyond `1e154` or below `1e-154`) although
//! the mean and standard deviation themselves are representable. Only then, the sum is redone
//! on values scaled by a power of two — `2⁻⁶⁴` for the mean; for the deviations, one that puts
//! the largest near 1 (the scaling idea of LAPACK's `dnrm2`, Blue 1978) — and the result is
//! scaled back. A power of two scales every rounding exactly, so the common path is
//! untouched and every path stays deterministic.

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
/// `SUM_BLOCK` (4096) values are summed in eight interleaved lanes (pairwise-like error growth,
/// vectorisable), and the block sums are combined with Neumaier compensation. For values of one
/// sign the relative error is about `SUM_BLOCK / 8 × ε`; it is not a cancellation-proof sum.
pub fn accurate_sum(values: &[f64], term: impl Fn(f64) -> f64) -> f64 {
    accurate_sum_visiting(values, term, |_| {})
}

/// [`accurate_sum`], bit for bit, handing each block of values to `visit` after summing it,
/// while it is in the cache: another pass over a column done in the same read.
pub fn accurate_sum_visiting(
    values: &[f64],
    term: impl Fn(f64) -> f64,
    mut visit: impl FnMut(&[f64]),
) -> f64 {
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
        visit(block);
    }
    neumaier_sum(blocks.into_iter())
}

/// `2⁻⁶⁴`: scaled by it, a sum of up to 2⁶⁰ finite values cannot overflow.
const DOWN: f64 = 1.0 / 18_446_744_073_709_551_616.0;

/// The mean of `finite` (non-empty, all finite) whose plain sum is `total`.
pub fn mean(finite: &[f64], total: f64) -> f64 {
    let n = finite.len() as f64;
    if total.is_finite() {
        return total / n;
    }
    // The plain sum overflowed: every value scaled by 2⁻⁶⁴ is exact (up to values below
    // 2⁻⁹⁵⁸, negligible beside values large enough to overflow a sum).
    accurate_sum(finite, |x| x * DOWN) / n / DOWN
}

/// Sums of squared deviations at least this large lost nothing to underflow.
const SQUARES_SAFE_MIN: f64 = 1e-240;

/// The sample standard deviation (`n − 1` denominator) of `finite` about `mean`; NaN below two
/// values.
pub fn std_dev(finite: &[f64], mean: f64) -> f64 {
    let n = finite.len();
    if n < 2 {
        return f64::NAN;
    }
    std_dev_from_squares(
        finite,
        mean,
        accurate_sum(finite, |x| (x - mean) * (x - mean)),
    )
}

/// [`std_dev`] given `squares`, the [`accurate_sum`] of `(x − mean)²` over `finite` (at least
/// two values).
pub fn std_dev_from_squares(finite: &[f64], mean: f64, squares: f64) -> f64 {
    let n = finite.len();
    if squares.is_finite() && squares >= SQUARES_SAFE_MIN {
        return (squares / (n - 1) as f64).sqrt();
    }
    scaled_std_dev(finite, mean)
}

/// [`std_dev`] with the deviations scaled so that the largest is near 1. Deviations are
/// formed from halved values, which cannot overflow.
fn scaled_std_dev(finite: &[f64], mean: f64) -> f64 {
    let half_mean = 0.5 * mean;
    let largest = finite
        .iter()
        .fold(0.0f64, |m, x| m.max((0.5 * x - half_mean).abs()));
    if largest == 0.0 {
        return 0.0;
    }
    // 2^(−e) with e the exponent of `largest`, split in two factors so each is representable.
    let exponent = largest.log2().floor() as i32;
    let first = pow2(-exponent / 2);
    let second = pow2(-exponent - (-exponent / 2));
    let squares = accurate_sum(finite, |x| {
        let d = (0.5 * x - half_mean) * first * second;
        d * d
    });
    (squares / (finite.len() - 1) as f64).sqrt() / second / first * 2.0
}

/// `2^k` for `|k| ≤ 1022`, exactly.
fn pow2(k: i32) -> f64 {
    debug_assert!(k.abs() <= 1022);
    f64::from_bits(((1023 + k) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_leaves_ordinary_columns_bit_identical() {
        let values: Vec<f64> = (0..10_000).map(|i| 1e3 + f64::from(i) * 0.37).collect();
        let total = accurate_sum(&values, |x| x);
        let m = mean(&values, total);
        let plain = (accurate_sum(&values, |x| (x - m) * (x - m)) / 9_999.0).sqrt();
        assert_eq!(std_dev(&values, m), plain);
        assert_eq!(scaled_std_dev(&values, m), plain);
    }
}
