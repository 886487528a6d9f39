//! Iman–Conover (1982) rank-correlation induction, applied to each chunk of samples.
//!
//! Van der Waerden scores `Φ⁻¹(i / (n + 1))` are randomly permuted per column, decorrelated
//! with the Cholesky factor of their own sample correlation and recorrelated with the target
//! factor; each input column is then rearranged so its ranks follow the scores'. Values are
//! only permuted, so every marginal distribution is kept exactly.

// Matrix code indexes rows and columns explicitly; iterator forms would obscure the algebra.
#![allow(clippy::needless_range_loop)]

use crate::stats::linalg::{self, Matrix};
use rand::{Rng, RngExt};
use statrs::distribution::{ContinuousCDF, Normal};

/// Rearranges `columns` (equally long) so their rank correlation approaches the normal-score
/// correlation whose lower Cholesky factor is `factor`.
pub fn induce<R: Rng>(columns: &mut [&mut [f64]], factor: &Matrix, rng: &mut R) {
    let k = columns.len();
    let n = columns[0].len();
    if n < k + 2 {
        return;
    }
    let normal = Normal::standard();
    let base: Vec<f64> = (1..=n)
        .map(|i| normal.inverse_cdf(i as f64 / (n + 1) as f64))
        .collect();
    let mut scores: Vec<Vec<f64>> = (0..k)
        .map(|_| {
            let mut column = base.clone();
            for i in (1..n).rev() {
                column.swap(i, rng.random_range(0..=i));
            }
            column
        })
        .collect();
    let Some(current) = linalg::cholesky(&correlation(&scores)) else {
        return;
    };
    let mix = mixing_matrix(&current, factor);
    let mut row = vec![0.0; k];
    for i in 0..n {
        for (j, slot) in row.iter_mut().enumerate() {
            *slot = (0..k).map(|m| scores[m][i] * mix[m][j]).sum();
        }
        for (j, value) in row.iter().enumerate() {
            scores[j][i] = *value;
        }
    }
    for (column, score) in columns.iter_mut().zip(&scores) {
        rearrange(column, score);
    }
}

/// `(F⁻¹)ᵀ Lᵀ`: row vectors `s` with correlation `F Fᵀ` become `s (F⁻¹)ᵀ Lᵀ`, with
/// correlation `L Lᵀ`.
fn mixing_matrix(current: &Matrix, target: &Matrix) -> Matrix {
    let k = current.len();
    let inverse = invert_lower(current);
    let mut mix = vec![vec![0.0; k]; k];
    for (m, row) in mix.iter_mut().enumerate() {
        for (j, slot) in row.iter_mut().enumerate() {
            *slot = (0..k).map(|p| inverse[p][m] * target[j][p]).sum();
        }
    }
    mix
}

fn invert_lower(l: &Matrix) -> Matrix {
    let k = l.len();
    let mut inverse = vec![vec![0.0; k]; k];
    for col in 0..k {
        for row in col..k {
            let rhs = f64::from(u8::from(row == col));
            let sum: f64 = (col..row).map(|p| l[row][p] * inverse[p][col]).sum();
            inverse[row][col] = (rhs - sum) / l[row][row];
        }
    }
    inverse
}

fn correlation(columns: &[Vec<f64>]) -> Matrix {
    let k = columns.len();
    let mut m = linalg::identity(k);
    for i in 0..k {
        for j in i + 1..k {
            let r = crate::stats::rank::pearson(&columns[i], &columns[j]);
            m[i][j] = r;
            m[j][i] = r;
        }
    }
    m
}

/// Puts the values of `column` in the rank order of `score`.
fn rearrange(column: &mut [f64], score: &[f64]) {
    let mut sorted = column.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_unstable_by(|a, b| score[*a].total_cmp(&score[*b]));
    for (rank, index) in order.into_iter().enumerate() {
        column[index] = sorted[rank];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rank::rank_to_normal;
    use crate::stats::rank::spearman;
    use rand::SeedableRng;

    #[test]
    fn induces_the_target_and_keeps_marginals() {
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(3);
        let n = 16_384;
        let mut a: Vec<f64> = (0..n).map(|_| rng.random::<f64>().powi(3)).collect();
        let mut b: Vec<f64> = (0..n).map(|_| rng.random::<f64>() * 10.0).collect();
        let (mut a_sorted, mut b_sorted) = (a.clone(), b.clone());
        let r = rank_to_normal(-0.6);
        let factor = linalg::cholesky(&vec![vec![1.0, r], vec![r, 1.0]]).unwrap();
        induce(&mut [&mut a[..], &mut b[..]], &factor, &mut rng);
        assert!(
            (spearman(&a, &b) + 0.6).abs() < 0.02,
            "{}",
            spearman(&a, &b)
        );
        let mut after = a.clone();
        after.sort_by(f64::total_cmp);
        a_sorted.sort_by(f64::total_cmp);
        assert_eq!(after, a_sorted);
        let mut after = b.clone();
        after.sort_by(f64::total_cmp);
        b_sorted.sort_by(f64::total_cmp);
        assert_eq!(after, b_sorted);
    }
}
