//! Every preset's point version reproduces its published estimate within 1%, and every
//! uncertain version brackets it.

use costbands::model::Metric;
use costbands::report::run_scenario;
use costbands::scenario::Scenario;
use costbands::settings::Settings;

fn run(name: &str, samples: usize) -> costbands::report::ScenarioReport {
    let scenario = Scenario::load(name, &[]).unwrap();
    let settings = Settings {
        samples,
        seed: 1,
        percentiles: vec![5.0, 50.0, 95.0],
        confidence: 0.95,
        ..Settings::default()
    };
    run_scenario(&scenario, &settings).unwrap()
}

fn median(report: &costbands::report::ScenarioReport, metric: Metric) -> f64 {
    report.metric(metric).summary.percentiles[1].value
}

fn within(actual: f64, published: f64, rel: f64) -> bool {
    ((actual - published) / published).abs() <= rel
}

#[test]
fn semianalysis_2023_reproduces_28936_gpus_and_694k_per_day() {
    let r = run("semianalysis-2023", 64);
    assert_eq!(median(&r, Metric::Gpus), 28_936.0);
    assert!(within(median(&r, Metric::DailyCostUsd), 694_444.0, 0.01));
    // Published as "0.36 cents per query", two significant digits.
    let cents = median(&r, Metric::CostPerQueryUsd) * 100.0;
    assert_eq!((cents * 100.0).round() / 100.0, 0.36, "{cents}");
    assert_eq!(r.metric(Metric::DailyCostUsd).summary.std_dev, 0.0);
}

#[test]
fn goldstein_2022_reproduces_100k_per_day() {
    let r = run("goldstein-2022", 64);
    assert!(within(median(&r, Metric::DailyCostUsd), 100_000.0, 0.01));
    assert!(within(median(&r, Metric::CostPerQueryUsd), 0.01, 0.01));
}

#[test]
fn epoch_2025_reproduces_0_3_wh_per_query() {
    let r = run("epoch-2025", 64);
    assert!(
        within(median(&r, Metric::WhPerQuery), 0.30, 0.01),
        "{}",
        median(&r, Metric::WhPerQuery)
    );
}

#[test]
fn uncertain_versions_bracket_the_published_figure() {
    for (name, metric, published) in [
        (
            "semianalysis-2023-uncertain",
            Metric::DailyCostUsd,
            694_444.0,
        ),
        ("goldstein-2022-uncertain", Metric::DailyCostUsd, 100_000.0),
        ("epoch-2025-uncertain", Metric::WhPerQuery, 0.30),
    ] {
        let r = run(name, 20_000);
        let p = &r.metric(metric).summary.percentiles;
        assert!(
            p[0].value < published && published < p[2].value,
            "{name}: P5 {} P95 {}",
            p[0].value,
            p[2].value
        );
        assert_eq!(r.metric(metric).summary.non_finite, 0, "{name}");
    }
}

// The presets added with the serving physics: each one's stated point values reproduce the
// figure its source gives, or the figures its header states.

use costbands::model::{Input, Row};
use costbands::scenario::Override;

fn load(name: &str, sets: &[&str]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    Scenario::load(name, &overrides).unwrap()
}

fn run_loaded(scenario: &Scenario, samples: usize) -> costbands::report::ScenarioReport {
    let settings = Settings {
        samples,
        seed: 1,
        percentiles: vec![5.0, 50.0, 95.0],
        confidence: 0.95,
        ..Settings::default()
    };
    run_scenario(scenario, &settings).unwrap()
}

/// Every input at its median, as `costbands explain` shows it.
fn median_row(scenario: &Scenario) -> Row {
    let mut row = [f64::NAN; costbands::model::ROW_LEN];
    for resolved in scenario.inputs() {
        row[resolved.input.index()] = resolved.dist.median();
    }
    row
}

#[test]
fn deepseek_2025_reproduces_87072_per_day_and_226_75_nodes() {
    let r = run("deepseek-2025", 64);
    assert!(within(median(&r, Metric::DailyCostUsd), 87_072.0, 0.01));
    assert!(within(median(&r, Metric::Gpus) / 8.0, 226.75, 0.01));
    assert!(within(
        median(&r, Metric::TokensPerDay),
        608e9 + 168e9,
        1e-12
    ));
}

