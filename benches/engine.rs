//! The engine and the percentile step on the chatgpt-class preset (17 uncertain inputs):
//! - `engine::simulate` at 1M samples on every core and on one thread;
//! - `report::run_scenario` at 1M samples: simulation, every metric's summary and the top
//!   drivers, i.e. a whole run without reading the scenario or writing files;
//! - `stats::summarize` (mean, sd, min/max and 9 percentiles with order-statistic CIs) on a 1M
//!   and a 10M column of `daily_cost_usd`, and `stats::percentile_estimates` (the order
//!   statistics alone) on the same columns;
//! - `Histogram::of_summarized`, the fixed-bin histogram every run keeps for its charts, on
//!   the same columns;
//! - `sensitivity::analyze` with all four methods at N = 100,000 (Sobol's design, the width
//!   reruns and both bootstraps; above 65,535 rows the bootstraps resample blocks of rows).
//!
//! Run: `cargo bench --bench engine`.

use costbands::engine;
use costbands::model::Metric;
use costbands::report;
use costbands::scenario::Scenario;
use costbands::settings::Settings;
use costbands::stats::{self, DEFAULT_CONFIDENCE, DEFAULT_PERCENTILES};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use std::hint::black_box;
use std::time::Duration;

const SEED: u64 = 42;
const MILLION: usize = 1_000_000;

fn preset() -> Scenario {
    Scenario::load("chatgpt-class", &[]).expect("the chatgpt-class preset loads")
}

fn simulate(c: &mut Criterion) {
    let scenario = preset();
    let mut group = c.benchmark_group("simulate_chatgpt_class");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(MILLION as u64));
    let cores = rayon::current_num_threads();
    for threads in [cores, 1] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let id = BenchmarkId::new(format!("{threads}_threads"), "1M");
        group.bench_function(id, |b| {
            b.iter(|| pool.install(|| black_box(engine::simulate(&scenario, MILLION, SEED, false))))
        });
    }
    group.finish();

    let settings = Settings {
        samples: MILLION,
        seed: SEED,
        percentiles: DEFAULT_PERCENTILES.to_vec(),
        confidence: DEFAULT_CONFIDENCE,
        ..Settings::default()
    };
    let mut group = c.benchmark_group("run_scenario_chatgpt_class");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(MILLION as u64));
    group.bench_function(BenchmarkId::new("simulate_and_summarize", "1M"), |b| {
        b.iter(|| black_box(report::run_scenario(&scenario, &settings).expect("no sink")))
    });
    group.finish();
}

/// A `daily_cost_usd` column of `samples` samples.
fn daily_cost_column(samples: usize) -> Vec<f64> {
    let mut simulation = engine::simulate(&preset(), samples, SEED, false);
    simulation.metrics.swap_remove(Metric::DailyCostUsd.index())
}

fn summarize(c: &mut Criterion) {
    let mut group = c.benchmark_group("summarize_daily_cost");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(5));
    for (label, samples) in [("1M", MILLION), ("10M", 10 * MILLION)] {
        let column = daily_cost_column(samples);
        group.throughput(Throughput::Elements(samples as u64));
        group.bench_function(BenchmarkId::new("summarize_9_percentiles", label), |b| {
            b.iter(|| {
                stats::summarize(
                    black_box(&column),
                    &DEFAULT_PERCENTILES,
                    DEFAULT_CONFIDENCE,
                    &[],
                )
            })
        });
        let summary = stats::summarize(&column, &DEFAULT_PERCENTILES, DEFAULT_CONFIDENCE, &[]);
        group.bench_function(BenchmarkId::new("histogram", label), |b| {
            b.iter(|| stats::Histogram::of_summarized(black_box(&column), &summary, true))
        });
        group.bench_function(BenchmarkId::new("percentile_estimates_only", label), |b| {
            b.iter(|| {
                stats::percentile_estimates(
                    black_box(&column),
                    &DEFAULT_PERCENTILES,
                    DEFAULT_CONFIDENCE,
                )
            })
        });
    }
    group.finish();
}

fn sensitivity(c: &mut Criterion) {
    use costbands::sensitivity::{self, Method};
    let scenario = preset();
    let options = sensitivity::Options {
        samples: 100_000,
        seed: SEED,
        confidence: DEFAULT_CONFIDENCE,
        methods: vec![
            Method::Spearman,
            Method::Tornado,
            Method::Sobol,
            Method::Width,
        ],
        metrics: vec![Metric::DailyCostUsd],
        resamples: 200,
        correlated_inputs: false,
    };
    let mut group = c.benchmark_group("sensitivity_chatgpt_class");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function(BenchmarkId::new("all_methods", "100k"), |b| {
        b.iter(|| black_box(sensitivity::analyze(&scenario, &options).expect("analysed")))
    });
    group.finish();
}

criterion_group!(benches, simulate, summarize, sensitivity);
criterion_main!(benches);
