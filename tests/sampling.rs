//! Latin hypercube and Sobol designs, replicate intervals, rank correlations and precision
//! control.

mod common;

use common::*;
use costbands::engine::{self, Options};
use costbands::model::{Input, Metric};
use costbands::report::run_scenario;
use costbands::scenario::Scenario;
use costbands::settings::Method;
use costbands::settings::Settings;
use costbands::stats::rank::spearman;

/// A smooth scenario whose compute cost is (up to rounding below 1e-6) a product of
/// lognormals: queries × tokens ÷ rate ÷ 86 400 × 24 × price.
const PRODUCT: &str = r#"
[inputs]
queries_per_day = { dist = "lognormal", mu = 20.0, sigma = 0.3 }
output_tokens_per_query = { dist = "lognormal", mu = 6.0, sigma = 0.2 }
output_tokens_per_gpu_s = 10.0
utilization = 1.0
gpu_hour_usd = { dist = "lognormal", mu = 0.7, sigma = 0.25 }
gpu_power_w = 0.0
electricity_usd_per_kwh = 0.0
"#;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, "test.toml", "test", &[]).unwrap()
}

fn settings(method: Method, samples: usize, seed: u64) -> Settings {
    Settings {
        samples,
        seed,
        method,
        percentiles: vec![5.0, 50.0, 95.0],
        ..Settings::default()
    }
}

fn mean_half_width(method: Method, samples: usize) -> f64 {
    let report = run_scenario(&scenario(PRODUCT), &settings(method, samples, 1)).unwrap();
    let ci = report.metric(Metric::ComputeCostUsdPerDay).summary.mean_ci;
    (ci.high - ci.low) / 2.0
}

#[test]
fn lhs_and_sobol_narrow_the_mean_interval_against_mc() {
    let mc = mean_half_width(Method::Mc, 163_840);
    let lhs = mean_half_width(Method::Lhs, 163_840);
    let sobol = mean_half_width(Method::Sobol, 163_840);
    println!(
        "half-width ratios at 163840 samples: lhs/mc {:.3}, sobol/mc {:.3}",
        lhs / mc,
        sobol / mc
    );
    assert!(lhs < 0.5 * mc, "lhs {lhs} vs mc {mc}");
    assert!(sobol < 0.2 * mc, "sobol {sobol} vs mc {mc}");
}

/// exp(mu + sigma² / 2) of the product: mu and sigma² add up.
fn true_mean() -> f64 {
    let mu = 20.0 + 6.0 + 0.7 + (24.0f64 / 10.0 / 86_400.0).ln();
    let variance = 0.3f64.powi(2) + 0.2f64.powi(2) + 0.25f64.powi(2);
    (mu + variance / 2.0).exp()
}

#[test]
fn replicate_intervals_cover_the_true_mean() {
    let truth = true_mean();
    for method in [Method::Lhs, Method::Sobol] {
        let runs = 150;
        let covered = (0..runs)
            .filter(|seed| {
                let report =
                    run_scenario(&scenario(PRODUCT), &settings(method, 2560, *seed)).unwrap();
                let ci = report.metric(Metric::ComputeCostUsdPerDay).summary.mean_ci;
                ci.low <= truth && truth <= ci.high
            })
            .count();
        let coverage = covered as f64 / runs as f64;
        println!("{method:?} mean coverage {coverage}");
        assert!((0.89..=0.995).contains(&coverage), "{method:?}: {coverage}");
    }
}

#[test]
fn designs_do_not_depend_on_threads() {
    for method in [Method::Lhs, Method::Sobol] {
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let s = Scenario::load("chatgpt-class", &[]).unwrap();
                let options = Options {
                    seed: 9,
                    method,
                    replicate: 3,
                    ..Options::default()
                };
                engine::simulate_chunks(&s, &options, 0, 40_000).metrics
            })
        };
        assert_eq!(run(1), run(2), "{method:?}");
    }
}

#[test]
fn lhs_stratifies_every_input() {
    let s = Scenario::load("chatgpt-class", &[]).unwrap();
    let n = 5000;
    let options = Options {
        seed: 4,
        method: Method::Lhs,
        keep_inputs: true,
        ..Options::default()
    };
    let simulation = engine::simulate_chunks(&s, &options, 0, n);
    for (input, column) in simulation.inputs.unwrap() {
        let resolved = s.input(input).unwrap();
        if resolved.dist.as_constant().is_some() {
            continue;
        }
        let mut seen = vec![false; n];
        for x in column {
            let stratum = ((resolved.dist.cdf(x) * n as f64) as usize).min(n - 1);
            seen[stratum] = true;
        }
        let hit = seen.iter().filter(|s| **s).count();
        assert!(hit >= n - 2, "{input:?}: {hit} of {n} strata");
    }
}

