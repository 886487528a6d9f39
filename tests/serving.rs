//! The roofline path, peak provisioning and owning, end to end: rejected samples reported
//! apart from non-finite ones, the loud warning, validation errors, explain and list.

mod common;

use common::*;

/// A 70B dense model on replicas of 2 H100s (160 GB): half the draws run 64 sequences of 2,000
/// tokens (140 GB + 42 GB of KV cache), which do not fit.
const TIGHT: &str = r#"
name = "tight"
description = "roofline scenario where half the samples overflow memory"
gpu = "h100-sxm"

[inputs]
queries_per_day = "1e6 to 3e6"
input_tokens_per_query = 1000
output_tokens_per_query = "200 to 800"
total_params_b = 70
layers = 80
kv_heads = 8
head_dim = 128
context_tokens = 2000
batch_size = { dist = "discrete", values = [8, 64], weights = [0.5, 0.5] }
gpus_per_replica = 2
mbu = { dist = "beta", mean = 0.7, sd = 0.05 }
mfu = 0.5
utilization = 0.6
gpus_per_server = 8
gpu_hour_usd = 2.0
electricity_usd_per_kwh = 0.08

[sampling]
samples = 20000
seed = 3
"#;

fn run_json(dir: &std::path::Path, out: &str) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join(out).join("run.json"))).unwrap()
}

#[test]
fn rejected_samples_are_counted_reported_and_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "tight.toml", TIGHT);
    let output = costbands_in(dir.path(), &["run", "tight.toml", "--out", "o"]);
    assert_ok(&output);
    let message = stderr(&output);
    assert!(
        message.contains("WARNING: tight:")
            && message.contains("rejected as physically infeasible"),
        "{message}"
    );
    let table = stdout(&output);
    assert!(
        table.contains("rejected (") && table.contains("20000 samples"),
        "{table}"
    );
    let run = run_json(dir.path(), "o");
    let scenario = &run["scenarios"][0];
    assert_eq!(scenario["path"], "roofline");
    let rejected = scenario["rejected"].as_u64().unwrap();
    assert!((9000..11000).contains(&rejected), "{rejected}");
    let share = scenario["rejected_share"].as_f64().unwrap();
    assert_eq!(share, rejected as f64 / 20000.0);
    assert_eq!(scenario["clamped"], 0);
    assert!(scenario["warnings"][0]
        .as_str()
        .unwrap()
        .contains("rejected as physically infeasible"));
    // Rejected samples are left out of every statistic but are not "non-finite".
    for metric in scenario["metrics"].as_array().unwrap() {
        assert_eq!(metric["non_finite"], 0, "{}", metric["metric"]);
        assert_eq!(metric["samples"].as_u64().unwrap(), 20000 - rejected);
    }
}

#[test]
fn clamping_keeps_every_sample() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tight.toml",
        &TIGHT.replace("[inputs]", "on_infeasible = \"clamp\"\n\n[inputs]"),
    );
    let output = costbands_in(dir.path(), &["run", "tight.toml", "--out", "o"]);
    assert_ok(&output);
    assert!(!stderr(&output).contains("WARNING"), "{}", stderr(&output));
    let run = run_json(dir.path(), "o");
    let scenario = &run["scenarios"][0];
    assert_eq!(scenario["on_infeasible"], "clamp");
    assert_eq!(scenario["rejected"], 0);
    let clamped = scenario["clamped"].as_u64().unwrap();
    assert!((9000..11000).contains(&clamped), "{clamped}");
    assert_eq!(scenario["metrics"][0]["samples"], 20000);
    // The same through --set.
    write(dir.path(), "plain.toml", TIGHT);
    let output = costbands_in(
        dir.path(),
        &[
            "run",
            "plain.toml",
            "--set",
            "on_infeasible=clamp",
            "--out",
            "p",
        ],
    );
    assert_ok(&output);
    assert_eq!(run_json(dir.path(), "p")["scenarios"][0]["rejected"], 0);
}

#[test]
fn roofline_output_is_identical_at_1_and_2_threads() {
    let bands = |threads: &str| {
        let (dir, output) = costbands(&[
            "run",
            "chatgpt-2025",
            "--samples",
            "40000",
            "--threads",
            threads,
            "--out",
            "o",
            "-q",
        ]);
        assert_ok(&output);
        read(&dir.path().join("o/bands.csv"))
    };
    assert_eq!(bands("1"), bands("2"));
}

