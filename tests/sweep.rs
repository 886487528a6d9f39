//! Sweeps: every point equals `run --set NAME=VALUE` at the same seed, exactly (common random
//! numbers), whether the point reuses the base's draws, redraws an input or runs on its own.

mod common;

use common::{assert_ok, costbands_in};
use costbands::report::sweep::SweepReport;
use costbands::request::{
    CommonOptions, RunOptions, RunRequest, Silent, SweepOptions, SweepRequest,
};

fn common(set: Vec<String>) -> CommonOptions {
    CommonOptions {
        samples: Some(40_000),
        seed: Some(9),
        set,
        ..CommonOptions::default()
    }
}

fn sweep(scenario: &str, vary: &[&str], sampler: Option<&str>) -> SweepReport {
    let options = SweepOptions {
        common: common(Vec::new()),
        scenario: Some(scenario.to_string()),
        vary: vary.iter().map(|v| v.to_string()).collect(),
        sampler: sampler.and_then(costbands::settings::Method::parse),
        replicates: sampler.map(|_| 4),
        ..SweepOptions::default()
    };
    SweepRequest::new(&options)
        .unwrap_or_else(|e| panic!("{e}"))
        .run(&Silent)
        .unwrap()
}

/// Asserts that every point's summaries are those of `run --set` for its values.
fn assert_points_are_runs(scenario: &str, report: &SweepReport, sampler: Option<&str>) {
    for point in &report.points {
        let set = report
            .varied
            .iter()
            .zip(&point.values)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let options = RunOptions {
            common: common(set),
            scenarios: vec![scenario.to_string()],
            sampler: sampler.and_then(costbands::settings::Method::parse),
            replicates: sampler.map(|_| 4),
            ..RunOptions::default()
        };
        let run = RunRequest::new(&options)
            .unwrap()
            .run(&Silent, &mut |_, _| Ok(()))
            .unwrap();
        let expected = &run.scenarios[0];
        assert_eq!(point.rejected, expected.rejected, "{:?}", point.values);
        for (got, want) in point.metrics.iter().zip(&expected.metrics) {
            // The same numbers; a sweep point keeps no histogram (its charts need none).
            assert_eq!(
                (got.metric, got.unit, &got.summary),
                (want.metric, want.unit, &want.summary),
                "{scenario} at {:?}",
                point.values
            );
        }
    }
}

#[test]
fn every_point_of_a_sweep_is_the_run_with_its_values_set() {
    let report = sweep(
        "chatgpt-class",
        &[
            "queries_per_day=1e8..1e9:3:log",
            "gpu=h100-sxm,a100-sxm4-80gb",
        ],
        None,
    );
    assert_eq!(report.points.len(), 6);
    assert_eq!(report.points[1].values, ["100000000", "a100-sxm4-80gb"]);
    assert_points_are_runs("chatgpt-class", &report, None);
}

#[test]
fn a_point_that_redraws_an_input_is_still_the_run() {
    let report = sweep(
        "selfhost-70b",
        &["gpu_hour_usd={ dist = \"uniform\", min = 1.5, max = 2.5 }"],
        None,
    );
    assert_points_are_runs("selfhost-70b", &report, None);
}

#[test]
fn sweeps_of_correlated_scenarios_and_designs_are_runs_too() {
    let report = sweep("chatgpt-2025", &["utilization=0.4,0.6"], None);
    assert_points_are_runs("chatgpt-2025", &report, None);
    let report = sweep("selfhost-70b", &["queries_per_day=1e7,2e7"], Some("lhs"));
    assert_points_are_runs("selfhost-70b", &report, Some("lhs"));
}

#[test]
fn sweep_writes_tidy_csvs_with_a_column_per_varied_input() {
    let dir = tempfile::tempdir().unwrap();
    let output = costbands_in(
        dir.path(),
        &[
            "sweep",
            "goldstein-2022",
            "--vary",
            "queries_per_day=1e6,1e7",
            "--vary",
            "gpu_hour_usd=2,3",
            "-n",
            "2000",
        ],
    );
    assert_ok(&output);
    let folder = dir
        .path()
        .join("results/goldstein-2022-sweep-queries_per_day-gpu_hour_usd");
    let csv = std::fs::read_to_string(folder.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,queries_per_day,gpu_hour_usd,metric,unit,percentile,value,ci_low,ci_high")
    );
    // Goldstein's model is constant: 1e7 queries at $3 is $100,008 a day, 1e6 at $2 a tenth
    // of the fleet at two thirds of the price.
    assert!(
        csv.contains("goldstein-2022,1e7,3,daily_cost_usd,USD/day,50,100008,"),
        "{csv}"
    );
    assert!(
        csv.contains("goldstein-2022,1e6,2,daily_cost_usd,USD/day,50,6672,"),
        "{csv}"
    );
    let summary = std::fs::read_to_string(folder.join("sweep_summary.csv")).unwrap();
    assert!(summary.starts_with("scenario,queries_per_day,gpu_hour_usd,metric,unit,samples,"));
    assert_eq!(
        summary
            .lines()
            .filter(|l| l.contains(",daily_cost_usd,"))
            .count(),
        4
    );
}

#[test]
fn sweep_refuses_a_grid_over_the_cap_and_an_input_both_varied_and_set() {
    let dir = tempfile::tempdir().unwrap();
    let big = costbands_in(
        dir.path(),
        &[
            "sweep",
            "--vary",
            "utilization=0.1..0.9:200",
            "--vary",
            "mfu=0.1..0.5:100",
        ],
    );
    assert!(!big.status.success());
    assert!(
        common::stderr(&big).contains("more than 10000 points"),
        "{}",
        common::stderr(&big)
    );
    let twice = costbands_in(
        dir.path(),
        &[
            "sweep",
            "--vary",
            "utilization=0.3,0.5",
            "--set",
            "utilization=0.4",
        ],
    );
    assert!(!twice.status.success());
    assert!(
        common::stderr(&twice).contains("--vary utilization"),
        "{}",
        common::stderr(&twice)
    );
}

#[test]
fn a_bad_value_names_its_point_and_a_too_large_sweep_counts_real_samples() {
    let dir = tempfile::tempdir().unwrap();
    let bad = costbands_in(
        dir.path(),
        &["sweep", "--vary", "utilization=0.3,1.5", "-n", "100"],
    );
    assert!(!bad.status.success());
    let message = common::stderr(&bad);
    assert!(
        message.contains("--vary point utilization=1.5:") && message.contains("(0, 1]"),
        "{message}"
    );
    let big = costbands_in(
        dir.path(),
        &[
            "sweep",
            "--vary",
            "utilization=0.3,0.5",
            "-n",
            "1000000000",
            "--max-memory",
            "1G",
        ],
    );
    assert!(!big.status.success());
    let message = common::stderr(&big);
    assert!(message.contains("for 1000000000 samples"), "{message}");
    assert!(!dir.path().join("results").exists());
}
