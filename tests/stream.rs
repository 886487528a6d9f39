//! Streaming runs (`--stream`) against the exact in-memory run of the same seed: exact counts,
//! extremes and exceedances; mean and standard deviation to rounding; every percentile within
//! the sketch's stated relative error and every interval at least as wide as the exact one;
//! byte-identical at any thread count; refusals; memory independent of the samples.

mod common;

use common::{assert_ok, costbands, read, stderr, write};
use costbands::model::Metric;
use costbands::report::RunReport;
use costbands::request::{CommonOptions, RunOptions, RunRequest};
use costbands::stats::sketch::RELATIVE_ERROR;

/// A scenario with correlated inputs.
const CORRELATED: &str = r#"
name = "correlated"
gpu = "h100-sxm"

[inputs]
queries_per_day = "50e6 to 150e6"
output_tokens_per_query = { dist = "lognormal", p5 = 200, p95 = 1200 }
input_tokens_per_query = 300
active_params_b = { dist = "pert", min = 50, mode = 100, max = 300 }
mfu = { dist = "beta", mean = 0.3, sd = 0.05 }
utilization = { dist = "uniform", min = 0.2, max = 0.9 }
gpu_hour_usd = "1.5 to 4"
electricity_usd_per_kwh = 0.08

[[correlations]]
inputs = ["utilization", "mfu"]
rank = -0.4
"#;

fn run(scenario: &str, samples: u64, seed: u64, stream: bool, threads: usize) -> RunReport {
    run_set(scenario, &[], samples, seed, stream, threads)
}

fn run_set(
    scenario: &str,
    set: &[&str],
    samples: u64,
    seed: u64,
    stream: bool,
    threads: usize,
) -> RunReport {
    let options = RunOptions {
        common: CommonOptions {
            samples: Some(samples),
            seed: Some(seed),
            threads: Some(threads),
            set: set.iter().map(|s| s.to_string()).collect(),
            ..CommonOptions::default()
        },
        scenarios: vec![scenario.to_string()],
        exceed: vec![
            "daily_cost_usd=5e6".into(),
            "cost_per_query_usd=0.01".into(),
        ],
        below: vec!["gpus=2000".into()],
        stream,
        ..RunOptions::default()
    };
    let request = RunRequest::new(&options).unwrap();
    request
        .run(&costbands::request::Silent, &mut |_, _| Ok(()))
        .unwrap()
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    a == b || (a - b).abs() <= relative * a.abs().max(b.abs())
}

/// Compares every metric of a streamed run with the exact run of the same seed.
fn compare(exact: &RunReport, streamed: &RunReport) {
    for (e, s) in exact.scenarios.iter().zip(&streamed.scenarios) {
        assert_eq!(e.samples_used, s.samples_used);
        assert_eq!((e.rejected, e.clamped), (s.rejected, s.clamped));
        assert_eq!(e.top_drivers, s.top_drivers);
        assert_eq!(e.correlations, s.correlations);
        for (em, sm) in e.metrics.iter().zip(&s.metrics) {
            let name = em.metric;
            let (x, y) = (&em.summary, &sm.summary);
            assert_eq!(
                (x.samples, x.non_finite),
                (y.samples, y.non_finite),
                "{name}"
            );
            assert_eq!((x.min, x.max), (y.min, y.max), "{name}");
            assert_eq!(x.exceedances, y.exceedances, "{name}");
            assert!(
                close(x.mean, y.mean, 1e-13),
                "{name}: {} {}",
                x.mean,
                y.mean
            );
            assert!(
                close(x.std_dev, y.std_dev, 1e-9),
                "{name}: {} {}",
                x.std_dev,
                y.std_dev
            );
            // A line item's metric (not a built-in name) is never whole-valued.
            let whole = Metric::from_name(name).is_some_and(|m| m.whole_valued());
            let bound = if whole { 2.0 } else { 1.0 } * RELATIVE_ERROR * (1.0 + 1e-12);
            for (p, q) in x.percentiles.iter().zip(&y.percentiles) {
                let at = format!("{name} p{}", p.percentile);
                assert!(
                    (p.value - q.value).abs() <= bound * p.value.abs(),
                    "{at}: exact {} streamed {}",
                    p.value,
                    q.value
                );
                assert!(
                    q.ci_low <= p.ci_low && q.ci_high >= p.ci_high,
                    "{at}: {p:?} {q:?}"
                );
                let slack = 2.0 * bound;
                assert!(
                    q.ci_low >= p.ci_low - slack * p.ci_low.abs() || p.ci_low.is_infinite(),
                    "{at}: {p:?} {q:?}"
                );
                assert!(
                    q.ci_high <= p.ci_high + slack * p.ci_high.abs() || p.ci_high.is_infinite(),
                    "{at}: {p:?} {q:?}"
                );
                assert!(q.ci_low <= q.value && q.value <= q.ci_high, "{at}: {q:?}");
            }
            match (&em.histogram, &sm.histogram) {
                (Some(a), Some(b)) => assert_eq!(a.total(), b.total(), "{name}"),
                (a, b) => assert_eq!(a.is_none(), b.is_none(), "{name}"),
            }
        }
    }
}