/// Runs `costbands check bad.toml` on `text`, asserting failure and every needle in stderr.
fn rejects(text: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.toml", text);
    let output = costbands_in(dir.path(), &["check", "bad.toml"]);
    assert!(!output.status.success(), "accepted:\n{text}");
    let message = stderr(&output);
    for needle in needles {
        assert!(message.contains(needle), "`{needle}` not in: {message}");
    }
}

fn tight_with(from: &str, to: &str) -> String {
    assert!(TIGHT.contains(from), "{from}");
    TIGHT.replacen(from, to, 1)
}

#[test]
fn new_inputs_are_validated_with_clear_errors() {
    rejects(
        &tight_with(
            "mbu = { dist = \"beta\", mean = 0.7, sd = 0.05 }",
            "mbu = 1.2",
        ),
        &["bad.toml: inputs.mbu: 1.2 is out of range: mbu must be in (0, 1]"],
    );
    rejects(
        &tight_with(
            "total_params_b = 70",
            "total_params_b = 70\nbytes_per_param = 0",
        ),
        &["inputs.bytes_per_param: 0 is out of range", "> 0"],
    );
    rejects(
        &tight_with("gpus_per_replica = 2", "gpus_per_replica = 1.5"),
        &["inputs.gpus_per_replica", "whole number"],
    );
    rejects(
        &tight_with("kv_heads = 8", "kv_heads = 0"),
        &["inputs.kv_heads", "a whole number ≥ 1"],
    );
    rejects(
        &tight_with(
            "batch_size = { dist = \"discrete\", values = [8, 64], weights = [0.5, 0.5] }",
            "batch_size = \"8 to 64\"",
        ),
        &["inputs.batch_size", "must be a whole number"],
    );
    rejects(
        &tight_with("head_dim = 128\n", ""),
        &[
            "inputs.head_dim: missing: the roofline path needs head_dim",
            "kv_bytes_per_token",
        ],
    );
    rejects(
        &tight_with("utilization = 0.6", "peak_to_average = 2"),
        &["inputs.target_utilization: missing", "busiest hour"],
    );
    rejects(
        &tight_with(
            "gpu_hour_usd = 2.0",
            "gpu_hour_usd = 2.0\ngpu_capex_usd = 40000",
        ),
        &["inputs.gpu_capex_usd", "not both"],
    );
    rejects(
        &tight_with("gpu_hour_usd = 2.0", "gpu_capex_usd = 40000"),
        &["inputs.amortization_years: missing", "owning"],
    );
    rejects(
        &tight_with("[inputs]", "on_infeasible = \"maybe\"\n[inputs]"),
        &["unknown variant `maybe`", "reject", "clamp"],
    );
}

#[test]
fn peak_provisioning_and_owning_through_the_command_line() {
    let (dir, output) = costbands(&[
        "run",
        "selfhost-70b",
        "--samples",
        "5000",
        "--set",
        "gpu_capex_usd=45000",
        "--set",
        "amortization_years=5",
        "--out",
        "o",
    ]);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("gpu_hour_usd from the file is replaced by --set gpu_capex_usd"),
        "{}",
        stderr(&output)
    );
    let run = run_json(dir.path(), "o");
    let scenario = &run["scenarios"][0];
    assert_eq!(scenario["price"], "owned");
    assert_eq!(scenario["provisioning"], "peak");
    let metric = |name: &str| {
        scenario["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        metric("capex_usd_per_day")["mean"],
        metric("compute_cost_usd_per_day")["mean"]
    );
    let busy = metric("busy_gpu_hours_per_day")["mean"].as_f64().unwrap();
    let provisioned = metric("gpu_hours_per_day")["mean"].as_f64().unwrap();
    assert!(busy < provisioned);
}