const CORRELATED: &str = r#"
gpu = "h100-sxm"
[inputs]
queries_per_day = "1e9 to 3e9"
output_tokens_per_query = "200 to 2000"
active_params_b = "50 to 300"
mfu = { dist = "beta", mean = 0.3, sd = 0.08 }
utilization = { dist = "beta", mean = 0.5, sd = 0.1 }
gpus_per_server = 8
gpu_hour_usd = { dist = "pert", min = 1.5, mode = 2.2, max = 4.0 }
electricity_usd_per_kwh = 0.08

[[correlations]]
inputs = ["utilization", "mfu"]
rank = -0.4

[[correlations]]
inputs = ["gpu_hour_usd", "utilization"]
rank = 0.3
"#;

fn inputs_of(text: &str, samples: usize, method: Method) -> Vec<(Input, Vec<f64>)> {
    let options = Options {
        seed: 5,
        method,
        keep_inputs: true,
        ..Options::default()
    };
    engine::simulate_chunks(&scenario(text), &options, 0, samples)
        .inputs
        .unwrap()
}

fn column(inputs: &[(Input, Vec<f64>)], input: Input) -> &[f64] {
    &inputs.iter().find(|(i, _)| *i == input).unwrap().1
}

#[test]
fn rank_correlations_are_induced_within_0_02() {
    for method in [Method::Mc, Method::Lhs] {
        let inputs = inputs_of(CORRELATED, 100_000, method);
        let rho = |a, b| spearman(column(&inputs, a), column(&inputs, b));
        let mfu_util = rho(Input::Mfu, Input::Utilization);
        let price_util = rho(Input::GpuHourUsd, Input::Utilization);
        let mfu_price = rho(Input::Mfu, Input::GpuHourUsd);
        assert!((mfu_util + 0.4).abs() < 0.02, "{method:?}: {mfu_util}");
        assert!((price_util - 0.3).abs() < 0.02, "{method:?}: {price_util}");
        assert!(
            mfu_price.abs() < 0.02 + 0.12 * 0.4 * 0.3 * 10.0,
            "{method:?}: {mfu_price}"
        );
        let queries_mfu = rho(Input::QueriesPerDay, Input::Mfu);
        assert!(
            queries_mfu.abs() < 0.02,
            "{method:?}: uncorrelated pair {queries_mfu}"
        );
    }
}

#[test]
fn correlation_keeps_every_marginal_exactly() {
    let uncorrelated_text = CORRELATED.split("[[correlations]]").next().unwrap();
    // Iman–Conover permutes values within each whole chunk, so over whole chunks every input
    // holds exactly the values it would hold uncorrelated.
    let samples = 3 * engine::CHUNK_SIZE;
    let with = inputs_of(CORRELATED, samples, Method::Mc);
    let without = inputs_of(uncorrelated_text, samples, Method::Mc);
    for ((input, a), (_, b)) in with.iter().zip(&without) {
        let (mut a, mut b) = (a.clone(), b.clone());
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        assert_eq!(a, b, "{input:?}: correlation changed the marginal");
    }
}

#[test]
fn correlated_runs_stay_prefix_stable() {
    let long = inputs_of(CORRELATED, 80_000, Method::Mc);
    let short = inputs_of(CORRELATED, 40_000, Method::Mc);
    for ((input, a), (_, b)) in long.iter().zip(&short) {
        assert_eq!(&a[..40_000], &b[..], "{input:?}");
    }
}

#[test]
fn correlated_runs_do_not_depend_on_threads() {
    for method in [Method::Mc, Method::Lhs] {
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| inputs_of(CORRELATED, 3 * engine::CHUNK_SIZE + 11, method))
        };
        assert_eq!(run(1), run(2), "{method:?}");
    }
}

#[test]
fn impossible_correlations_are_repaired_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = CORRELATED.replace("rank = 0.3", "rank = 0.9")
        + "\n[[correlations]]\ninputs = [\"gpu_hour_usd\", \"mfu\"]\nrank = 0.9\n";
    write(dir.path(), "c.toml", &text);
    let output = costbands_in(
        dir.path(),
        &["run", "c.toml", "--samples", "20000", "--out", "o"],
    );
    assert_ok(&output);
    let message = stderr(&output);
    assert!(
        message.contains("nearest valid matrix") && message.contains("requested -0.400"),
        "{message}"
    );
    let run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    let c = &run["scenarios"][0]["correlations"];
    assert_eq!(c["repaired"], true);
    let target = c["target"][0][1].as_f64().unwrap();
    let achieved = c["achieved"][0][1].as_f64().unwrap();
    assert!((target - achieved).abs() < 0.02, "{target} vs {achieved}");
}

