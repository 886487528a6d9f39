//! Variance-based (Sobol) sensitivity indices: first-order and total effect, with bootstrap
//! confidence intervals.
//!
//! Sampling scheme of Saltelli et al. (2010, "Variance based sensitivity analysis of model
//! output. Design and estimator for the total sensitivity index", Computer Physics
//! Communications 181, 259–270): two independent N × k input matrices A and B, and for each
//! input i the matrix A_B^(i), which is A with its column i taken from B; N(k + 2) model runs.
//! With f centred by the mean of f(A) and f(B), and V the variance of f(A) ∪ f(B):
//!
//! - first order (Saltelli et al. 2010, Table 2 (b)):
//!   `S_i = (1/N) Σ_j f(B)_j (f(A_B^(i))_j − f(A)_j) / V`
//! - total effect (Jansen 1999, "Analysis of variance designs for model output", Computer
//!   Physics Communications 117, 35–43; Saltelli et al. 2010, Table 2 (f)):
//!   `S_Ti = (1/2N) Σ_j (f(A)_j − f(A_B^(i))_j)² / V`
//!
//! Centring does not change either estimator's expectation (E[f(A_B^(i)) − f(A)] = 0) and keeps
//! the first-order sum from cancelling catastrophically when the mean is large next to the
//! spread (a daily cost of $10⁷ ± 10⁶); SALib centres for the same reason.
//!
//! Confidence intervals: the percentile bootstrap over rows j (a row carries its A, B and every
//! A_B^(i) value together; beyond 65,535 rows, over blocks of consecutive rows), Poisson
//! multiplicities ([`super::bootstrap`]) with a fixed number of resamples, all accumulated in
//! one pass over the rows; reproducible and independent of
//! the thread count. Rows where any of the k + 2 model values is not finite are dropped (and
//! counted).
//!
//! The indices assume independent inputs; with correlated inputs they are not variance shares.
//!
//! Everything here is generic over a model `f(&[f64]) -> f64` (or several outputs at once) and
//! over how A and B are sampled, so the estimator is tested on functions whose indices are
//! known in closed form (Ishigami, linear) and reused unchanged for the cost model.

use super::bootstrap::{percentile_interval, rows_per_unit, Bootstrap, PoissonWeights};
use crate::dist::Dist;
use crate::engine::CHUNK_SIZE;
use crate::rng;
use rayon::prelude::*;

/// Bootstrap resamples when none are asked for.
pub const DEFAULT_RESAMPLES: usize = 200;

/// Rows of the design evaluated per parallel job.
const ROWS_PER_JOB: usize = 4096;

/// An estimate with a bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounded {
    /// The estimate from every row (no resampling).
    pub value: f64,
    /// Lower end of the bootstrap percentile interval.
    pub ci_low: f64,
    /// Upper end of the bootstrap percentile interval.
    pub ci_high: f64,
}

/// The Sobol indices of one input for one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    /// First-order index S_i (Saltelli 2010 estimator): the share of the output's variance
    /// explained by input i alone.
    pub first_order: Bounded,
    /// Total-effect index S_Ti (Jansen 1999 estimator): the share of the variance that would
    /// remain if every input but i were known, i.e. i's effect with all its interactions.
    pub total: Bounded,
}

/// The indices of every input for every output, and what they were computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolResult {
    /// `indices[output][input]`.
    pub indices: Vec<Vec<SobolIndex>>,
    /// The variance V of each output over A and B.
    pub variance: Vec<f64>,
    /// Rows of the design used (N minus dropped rows).
    pub rows: usize,
    /// Rows dropped because a model value was not finite.
    pub dropped: usize,
    /// Model evaluations made: N(k + 2).
    pub evaluations: usize,
}

/// Independent columns of `n` draws from each of `dists`, sampled as the engine samples: in
/// chunks of [`CHUNK_SIZE`], input i of chunk c from `stream_rng(seed, c, i)`. Deterministic
/// for any thread count.
pub fn independent_columns(dists: &[Dist], n: usize, seed_value: u64) -> Vec<Vec<f64>> {
    dists
        .par_iter()
        .enumerate()
        .map(|(i, dist)| {
            let mut column = vec![0.0; n];
            column
                .par_chunks_mut(CHUNK_SIZE)
                .enumerate()
                .for_each(|(chunk, out)| {
                    let mut rng = rng::stream_rng(seed_value, chunk as u64, i as u64);
                    dist.fill(&mut rng, out);
                });
            column
        })
        .collect()
}