#[test]
fn explain_walks_the_roofline_and_list_shows_the_new_gpus() {
    let (_dir, output) = costbands(&["explain", "selfhost-70b"]);
    assert_ok(&output);
    let text = stdout(&output);
    for needle in [
        "roofline path, fleet sized for the busiest hour",
        "weight bytes",
        "KV bytes/token",
        "GPUs per replica",
        "step time, memory (s)",
        "memory-bound",
        "crossover batch",
        "tokens/s per replica",
        "peak-hour busy GPUs",
        "whole replicas of 4",
        "busy_gpu_hours_per_day",
        "kg_co2_per_day",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
    let (_dir, output) = costbands(&["explain", "owned-fleet"]);
    let text = stdout(&output);
    for needle in [
        "owned GPUs",
        "capex USD/GPU/day",
        "cost_of_capital",
        "water_l_per_day",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
    let (_dir, output) = costbands(&["list", "gpus"]);
    let text = stdout(&output);
    for needle in [
        "a100-sxm4-40gb",
        "h100-pcie",
        "l40s",
        "hbm_tb_s and gpu_memory_gb",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
    let (_dir, output) = costbands(&["list", "metrics"]);
    assert!(stdout(&output).contains("g_co2_per_query"));
}

#[test]
fn derived_metrics_agree_with_their_saved_samples() {
    let (dir, output) = costbands(&[
        "run",
        "chatgpt-class",
        "--samples",
        "20000",
        "--save-samples",
        "--out",
        "o",
        "-q",
    ]);
    assert_ok(&output);
    let samples = read(&dir.path().join("o/samples.csv"));
    let mut lines = samples.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| {
            l.split(',')
                .skip(2)
                .map(|v| v.parse().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let summary = read(&dir.path().join("o/summary.csv"));
    let summary_row = |metric: &str| -> Vec<f64> {
        let line = summary
            .lines()
            .find(|l| l.split(',').nth(1) == Some(metric))
            .unwrap();
        let mut values: Vec<f64> = line
            .split(',')
            .skip(3)
            .map(|v| v.parse().unwrap())
            .collect();
        // Leave out the scenario's rejected count and share: samples, non_finite, mean, ...
        values.drain(2..4);
        values
    };
    let column = |metric: &str| -> Vec<f64> {
        let index = header.iter().position(|h| *h == metric).unwrap() - 2;
        rows.iter().map(|r| r[index]).collect()
    };
    for (metric, base, factor) in [
        ("gpu_hours_per_day", "gpus", 24.0),
        ("kg_co2_per_day", "energy_kwh_per_day", 0.366),
        ("g_co2_per_query", "wh_per_query", 0.366),
    ] {
        let derived = column(metric);
        let base_column = column(base);
        assert!(derived
            .iter()
            .zip(&base_column)
            .all(|(d, b)| *d == factor * b));
        // summary.csv columns after `unit`: samples, non_finite, mean, ..., then p1, ...
        let (d, b) = (summary_row(metric), summary_row(base));
        let mean = derived.iter().sum::<f64>() / derived.len() as f64;
        assert!(
            ((d[2] - mean) / mean).abs() < 1e-9,
            "{metric}: {} vs {mean}",
            d[2]
        );
        for (dv, bv) in d.iter().zip(&b).skip(2) {
            assert!((dv - factor * bv).abs() <= 1e-12 * dv.abs(), "{metric}");
        }
    }
    let capex = summary_row("capex_usd_per_day");
    assert_eq!((capex[0], capex[1], capex[2]), (20000.0, 0.0, 0.0));
    assert!(column("water_l_per_day").iter().all(|v| *v == 0.0));
}

/// The owned-fleet preset's capex per day at every input's median, with `cost_of_capital = r`.
fn capex_per_day_at(rate: &str) -> f64 {
    use costbands::model::{Input, Metric, Row};
    use costbands::scenario::{Override, Scenario};
    let set = Override::parse(&format!("cost_of_capital={rate}")).unwrap();
    let scenario = Scenario::load("owned-fleet", &[set]).unwrap();
    let mut row: Row = [f64::NAN; costbands::model::ROW_LEN];
    for resolved in scenario.inputs() {
        row[resolved.input.index()] = resolved.dist.median();
    }
    assert_eq!(
        row[Input::CostOfCapital.index()],
        rate.parse::<f64>().unwrap()
    );
    scenario.model().evaluate(&row).outputs[Metric::CapexUsdPerDay.index()]
}

#[test]
fn the_annuity_is_continuous_and_finite_as_the_cost_of_capital_goes_to_zero_regression() {
    let straight = capex_per_day_at("0");
    assert!(straight.is_finite() && straight > 0.0);
    for rate in [
        "1e-300", "1e-17", "1e-15", "1e-12", "9.9e-10", "1e-9", "1.01e-9", "1e-6",
    ] {
        let capex = capex_per_day_at(rate);
        let r: f64 = rate.parse().unwrap();
        // d(annuity)/dr at 0 is (years + 1)/2 per year of capex: at most 3.5 for 6 years.
        let bound = straight * (1e-15 + 3.5 * r);
        assert!(
            capex >= straight && capex - straight <= bound,
            "r = {rate}: {capex} against straight line {straight}"
        );
    }
    let mut previous = straight;
    for rate in ["1e-4", "0.01", "0.05", "0.1", "0.3"] {
        let capex = capex_per_day_at(rate);
        assert!(capex > previous, "not increasing at r = {rate}");
        previous = capex;
    }
}

#[test]
fn prefill_mfu_left_out_is_mfu_in_every_sample_and_not_a_driver_regression() {
    use costbands::engine::simulate;
    use costbands::model::{Input, Metric};
    use costbands::scenario::Scenario;
    use costbands::sensitivity::{self, Method, Options};
    // chatgpt-class gives prefill_mfu; without it, prefill runs at the sampled mfu.
    let text = std::fs::read_to_string("distributions/chatgpt-class.toml").unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("prefill_mfu"))
        .collect::<Vec<_>>()
        .join("\n");
    let without = Scenario::from_toml(&text, "t.toml", "t", &[]).unwrap();
    assert!(without.input(Input::PrefillMfu).is_none());
    // Every sample's cost is the model's with prefill_mfu set to that sample's mfu.
    let run = simulate(&without, 5000, 3, true);
    let inputs = run.inputs.as_ref().unwrap();
    for (k, daily) in run
        .metric(Metric::DailyCostUsd)
        .iter()
        .enumerate()
        .take(200)
    {
        let mut row = [f64::NAN; costbands::model::ROW_LEN];
        for (input, column) in inputs {
            row[input.index()] = column[k];
        }
        row[Input::PrefillMfu.index()] = row[Input::Mfu.index()];
        let explicit = without.model().evaluate(&row).outputs[Metric::DailyCostUsd.index()];
        assert_eq!(explicit.to_bits(), daily.to_bits(), "sample {k}");
    }
    // Sensitivity names only the inputs the user can change.
    let options = Options {
        samples: 4000,
        seed: 1,
        confidence: 0.95,
        methods: vec![Method::Spearman, Method::Tornado],
        metrics: vec![Metric::DailyCostUsd],
        resamples: 20,
        correlated_inputs: false,
    };
    let report = sensitivity::analyze(&without, &options).unwrap();
    assert!(report.results.iter().all(|e| e.input != "prefill_mfu"));
    assert!(report.results.iter().any(|e| e.input == "mfu"));
}

#[test]
fn a_scaled_metric_that_overflows_counts_those_samples_as_non_finite_regression() {
    let (dir, output) = costbands(&[
        "run",
        "-n",
        "1000",
        "-q",
        "--out",
        "o",
        "--set",
        "fleet_gpus=\"1e305 to 1e307\"",
        "--set",
        "gpu_power_w=0.5",
        "--set",
        "gpu_hour_usd=0.001",
    ]);
    assert_ok(&output);
    let summary = std::fs::read_to_string(dir.path().join("o/summary.csv")).unwrap();
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = summary
        .lines()
        .find(|l| l.contains(",gpu_hours_per_day,"))
        .unwrap()
        .split(',')
        .collect();
    let at = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    // 24 × gpus overflows above 7.5e306 GPUs: those samples are infinite GPU-hours.
    let non_finite: usize = at("non_finite").parse().unwrap();
    assert!(non_finite > 0 && non_finite < 1000, "{non_finite}");
    assert!(at("max").parse::<f64>().unwrap().is_finite());
    assert!(at("mean").parse::<f64>().unwrap().is_finite());
}
