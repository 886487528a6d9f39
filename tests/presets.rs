//! Every preset's point version reproduces its published estimate within 1%, and every
//! uncertain version brackets it.

use costbands::model::Metric;
use costbands::report::{run_scenario, Settings};
use costbands::scenario::Scenario;

fn run(name: &str, samples: usize) -> costbands::report::ScenarioReport {
    let scenario = Scenario::load(name, &[]).unwrap();
    let settings = Settings {
        samples,
        seed: 1,
        percentiles: vec![5.0, 50.0, 95.0],
        confidence: 0.95,
        ..Settings::default()
    };
    run_scenario(&scenario, &settings, None).unwrap()
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