#[test]
fn deepseek_2025_reports_v3s_published_training_cost_over_a_year_apart_from_the_daily_cost() {
    // DeepSeek-V3 technical report: 2.788M H800 GPU-hours x $2 = $5.576M, over 365 days.
    let r = run("deepseek-2025", 64);
    let training = median(&r, Metric::TrainingUsdPerDay);
    assert!(within(training * 365.0, 5.576e6, 0.01), "{training}");
    assert!(within(median(&r, Metric::DailyCostUsd), 87_072.0, 0.01));
    let included = run_loaded(&load("deepseek-2025", &["include_training=true"]), 64);
    assert!(within(
        median(&included, Metric::DailyCostUsd),
        median(&r, Metric::DailyCostUsd) + training,
        1e-12
    ));
}

#[test]
fn deepseek_2025_sized_for_its_peak_reproduces_278_nodes() {
    // The published peak occupancy over the average: 278 / 226.75 = 1.22602.
    let s = load(
        "deepseek-2025",
        &["peak_to_average=1.22602", "target_utilization=1"],
    );
    assert!(s.warnings().iter().any(|w| w.contains("utilization")));
    let r = run_loaded(&s, 64);
    assert!(within(median(&r, Metric::Gpus) / 8.0, 278.0, 0.005));
    // Busy time is the same; only the provisioned fleet grows.
    assert!(within(
        median(&r, Metric::BusyGpuHoursPerDay),
        1.568e8 / 3600.0,
        0.001
    ));
}

#[test]
fn selfhost_70b_stated_point_values() {
    let s = load("selfhost-70b", &[]);
    let roofline = s.model().roofline(&median_row(&s)).unwrap();
    assert_eq!(roofline.gpus_per_replica, 4.0);
    assert!(within(roofline.memory_needed_bytes, 160.8e9, 0.001));
    assert!(roofline.memory_bound());
    assert!(
        within(roofline.step_s, 0.0170, 0.005),
        "{}",
        roofline.step_s
    );
    assert!(within(roofline.tokens_per_s_per_replica, 1878.0, 0.001));
    // Batch 1 on 2 H100s at mbu 0.7: bandwidth × mbu ÷ weight bytes, 33.2 tokens/s for 70.6B
    // parameters and 33.5 for a round 70B.
    let batch_one = ["batch_size=1", "gpus_per_replica=2", "mbu=0.7"];
    for (params, tokens_per_s) in [("70.6", 33.2), ("70", 33.5)] {
        let mut sets = batch_one.to_vec();
        let total = format!("total_params_b={params}");
        sets.push(&total);
        let s = load("selfhost-70b", &sets);
        let mut row = median_row(&s);
        row[Input::ContextTokens.index()] = 1.0;
        let r = s.model().roofline(&row).unwrap();
        assert!(
            within(r.tokens_per_s_per_replica, tokens_per_s, 0.002),
            "{params}: {}",
            r.tokens_per_s_per_replica
        );
    }
}

#[test]
fn reasoning_stated_point_values() {
    let s = load("reasoning", &[]);
    let roofline = s.model().roofline(&median_row(&s)).unwrap();
    assert_eq!(roofline.gpus_per_replica, 8.0);
    assert!(within(roofline.memory_needed_bytes, 715.9e9, 0.001));
    assert!(roofline.memory_bound());
    assert!(
        within(roofline.step_s, 0.0265, 0.005),
        "{}",
        roofline.step_s
    );
    assert!(within(roofline.tokens_per_s_per_replica, 4835.0, 0.001));
}

#[test]
fn owned_fleet_stated_point_values() {
    // $50k all-in over 5 years at 8%: $34.31 a GPU-day, $1.43 a GPU-hour; straight line $27.40.
    for (rate, per_day) in [("0.08", 34.31), ("0", 27.40)] {
        let rate = format!("cost_of_capital={rate}");
        let s = load(
            "owned-fleet",
            &["gpu_capex_usd=50000", "amortization_years=5", &rate],
        );
        let r = run_loaded(&s, 64);
        let capex = median(&r, Metric::CapexUsdPerDay);
        assert!(within(capex, 1024.0 * per_day, 0.0005), "{capex}");
    }
    // Renting the same fleet instead replaces the capex line.
    let s = load("owned-fleet", &["gpu_hour_usd=2.2"]);
    let r = run_loaded(&s, 64);
    assert_eq!(median(&r, Metric::CapexUsdPerDay), 0.0);
    assert!(within(
        median(&r, Metric::ComputeCostUsdPerDay),
        1024.0 * 24.0 * 2.2,
        1e-12
    ));
}

