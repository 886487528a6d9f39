//! Ranks with ties averaged, Spearman's rank correlation (Pearson correlation of ranks), and
//! the conversion between Spearman's ρ and the Pearson correlation of normal scores,
//! `r = 2 sin(π ρ / 6)` (Pearson 1907 / Kruskal 1958), exact for bivariate normal scores.

use std::f64::consts::PI;

/// Spearman ρ → normal-score (Pearson) correlation.
pub fn rank_to_normal(rho: f64) -> f64 {
    2.0 * (PI * rho / 6.0).sin()
}

/// Normal-score correlation → Spearman ρ.
pub fn normal_to_rank(r: f64) -> f64 {
    6.0 / PI * (r / 2.0).asin()
}

/// The 1-based ranks of `x`, ties sharing the average of the ranks they span. NaN sorts last
/// (total order); callers pass finite values.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    // Sorting (key, index) pairs by an order-preserving integer key keeps the comparisons on
    // contiguous memory: several times faster than sorting indices by looking values up.
    let mut keyed: Vec<(u64, u32)> = x
        .iter()
        .enumerate()
        .map(|(index, value)| (order_key(*value), index as u32))
        .collect();
    keyed.sort_unstable();
    let mut ranks = vec![0.0; x.len()];
    let mut start = 0;
    while start < keyed.len() {
        let key = keyed[start].0;
        let mut end = start + 1;
        while end < keyed.len() && keyed[end].0 == key {
            end += 1;
        }
        // Ranks start + 1 ..= end share their mean.
        let rank = (start + 1 + end) as f64 / 2.0;
        for (_, index) in &keyed[start..end] {
            ranks[*index as usize] = rank;
        }
        start = end;
    }
    ranks
}

/// An unsigned integer whose order is `f64::total_cmp`'s order, with −0 and +0 equal (so
/// equal keys are equal values).
fn order_key(x: f64) -> u64 {
    let bits = (x + 0.0).to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Pearson's correlation of two equally long columns (two-pass, centred). NaN when either
/// column is constant or shorter than 2.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    assert_eq!(x.len(), y.len(), "columns of different lengths");
    let n = x.len() as f64;
    if x.len() < 2 {
        return f64::NAN;
    }
    let mean_x = x.iter().sum::<f64>() / n;
    let mean_y = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mean_x, b - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if !(sxx > 0.0 && syy > 0.0) {
        return f64::NAN;
    }
    (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0)
}

/// Spearman's ρ of two columns of finite values.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&average_ranks(x), &average_ranks(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(
            average_ranks(&[10.0, 30.0, 20.0, 20.0]),
            vec![1.0, 4.0, 2.5, 2.5]
        );
    }

    #[test]
    fn spearman_of_a_hand_example() {
        // x ranks 1..5, y ranks 2,1,4,3,5: d² = 1+1+1+1+0 = 4, ρ = 1 − 6·4/(5·24) = 0.8.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [20.0, 10.0, 40.0, 30.0, 50.0];
        assert!((spearman(&x, &y) - 0.8).abs() < 1e-12);
        let cubes: Vec<f64> = x.iter().map(|v| v * v * v).collect();
        assert!((spearman(&x, &cubes) - 1.0).abs() < 1e-12);
    }
}
