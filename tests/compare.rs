//! Paired comparisons: tests that fail on a wrong pairing (shared, independent and coupled
//! inputs), through the library's request and through the binary.

mod common;

use common::{assert_ok, costbands_in, stderr, stdout, write};
use costbands::model::Metric;
use costbands::report::compare::{CompareReport, Pairing};
use costbands::request::{CommonOptions, CompareOptions, CompareRequest, Silent};

/// A throughput-path scenario with uncertain demand and the given `gpu_hour_usd` value.
fn scenario(name: &str, price: &str) -> String {
    format!(
        r#"name = "{name}"
gpu = "a100-sxm4-80gb"

[inputs]
queries_per_day = "5e6 to 5e7"
input_tokens_per_query = 0.0
output_tokens_per_query = "100 to 1000"
output_tokens_per_gpu_s = 20.0
utilization = {{ dist = "uniform", min = 0.3, max = 0.7 }}
gpus_per_server = 1
gpu_hour_usd = {price}
electricity_usd_per_kwh = {{ dist = "uniform", min = 0.05, max = 0.15 }}
pue = 1.2
power_draw_fraction = 0.7
"#
    )
}

fn compare(
    dir: &std::path::Path,
    baseline: &str,
    other: &str,
    couple: &[&str],
    independent: bool,
) -> CompareReport {
    let options = CompareOptions {
        common: CommonOptions {
            samples: Some(200_000),
            seed: Some(4),
            ..CommonOptions::default()
        },
        baseline: write(dir, "a.toml", baseline).display().to_string(),
        others: vec![write(dir, "b.toml", other).display().to_string()],
        couple: couple.iter().map(|s| s.to_string()).collect(),
        independent,
        ..CompareOptions::default()
    };
    CompareRequest::new(&options)
        .unwrap_or_else(|e| panic!("{e}"))
        .run(&Silent)
        .unwrap()
}

fn pairing_of(report: &CompareReport, input: &str) -> Pairing {
    report.pairs[0]
        .pairing
        .iter()
        .find(|p| p.input == input)
        .unwrap()
        .pairing
}

#[test]
fn a_scenario_compared_with_itself_differs_by_zero_in_every_sample() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario("same", "{ dist = \"uniform\", min = 2, max = 3 }");
    let report = compare(dir.path(), &text, &text, &[], false);
    let pair = &report.pairs[0];
    assert!(pair.pairing.iter().all(|p| p.pairing == Pairing::Shared));
    for metric in &pair.metrics {
        assert_eq!(metric.p_lower.value, 0.0, "{}", metric.metric);
        assert_eq!(metric.mean_diff.value, 0.0, "{}", metric.metric);
        for p in &metric.diff {
            assert_eq!(
                (p.value, p.ci_low, p.ci_high),
                (0.0, 0.0, 0.0),
                "{}",
                metric.metric
            );
        }
    }
}

#[test]
fn a_constant_price_from_2_to_3_gives_a_compute_cost_ratio_of_1_5_at_every_percentile() {
    let dir = tempfile::tempdir().unwrap();
    let report = compare(
        dir.path(),
        &scenario("two", "2.0"),
        &scenario("three", "3.0"),
        &[],
        false,
    );
    assert_eq!(pairing_of(&report, "queries_per_day"), Pairing::Shared);
    assert_eq!(pairing_of(&report, "gpu_hour_usd"), Pairing::Independent);
    let compute = report.pairs[0].metric(Metric::ComputeCostUsdPerDay);
    for p in &compute.ratio {
        for x in [p.value, p.ci_low, p.ci_high] {
            assert!((x - 1.5).abs() < 1e-12, "p{}: {x}", p.percentile);
        }
    }
    assert_eq!(compute.p_lower.value, 0.0);
}

#[test]
fn uniform_prices_are_lower_one_time_in_eight_independently_and_never_coupled() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario("low", "{ dist = \"uniform\", min = 2, max = 3 }");
    let b = scenario("high", "{ dist = \"uniform\", min = 2.5, max = 3.5 }");
    // P(U(2.5, 3.5) < U(2, 3)) = 1/8 for independent draws; 0 at equal quantile levels.
    let independent = compare(dir.path(), &a, &b, &[], false);
    let p = independent.pairs[0]
        .metric(Metric::ComputeCostUsdPerDay)
        .p_lower;
    assert!((p.value - 0.125).abs() < 0.004, "{p:?}");
    assert!(p.ci_low < p.value && p.value < p.ci_high);
    let coupled = compare(dir.path(), &a, &b, &["gpu_hour_usd"], false);
    assert_eq!(pairing_of(&coupled, "gpu_hour_usd"), Pairing::Coupled);
    assert_eq!(
        coupled.pairs[0]
            .metric(Metric::ComputeCostUsdPerDay)
            .p_lower
            .value,
        0.0
    );
}