/// The mean of the metric named `name` (a line item's included).
fn mean_of(report: &costbands::report::ScenarioReport, name: &str) -> f64 {
    let metric = report
        .metrics
        .iter()
        .find(|m| m.metric == name)
        .unwrap_or_else(|| panic!("{}: no metric {name}", report.name));
    metric.summary.mean
}

#[test]
fn chatgpt_class_line_items_follow_the_rented_fleet_and_training_is_reported_apart() {
    // At fixed rates: software $4,500 per GPU-year, staff $100M a year, network and storage 5%
    // of the GPU rent. Means are linear, so each item's mean follows from the fleet's.
    let s = load(
        "chatgpt-class",
        &[
            "costs.software_licences=4500",
            "costs.staff=1e8",
            "costs.network_storage=0.05",
        ],
    );
    let r = run_loaded(&s, 20_000);
    let gpus = mean_of(&r, "gpus");
    let compute = mean_of(&r, "compute_cost_usd_per_day");
    let software = mean_of(&r, "cost_software_licences_usd_per_day");
    let staff = mean_of(&r, "cost_staff_usd_per_day");
    let network = mean_of(&r, "cost_network_storage_usd_per_day");
    assert!(within(software, 4500.0 * gpus / 365.0, 1e-9), "{software}");
    assert!(within(staff, 1e8 / 365.0, 1e-12), "{staff}");
    assert!(within(network, 0.05 * compute, 1e-9), "{network}");
    let parts = compute + mean_of(&r, "energy_cost_usd_per_day") + software + staff + network;
    let daily = mean_of(&r, "daily_cost_usd");
    assert!(within(daily, parts, 1e-9), "{daily} against {parts}");
    // Training is reported but not counted, unless the scenario says so.
    assert_eq!((r.training, r.include_training), ("cost", false));
    let training = mean_of(&r, "training_usd_per_day");
    assert!(training > 0.0);
    let included = run_loaded(
        &load(
            "chatgpt-class",
            &[
                "costs.software_licences=4500",
                "costs.staff=1e8",
                "costs.network_storage=0.05",
                "include_training=true",
            ],
        ),
        20_000,
    );
    let with_training = mean_of(&included, "daily_cost_usd");
    assert!(
        within(with_training, daily + training, 1e-9),
        "{with_training}"
    );
}

#[test]
fn chatgpt_class_rented_gpus_stay_the_largest_part_of_the_bill() {
    // The preset as shipped: the line items are each a small share of the mean daily cost.
    let r = run("chatgpt-class", 20_000);
    let daily = mean_of(&r, "daily_cost_usd");
    assert!(mean_of(&r, "compute_cost_usd_per_day") > 0.7 * daily);
    for item in ["software_licences", "staff", "network_storage"] {
        let share = mean_of(&r, &format!("cost_{item}_usd_per_day")) / daily;
        assert!(0.01 < share && share < 0.15, "{item}: {share}");
    }
}

#[test]
fn chatgpt_2025_band_brackets_the_published_0_34_wh_per_query() {
    let r = run("chatgpt-2025", 20_000);
    let p = &r.metric(Metric::WhPerQuery).summary.percentiles;
    assert!(p[0].value < 0.34 && 0.34 < p[2].value, "{p:?}");
    // The fleet is sized for the busiest hour, so it is busy less than the target on average.
    assert!(median(&r, Metric::BusyGpuHoursPerDay) < median(&r, Metric::GpuHoursPerDay));
}

#[test]
fn new_presets_reject_no_samples_and_have_no_missing_values() {
    for name in [
        "chatgpt-2025",
        "selfhost-70b",
        "reasoning",
        "owned-fleet",
        "full-cost",
        "chatgpt-class",
    ] {
        let r = run(name, 20_000);
        assert_eq!((r.rejected, r.clamped), (0, 0), "{name}");
        for metric in &r.metrics {
            assert_eq!(metric.summary.non_finite, 0, "{name}: {}", metric.metric);
        }
    }
}
