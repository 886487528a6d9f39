use super::*;
use crate::dist::Kind;
use std::f64::consts::PI;

const ISHIGAMI_A: f64 = 7.0;
const ISHIGAMI_B: f64 = 0.1;

fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + ISHIGAMI_A * x[1].sin().powi(2) + ISHIGAMI_B * x[2].powi(4) * x[0].sin()
}

/// Closed form (Ishigami & Homma 1990; Sobol' & Levitan 1999) for a = 7, b = 0.1.
fn ishigami_indices() -> ([f64; 3], [f64; 3]) {
    let (a, b) = (ISHIGAMI_A, ISHIGAMI_B);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

fn uniform(min: f64, max: f64) -> Dist {
    Dist::new(Kind::Uniform { min, max }, None).unwrap()
}

fn normal(sd: f64) -> Dist {
    Dist::new(Kind::Normal { mean: 1.0, sd }, None).unwrap()
}

fn views(columns: &[Vec<f64>]) -> Vec<&[f64]> {
    columns.iter().map(Vec::as_slice).collect()
}

const BOOT: Bootstrap = Bootstrap {
    resamples: 200,
    seed: 99,
    level: 0.95,
};

/// Asserts every estimate lies within `tolerance` of the truth and its interval covers it.
fn assert_close(result: &SobolResult, first: &[f64], total: &[f64], tolerance: f64) {
    for (i, index) in result.indices[0].iter().enumerate() {
        for (what, bounded, truth) in [
            ("S", index.first_order, first[i]),
            ("ST", index.total, total[i]),
        ] {
            let Bounded {
                value,
                ci_low,
                ci_high,
            } = bounded;
            assert!(
                (value - truth).abs() < tolerance,
                "{what}{}: {value} vs {truth}",
                i + 1
            );
            assert!(
                ci_low <= truth && truth <= ci_high,
                "{what}{}: {truth} outside [{ci_low}, {ci_high}]",
                i + 1
            );
        }
    }
}

#[test]
fn ishigami_closed_form_values_are_the_published_ones() {
    let (first, total) = ishigami_indices();
    let published_first = [0.3139, 0.4424, 0.0];
    let published_total = [0.5576, 0.4424, 0.2437];
    for i in 0..3 {
        assert!((first[i] - published_first[i]).abs() < 1e-4);
        assert!((total[i] - published_total[i]).abs() < 1e-4);
    }
}

#[test]
fn ishigami_indices_are_recovered_within_their_intervals() {
    let n = 1 << 18;
    let dists = vec![uniform(-PI, PI); 3];
    let a = independent_columns(&dists, n, 1);
    let b = independent_columns(&dists, n, 2);
    let result = sobol_indices(&views(&a), &views(&b), ishigami, &BOOT);
    assert_eq!(
        (result.rows, result.dropped, result.evaluations),
        (n, 0, 5 * n)
    );
    let (first, total) = ishigami_indices();
    assert_close(&result, &first, &total, 0.01);
}

#[test]
fn linear_model_indices_match_the_closed_form() {
    // Y = Σ c_i X_i with independent X_i of sd σ_i: S_i = S_Ti = c_i² σ_i² / Σ_j c_j² σ_j².
    let c: [f64; 4] = [1.0, 2.0, 3.0, 0.0];
    let sd = [1.0, 1.0, 0.5, 2.0];
    let shares: Vec<f64> = c.iter().zip(&sd).map(|(c, s)| (c * s).powi(2)).collect();
    let v: f64 = shares.iter().sum();
    let truth: Vec<f64> = shares.iter().map(|s| s / v).collect();
    let n = 1 << 15;
    let dists: Vec<Dist> = sd.iter().map(|s| normal(*s)).collect();
    let a = independent_columns(&dists, n, 3);
    let b = independent_columns(&dists, n, 4);
    let f = |x: &[f64]| x.iter().zip(&c).map(|(x, c)| x * c).sum::<f64>();
    let result = sobol_indices(&views(&a), &views(&b), f, &BOOT);
    assert_close(&result, &truth, &truth, 0.02);
    assert!(
        (result.variance[0] - v).abs() / v < 0.03,
        "{}",
        result.variance[0]
    );
    // An input that does not enter the model has S_Ti = 0 exactly (A_B^(i) = A row by row).
    assert_eq!(result.indices[0][3].total.value, 0.0);
}

#[test]
fn large_offsets_do_not_spoil_the_first_order_estimate() {
    let n = 1 << 14;
    let dists = vec![normal(1.0); 2];
    let a = independent_columns(&dists, n, 5);
    let b = independent_columns(&dists, n, 6);
    let f = |x: &[f64]| 1e9 + x[0] + 2.0 * x[1];
    let result = sobol_indices(&views(&a), &views(&b), f, &BOOT);
    let first: Vec<f64> = result.indices[0]
        .iter()
        .map(|s| s.first_order.value)
        .collect();
    assert!(
        (first[0] - 0.2).abs() < 0.03 && (first[1] - 0.8).abs() < 0.03,
        "{first:?}"
    );
}

#[test]
fn several_outputs_at_once_equal_one_at_a_time() {
    let n = 5000;
    let dists = vec![uniform(-PI, PI); 3];
    let a = independent_columns(&dists, n, 7);
    let b = independent_columns(&dists, n, 8);
    let boot = Bootstrap {
        resamples: 20,
        ..BOOT
    };
    let both = sobol_indices_multi(
        &views(&a),
        &views(&b),
        2,
        |x, out| {
            out[0] = ishigami(x);
            out[1] = x[0] + x[1];
        },
        &boot,
    );
    let single = sobol_indices(&views(&a), &views(&b), ishigami, &boot);
    assert_eq!(both.indices[0], single.indices[0]);
}

#[test]
fn rows_with_non_finite_values_are_dropped() {
    let n = 1000;
    let dists = vec![uniform(0.0, 1.0); 2];
    let a = independent_columns(&dists, n, 9);
    let b = independent_columns(&dists, n, 10);
    let f = |x: &[f64]| if x[0] < 0.1 { f64::NAN } else { x[0] + x[1] };
    let boot = Bootstrap {
        resamples: 10,
        ..BOOT
    };
    let result = sobol_indices(&views(&a), &views(&b), f, &boot);
    assert!(
        result.dropped > 100 && result.dropped < 300,
        "{}",
        result.dropped
    );
    assert!(result.indices[0][0].total.value.is_finite());
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let n = 20_000;
    let dists = vec![uniform(-PI, PI); 3];
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let a = independent_columns(&dists, n, 11);
            let b = independent_columns(&dists, n, 12);
            sobol_indices(&views(&a), &views(&b), ishigami, &BOOT)
        })
    };
    assert_eq!(run(1), run(3));
}