/// Sobol indices of a single-output model `f` from input columns `a` and `b` (k columns of
/// N values each).
pub fn sobol_indices<F>(a: &[&[f64]], b: &[&[f64]], f: F, bootstrap: &Bootstrap) -> SobolResult
where
    F: Fn(&[f64]) -> f64 + Sync,
{
    sobol_indices_multi(a, b, 1, |x, out| out[0] = f(x), bootstrap)
}

/// Sobol indices of a model with `outputs` outputs, `f(x, out)` writing all of them at once.
pub fn sobol_indices_multi<F>(
    a: &[&[f64]],
    b: &[&[f64]],
    outputs: usize,
    f: F,
    bootstrap: &Bootstrap,
) -> SobolResult
where
    F: Fn(&[f64], &mut [f64]) + Sync,
{
    let k = a.len();
    assert_eq!(b.len(), k, "A and B need the same inputs");
    let n = a.first().map_or(0, |c| c.len());
    assert!(
        a.iter().chain(b).all(|c| c.len() == n),
        "every column needs N values"
    );
    let design = evaluate_design(a, b, outputs, &f);
    let rows: Vec<usize> = (0..n).filter(|j| design.row_finite(*j)).collect();
    let (point, replicates) = design.estimates(&rows, bootstrap);
    let bound = |value: f64, pick: &dyn Fn(&Estimates) -> f64| {
        let draws: Vec<f64> = replicates.iter().map(pick).collect();
        let (ci_low, ci_high) = percentile_interval(&draws, bootstrap.level);
        Bounded {
            value,
            ci_low,
            ci_high,
        }
    };
    let indices = (0..outputs)
        .map(|o| {
            (0..k)
                .map(|i| SobolIndex {
                    first_order: bound(point.first[o][i], &|e| e.first[o][i]),
                    total: bound(point.total[o][i], &|e| e.total[o][i]),
                })
                .collect()
        })
        .collect();
    SobolResult {
        indices,
        variance: point.variance,
        rows: rows.len(),
        dropped: n - rows.len(),
        evaluations: n * (k + 2),
    }
}

/// The model values of the design, row by row: for row j, blocks A, B, A_B^(1) … A_B^(k), each
/// holding `outputs` values.
struct Design {
    values: Vec<f64>,
    k: usize,
    outputs: usize,
    /// Mean of each output over f(A) and f(B), subtracted before estimating.
    centre: Vec<f64>,
}

/// The point estimates (or one bootstrap replicate).
struct Estimates {
    variance: Vec<f64>,
    first: Vec<Vec<f64>>,
    total: Vec<Vec<f64>>,
}

fn evaluate_design<F>(a: &[&[f64]], b: &[&[f64]], outputs: usize, f: &F) -> Design
where
    F: Fn(&[f64], &mut [f64]) + Sync,
{
    let k = a.len();
    let n = a.first().map_or(0, |c| c.len());
    let row_len = (k + 2) * outputs;
    let mut values = vec![0.0; n * row_len];
    values
        .par_chunks_mut(ROWS_PER_JOB * row_len.max(1))
        .enumerate()
        .for_each(|(job, out)| {
            let mut x_a = vec![0.0; k];
            let mut x_b = vec![0.0; k];
            for (offset, row) in out.chunks_mut(row_len).enumerate() {
                let j = job * ROWS_PER_JOB + offset;
                for i in 0..k {
                    x_a[i] = a[i][j];
                    x_b[i] = b[i][j];
                }
                let mut blocks = row.chunks_mut(outputs);
                f(&x_a, blocks.next().expect("block A"));
                f(&x_b, blocks.next().expect("block B"));
                for (i, block) in blocks.enumerate() {
                    let kept = x_a[i];
                    x_a[i] = x_b[i];
                    f(&x_a, block);
                    x_a[i] = kept;
                }
            }
        });
    let mut design = Design {
        values,
        k,
        outputs,
        centre: vec![0.0; outputs],
    };
    let finite: Vec<usize> = (0..n).filter(|j| design.row_finite(*j)).collect();
    for o in 0..outputs {
        let sum: f64 = finite
            .iter()
            .map(|j| design.at(*j, 0, o) + design.at(*j, 1, o))
            .sum();
        design.centre[o] = sum / (2 * finite.len()).max(1) as f64;
    }
    design
}

impl Design {
    fn row(&self, j: usize) -> &[f64] {
        let len = (self.k + 2) * self.outputs;
        &self.values[j * len..(j + 1) * len]
    }

    fn at(&self, j: usize, block: usize, output: usize) -> f64 {
        self.row(j)[block * self.outputs + output]
    }

    fn row_finite(&self, j: usize) -> bool {
        self.row(j).iter().all(|x| x.is_finite())
    }