#[test]
fn a_streamed_run_agrees_with_the_exact_run_within_the_stated_error() {
    for (preset, seed) in [("chatgpt-class", 1), ("semianalysis-2023-uncertain", 7)] {
        let exact = run(preset, 300_000, seed, false, 2);
        let streamed = run(preset, 300_000, seed, true, 2);
        compare(&exact, &streamed);
        assert!(streamed.stream.is_some() && exact.stream.is_none());
    }
}

#[test]
fn rejected_samples_correlations_and_partial_chunks_stream_like_the_exact_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "correlated.toml", CORRELATED);
    let file = file.display().to_string();
    // About half of the samples need more memory than two GPUs have: rejected.
    let rejecting = ["gpus_per_replica=2", "batch_size=32"];
    for seed in [3, 4, 5] {
        // 100_003 samples: the last chunk is partial.
        let exact = run(&file, 100_003, seed, false, 2);
        assert!(exact.scenarios[0].correlations.is_some());
        let streamed = run(&file, 100_003, seed, true, 2);
        compare(&exact, &streamed);
        let exact = run_set("selfhost-70b", &rejecting, 100_003, seed, false, 2);
        let rejected = exact.scenarios[0].rejected;
        assert!(rejected > 10_000 && rejected < 90_000, "{rejected}");
        let streamed = run_set("selfhost-70b", &rejecting, 100_003, seed, true, 2);
        compare(&exact, &streamed);
    }
}

#[test]
fn the_stated_error_bound_holds_over_seeds_and_sample_sizes() {
    for (seed, samples) in [(11, 1_000), (12, 20_000), (13, 65_537), (14, 400_000)] {
        let exact = run("epoch-2025-uncertain", samples, seed, false, 2);
        let streamed = run("epoch-2025-uncertain", samples, seed, true, 2);
        compare(&exact, &streamed);
    }
}

#[test]
fn a_streamed_run_is_byte_identical_at_any_thread_count() {
    let one = run("chatgpt-class", 200_000, 9, true, 1);
    let three = run("chatgpt-class", 200_000, 9, true, 3);
    assert_eq!(one.scenarios, three.scenarios);
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let (dir, output) = costbands(&[
            "run",
            "chatgpt-class",
            "--stream",
            "-n",
            "100000",
            "--seed",
            "4",
            "-q",
            "--threads",
            threads,
            "--out",
            "out",
        ]);
        assert_ok(&output);
        files.push([
            read(&dir.path().join("out/summary.csv")),
            read(&dir.path().join("out/bands.csv")),
        ]);
    }
    assert_eq!(files[0], files[1]);
}

#[test]
fn stream_refuses_what_it_cannot_do_and_writes_nothing() {
    let cases: [(&[&str], &str); 3] = [
        (&["--sampler", "lhs"], "needs --sampler mc"),
        (&["--precision", "daily_cost_usd:p50:5%"], "--precision"),
        (&["--save-samples"], "--save-samples"),
    ];
    for (extra, problem) in cases {
        let mut args = vec!["run", "chatgpt-class", "--stream", "--out", "out"];
        args.extend_from_slice(extra);
        if !extra.contains(&"--precision") {
            args.extend_from_slice(&["-n", "1000"]);
        }
        let (dir, output) = costbands(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains("--stream") && message.contains(problem),
            "{message}"
        );
        assert!(!dir.path().join("out").exists(), "{args:?} wrote results");
    }
}

