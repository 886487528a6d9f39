//! `costbands sensitivity` and the run's top-drivers block, end to end through the binary.

mod common;

use common::*;

const HEADER: &str = "scenario,metric,input,method,statistic,value,ci_low,ci_high";

fn sensitivity_csv(dir: &std::path::Path, folder: &str) -> String {
    read(&dir.join(folder).join("sensitivity.csv"))
}

#[test]
fn sensitivity_writes_a_tidy_csv_with_every_method() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    let output = costbands_in(dir.path(), &["sensitivity", "small.toml"]);
    assert_ok(&output);
    let csv = sensitivity_csv(dir.path(), "results/small-sensitivity");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(HEADER));
    // SMALL has 7 uncertain inputs (prefill_mfu, left out, is mfu in every sample: not an
    // input of its own); per input: rho; low, high, swing; first_order, total; shrink,
    // shrink_pct, pinned_width.
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 7 * (1 + 3 + 2 + 3));
    assert!(rows
        .iter()
        .all(|r| r.len() == 8 && r[0] == "small" && r[1] == "daily_cost_usd"));
    for (method, statistic) in [
        ("spearman", "rho"),
        ("tornado", "swing"),
        ("sobol", "first_order"),
        ("sobol", "total"),
        ("width", "shrink"),
        ("width", "shrink_pct"),
    ] {
        let count = rows
            .iter()
            .filter(|r| r[3] == method && r[4] == statistic)
            .count();
        assert_eq!(count, 7, "{method} {statistic}");
    }
    // Constants (input_tokens_per_query, gpus_per_server, ...) are skipped.
    assert!(!csv.contains(",input_tokens_per_query,"));
    // Tornado values are exact: no interval; the others have one.
    let tornado = rows.iter().find(|r| r[3] == "tornado").unwrap();
    assert_eq!((tornado[6], tornado[7]), ("", ""));
    let rho = rows.iter().find(|r| r[3] == "spearman").unwrap();
    let (v, lo, hi): (f64, f64, f64) = (
        rho[5].parse().unwrap(),
        rho[6].parse().unwrap(),
        rho[7].parse().unwrap(),
    );
    assert!(lo < v && v < hi);
    let table = stdout(&output);
    for needle in [
        "Spearman rank correlation",
        "Tornado",
        "Sobol indices",
        "Value of information",
        "#|#",
    ] {
        assert!(table.contains(needle), "{needle} missing in\n{table}");
    }
    assert!(dir
        .path()
        .join("results/small-sensitivity/sensitivity.json")
        .exists());
}

#[test]
fn method_and_metric_flags_choose_what_is_computed() {
    let (dir, output) = costbands(&[
        "sensitivity",
        "--method",
        "tornado,spearman",
        "--metric",
        "gpus,wh_per_query",
        "--samples",
        "2000",
        "--out",
        "o",
        "-q",
    ]);
    assert_ok(&output);
    assert!(stdout(&output).is_empty());
    let csv = sensitivity_csv(dir.path(), "o");
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert!(rows.iter().all(
        |r| ["spearman", "tornado"].contains(&r[3]) && ["gpus", "wh_per_query"].contains(&r[1])
    ));
    assert!(rows
        .iter()
        .any(|r| r[1] == "wh_per_query" && r[3] == "spearman"));
    let (_dir, output) = costbands(&["sensitivity", "--method", "anova", "-n", "100"]);
    assert_eq!(output.status.code(), Some(2));
    let (_dir, output) = costbands(&["sensitivity", "--metric", "dollars", "-n", "100"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("unknown metric \"dollars\""));
}

#[test]
fn json_format_prints_the_report_with_the_same_rows() {
    let (dir, output) = costbands(&[
        "sensitivity",
        "semianalysis-2023-uncertain",
        "--samples",
        "3000",
        "--format",
        "json",
        "--out",
        "o",
    ]);
    assert_ok(&output);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["scenario"], "semianalysis-2023-uncertain");
    assert_eq!(report["samples"], 3000);
    let results = report["results"].as_array().unwrap();
    let csv = sensitivity_csv(dir.path(), "o");
    assert_eq!(results.len(), csv.lines().count() - 1);
    let first = &results[0];
    for key in [
        "scenario",
        "metric",
        "input",
        "method",
        "statistic",
        "value",
        "ci_low",
        "ci_high",
    ] {
        assert!(first.get(key).is_some(), "{key} missing");
    }
    let tornado = results.iter().find(|r| r["method"] == "tornado").unwrap();
    assert!(tornado["ci_low"].is_null());
    assert!(report["sobol"]["evaluations"].as_u64().unwrap() > 3000);
    let saved: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/sensitivity.json"))).unwrap();
    assert_eq!(saved["results"], report["results"]);
}

