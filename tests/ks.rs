//! Goodness of fit of every sampler.
//!
//! Each continuous distribution is drawn 200 000 times at a fixed seed and compared with an
//! independent CDF (statrs, or a closed form where statrs has none) by the one-sample
//! Kolmogorov–Smirnov statistic `D = sup |F_n(x) − F(x)|`, which must stay below the
//! asymptotic critical value at α = 0.001, `1.95 / √n`. The discrete sampler gets a Pearson
//! chi-square test at the same level. The reference parameters are derived here from the spec
//! as written (P5/P95, median, mean/sd, ...), not read back from the parsed distribution, so the
//! tests also check each parameterization's conversion. Sanity tests show that the helpers
//! reject a slightly wrong distribution at this sample size.

use costbands::dist::{parse, parse_str, Dist, Kind, REJECTION_MIN_MASS};
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use statrs::distribution::{
    Beta, ChiSquared, ContinuousCDF, Gamma, LogNormal, Normal, Triangular, Uniform,
};

/// Draws per test.
const N: usize = 200_000;

/// Kolmogorov's asymptotic critical value of `D` at α = 0.001 (`c(α) = √(−ln(α/2)/2) ≈ 1.949`).
fn ks_critical(n: usize) -> f64 {
    1.95 / (n as f64).sqrt()
}

