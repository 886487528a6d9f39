//! Where the money goes: the parts of the daily cost and their shares of its mean, against
//! closed forms; shares add up to 100%; the share interval covers the true share at its
//! nominal rate; breakdown.csv has the documented columns and the summary's means.

mod common;

use common::*;
use costbands::report::{run_scenario, ScenarioReport};
use costbands::scenario::{Override, Scenario, PRESETS};
use costbands::settings::{Method, Settings};

fn settings(samples: usize, seed: u64) -> Settings {
    Settings {
        samples,
        seed,
        ..Settings::default()
    }
}

fn report(scenario: &Scenario, samples: usize, seed: u64) -> ScenarioReport {
    run_scenario(scenario, &settings(samples, seed)).unwrap()
}

fn share_sum(r: &ScenarioReport) -> f64 {
    r.breakdown.iter().map(|part| part.share_of_mean).sum()
}

#[test]
fn shares_add_up_to_100_percent_for_every_preset_and_with_training() {
    let training = [
        "training_cost_usd=50e6 to 150e6",
        "serving_lifetime_days=365 to 730",
        "include_training=true",
    ];
    for preset in PRESETS {
        for sets in [&[][..], &training[..]] {
            let overrides: Vec<Override> =
                sets.iter().map(|s| Override::parse(s).unwrap()).collect();
            let scenario = Scenario::load(preset.name, &overrides).unwrap();
            let r = report(&scenario, 4000, 11);
            let parts: Vec<&str> = r.breakdown.iter().map(|p| p.metric).collect();
            assert_eq!(
                parts.contains(&"training_usd_per_day"),
                !sets.is_empty(),
                "{}",
                preset.name
            );
            assert!(
                (share_sum(&r) - 1.0).abs() < 1e-12,
                "{}: {}",
                preset.name,
                share_sum(&r)
            );
            for part in &r.breakdown {
                assert!(
                    part.share_ci.low <= part.share_of_mean
                        && part.share_of_mean <= part.share_ci.high
                );
            }
        }
    }
}

/// 1,000 rented GPUs at $2/GPU-hour, energy at $0.10/kWh, other opex lognormal.
const FLEET: &str = r#"
name = "fleet"
[inputs]
queries_per_day = 1e6
output_tokens_per_query = 500
fleet_gpus = 1000
gpu_hour_usd = 2
gpu_power_w = 1000
power_draw_fraction = 0.5
pue = 1.25
electricity_usd_per_kwh = 0.10
other_opex_usd_per_day = { dist = "lognormal", median = 10000, p95 = 30000 }
"#;

#[test]
fn a_constant_part_has_its_closed_form_and_the_shares_their_true_values() {
    let scenario = Scenario::from_toml(FLEET, "fleet.toml", "fleet", &[]).unwrap();
    let r = report(&scenario, 200_000, 5);
    let compute = 1000.0 * 24.0 * 2.0;
    let energy = 1000.0 * 1000.0 * 0.5 * 1.25 * 24.0 / 1000.0 * 0.10;
    // Lognormal with median 1e4 and P95 3e4: σ = ln 3 ÷ 1.6449, mean = median × exp(σ² ÷ 2).
    let sigma = 3f64.ln() / 1.644_853_626_951_472_2;
    let opex = 10_000.0 * (sigma * sigma / 2.0).exp();
    let total = compute + energy + opex;
    let part = |name: &str| r.breakdown.iter().find(|p| p.metric == name).unwrap();
    assert_eq!(part("compute_cost_usd_per_day").usd_per_day_p50, compute);
    assert_eq!(part("compute_cost_usd_per_day").mean, compute);
    assert!((part("energy_cost_usd_per_day").mean / energy - 1.0).abs() < 1e-12);
    for (name, truth) in [
        ("compute_cost_usd_per_day", compute / total),
        ("energy_cost_usd_per_day", energy / total),
        ("other_opex_usd_per_day", opex / total),
    ] {
        let p = part(name);
        assert!(
            p.share_ci.low <= truth && truth <= p.share_ci.high,
            "{name}: {truth} not in {:?}",
            p.share_ci
        );
        assert!(
            p.share_ci.high - p.share_ci.low < 0.01,
            "{name}: {:?}",
            p.share_ci
        );
    }
    assert!((part("other_opex_usd_per_day").usd_per_day_p50 / 10_000.0 - 1.0).abs() < 0.01);
}

#[test]
fn the_share_interval_covers_the_true_share_at_about_its_level() {
    let scenario = Scenario::from_toml(FLEET, "fleet.toml", "fleet", &[]).unwrap();
    let compute = 48_000.0;
    let energy = 1500.0;
    let sigma = 3f64.ln() / 1.644_853_626_951_472_2;
    let opex = 10_000.0 * (sigma * sigma / 2.0).exp();
    let truth = opex / (compute + energy + opex);
    let runs = 400;
    let covered = (0..runs)
        .filter(|seed| {
            let r = report(&scenario, 1000, 1000 + seed);
            let p = r
                .breakdown
                .iter()
                .find(|p| p.metric == "other_opex_usd_per_day")
                .unwrap();
            p.share_ci.low <= truth && truth <= p.share_ci.high
        })
        .count();
    let rate = covered as f64 / runs as f64;
    // 400 runs at 95%: the binomial 99.9% range is about 0.91 to 0.98.
    assert!((0.91..=0.985).contains(&rate), "coverage {rate}");
}

#[test]
fn a_design_run_reports_the_breakdown_with_the_replicate_mean_intervals() {
    let scenario = Scenario::from_toml(FLEET, "fleet.toml", "fleet", &[]).unwrap();
    let design = Settings {
        method: Method::Lhs,
        replicates: 8,
        ..settings(8000, 3)
    };
    let r = run_scenario(&scenario, &design).unwrap();
    assert!((share_sum(&r) - 1.0).abs() < 1e-12);
    let opex = r
        .breakdown
        .iter()
        .find(|p| p.metric == "other_opex_usd_per_day")
        .unwrap();
    let metric = r
        .metrics
        .iter()
        .find(|m| m.metric == "other_opex_usd_per_day")
        .unwrap();
    assert_eq!(opex.mean_ci, metric.summary.mean_ci);
}

#[test]
fn breakdown_csv_has_the_documented_columns_and_the_table_shows_the_block() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fleet.toml", FLEET);
    let output = costbands_in(
        dir.path(),
        &["run", "fleet.toml", "--samples", "5000", "--out", "o"],
    );
    assert_ok(&output);
    let table = stdout(&output);
    assert!(
        table.contains("where the money goes: share of the mean daily cost [95% CI]"),
        "{table}"
    );
    let csv = read(&dir.path().join("o").join("breakdown.csv"));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "scenario,component,usd_per_day_p50,mean,mean_ci_low,mean_ci_high,share_of_mean,share_ci_low,share_ci_high"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let components: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(
        components,
        [
            "compute_cost_usd_per_day",
            "energy_cost_usd_per_day",
            "other_opex_usd_per_day"
        ]
    );
    let shares: f64 = rows.iter().map(|r| r[6].parse::<f64>().unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-12, "{shares}");
    let summary = read(&dir.path().join("o").join("summary.csv"));
    let opex_mean = rows[2][3];
    assert!(
        summary
            .lines()
            .any(|l| l.contains("other_opex_usd_per_day") && l.contains(opex_mean)),
        "{opex_mean} not in {summary}"
    );
    let html = read(&dir.path().join("o").join("report.html"));
    assert!(html.contains("Where the money goes"));
}