#[test]
fn sensitivity_refuses_to_overwrite_results_without_force() {
    let args = ["sensitivity", "-n", "500", "--method", "spearman", "-q"];
    let (dir, output) = costbands(&args);
    assert_ok(&output);
    let csv = dir
        .path()
        .join("results/chatgpt-class-sensitivity/sensitivity.csv");
    std::fs::write(&csv, "old").unwrap();
    let output = costbands_in(dir.path(), &args);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("already holds results") && message.contains("sensitivity.csv"),
        "{message}"
    );
    assert_eq!(read(&csv), "old");
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_ok(&costbands_in(dir.path(), &forced));
    assert!(read(&csv).starts_with(HEADER));
}

#[test]
fn sensitivity_csv_is_byte_identical_at_1_and_2_threads() {
    let csv = |threads: &str| {
        let (dir, output) = costbands(&[
            "sensitivity",
            "--samples",
            "20000",
            "--threads",
            threads,
            "--out",
            "o",
            "-q",
        ]);
        assert_ok(&output);
        sensitivity_csv(dir.path(), "o")
    };
    let one = csv("1");
    assert_eq!(one, csv("2"));
    let (dir, output) = costbands(&["sensitivity", "--samples", "20000", "--seed", "43", "-q"]);
    assert_ok(&output);
    assert_ne!(
        one,
        sensitivity_csv(dir.path(), "results/chatgpt-class-sensitivity")
    );
}

#[test]
fn set_overrides_reach_the_analysis() {
    let (dir, output) = costbands(&[
        "sensitivity",
        "--method",
        "tornado",
        "--set",
        "active_params_b=100",
        "--out",
        "o",
        "-q",
    ]);
    assert_ok(&output);
    let csv = sensitivity_csv(dir.path(), "o");
    assert!(!csv.contains("active_params_b"), "{csv}");
    assert!(csv.contains(",output_tokens_per_query,tornado,swing,"));
}

#[test]
fn run_reports_top_drivers_in_its_table_and_run_json() {
    let (dir, output) = costbands(&["run", "--samples", "5000", "--out", "o"]);
    assert_ok(&output);
    let table = stdout(&output);
    assert!(
        table.contains("top drivers of daily_cost_usd: Spearman ρ [95% CI] over all 5000 samples"),
        "{table}"
    );
    let run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    let top = &run["scenarios"][0]["top_drivers"];
    assert_eq!(top["metric"], "daily_cost_usd");
    assert_eq!(top["samples"], 5000);
    let drivers = top["drivers"].as_array().unwrap();
    assert_eq!(drivers.len(), 5);
    let rho = |i: usize| drivers[i]["rho"].as_f64().unwrap().abs();
    assert!(rho(0) >= rho(1) && rho(1) >= rho(4));
    // The drivers equal the sensitivity command's Spearman over the same samples and seed.
    let (dir, output) = costbands(&[
        "sensitivity",
        "--samples",
        "5000",
        "--method",
        "spearman",
        "--out",
        "s",
        "-q",
    ]);
    assert_ok(&output);
    let csv = sensitivity_csv(dir.path(), "s");
    let first = csv.lines().nth(1).unwrap();
    let name = drivers[0]["input"].as_str().unwrap();
    assert!(
        first.starts_with(&format!(
            "chatgpt-class,daily_cost_usd,{name},spearman,rho,"
        )),
        "{first}"
    );
    let value: f64 = first.split(',').nth(5).unwrap().parse().unwrap();
    assert_eq!(value, drivers[0]["rho"].as_f64().unwrap());
}

#[test]
fn large_runs_take_top_drivers_from_a_prefix() {
    let (_dir, output) = costbands(&[
        "run",
        "--samples",
        "150000",
        "--out",
        "o",
        "--percentiles",
        "50",
    ]);
    assert_ok(&output);
    assert!(stdout(&output).contains("the run's first 100000 samples, re-simulated"));
}
