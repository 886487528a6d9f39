//! The cost model's arithmetic per row: `Model::evaluate(row)` on a scenario's own model, the
//! call the engine makes per sample, on one preset per path (rows drawn from that preset):
//! chatgpt-class (FLOPs), deepseek-2025 (throughput, with a prompt rate), owned-fleet (fleet,
//! owned GPUs) and selfhost-70b (roofline, fleet sized for the busiest hour).
//!
//! Run: `cargo bench --bench model`.

use costbands::model::{Row, OUTPUTS_LEN};
use costbands::scenario::Scenario;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use std::hint::black_box;
use std::time::Duration;

/// Rows per iteration: one engine chunk.
const ROWS: usize = 1 << 14;

/// The presets benchmarked, one per path.
const PRESETS: [&str; 4] = [
    "chatgpt-class",
    "deepseek-2025",
    "owned-fleet",
    "selfhost-70b",
];

/// `ROWS` rows of the scenario's inputs, each input from its own stream.
fn rows(scenario: &Scenario) -> Vec<Row> {
    let mut rows = vec![[f64::NAN; costbands::model::ROW_LEN]; ROWS];
    let mut column = vec![0.0; ROWS];
    for (stream, resolved) in scenario.inputs().iter().enumerate() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(stream as u64);
        resolved.dist.fill(&mut rng, &mut column);
        for (row, value) in rows.iter_mut().zip(&column) {
            row[resolved.input.index()] = *value;
        }
    }
    rows
}

fn evaluate(c: &mut Criterion) {
    let mut out = vec![[0.0; OUTPUTS_LEN]; ROWS];
    let mut group = c.benchmark_group("model_evaluate");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.measurement_time(Duration::from_secs(3));
    for name in PRESETS {
        let scenario = Scenario::load(name, &[]).expect("the preset loads");
        let rows = rows(&scenario);
        let model = *scenario.model();
        group.bench_function(BenchmarkId::new("Model::evaluate", name), |b| {
            b.iter(|| {
                let model = black_box(model);
                for (row, slot) in rows.iter().zip(out.iter_mut()) {
                    *slot = model.evaluate(row).outputs;
                }
                black_box(&out);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
