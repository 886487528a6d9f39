//! The engine's determinism contract, through the library on the built-in default scenario
//! (FLOPs path, 17 uncertain inputs): output independent of the thread count, prefix
//! stability, seed sensitivity, and one random stream per input.

use costbands::engine::{simulate, Simulation, CHUNK_SIZE};
use costbands::model::Derived;
use costbands::model::{Input, Metric};
use costbands::scenario::{Override, Scenario};

const SEED: u64 = 20_240_601;

fn preset(overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|text| Override::parse(text).unwrap())
        .collect();
    Scenario::load("chatgpt-class", &overrides).unwrap_or_else(|e| panic!("{e}"))
}

fn bits(column: &[f64]) -> Vec<u64> {
    column.iter().map(|x| x.to_bits()).collect()
}

fn inputs(run: &Simulation) -> &[(Input, Vec<f64>)] {
    run.inputs.as_deref().expect("inputs kept")
}

fn input_column(run: &Simulation, input: Input) -> &[f64] {
    &inputs(run)
        .iter()
        .find(|(i, _)| *i == input)
        .unwrap_or_else(|| panic!("{} not sampled", input.name()))
        .1
}

/// Asserts two runs are bit-identical in every metric and input column.
fn assert_identical(a: &Simulation, b: &Simulation, what: &str) {
    assert_eq!(a.metrics.len(), b.metrics.len());
    for (index, (x, y)) in a.metrics.iter().zip(&b.metrics).enumerate() {
        assert!(bits(x) == bits(y), "{what}: metric #{index} differs");
    }
    for ((input, x), (other, y)) in inputs(a).iter().zip(inputs(b)) {
        assert_eq!(input, other);
        assert!(bits(x) == bits(y), "{what}: input {} differs", input.name());
    }
}

#[test]
fn the_default_preset_has_17_uncertain_inputs() {
    // 12 serving inputs, 3 line-item rates and 2 training inputs, as its header says.
    let scenario = preset(&[]);
    let uncertain = scenario
        .inputs()
        .iter()
        .filter(|r| r.dist.as_constant().is_none())
        .count();
    assert_eq!(uncertain, 17);
}

#[test]
fn output_is_bit_identical_for_1_2_and_8_threads() {
    let scenario = preset(&[]);
    // Six full chunks and a partial one.
    let samples = 6 * CHUNK_SIZE + 1_234;
    let runs: Vec<Simulation> = [1, 2, 8]
        .into_iter()
        .map(|threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| simulate(&scenario, samples, SEED, true))
        })
        .collect();
    assert_eq!(runs[0].len(), samples);
    assert_identical(&runs[0], &runs[1], "1 vs 2 threads");
    assert_identical(&runs[0], &runs[2], "1 vs 8 threads");
    // Not keeping the inputs changes nothing in the metrics.
    let lean = simulate(&scenario, samples, SEED, false);
    assert!(lean.inputs.is_none());
    for (x, y) in runs[0].metrics.iter().zip(&lean.metrics) {
        assert!(bits(x) == bits(y), "keep_inputs changes the metrics");
    }
}

#[test]
fn a_run_of_n_is_the_prefix_of_a_run_of_2n() {
    let scenario = preset(&[]);
    let n = 40_000;
    assert_ne!(n % CHUNK_SIZE, 0);
    let short = simulate(&scenario, n, SEED, true);
    let long = simulate(&scenario, 2 * n, SEED, true);
    assert_eq!(long.len(), 2 * n);
    for (index, (x, y)) in short.metrics.iter().zip(&long.metrics).enumerate() {
        assert!(bits(x) == bits(&y[..n]), "metric #{index} is not a prefix");
    }
    assert_eq!(inputs(&short).len(), inputs(&long).len());
    for ((input, x), (other, y)) in inputs(&short).iter().zip(inputs(&long)) {
        assert_eq!(input, other);
        assert!(bits(x) == bits(&y[..n]), "{} is not a prefix", input.name());
    }
}

#[test]
fn different_seeds_give_different_draws() {
    let scenario = preset(&[]);
    let n = 50_000;
    let a = simulate(&scenario, n, SEED, true);
    let b = simulate(&scenario, n, SEED + 1, true);
    for resolved in scenario.inputs() {
        let (x, y) = (
            input_column(&a, resolved.input),
            input_column(&b, resolved.input),
        );
        let same = x.iter().zip(y).filter(|(p, q)| p == q).count();
        if resolved.dist.as_constant().is_some() {
            assert_eq!(same, n, "constant {} varies", resolved.input.name());
        } else {
            assert_eq!(same, 0, "{}: {same} equal draws", resolved.input.name());
        }
    }
    for metric in Metric::ALL {
        if matches!(a.derived[metric.index()], Some(Derived::Constant(_))) {
            continue; // e.g. capex_usd_per_day is 0 in every sample of a rented fleet
        }
        let (x, y) = (a.metric(metric), b.metric(metric));
        let same = x.iter().zip(y.iter()).filter(|(p, q)| p == q).count();
        // `gpus` is a whole number of 8-GPU servers, so a rare coincidence is possible.
        assert!(same < n / 100, "{}: {same} of {n} equal", metric.name());
    }
}

#[test]
fn changing_one_input_leaves_the_other_inputs_unchanged() {
    let n = 3 * CHUNK_SIZE + 7;
    let base = simulate(&preset(&[]), n, SEED, true);
    let changes = [
        (
            Input::Mfu,
            r#"mfu={ dist = "beta", mean = 0.3, sd = 0.05 }"#,
        ),
        // Rejection sampling draws a random number of variates per value.
        (
            Input::Pue,
            r#"pue={ dist = "normal", mean = 1.1, sd = 0.2, truncate = [1.0, 1.3] }"#,
        ),
        (Input::QueriesPerDay, "queries_per_day=1e9 to 2e9"),
        (Input::GpuHourUsd, "gpu_hour_usd=2.5"),
    ];
    for (changed, text) in changes {
        let scenario = preset(&[text]);
        let run = simulate(&scenario, n, SEED, true);
        for resolved in scenario.inputs() {
            let (x, y) = (
                input_column(&base, resolved.input),
                input_column(&run, resolved.input),
            );
            if resolved.input == changed {
                assert!(
                    bits(x) != bits(y),
                    "{text}: the changed input did not change"
                );
            } else {
                assert!(
                    bits(x) == bits(y),
                    "{text}: {} changed",
                    resolved.input.name()
                );
            }
        }
        assert!(
            bits(&base.metric(Metric::DailyCostUsd)) != bits(&run.metric(Metric::DailyCostUsd)),
            "{text}: daily cost did not change"
        );
    }
}

#[test]
fn a_pinned_input_leaves_every_other_inputs_draws_unchanged() {
    let scenario = preset(&[]);
    let pinned = scenario
        .with_input_pinned(Input::GpuHourUsd, 1.2)
        .unwrap_or_else(|e| panic!("{e}"));
    let before = simulate(&scenario, 1000, 3, true);
    let after = simulate(&pinned, 1000, 3, true);
    for ((input, a), (_, b)) in inputs(&before).iter().zip(inputs(&after)) {
        if *input == Input::GpuHourUsd {
            assert!(b.iter().all(|x| *x == 1.2));
        } else {
            assert_eq!(bits(a), bits(b), "{input:?}");
        }
    }
}