    /// Values per output in a row's terms: Σy, Σy², and k first-order and k total-effect sums.
    fn terms_per_output(&self) -> usize {
        2 + 2 * self.k
    }

    /// Row j's contribution to every sum, for every output (centred values).
    fn terms(&self, j: usize, out: &mut [f64]) {
        let (k, outputs) = (self.k, self.outputs);
        let row = self.row(j);
        for (o, terms) in out.chunks_mut(self.terms_per_output()).enumerate() {
            let y_a = row[o] - self.centre[o];
            let y_b = row[outputs + o] - self.centre[o];
            terms[0] = y_a + y_b;
            terms[1] = y_a * y_a + y_b * y_b;
            for i in 0..k {
                let y_ab = row[(2 + i) * outputs + o] - self.centre[o];
                terms[2 + i] = y_b * (y_ab - y_a);
                terms[2 + k + i] = (y_a - y_ab) * (y_a - y_ab);
            }
        }
    }

    /// The point estimates over `rows` and one set per bootstrap resample, all accumulated
    /// in one pass: rows are taken in fixed chunks (in parallel); in each chunk every bootstrap
    /// unit's rows ([`rows_per_unit`]) are summed, and each unit's sums are added with weight 1
    /// and with the unit's Poisson multiplicity in each resample; the chunk sums are added in
    /// chunk order.
    fn estimates(&self, rows: &[usize], bootstrap: &Bootstrap) -> (Estimates, Vec<Estimates>) {
        let weights = PoissonWeights::new(bootstrap.seed);
        let design_rows = self.values.len() / ((self.k + 2) * self.outputs);
        let unit_shift = rows_per_unit(design_rows).trailing_zeros();
        let terms_len = self.outputs * self.terms_per_output();
        // Per set (the point estimate, then each resample): the weight total, then the sums.
        let stride = 1 + terms_len;
        let sets = 1 + bootstrap.resamples;
        // Adds a unit's sums (its row count, then its terms) to every set, then clears them.
        let add_unit = |unit: usize, unit_sums: &mut [f64], sums: &mut [f64]| {
            for (set, sum) in sums.chunks_exact_mut(stride).enumerate() {
                let weight = if set == 0 {
                    1.0
                } else {
                    f64::from(weights.weight(set - 1, unit))
                };
                if weight > 0.0 {
                    for (s, t) in sum.iter_mut().zip(unit_sums.iter()) {
                        *s += weight * t;
                    }
                }
            }
            unit_sums.fill(0.0);
        };
        let partials: Vec<Vec<f64>> = rows
            .par_chunks(CHUNK_SIZE)
            .map(|chunk| {
                let mut sums = vec![0.0; sets * stride];
                let mut terms = vec![0.0; terms_len];
                let mut unit_sums = vec![0.0; stride];
                let mut current = None;
                for j in chunk {
                    let unit = j >> unit_shift;
                    if let Some(previous) = current.filter(|previous| *previous != unit) {
                        add_unit(previous, &mut unit_sums, &mut sums);
                    }
                    current = Some(unit);
                    self.terms(*j, &mut terms);
                    unit_sums[0] += 1.0;
                    for (u, t) in unit_sums[1..].iter_mut().zip(&terms) {
                        *u += t;
                    }
                }
                if let Some(unit) = current {
                    add_unit(unit, &mut unit_sums, &mut sums);
                }
                sums
            })
            .collect();
        let mut totals = vec![0.0; sets * stride];
        for partial in partials {
            for (total, value) in totals.iter_mut().zip(partial) {
                *total += value;
            }
        }
        let mut all = totals
            .chunks(stride)
            .map(|set| self.finish(set[0], &set[1..]));
        let point = all.next().expect("the point estimate");
        (point, all.collect())
    }

    /// The estimators from summed terms over `n` (weighted) rows.
    fn finish(&self, n: f64, sums: &[f64]) -> Estimates {
        let k = self.k;
        let mut estimates = Estimates {
            variance: Vec::with_capacity(self.outputs),
            first: Vec::with_capacity(self.outputs),
            total: Vec::with_capacity(self.outputs),
        };
        for sum in sums.chunks(self.terms_per_output()) {
            let mean = sum[0] / (2.0 * n);
            let variance = sum[1] / (2.0 * n) - mean * mean;
            estimates.variance.push(variance);
            estimates
                .first
                .push(sum[2..2 + k].iter().map(|s| s / (n * variance)).collect());
            estimates.total.push(
                sum[2 + k..]
                    .iter()
                    .map(|s| s / (2.0 * n * variance))
                    .collect(),
            );
        }
        estimates
    }
}

#[cfg(test)]
#[path = "sobol_tests.rs"]
mod tests;
