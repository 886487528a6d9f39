//! Draws per second for every distribution kind: each spec is parsed from scenario-file text
//! exactly as a scenario would be, then `Dist::fill` fills a buffer of one chunk's length from a
//! Xoshiro256++ stream (the generator the engine uses).
//!
//! The first specs are the twelve uncertain serving inputs of the chatgpt-class preset, named
//! after the input they come from (its line-item rates and training inputs are uniform and
//! lognormal draws of the same forms); the rest cover the kinds and sampling methods it does
//! not use.
//!
//! Run: `cargo bench --bench sampling`.

use costbands::dist::{self, Dist};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use std::hint::black_box;
use std::time::Duration;

/// Buffer length: one engine chunk.
const BUFFER: usize = 1 << 14;

/// `(benchmark name, spec as written in a scenario file)`.
const SPECS: &[(&str, &str)] = &[
    // The chatgpt-class inputs.
    (
        "lognormal_median_p95/queries_per_day",
        r#"{ dist = "lognormal", median = 2.5e9, p95 = 3.5e9 }"#,
    ),
    (
        "lognormal_a_to_b/input_tokens_per_query",
        r#""200 to 5000""#,
    ),
    (
        "lognormal_p5_p95/output_tokens_per_query",
        r#"{ dist = "lognormal", p5 = 150.0, p95 = 2000.0 }"#,
    ),
    ("lognormal_a_to_b/active_params_b", r#""30 to 300""#),
    (
        "pert/prefill_mfu",
        r#"{ dist = "pert", min = 0.3, mode = 0.5, max = 0.76 }"#,
    ),
    (
        "beta_mean_sd/mfu",
        r#"{ dist = "beta", mean = 0.20, sd = 0.07 }"#,
    ),
    (
        "beta_mean_sd/utilization",
        r#"{ dist = "beta", mean = 0.5, sd = 0.1 }"#,
    ),
    (
        "pert/gpu_hour_usd",
        r#"{ dist = "pert", min = 1.49, mode = 2.2, max = 4.92 }"#,
    ),
    (
        "triangular/gpu_power_w",
        r#"{ dist = "triangular", min = 1000.0, mode = 1275.0, max = 1500.0 }"#,
    ),
    (
        "uniform/power_draw_fraction",
        r#"{ dist = "uniform", min = 0.4, max = 0.9 }"#,
    ),
    (
        "normal_truncated_rejection/pue",
        r#"{ dist = "normal", mean = 1.2, sd = 0.08, truncate = [1.0, inf] }"#,
    ),
    (
        "normal_truncated_rejection/electricity_usd_per_kwh",
        r#"{ dist = "normal", p5 = 0.06, p95 = 0.10, truncate = [0.0, inf] }"#,
    ),
    // Kinds and methods the preset does not use.
    ("constant", "8"),
    ("normal", r#"{ dist = "normal", mean = 1.2, sd = 0.08 }"#),
    (
        "normal_truncated_inverse_cdf",
        r#"{ dist = "normal", mean = 1.2, sd = 0.08, truncate = [1.35, inf] }"#,
    ),
    (
        "lognormal_truncated_rejection",
        r#"{ dist = "lognormal", p5 = 150.0, p95 = 2000.0, truncate = [0.0, 4000.0] }"#,
    ),
    (
        "beta_alpha_beta",
        r#"{ dist = "beta", alpha = 2.0, beta = 5.0 }"#,
    ),
    (
        "gamma_shape_2",
        r#"{ dist = "gamma", shape = 2.0, scale = 1.0 }"#,
    ),
    (
        "gamma_shape_0.5",
        r#"{ dist = "gamma", shape = 0.5, scale = 1.0 }"#,
    ),
    (
        "loguniform",
        r#"{ dist = "loguniform", min = 1.0, max = 1000.0 }"#,
    ),
    (
        "discrete_4",
        r#"{ dist = "discrete", values = [1, 2, 4, 8], weights = [0.1, 0.2, 0.3, 0.4] }"#,
    ),
];

/// Parses `spec` as the value of a key in a scenario file.
fn build(spec: &str) -> Dist {
    let table: toml::Table =
        toml::from_str(&format!("x = {spec}")).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let value = &table["x"];
    let parsed = match value {
        toml::Value::String(text) => dist::parse_str(text),
        other => dist::parse(other),
    };
    parsed.unwrap_or_else(|e| panic!("{spec}: {e}"))
}

fn sampling(c: &mut Criterion) {
    let mut group = c.benchmark_group("sampling");
    group.throughput(Throughput::Elements(BUFFER as u64));
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(500));
    let mut buffer = vec![0.0f64; BUFFER];
    for (name, spec) in SPECS {
        let dist = build(spec);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
        group.bench_with_input(BenchmarkId::from_parameter(name), &dist, |b, dist| {
            b.iter(|| {
                dist.fill(&mut rng, &mut buffer);
                black_box(&buffer);
            })
        });
    }
    group.finish();
}

/// The quantile of a beta and a PERT at one chunk's worth of levels, as a Latin hypercube or
/// Sobol design maps them: exact (`Dist::quantile`) and from the verified table
/// (`Dist::quantile_table`, used from 65,536 samples per replicate).
fn quantiles(c: &mut Criterion) {
    let mut group = c.benchmark_group("quantile");
    group.throughput(Throughput::Elements(BUFFER as u64));
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(500));
    let levels: Vec<f64> = (0..BUFFER)
        .map(|i| (i as f64 + 0.5) / BUFFER as f64)
        .collect();
    let mut buffer = vec![0.0f64; BUFFER];
    for (name, spec) in [
        ("beta/mfu", r#"{ dist = "beta", mean = 0.20, sd = 0.07 }"#),
        (
            "pert/gpu_hour_usd",
            r#"{ dist = "pert", min = 1.49, mode = 2.2, max = 4.92 }"#,
        ),
    ] {
        let dist = build(spec);
        group.bench_function(BenchmarkId::new("exact", name), |b| {
            b.iter(|| {
                for (x, p) in buffer.iter_mut().zip(&levels) {
                    *x = dist.quantile(*p);
                }
                black_box(&buffer);
            })
        });
        let table = dist.quantile_table().expect("a verified table");
        group.bench_function(BenchmarkId::new("table", name), |b| {
            b.iter(|| {
                for (x, p) in buffer.iter_mut().zip(&levels) {
                    *x = table.quantile(*p).unwrap_or_else(|| dist.quantile(*p));
                }
                black_box(&buffer);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, sampling, quantiles);
criterion_main!(benches);
