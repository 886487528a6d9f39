//! The cost model's arithmetic per row, on rows drawn from the chatgpt-class preset:
//! - `model::evaluate(path, row)`, the convenience function (builds the path's foundation
//!   model and fills defaults on every call), on the FLOPs, throughput and fleet paths;
//! - `Model::evaluate(row)` on the scenario's own model, the call the engine makes per sample.
//!
//! Run: `cargo bench --bench model`.

use costbands::model::{self, Input, Path, Row, N_INPUTS, N_METRICS};
use costbands::scenario::Scenario;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use std::hint::black_box;
use std::time::Duration;

/// Rows per iteration: one engine chunk.
const ROWS: usize = 1 << 14;

/// `ROWS` rows of the preset's inputs, plus plausible values for the inputs only the fleet
/// and throughput paths read.
fn rows(scenario: &Scenario) -> Vec<Row> {
    let mut rows = vec![[f64::NAN; N_INPUTS]; ROWS];
    let mut column = vec![0.0; ROWS];
    for (stream, resolved) in scenario.inputs().iter().enumerate() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(stream as u64);
        resolved.dist.fill(&mut rng, &mut column);
        for (row, value) in rows.iter_mut().zip(&column) {
            row[resolved.input as usize] = *value;
        }
    }
    for (i, row) in rows.iter_mut().enumerate() {
        let jitter = 1.0 + (i % 97) as f64 / 97.0;
        row[Input::FleetGpus as usize] = 50_000.0 * jitter;
        row[Input::OutputTokensPerGpuS as usize] = 400.0 * jitter;
        row[Input::InputTokensPerGpuS as usize] = 4_000.0 * jitter;
    }
    rows
}

fn evaluate(c: &mut Criterion) {
    let scenario = Scenario::load("chatgpt-class", &[]).expect("the chatgpt-class preset loads");
    let rows = rows(&scenario);
    let mut out = vec![[0.0; N_METRICS]; ROWS];
    let mut group = c.benchmark_group("model_evaluate");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.measurement_time(Duration::from_secs(3));
    let paths = [
        ("flops", Path::Flops),
        ("throughput", Path::Throughput { prompt_rate: true }),
        ("fleet", Path::Fleet),
    ];
    for (name, path) in paths {
        group.bench_function(BenchmarkId::new("model::evaluate", name), |b| {
            b.iter(|| {
                let path = black_box(path);
                for (row, slot) in rows.iter().zip(out.iter_mut()) {
                    *slot = model::evaluate(path, row);
                }
                black_box(&out);
            })
        });
    }
    let scenario_model = scenario.model();
    group.bench_function(
        BenchmarkId::new("Model::evaluate", "chatgpt_class_model"),
        |b| {
            b.iter(|| {
                let scenario_model = black_box(scenario_model);
                for (row, slot) in rows.iter().zip(out.iter_mut()) {
                    *slot = scenario_model.evaluate(row).outputs;
                }
                black_box(&out);
            })
        },
    );
    group.finish();
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