#[test]
fn a_compare_table_in_either_file_couples_like_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario("low", "{ dist = \"uniform\", min = 2, max = 3 }");
    let b = scenario("high", "{ dist = \"uniform\", min = 2.5, max = 3.5 }");
    let couple = "\n[compare]\ncouple = [\"gpu_hour_usd\"]\n";
    let p_lower = |report: &CompareReport| {
        report.pairs[0]
            .metric(Metric::ComputeCostUsdPerDay)
            .p_lower
            .value
    };
    // In the baseline's file, in the other's, or in both with the flag too: coupled, P = 0.
    for (baseline, other, flags) in [
        (format!("{a}{couple}"), b.clone(), vec![]),
        (a.clone(), format!("{b}{couple}"), vec![]),
        (
            format!("{a}{couple}"),
            format!("{b}{couple}"),
            vec!["gpu_hour_usd"],
        ),
    ] {
        let report = compare(dir.path(), &baseline, &other, &flags, false);
        assert_eq!(pairing_of(&report, "gpu_hour_usd"), Pairing::Coupled);
        assert_eq!(p_lower(&report), 0.0);
    }
    // Coupling an input the scenarios share changes nothing: it is the same draw anyway.
    let shared = format!("{a}\n[compare]\ncouple = [\"queries_per_day\"]\n");
    let report = compare(dir.path(), &shared, &b, &[], false);
    assert_eq!(pairing_of(&report, "queries_per_day"), Pairing::Shared);
    assert_eq!(pairing_of(&report, "gpu_hour_usd"), Pairing::Independent);
    assert!((p_lower(&report) - 0.125).abs() < 0.004);
}

#[test]
fn an_unknown_name_to_couple_is_an_error_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario("low", "2.0");
    let typo = format!("{a}\n[compare]\ncouple = [\"gpu_hour_us\"]\n");
    let path = write(dir.path(), "typo.toml", &typo);
    let options = CompareOptions {
        baseline: path.display().to_string(),
        others: vec![write(dir.path(), "b.toml", &a).display().to_string()],
        ..CompareOptions::default()
    };
    let message = CompareRequest::new(&options).unwrap_err().to_string();
    assert!(
        message.contains("typo.toml: compare.couple: unknown input \"gpu_hour_us\" (did you mean `gpu_hour_usd`?)"),
        "{message}"
    );
    // `check` validates the table as `compare` reads it.
    let output = costbands_in(dir.path(), &["check", "typo.toml"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("did you mean `gpu_hour_usd`?"),
        "{}",
        stderr(&output)
    );
    let extra = format!("{a}\n[compare]\ncuople = [\"gpu_hour_usd\"]\n");
    write(dir.path(), "extra.toml", &extra);
    let output = costbands_in(dir.path(), &["check", "extra.toml"]);
    assert!(stderr(&output).contains("cuople"), "{}", stderr(&output));
    // The flag gets the same suggestion.
    let options = CompareOptions {
        baseline: write(dir.path(), "a.toml", &a).display().to_string(),
        others: vec![write(dir.path(), "b.toml", &a).display().to_string()],
        couple: vec!["gpu_hour_usdd".to_string()],
        ..CompareOptions::default()
    };
    let message = CompareRequest::new(&options).unwrap_err().to_string();
    assert!(
        message.contains("did you mean `gpu_hour_usd`?"),
        "{message}"
    );
}

#[test]
fn common_random_numbers_narrow_the_difference_interval() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario("low", "2.0");
    let b = scenario("high", "{ dist = \"uniform\", min = 2.5, max = 3.5 }");
    let width = |report: &CompareReport| {
        let e = report.pairs[0].metric(Metric::DailyCostUsd).mean_diff;
        e.ci_high - e.ci_low
    };
    let shared = compare(dir.path(), &a, &b, &[], false);
    let separate = compare(dir.path(), &a, &b, &[], true);
    assert_eq!(
        pairing_of(&separate, "queries_per_day"),
        Pairing::Independent
    );
    assert!(
        width(&shared) * 3.0 < width(&separate),
        "{} vs {}",
        width(&shared),
        width(&separate)
    );
}

#[test]
fn compare_writes_its_csv_prints_a_verdict_and_keeps_results_without_force() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.toml", &scenario("rent2", "2.0"));
    write(dir.path(), "b.toml", &scenario("rent3", "3.0"));
    let args = ["compare", "a.toml", "b.toml", "-n", "5000"];
    let output = costbands_in(dir.path(), &args);
    assert_ok(&output);
    assert!(
        stdout(&output).contains("rent3 is at least as costly as rent2 in 100.0%"),
        "{}",
        stdout(&output)
    );
    let folder = dir.path().join("results/rent2-vs-rent3");
    let csv = std::fs::read_to_string(folder.join("compare.csv")).unwrap();
    assert!(csv.starts_with("baseline,scenario,metric,unit,statistic,value,ci_low,ci_high\n"));
    assert!(csv.contains("rent2,rent3,daily_cost_usd,1,p_lower,0,"));
    assert!(csv.contains(",diff_p50,") && csv.contains(",ratio_p95,"));
    assert!(folder.join("compare.json").exists());
    let again = costbands_in(dir.path(), &args);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already holds results"),
        "{}",
        stderr(&again)
    );
}