/// The one-sample Kolmogorov–Smirnov statistic of `samples` against the continuous CDF `cdf`:
/// with the sorted sample `x(1) ≤ … ≤ x(n)`, `D = max_i max(F(x(i)) − (i−1)/n, i/n − F(x(i)))`.
fn ks_statistic(samples: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let f = cdf(*x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// Pearson's chi-square statistic of the counts of `values` in `samples` against `probs`.
/// Panics if a sample is not one of `values`.
fn chi_square_statistic(samples: &[f64], values: &[f64], probs: &[f64]) -> f64 {
    let mut counts = vec![0usize; values.len()];
    for x in samples {
        let index = values
            .iter()
            .position(|v| v == x)
            .unwrap_or_else(|| panic!("sample {x} is not one of {values:?}"));
        counts[index] += 1;
    }
    let n = samples.len() as f64;
    counts
        .iter()
        .zip(probs)
        .map(|(count, p)| {
            let expected = n * p;
            (*count as f64 - expected).powi(2) / expected
        })
        .sum()
}

/// The chi-square critical value at α = 0.001 for `categories` categories.
fn chi_square_critical(categories: usize) -> f64 {
    ChiSquared::new((categories - 1) as f64)
        .unwrap()
        .inverse_cdf(0.999)
}

/// Parses a spec written as in a scenario file, e.g. `{ dist = "beta", alpha = 2, beta = 5 }`.
fn spec(text: &str) -> Dist {
    let table: toml::Table = toml::from_str(&format!("d = {text}")).unwrap();
    parse(&table["d"]).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// `n` draws of `dist` from a generator seeded with `seed`.
fn draw(dist: &Dist, seed: u64, n: usize) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut out = vec![0.0; n];
    dist.fill(&mut rng, &mut out);
    out
}

/// Φ⁻¹(0.95) from statrs, independent of the crate's constant.
fn z95() -> f64 {
    Normal::standard().inverse_cdf(0.95)
}

/// A distribution under test with its independent reference CDF.
struct Case {
    name: &'static str,
    seed: u64,
    dist: Dist,
    cdf: Box<dyn Fn(f64) -> f64>,
}

fn case(name: &'static str, seed: u64, dist: Dist, cdf: impl Fn(f64) -> f64 + 'static) -> Case {
    Case {
        name,
        seed,
        dist,
        cdf: Box::new(cdf),
    }
}

/// The CDF of `F` truncated to `[lo, hi]`.
fn truncated(f: impl Fn(f64) -> f64 + 'static, lo: f64, hi: f64) -> impl Fn(f64) -> f64 {
    let (f_lo, f_hi) = (f(lo), f(hi));
    move |x| {
        if x < lo {
            0.0
        } else if x >= hi {
            1.0
        } else {
            (f(x) - f_lo) / (f_hi - f_lo)
        }
    }
}

fn normal_cdf(mean: f64, sd: f64) -> impl Fn(f64) -> f64 {
    let d = Normal::new(mean, sd).unwrap();
    move |x| d.cdf(x)
}

fn lognormal_cdf(mu: f64, sigma: f64) -> impl Fn(f64) -> f64 {
    let d = LogNormal::new(mu, sigma).unwrap();
    move |x| d.cdf(x)
}

/// Beta(α, β) stretched onto `[min, max]` (PERT and plain beta).
fn scaled_beta_cdf(alpha: f64, beta: f64, min: f64, max: f64) -> impl Fn(f64) -> f64 {
    let d = Beta::new(alpha, beta).unwrap();
    move |x| d.cdf(((x - min) / (max - min)).clamp(0.0, 1.0))
}

/// PERT as a scaled beta with α = 1 + shape·(mode − min)/(max − min), β = 1 + shape·(max −
/// mode)/(max − min).
fn pert_cdf(min: f64, mode: f64, max: f64, shape: f64) -> impl Fn(f64) -> f64 {
    let alpha = 1.0 + shape * (mode - min) / (max - min);
    let beta = 1.0 + shape * (max - mode) / (max - min);
    scaled_beta_cdf(alpha, beta, min, max)
}

fn gamma_cdf(shape: f64, scale: f64) -> impl Fn(f64) -> f64 {
    let d = Gamma::new(shape, 1.0 / scale).unwrap();
    move |x| d.cdf(x.max(0.0))
}

/// Log-uniform on `[min, max]`: `F(x) = ln(x/min) / ln(max/min)`.
fn loguniform_cdf(min: f64, max: f64) -> impl Fn(f64) -> f64 {
    move |x| {
        if x <= min {
            0.0
        } else if x >= max {
            1.0
        } else {
            (x / min).ln() / (max / min).ln()
        }
    }
}

fn triangular_cdf(min: f64, mode: f64, max: f64) -> impl Fn(f64) -> f64 {
    let d = Triangular::new(min, max, mode).unwrap();
    move |x| d.cdf(x)
}

fn uniform_cases() -> Vec<Case> {
    let u = Uniform::new(-2.5, 7.0).unwrap();
    vec![case(
        "uniform(-2.5, 7)",
        101,
        spec(r#"{ dist = "uniform", min = -2.5, max = 7 }"#),
        move |x| u.cdf(x),
    )]
}

fn normal_cases() -> Vec<Case> {
    let z = z95();
    vec![
        case(
            "normal(mean 3, sd 2)",
            201,
            spec(r#"{ dist = "normal", mean = 3, sd = 2 }"#),
            normal_cdf(3.0, 2.0),
        ),
        case(
            "normal(p5 -1, p95 4)",
            202,
            spec(r#"{ dist = "normal", p5 = -1, p95 = 4 }"#),
            normal_cdf(1.5, 5.0 / (2.0 * z)),
        ),
    ]
}

fn lognormal_cases() -> Vec<Case> {
    let z = z95();
    let p5_p95 =
        |p5: f64, p95: f64| lognormal_cdf(0.5 * (p5.ln() + p95.ln()), (p95 / p5).ln() / (2.0 * z));
    // mean/sd: σ² = ln(1 + (sd/mean)²), μ = ln(mean) − σ²/2.
    let sigma2 = (1.0f64 + (4.0f64 / 10.0).powi(2)).ln();
    vec![
        case(
            "\"100 to 3000\"",
            301,
            parse_str("100 to 3000").unwrap(),
            p5_p95(100.0, 3000.0),
        ),
        case(
            "lognormal(p5 150, p95 2000)",
            302,
            spec(r#"{ dist = "lognormal", p5 = 150.0, p95 = 2000.0 }"#),
            p5_p95(150.0, 2000.0),
        ),
        case(
            "lognormal(median 2.5e9, p95 3.5e9)",
            303,
            spec(r#"{ dist = "lognormal", median = 2.5e9, p95 = 3.5e9 }"#),
            lognormal_cdf(2.5e9f64.ln(), 1.4f64.ln() / z),
        ),
        case(
            "lognormal(mu 0.3, sigma 1.2)",
            304,
            spec(r#"{ dist = "lognormal", mu = 0.3, sigma = 1.2 }"#),
            lognormal_cdf(0.3, 1.2),
        ),
        case(
            "lognormal(mean 10, sd 4)",
            305,
            spec(r#"{ dist = "lognormal", mean = 10, sd = 4 }"#),
            lognormal_cdf(10f64.ln() - 0.5 * sigma2, sigma2.sqrt()),
        ),
    ]
}

fn triangular_cases() -> Vec<Case> {
    vec![
        case(
            "triangular(0, 1, 10)",
            401,
            spec(r#"{ dist = "triangular", min = 0, mode = 1, max = 10 }"#),
            triangular_cdf(0.0, 1.0, 10.0),
        ),
        case(
            "triangular(-1, 0, 1)",
            402,
            spec(r#"{ dist = "triangular", min = -1, mode = 0, max = 1 }"#),
            triangular_cdf(-1.0, 0.0, 1.0),
        ),
        case(
            "triangular(2, 2, 5)",
            403,
            spec(r#"{ dist = "triangular", min = 2, mode = 2, max = 5 }"#),
            triangular_cdf(2.0, 2.0, 5.0),
        ),
    ]
}

fn pert_cases() -> Vec<Case> {
    vec![
        case(
            "pert(1, 2, 6)",
            501,
            spec(r#"{ dist = "pert", min = 1, mode = 2, max = 6 }"#),
            pert_cdf(1.0, 2.0, 6.0, 4.0),
        ),
        case(
            "pert(1, 2, 6, shape 6)",
            502,
            spec(r#"{ dist = "pert", min = 1, mode = 2, max = 6, shape = 6 }"#),
            pert_cdf(1.0, 2.0, 6.0, 6.0),
        ),
        case(
            "pert(1.49, 2.2, 4.92)",
            503,
            spec(r#"{ dist = "pert", min = 1.49, mode = 2.2, max = 4.92 }"#),
            pert_cdf(1.49, 2.2, 4.92, 4.0),
        ),
    ]
}

fn beta_cases() -> Vec<Case> {
    // mean/sd: ν = mean(1 − mean)/sd² − 1, α = mean·ν, β = (1 − mean)·ν.
    let nu = 0.2 * 0.8 / (0.07 * 0.07) - 1.0;
    vec![
        case(
            "beta(0.5, 0.7)",
            601,
            spec(r#"{ dist = "beta", alpha = 0.5, beta = 0.7 }"#),
            scaled_beta_cdf(0.5, 0.7, 0.0, 1.0),
        ),
        case(
            "beta(0.3, 4)",
            602,
            spec(r#"{ dist = "beta", alpha = 0.3, beta = 4 }"#),
            scaled_beta_cdf(0.3, 4.0, 0.0, 1.0),
        ),
        case(
            "beta(2, 5)",
            603,
            spec(r#"{ dist = "beta", alpha = 2, beta = 5 }"#),
            scaled_beta_cdf(2.0, 5.0, 0.0, 1.0),
        ),
        case(
            "beta(mean 0.2, sd 0.07)",
            604,
            spec(r#"{ dist = "beta", mean = 0.2, sd = 0.07 }"#),
            scaled_beta_cdf(0.2 * nu, 0.8 * nu, 0.0, 1.0),
        ),
    ]
}

fn gamma_cases() -> Vec<Case> {
    vec![
        case(
            "gamma(shape 0.5, scale 2)",
            701,
            spec(r#"{ dist = "gamma", shape = 0.5, scale = 2 }"#),
            gamma_cdf(0.5, 2.0),
        ),
        case(
            "gamma(shape 1, scale 3)",
            702,
            spec(r#"{ dist = "gamma", shape = 1, scale = 3 }"#),
            gamma_cdf(1.0, 3.0),
        ),
        case(
            "gamma(shape 3, scale 1.5)",
            703,
            spec(r#"{ dist = "gamma", shape = 3, scale = 1.5 }"#),
            gamma_cdf(3.0, 1.5),
        ),
        // mean/sd: shape = (mean/sd)², scale = sd²/mean.
        case(
            "gamma(mean 5, sd 2)",
            704,
            spec(r#"{ dist = "gamma", mean = 5, sd = 2 }"#),
            gamma_cdf(6.25, 0.8),
        ),
    ]
}

fn loguniform_cases() -> Vec<Case> {
    vec![
        case(
            "loguniform(1, 1000)",
            801,
            spec(r#"{ dist = "loguniform", min = 1, max = 1000 }"#),
            loguniform_cdf(1.0, 1000.0),
        ),
        case(
            "loguniform(0.01, 0.1)",
            802,
            spec(r#"{ dist = "loguniform", min = 0.01, max = 0.1 }"#),
            loguniform_cdf(0.01, 0.1),
        ),
    ]
}

/// Truncations sampled by rejection (kept mass ≥ 0.25).
fn truncated_rejection_cases() -> Vec<Case> {
    let z = z95();
    vec![
        case(
            "normal(0, 1) truncated to [-1, 2]",
            901,
            spec(r#"{ dist = "normal", mean = 0, sd = 1, truncate = [-1, 2] }"#),
            truncated(normal_cdf(0.0, 1.0), -1.0, 2.0),
        ),
        case(
            "normal(1.2, 0.08) truncated to [1, inf]",
            902,
            spec(r#"{ dist = "normal", mean = 1.2, sd = 0.08, truncate = [1.0, inf] }"#),
            truncated(normal_cdf(1.2, 0.08), 1.0, f64::INFINITY),
        ),
        case(
            "lognormal(0, 1) truncated to [0.5, 3]",
            903,
            spec(r#"{ dist = "lognormal", mu = 0, sigma = 1, truncate = [0.5, 3] }"#),
            truncated(lognormal_cdf(0.0, 1.0), 0.5, 3.0),
        ),
        case(
            "lognormal(p5 1, p95 10) truncated to [0, 5]",
            904,
            spec(r#"{ dist = "lognormal", p5 = 1, p95 = 10, truncate = [0, 5] }"#),
            truncated(
                lognormal_cdf(0.5 * 10f64.ln(), 10f64.ln() / (2.0 * z)),
                0.0,
                5.0,
            ),
        ),
        case(
            "beta(2, 5) truncated to [0.1, 0.5]",
            905,
            spec(r#"{ dist = "beta", alpha = 2, beta = 5, truncate = [0.1, 0.5] }"#),
            truncated(scaled_beta_cdf(2.0, 5.0, 0.0, 1.0), 0.1, 0.5),
        ),
    ]
}

/// Truncations sampled by the inverse CDF (kept mass < 0.25).
fn truncated_inverse_cases() -> Vec<Case> {
    let z = z95();
    vec![
        case(
            "normal(0, 1) truncated to [2, 3]",
            1001,
            spec(r#"{ dist = "normal", mean = 0, sd = 1, truncate = [2, 3] }"#),
            truncated(normal_cdf(0.0, 1.0), 2.0, 3.0),
        ),
        case(
            "normal(0, 1) truncated to [-inf, -3]",
            1002,
            spec(r#"{ dist = "normal", mean = 0, sd = 1, truncate = [-inf, -3] }"#),
            truncated(normal_cdf(0.0, 1.0), f64::NEG_INFINITY, -3.0),
        ),
        case(
            "normal(0, 1) truncated to [4, inf]",
            1003,
            spec(r#"{ dist = "normal", mean = 0, sd = 1, truncate = [4, inf] }"#),
            truncated(normal_cdf(0.0, 1.0), 4.0, f64::INFINITY),
        ),
        case(
            "lognormal(p5 1, p95 10) truncated to [20, 40]",
            1004,
            spec(r#"{ dist = "lognormal", p5 = 1, p95 = 10, truncate = [20, 40] }"#),
            truncated(
                lognormal_cdf(0.5 * 10f64.ln(), 10f64.ln() / (2.0 * z)),
                20.0,
                40.0,
            ),
        ),
        case(
            "gamma(shape 2, scale 1) truncated to [6, inf]",
            1005,
            spec(r#"{ dist = "gamma", shape = 2, scale = 1, truncate = [6, inf] }"#),
            truncated(gamma_cdf(2.0, 1.0), 6.0, f64::INFINITY),
        ),
        case(
            "triangular(0, 1, 10) truncated to [7, 9]",
            1006,
            spec(r#"{ dist = "triangular", min = 0, mode = 1, max = 10, truncate = [7, 9] }"#),
            truncated(triangular_cdf(0.0, 1.0, 10.0), 7.0, 9.0),
        ),
        case(
            "loguniform(1, 1000) truncated to [2, 4]",
            1007,
            spec(r#"{ dist = "loguniform", min = 1, max = 1000, truncate = [2, 4] }"#),
            truncated(loguniform_cdf(1.0, 1000.0), 2.0, 4.0),
        ),
    ]
}

fn all_continuous_cases() -> Vec<Case> {
    [
        uniform_cases(),
        normal_cases(),
        lognormal_cases(),
        triangular_cases(),
        pert_cases(),
        beta_cases(),
        gamma_cases(),
        loguniform_cases(),
        truncated_rejection_cases(),
        truncated_inverse_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Draws each case, checks every draw lies in the distribution's support and that the KS
/// statistic is below the critical value.
fn check_ks(cases: &[Case]) {
    let critical = ks_critical(N);
    let mut failures = Vec::new();
    for c in cases {
        let samples = draw(&c.dist, c.seed, N);
        let s = c.dist.support();
        for x in &samples {
            let above = if s.lo_open { *x > s.lo } else { *x >= s.lo };
            let below = if s.hi_open { *x < s.hi } else { *x <= s.hi };
            assert!(above && below, "{}: draw {x} outside support {s:?}", c.name);
        }
        let d = ks_statistic(&samples, &c.cdf);
        println!("KS {:<60} D = {d:.5} (critical {critical:.5})", c.name);
        let passes = d < critical; // false for NaN
        if !passes {
            failures.push(format!("{}: D = {d:.5} ≥ {critical:.5}", c.name));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn ks_uniform() {
    check_ks(&uniform_cases());
}

#[test]
fn ks_normal_both_parameterizations() {
    check_ks(&normal_cases());
}

#[test]
fn ks_lognormal_every_parameterization() {
    check_ks(&lognormal_cases());
}

#[test]
fn ks_triangular_skewed_symmetric_and_mode_at_min() {
    check_ks(&triangular_cases());
}

#[test]
fn ks_pert_default_and_custom_shape() {
    check_ks(&pert_cases());
}

#[test]
fn ks_beta_small_and_large_shapes_and_moments() {
    check_ks(&beta_cases());
}

#[test]
fn ks_gamma_shape_below_at_and_above_one() {
    check_ks(&gamma_cases());
}

#[test]
fn ks_loguniform() {
    check_ks(&loguniform_cases());
}

#[test]
fn ks_truncated_by_rejection() {
    let cases = truncated_rejection_cases();
    for c in &cases {
        let kept = c.dist.truncation().expect("truncated").kept_mass;
        assert!(kept >= REJECTION_MIN_MASS, "{}: kept mass {kept}", c.name);
    }
    check_ks(&cases);
}

#[test]
fn ks_truncated_by_inverse_cdf() {
    let cases = truncated_inverse_cases();
    for c in &cases {
        let kept = c.dist.truncation().expect("truncated").kept_mass;
        assert!(kept < REJECTION_MIN_MASS, "{}: kept mass {kept}", c.name);
    }
    check_ks(&cases);
}

#[test]
fn chi_square_discrete() {
    let cases: [(&str, u64, Vec<f64>, Vec<f64>); 3] = [
        (
            r#"{ dist = "discrete", values = [1, 2, 4, 8], weights = [1, 2, 3, 4] }"#,
            1101,
            vec![1.0, 2.0, 4.0, 8.0],
            vec![0.1, 0.2, 0.3, 0.4],
        ),
        // Unnormalised weights, unsorted values, a zero weight.
        (
            r#"{ dist = "discrete", values = [8, 0.5, 3, 2], weights = [0.25, 5, 0, 1.25] }"#,
            1102,
            vec![8.0, 0.5, 3.0, 2.0],
            vec![0.25 / 6.5, 5.0 / 6.5, 0.0, 1.25 / 6.5],
        ),
        // Truncation drops a value and renormalises the rest.
        (
            r#"{ dist = "discrete", values = [1, 2, 4, 8], weights = [1, 2, 3, 4], truncate = [1.5, 8] }"#,
            1103,
            vec![1.0, 2.0, 4.0, 8.0],
            vec![0.0, 2.0 / 9.0, 3.0 / 9.0, 4.0 / 9.0],
        ),
    ];
    for (text, seed, values, probs) in cases {
        let samples = draw(&spec(text), seed, N);
        // Values of probability zero must never be drawn; the test runs on the others.
        let (kept_values, kept_probs): (Vec<f64>, Vec<f64>) = values
            .iter()
            .zip(&probs)
            .filter(|(_, p)| **p > 0.0)
            .map(|(v, p)| (*v, *p))
            .unzip();
        let statistic = chi_square_statistic(&samples, &kept_values, &kept_probs);
        let critical = chi_square_critical(kept_values.len());
        println!("chi-square {text}: {statistic:.3} (critical {critical:.3})");
        assert!(
            statistic < critical,
            "{text}: χ² = {statistic} ≥ {critical}"
        );
    }
}

#[test]
fn ks_helper_rejects_a_slightly_wrong_normal() {
    let samples = draw(
        &spec(r#"{ dist = "normal", mean = 0, sd = 1.05 }"#),
        1201,
        N,
    );
    let right = ks_statistic(&samples, normal_cdf(0.0, 1.05));
    let wrong = ks_statistic(&samples, normal_cdf(0.0, 1.0));
    println!("KS sanity: D against the right normal {right:.5}, against sd 1.0 {wrong:.5}");
    assert!(right < ks_critical(N), "D = {right}");
    assert!(wrong > 2.0 * ks_critical(N), "D = {wrong}");
}

#[test]
fn ks_helper_rejects_a_slightly_wrong_pert_shape() {
    // PERT shape 4 vs 5 on the same support and mode: the kind of slip a wrong α/β formula
    // would make.
    let samples = draw(
        &spec(r#"{ dist = "pert", min = 1, mode = 2, max = 6 }"#),
        1202,
        N,
    );
    let wrong = ks_statistic(&samples, pert_cdf(1.0, 2.0, 6.0, 5.0));
    println!("KS sanity: PERT shape 4 draws against shape 5: D = {wrong:.5}");
    assert!(wrong > ks_critical(N), "D = {wrong}");
}

#[test]
fn chi_square_helper_rejects_slightly_wrong_weights() {
    let samples = draw(
        &spec(r#"{ dist = "discrete", values = [1, 2, 4, 8], weights = [1, 2, 3, 4] }"#),
        1203,
        N,
    );
    let values = [1.0, 2.0, 4.0, 8.0];
    let wrong = chi_square_statistic(&samples, &values, &[0.11, 0.19, 0.3, 0.4]);
    println!("chi-square sanity: weights off by 0.01: {wrong:.1}");
    assert!(wrong > chi_square_critical(4), "χ² = {wrong}");
}

/// The crate's own CDF, which also sets the truncation mass and the inverse-CDF sampler's
/// range, agrees with the independent one to 1e-9 on a grid spanning each distribution (from
/// its 1e-9 to its 1 − 1e-6 quantile, plus points at and beyond finite support ends). Its
/// quantile function inverts the independent CDF to 1e-8 between the 0.1% and 99.9% points
/// (statrs' iterative gamma and beta quantiles stop at about that accuracy).
#[test]
fn dist_cdf_and_quantile_agree_with_statrs() {
    let mut probs: Vec<f64> = vec![1e-9, 1e-6, 1e-4];
    probs.extend((1..1000).map(|i| i as f64 / 1000.0));
    probs.extend([1.0 - 1e-4, 1.0 - 1e-6]);
    let mut failures = Vec::new();
    for c in all_continuous_cases() {
        let s = c.dist.support();
        let mut xs: Vec<f64> = probs.iter().map(|p| c.dist.quantile(*p)).collect();
        for edge in [s.lo, s.hi] {
            if edge.is_finite() {
                let pad = 1e-3 * edge.abs().max(1.0);
                xs.extend([edge - pad, edge, edge + pad]);
            }
        }
        for x in xs {
            let (ours, theirs) = (c.dist.cdf(x), (c.cdf)(x));
            let agree = (ours - theirs).abs() <= 1e-9; // false for NaN
            if !agree {
                failures.push(format!("{}: cdf({x}) = {ours}, reference {theirs}", c.name));
            }
        }
        for p in probs.iter().filter(|p| (1e-3..=1.0 - 1e-3).contains(*p)) {
            let x = c.dist.quantile(*p);
            let back = (c.cdf)(x);
            let inverts = (back - p).abs() <= 1e-8; // false for NaN
            if !inverts {
                failures.push(format!(
                    "{}: quantile({p}) = {x}, reference cdf there {back}",
                    c.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The discrete CDF is the step function of the normalised weights.
#[test]
fn discrete_cdf_is_the_cumulative_weight() {
    let dist =
        spec(r#"{ dist = "discrete", values = [8, 0.5, 3, 2], weights = [0.25, 5, 0, 1.25] }"#);
    let Kind::Discrete { values, .. } = dist.kind() else {
        panic!("not discrete: {:?}", dist.kind());
    };
    assert!(!values.contains(&3.0), "a zero-weight value is kept");
    let steps = [
        (0.4, 0.0),
        (0.5, 5.0 / 6.5),
        (1.9, 5.0 / 6.5),
        (2.0, 6.25 / 6.5),
        (3.0, 6.25 / 6.5),
        (8.0, 1.0),
        (9.0, 1.0),
    ];
    for (x, expected) in steps {
        assert!(
            (dist.cdf(x) - expected).abs() < 1e-12,
            "cdf({x}) = {}",
            dist.cdf(x)
        );
    }
}