#[test]
fn bootstrap_intervals_cover_the_true_indices_about_95_percent_of_the_time() {
    // Linear model Y = X1 + 2 X2 (unit normals): S1 = ST1 = 0.2, S2 = ST2 = 0.8.
    let (n, trials) = (2000, 200);
    let dists = vec![normal(1.0); 2];
    let f = |x: &[f64]| x[0] + 2.0 * x[1];
    let boot = Bootstrap {
        resamples: 200,
        ..BOOT
    };
    let mut covered = [0usize; 4];
    for trial in 0..trials {
        let a = independent_columns(&dists, n, 1000 + 2 * trial);
        let b = independent_columns(&dists, n, 1001 + 2 * trial);
        let boot = Bootstrap {
            seed: trial,
            ..boot
        };
        let result = sobol_indices(&views(&a), &views(&b), f, &boot);
        let indices = &result.indices[0];
        let estimates = [
            (indices[0].first_order, 0.2),
            (indices[0].total, 0.2),
            (indices[1].first_order, 0.8),
            (indices[1].total, 0.8),
        ];
        for (count, (bounded, truth)) in covered.iter_mut().zip(estimates) {
            *count += usize::from(bounded.ci_low <= truth && truth <= bounded.ci_high);
        }
    }
    // Percentile bootstrap intervals are only first-order accurate and cover a little less
    // than nominal at small N (measured here: 90–95.5%, 93% pooled); intervals half as wide
    // as they should be would cover about 68%.
    let pooled = covered.iter().sum::<usize>() as f64 / (4 * trials) as f64;
    assert!(
        (0.90..=0.99).contains(&pooled),
        "pooled coverage {pooled}: {covered:?}"
    );
    for count in covered {
        assert!(count >= 170, "coverage {count} of {trials}: {covered:?}");
    }
}

#[test]
fn block_bootstrap_intervals_cover_the_true_indices_at_large_n() {
    // Beyond 65,535 rows the bootstrap resamples blocks of rows (here 4 rows, and a last
    // partial block); the intervals must still cover. Same linear model as above.
    let (n, trials) = (131_075, 40);
    assert_eq!(super::super::bootstrap::rows_per_unit(n), 4);
    let dists = vec![normal(1.0); 2];
    let f = |x: &[f64]| x[0] + 2.0 * x[1];
    let mut covered = [0usize; 4];
    for trial in 0..trials {
        let a = independent_columns(&dists, n, 5000 + 2 * trial);
        let b = independent_columns(&dists, n, 5001 + 2 * trial);
        let boot = Bootstrap {
            resamples: 100,
            seed: trial,
            level: 0.95,
        };
        let result = sobol_indices(&views(&a), &views(&b), f, &boot);
        let indices = &result.indices[0];
        let estimates = [
            (indices[0].first_order, 0.2),
            (indices[0].total, 0.2),
            (indices[1].first_order, 0.8),
            (indices[1].total, 0.8),
        ];
        for (count, (bounded, truth)) in covered.iter_mut().zip(estimates) {
            *count += usize::from(bounded.ci_low <= truth && truth <= bounded.ci_high);
        }
    }
    // 160 intervals at ~95%: below 85% is 5 standard errors out; intervals half as wide as
    // they should be would cover about 68%.
    let pooled = covered.iter().sum::<usize>() as f64 / (4 * trials) as f64;
    assert!(
        (0.85..=1.0).contains(&pooled),
        "pooled coverage {pooled}: {covered:?}"
    );
}
