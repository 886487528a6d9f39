//! Small dense symmetric-matrix algebra for correlation matrices (a few dozen rows at most):
//! Cholesky factorisation, the cyclic Jacobi eigenvalue method (Golub & Van Loan §8.5), and
//! Higham's (2002) alternating projections for the nearest correlation matrix.

// Matrix code indexes rows and columns explicitly; iterator forms would obscure the algebra.
#![allow(clippy::needless_range_loop)]

/// A square matrix, row-major.
pub type Matrix = Vec<Vec<f64>>;

/// The identity of size `n`.
pub fn identity(n: usize) -> Matrix {
    (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect()
}

/// Lower-triangular `L` with `L Lᵀ = a`, or `None` if `a` is not positive definite.
pub fn cholesky(a: &Matrix) -> Option<Matrix> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - dot;
                if !(d > 1e-12) {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - dot) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Eigenvalues and eigenvectors (columns of the returned matrix) of the symmetric `a`, by
/// cyclic Jacobi rotations until the off-diagonal mass is below 1e-15 of the total.
pub fn symmetric_eigen(a: &Matrix) -> (Vec<f64>, Matrix) {
    let n = a.len();
    let mut m = a.clone();
    let mut v = identity(n);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |j| *j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i][j] * m[i][j])
            .sum();
        let total: f64 = m.iter().flatten().map(|x| x * x).sum();
        if off <= 1e-30 * total.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if m[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (m[q][q] - m[p][p]) / (2.0 * m[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                rotate(&mut m, &mut v, p, q, c, s);
            }
        }
    }
    ((0..n).map(|i| m[i][i]).collect(), v)
}

fn rotate(m: &mut Matrix, v: &mut Matrix, p: usize, q: usize, c: f64, s: f64) {
    let n = m.len();
    for k in 0..n {
        let (mkp, mkq) = (m[k][p], m[k][q]);
        m[k][p] = c * mkp - s * mkq;
        m[k][q] = s * mkp + c * mkq;
    }
    for k in 0..n {
        let (mpk, mqk) = (m[p][k], m[q][k]);
        m[p][k] = c * mpk - s * mqk;
        m[q][k] = s * mpk + c * mqk;
    }
    for row in v.iter_mut() {
        let (vkp, vkq) = (row[p], row[q]);
        row[p] = c * vkp - s * vkq;
        row[q] = s * vkp + c * vkq;
    }
}

/// `V diag(f(λ)) Vᵀ`.
fn reassemble(values: &[f64], vectors: &Matrix, f: impl Fn(f64) -> f64) -> Matrix {
    let n = values.len();
    let mut out = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            out[i][j] = (0..n)
                .map(|k| vectors[i][k] * f(values[k]) * vectors[j][k])
                .sum();
        }
    }
    out
}

/// The smallest eigenvalue of the symmetric `a`.
pub fn min_eigenvalue(a: &Matrix) -> f64 {
    symmetric_eigen(a)
        .0
        .into_iter()
        .fold(f64::INFINITY, f64::min)
}

/// The nearest correlation matrix to the symmetric `a` in the Frobenius norm (Higham 2002,
/// alternating projections with Dykstra's correction), with eigenvalues floored at `floor` so
/// the result is positive definite.
pub fn nearest_correlation(a: &Matrix, floor: f64) -> Matrix {
    let n = a.len();
    let mut y = a.clone();
    let mut correction = vec![vec![0.0; n]; n];
    for _ in 0..1000 {
        let r: Matrix = (0..n)
            .map(|i| (0..n).map(|j| y[i][j] - correction[i][j]).collect())
            .collect();
        let (values, vectors) = symmetric_eigen(&r);
        let x = reassemble(&values, &vectors, |l| l.max(floor));
        for i in 0..n {
            for j in 0..n {
                correction[i][j] = x[i][j] - r[i][j];
            }
        }
        let previous = y;
        y = x;
        for (i, row) in y.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        let change: f64 = (0..n)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| (y[i][j] - previous[i][j]).powi(2))
            .sum();
        if change.sqrt() < 1e-12 {
            break;
        }
    }
    // A last projection keeps the result positive definite with a unit diagonal.
    let (values, vectors) = symmetric_eigen(&y);
    let x = reassemble(&values, &vectors, |l| l.max(floor));
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| x[i][j] / (x[i][i] * x[j][j]).sqrt())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &Matrix, b: &Matrix, tol: f64) -> bool {
        a.iter()
            .flatten()
            .zip(b.iter().flatten())
            .all(|(x, y)| (x - y).abs() < tol)
    }

    #[test]
    fn cholesky_reconstructs_and_rejects_indefinite() {
        let a = vec![
            vec![4.0, 2.0, 0.4],
            vec![2.0, 2.0, 0.5],
            vec![0.4, 0.5, 1.0],
        ];
        let l = cholesky(&a).unwrap();
        let back: Matrix = (0..3)
            .map(|i| {
                (0..3)
                    .map(|j| (0..3).map(|k| l[i][k] * l[j][k]).sum())
                    .collect()
            })
            .collect();
        assert!(close(&a, &back, 1e-12));
        let bad = vec![
            vec![1.0, 0.9, 0.9],
            vec![0.9, 1.0, -0.9],
            vec![0.9, -0.9, 1.0],
        ];
        assert!(cholesky(&bad).is_none());
    }

    #[test]
    fn jacobi_finds_known_eigenvalues() {
        let a = vec![vec![2.0, 1.0], vec![1.0, 2.0]];
        let (mut values, _) = symmetric_eigen(&a);
        values.sort_by(f64::total_cmp);
        assert!((values[0] - 1.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
        let a = vec![
            vec![1.0, 0.9, 0.9],
            vec![0.9, 1.0, -0.9],
            vec![0.9, -0.9, 1.0],
        ];
        let (values, vectors) = symmetric_eigen(&a);
        assert!(close(&reassemble(&values, &vectors, |l| l), &a, 1e-12));
    }

    #[test]
    fn nearest_correlation_matches_highams_example() {
        // Higham (2002), §4: A = [[1,1,0],[1,1,1],[0,1,1]]; nearest correlation matrix has
        // off-diagonals 0.7607 (a12, a23) and 0.1573 (a13).
        let a = vec![
            vec![1.0, 1.0, 0.0],
            vec![1.0, 1.0, 1.0],
            vec![0.0, 1.0, 1.0],
        ];
        let x = nearest_correlation(&a, 0.0);
        assert!((x[0][1] - 0.7607).abs() < 2e-4, "{x:?}");
        assert!((x[0][2] - 0.1573).abs() < 2e-4, "{x:?}");
        assert!((x[1][2] - 0.7607).abs() < 2e-4, "{x:?}");
        assert!(min_eigenvalue(&x) > -1e-10);
    }

    #[test]
    fn a_valid_correlation_matrix_is_left_alone() {
        let a = vec![
            vec![1.0, 0.3, -0.2],
            vec![0.3, 1.0, 0.1],
            vec![-0.2, 0.1, 1.0],
        ];
        assert!(close(&nearest_correlation(&a, 1e-8), &a, 1e-9));
    }
}
