//! `--exceed` and `--below`: P(metric > x) and P(metric < x) against closed forms, both strict,
//! so that with P(metric = x) they sum to one; Monte Carlo (Wilson) and design (replicate)
//! intervals alike.

use costbands::model::Metric;
use costbands::report::RunReport;
use costbands::request::{CommonOptions, RunOptions, RunRequest, Silent};
use costbands::settings::Method;
use costbands::stats::{Exceedance, Side};
use statrs::distribution::{ContinuousCDF, Uniform};

/// A fleet of 1000 GPUs rented at U(2, 3) $/GPU-hour, no energy bill: the daily cost is
/// U(48000, 72000) and the cost per query that ÷ 1e6.
const UNIFORM_COST: &str = r#"
name = "uniform-cost"
gpu = "h100-sxm"
[inputs]
queries_per_day = 1e6
output_tokens_per_query = 500
fleet_gpus = 1000
gpu_hour_usd = { dist = "uniform", min = 2.0, max = 3.0 }
electricity_usd_per_kwh = 0
"#;

/// The fleet is 800, 1000 or 1200 GPUs: `gpus` takes the threshold 1000 itself half the time.
const DISCRETE_FLEET: &str = r#"
name = "discrete-fleet"
gpu = "h100-sxm"
[inputs]
queries_per_day = 1e6
output_tokens_per_query = 500
fleet_gpus = { dist = "discrete", values = [800, 1000, 1200], weights = [0.25, 0.5, 0.25] }
gpu_hour_usd = 2.0
electricity_usd_per_kwh = 0
"#;

fn request(
    text: &str,
    sampler: Method,
    exceed: &[&str],
    below: &[&str],
) -> (tempfile::TempDir, RunRequest) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, text).unwrap();
    let options = RunOptions {
        common: CommonOptions {
            // 10 replicates of 4096 points: balanced Sobol nets.
            samples: Some(40_960),
            seed: Some(3),
            ..CommonOptions::default()
        },
        scenarios: vec![file.display().to_string()],
        exceed: exceed.iter().map(|e| e.to_string()).collect(),
        below: below.iter().map(|e| e.to_string()).collect(),
        sampler: Some(sampler),
        ..RunOptions::default()
    };
    (dir, RunRequest::new(&options).unwrap())
}

fn events(report: &RunReport, metric: Metric) -> Vec<Exceedance> {
    report.scenarios[0]
        .metric(metric)
        .summary
        .exceedances
        .clone()
}

#[test]
fn below_matches_the_uniform_cdf_within_its_interval_for_mc_lhs_and_sobol() {
    let truth = Uniform::new(48_000.0, 72_000.0).unwrap();
    for sampler in [Method::Mc, Method::Lhs, Method::Sobol] {
        // P = 1/16, 1/4 and 3/4: a balanced Sobol net of 4096 points counts these exactly in
        // every replicate (an indicator's replicate interval is nearly degenerate otherwise).
        let thresholds = ["49500", "54000", "66000"];
        let below: Vec<String> = thresholds
            .iter()
            .map(|t| format!("daily_cost_usd={t}"))
            .collect();
        let below: Vec<&str> = below.iter().map(String::as_str).collect();
        let (_dir, request) = request(UNIFORM_COST, sampler, &[], &below);
        let report = request.run(&Silent, &mut |_, _| Ok(())).unwrap();
        let found = events(&report, Metric::DailyCostUsd);
        assert_eq!(found.len(), 3);
        for (event, threshold) in found.iter().zip(thresholds) {
            let threshold: f64 = threshold.parse().unwrap();
            let expected = truth.cdf(threshold);
            assert_eq!(event.event, Side::Below);
            assert!(
                event.ci_low <= expected && expected <= event.ci_high,
                "{sampler:?}: P(cost < {threshold}) = {expected}, outside {event:?}"
            );
            // Designs estimate far more precisely than the Wilson interval of MC says.
            if sampler == Method::Sobol {
                assert!(event.ci_high - event.ci_low < 0.002, "{event:?}");
            }
        }
    }
}

#[test]
fn a_scaled_metric_counts_below_on_its_base_column() {
    // cost_per_query_usd = daily_cost_usd ÷ 1e6: the same samples fall below 54000 and 0.054.
    let (_dir, request) = request(
        UNIFORM_COST,
        Method::Mc,
        &[],
        &["daily_cost_usd=54000", "cost_per_query_usd=0.054"],
    );
    let report = request.run(&Silent, &mut |_, _| Ok(())).unwrap();
    let daily = events(&report, Metric::DailyCostUsd)[0];
    let per_query = events(&report, Metric::CostPerQueryUsd)[0];
    assert_eq!(daily.count, per_query.count);
    assert_eq!(per_query.event, Side::Below);
}

#[test]
fn above_below_and_equal_sum_to_every_sample_ties_counting_in_neither() {
    for sampler in [Method::Mc, Method::Lhs] {
        let (_dir, request) = request(DISCRETE_FLEET, sampler, &["gpus=1000"], &["gpus=1000"]);
        let mut equal = 0;
        let report = request
            .run(&Silent, &mut |_, simulation| {
                let gpus = simulation.metric(Metric::Gpus);
                equal = gpus.iter().filter(|x| **x == 1000.0).count();
                Ok(())
            })
            .unwrap();
        let found = events(&report, Metric::Gpus);
        let (above, below) = (found[0], found[1]);
        assert_eq!((above.event, below.event), (Side::Above, Side::Below));
        let samples = report.scenarios[0].metric(Metric::Gpus).summary.samples;
        assert_eq!(above.count + below.count + equal, samples, "{sampler:?}");
        // P(= 1000) is one half: neither strict event holds it.
        let share_equal = equal as f64 / samples as f64;
        assert!(
            (share_equal - 0.5).abs() < 0.02,
            "{sampler:?}: {share_equal}"
        );
        for event in [above, below] {
            assert!(
                event.ci_low <= 0.25 && 0.25 <= event.ci_high,
                "{sampler:?}: {event:?}"
            );
        }
    }
}