#[test]
fn a_run_too_large_for_the_memory_limit_streams_and_says_so() {
    // On 2 threads the default scenario needs about 282 MiB held in memory and, streamed,
    // between 120 and 150 MiB (a quantile sketch per stored metric and thread): the limit lies
    // between the two.
    let (dir, output) = costbands(&[
        "run",
        "chatgpt-class",
        "-n",
        "2e6",
        "-j",
        "2",
        "--max-memory",
        "200M",
        "--out",
        "out",
        "-q",
    ]);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("so it streams"),
        "{}",
        stderr(&output)
    );
    let record: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("out/run.json"))).unwrap();
    let reason = record["stream"]["reason"].as_str().unwrap();
    assert!(reason.contains("held in memory"), "{reason}");
    // The same run asked to stream has the same numbers.
    let (asked, output) = costbands(&[
        "run",
        "chatgpt-class",
        "-n",
        "2e6",
        "--stream",
        "-q",
        "--out",
        "out",
    ]);
    assert_ok(&output);
    assert_eq!(
        read(&dir.path().join("out/summary.csv")),
        read(&asked.path().join("out/summary.csv"))
    );
}

/// Peak resident memory of a streamed run of `samples`, as its run.json records it.
fn peak(samples: &str) -> u64 {
    let (dir, output) = costbands(&[
        "run",
        "chatgpt-class",
        "--stream",
        "-n",
        samples,
        "--threads",
        "2",
        "--out",
        "out",
        "-q",
    ]);
    assert_ok(&output);
    let record: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("out/run.json"))).unwrap();
    record["stream"]["peak_rss_bytes"].as_u64().unwrap()
}

#[test]
fn streaming_memory_does_not_grow_with_the_samples() {
    let (small, large) = (peak("1e6"), peak("1e7"));
    let ratio = large as f64 / small as f64;
    assert!(
        ratio < 1.2,
        "peak memory {small} bytes at 1e6 samples, {large} at 1e7"
    );
    // Held in memory, 1e7 samples of the metric columns alone take ~1.3 GB.
    assert!(large < 256 << 20, "{large} bytes");
}

#[test]
fn a_streamed_run_reruns_streamed_with_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let run = [
        "run",
        "chatgpt-class",
        "--stream",
        "-n",
        "50000",
        "-q",
        "--out",
        "one",
    ];
    assert_ok(&common::costbands_in(dir, &run));
    let rerun = ["rerun", "one/run.json", "--out", "again", "-q"];
    assert_ok(&common::costbands_in(dir, &rerun));
    for file in ["summary.csv", "bands.csv"] {
        assert_eq!(
            read(&dir.join("one").join(file)),
            read(&dir.join("again").join(file))
        );
    }
    let record: serde_json::Value =
        serde_json::from_str(&read(&dir.join("again/run.json"))).unwrap();
    assert!(record["stream"]["reason"].is_string());
}

#[test]
fn a_streamed_run_has_no_breakdown_and_writes_no_breakdown_csv() {
    let exact = run("chatgpt-class", 50_000, 3, false, 2);
    let streamed = run("chatgpt-class", 50_000, 3, true, 2);
    assert!(!exact.scenarios[0].breakdown.is_empty());
    assert!(streamed.scenarios[0].breakdown.is_empty());
    for (stream, written) in [(false, true), (true, false)] {
        let mut args = vec!["run", "chatgpt-class", "-n", "20000", "-q", "--out", "out"];
        if stream {
            args.push("--stream");
        }
        let (dir, output) = costbands(&args);
        assert_ok(&output);
        assert_eq!(dir.path().join("out/breakdown.csv").exists(), written);
        assert!(dir.path().join("out/summary.csv").exists());
    }
}