#[test]
fn bad_correlations_are_errors() {
    for (extra, needle) in [
        (
            "[[correlations]]\ninputs = [\"mfu\", \"mfu\"]\nrank = 0.5\n",
            "with itself",
        ),
        (
            "[[correlations]]\ninputs = [\"mfu\", \"utilisation\"]\nrank = 0.5\n",
            "did you mean `utilization`",
        ),
        (
            "[[correlations]]\ninputs = [\"mfu\", \"utilization\"]\nrank = 1.5\n",
            "outside [-1, 1]",
        ),
        (
            "[[correlations]]\ninputs = [\"mfu\", \"gpus_per_server\"]\nrank = 0.5\n",
            "it is a constant",
        ),
        (
            "[[correlations]]\ninputs = [\"mfu\", \"fleet_gpus\"]\nrank = 0.5\n",
            "does not read it",
        ),
        (
            "[correlation]\ninputs = [\"mfu\", \"utilization\"]\nmatrix = [[1, 0.2], [0.3, 1]]\n",
            "not symmetric",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let base = CORRELATED.split("[[correlations]]").next().unwrap();
        write(dir.path(), "c.toml", &format!("{base}\n{extra}"));
        let output = costbands_in(dir.path(), &["check", "c.toml"]);
        assert!(!output.status.success(), "{extra}");
        assert!(
            stderr(&output).contains(needle),
            "{extra}: {}",
            stderr(&output)
        );
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "c.toml", CORRELATED);
    let output = costbands_in(dir.path(), &["run", "c.toml", "--sampler", "sobol"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("need --sampler mc or lhs"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("results").exists());
}

#[test]
fn sampler_is_chosen_in_the_file_or_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.toml",
        &format!("{PRODUCT}\n[sampling]\nmethod = \"lhs\"\nreplicates = 4\nsamples = 4000\n"),
    );
    let output = costbands_in(dir.path(), &["run", "p.toml", "--out", "o", "-q"]);
    assert_ok(&output);
    let run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    assert_eq!(
        (run["method"].as_str(), run["replicates"].as_u64()),
        (Some("lhs"), Some(4))
    );
    assert!(run["mean_ci_method"]
        .as_str()
        .unwrap()
        .contains("replicates"));
    let output = costbands_in(
        dir.path(),
        &["run", "p.toml", "--sampler", "sobol", "--out", "s", "-q"],
    );
    assert_ok(&output);
    let run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("s/run.json"))).unwrap();
    assert_eq!(run["method"], "sobol");
    let warnings = run["scenarios"][0]["warnings"].to_string();
    assert!(warnings.contains("not a power of two"), "{warnings}");
    let output = costbands_in(dir.path(), &["run", "p.toml", "--sampler", "qmc"]);
    assert!(stderr(&output).contains("unknown sampler"));
}

#[test]
fn precision_control_runs_until_the_target_is_met() {
    let (dir, output) = costbands(&[
        "run",
        "--precision",
        "daily_cost_usd:p50:0.3%",
        "--out",
        "o",
        "-q",
    ]);
    assert_ok(&output);
    let run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    let scenario = &run["scenarios"][0];
    let used = scenario["samples_used"].as_u64().unwrap();
    assert!(used > 131_072, "{used}");
    let target = &scenario["precision"][0];
    assert_eq!(target["met"], true);
    assert!(target["half_width"].as_f64().unwrap() <= 0.003);
    let p50 = &scenario["metrics"][0]["percentiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["percentile"] == 50.0)
        .unwrap()
        .clone();
    let half = (p50["ci_high"].as_f64().unwrap() - p50["ci_low"].as_f64().unwrap()) / 2.0;
    assert!(half / p50["value"].as_f64().unwrap() <= 0.003);
}

#[test]
fn precision_control_fails_loudly_when_the_cap_is_too_low() {
    let (dir, output) = costbands(&[
        "run",
        "--precision",
        "daily_cost_usd:p99:0.05%",
        "--max-samples",
        "200000",
        "--out",
        "o",
        "-q",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("precision targets not met within 200000 samples"),
        "{}",
        stderr(&output)
    );
    assert!(
        dir.path().join("o/run.json").exists(),
        "the partial result is still written"
    );
    for (args, needle) in [
        (
            vec![
                "run",
                "--precision",
                "daily_cost_usd:p95:1%",
                "--sampler",
                "lhs",
            ],
            "needs --sampler mc",
        ),
        (
            vec![
                "run",
                "--precision",
                "daily_cost_usd:p95:1%",
                "--samples",
                "1000",
            ],
            "drop --samples",
        ),
        (
            vec!["run", "--precision", "daily_cost_usd:p95"],
            "METRIC:STAT:WIDTH",
        ),
    ] {
        let (_dir, output) = costbands(&args);
        assert!(
            stderr(&output).contains(needle),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn saved_samples_of_a_design_hold_every_replicate_with_its_inputs() {
    let (dir, output) = costbands(&[
        "run",
        "--sampler",
        "lhs",
        "--replicates",
        "4",
        "--samples",
        "4000",
        "--save-samples",
        "--out",
        "o",
        "-q",
    ]);
    assert_ok(&output);
    let samples = read(&dir.path().join("o/samples.csv"));
    let rows: Vec<&str> = samples.lines().skip(1).collect();
    assert_eq!(rows.len(), 4000);
    assert!(
        rows.iter().all(|row| !row.contains(",,")),
        "an input or metric cell is empty"
    );
}
