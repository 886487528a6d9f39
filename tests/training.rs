//! The amortised training cost through scenario files: the three ways of costing it against
//! closed forms, DeepSeek-V3's published cost, `include_training`, unchanged draws of every
//! other input, and clear errors for every misuse.

mod common;

use common::*;
use costbands::dist::Dist;
use costbands::engine::simulate;
use costbands::model::{Input, Metric};
use costbands::scenario::{Override, Scenario};

/// A rented fleet of 1,024 GPUs; `training` lines are appended under `[inputs]`.
fn scenario_text(top: &str, training: &str) -> String {
    format!(
        r#"
name = "trained"
gpu = "h100-sxm"
{top}
[inputs]
queries_per_day = "5e6 to 50e6"
output_tokens_per_query = 500
fleet_gpus = 1024
gpus_per_server = 8
gpu_hour_usd = {{ dist = "uniform", min = 1.5, max = 2.5 }}
electricity_usd_per_kwh = 0.08
{training}
"#
    )
}

fn load(text: &str, sets: &[&str]) -> Result<Scenario, String> {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    Scenario::from_toml(text, "trained.toml", "trained", &overrides).map_err(|e| e.to_string())
}

fn column(scenario: &Scenario, metric: Metric, n: usize) -> Vec<f64> {
    simulate(scenario, n, 7, false).metric(metric).into_owned()
}

#[test]
fn deepseek_v3_training_cost_is_reproduced_from_its_gpu_hours_and_price() {
    // DeepSeek-V3 technical report: 2.788M H800 GPU-hours at $2/GPU-hour = $5.576M.
    let text = scenario_text(
        "",
        "training_gpu_hours = 2.788e6\ntraining_gpu_hour_usd = 2\nserving_lifetime_days = 1",
    );
    let scenario = load(&text, &[]).unwrap();
    for usd in column(&scenario, Metric::TrainingUsdPerDay, 100) {
        assert!((usd / 5.576e6 - 1.0).abs() < 0.01, "{usd}");
    }
}

#[test]
fn a_lognormal_cost_over_a_constant_life_has_the_lognormals_quantiles() {
    let text = scenario_text(
        "",
        "training_cost_usd = \"50e6 to 150e6\"\nserving_lifetime_days = 500",
    );
    let scenario = load(&text, &[]).unwrap();
    let mut column = column(&scenario, Metric::TrainingUsdPerDay, 200_000);
    column.sort_by(f64::total_cmp);
    let dist: Dist = costbands::dist::parse_as(
        &toml::Value::String("50e6 to 150e6".into()),
        costbands::number::Quantity::Usd,
    )
    .unwrap();
    for p in [0.05, 0.5, 0.95] {
        let sample = column[(p * column.len() as f64) as usize];
        let exact = dist.quantile(p) / 500.0;
        assert!(
            (sample / exact - 1.0).abs() < 0.01,
            "P{p}: {sample} vs {exact}"
        );
    }
}

#[test]
fn training_from_compute_reads_the_gpus_peak_and_the_serving_price_by_default() {
    let text = scenario_text(
        "",
        "training_tokens = \"14.8T\"\nactive_params_b = 37\ntraining_mfu = 0.35\nserving_lifetime_days = 365",
    );
    let scenario = load(&text, &[]).unwrap();
    let run = simulate(&scenario, 1000, 7, true);
    let price = run
        .inputs
        .as_ref()
        .unwrap()
        .iter()
        .find(|(input, _)| *input == Input::GpuHourUsd)
        .unwrap()
        .1
        .clone();
    let training = run.metric(Metric::TrainingUsdPerDay);
    // h100-sxm's catalog peak: 989.4 TFLOP/s dense BF16.
    let gpu_hours = 6.0 * 37e9 * 14.8e12 / (989.4e12 * 0.35) / 3600.0;
    for (usd, price) in training.iter().zip(&price) {
        let expected = gpu_hours * price / 365.0;
        assert!((usd / expected - 1.0).abs() < 1e-12, "{usd} vs {expected}");
    }
}

#[test]
fn include_training_adds_it_to_the_daily_cost_and_leaves_other_draws_alone() {
    let training = "training_cost_usd = \"50e6 to 150e6\"\nserving_lifetime_days = \"365 to 730\"";
    let without = load(&scenario_text("", ""), &[]).unwrap();
    let excluded = load(&scenario_text("", training), &[]).unwrap();
    let included = load(&scenario_text("include_training = true", training), &[]).unwrap();
    let set = load(&scenario_text("", training), &["include_training=true"]).unwrap();
    let n = 3000;
    let base = simulate(&without, n, 7, false);
    let out = simulate(&excluded, n, 7, false);
    let inn = simulate(&included, n, 7, false);
    let by_set = simulate(&set, n, 7, false);
    let bits = |c: &[f64]| c.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    // Adding training inputs leaves every serving metric's draws unchanged.
    for metric in Metric::ALL {
        if metric != Metric::TrainingUsdPerDay {
            assert_eq!(
                bits(&base.metric(metric)),
                bits(&out.metric(metric)),
                "{metric:?}"
            );
        }
    }
    assert!(base
        .metric(Metric::TrainingUsdPerDay)
        .iter()
        .all(|x| *x == 0.0));
    let daily = inn.metric(Metric::DailyCostUsd);
    let serving = out.metric(Metric::DailyCostUsd);
    let per_day = inn.metric(Metric::TrainingUsdPerDay);
    for k in 0..n {
        assert_eq!(daily[k], serving[k] + per_day[k]);
        assert!(inn.metric(Metric::CostPerQueryUsd)[k] > out.metric(Metric::CostPerQueryUsd)[k]);
    }
    assert_eq!(bits(&daily), bits(&by_set.metric(Metric::DailyCostUsd)));
}

#[test]
fn the_table_says_whether_training_is_included() {
    let dir = tempfile::tempdir().unwrap();
    let training =
        "training_cost_usd = 1e8\nserving_lifetime_days = 500\n[sampling]\nsamples = 2000";
    write(dir.path(), "t.toml", &scenario_text("", training));
    let output = costbands_in(dir.path(), &["run", "t.toml", "--out", "o"]);
    assert_ok(&output);
    let table = stdout(&output);
    assert!(
        table.contains("training_usd_per_day is not included"),
        "{table}"
    );
    assert!(table.contains("training_usd_per_day (USD/day)"), "{table}");
    let output = costbands_in(
        dir.path(),
        &[
            "run",
            "t.toml",
            "--out",
            "p",
            "--set",
            "include_training=true",
        ],
    );
    assert_ok(&output);
    assert!(stdout(&output).contains("training_usd_per_day is included in daily_cost_usd"));
    let summary = read(&dir.path().join("p").join("summary.csv"));
    assert!(summary.contains("training_usd_per_day"), "{summary}");
    // The resolved scenario in run.json keeps include_training, so a rerun counts it too.
    let run = read(&dir.path().join("p").join("run.json"));
    assert!(run.contains("include_training = true"), "{run}");
}

#[test]
fn misuse_is_an_error_naming_the_field_and_the_fix() {
    let cases: [(&str, &str, &[&str], &[&str]); 6] = [
        (
            "",
            "training_cost_usd = 1e8\ntraining_tokens = 1e12\nserving_lifetime_days = 365",
            &[],
            &[
                "trained.toml: inputs.training_tokens",
                "not training_cost_usd and training_tokens",
            ],
        ),
        (
            "include_training = true",
            "",
            &[],
            &[
                "trained.toml: include_training",
                "no training cost is given",
                "training_cost_usd",
            ],
        ),
        (
            "",
            "training_cost_usd = 1e8",
            &[],
            &[
                "inputs.serving_lifetime_days",
                "missing",
                "training_cost_usd",
                "e.g.",
            ],
        ),
        (
            "",
            "training_tokens = 1e12\nactive_params_b = 37\nserving_lifetime_days = 365",
            &[],
            &["inputs.training_mfu", "missing", "e.g. training_mfu"],
        ),
        (
            "",
            "training_gpu_hours = 1e6\nserving_lifetime_days = 365",
            &["gpu_capex_usd=40000", "amortization_years=5"],
            &[
                "inputs.training_gpu_hour_usd",
                "owned",
                "give training_gpu_hour_usd",
            ],
        ),
        (
            "",
            "training_cost_usd = 1e8\nserving_lifetime_days = 0",
            &[],
            &["inputs.serving_lifetime_days", "> 0"],
        ),
    ];
    for (top, training, sets, needles) in cases {
        let text = scenario_text(top, training);
        let sets: Vec<&str> = sets.to_vec();
        let Err(message) = load(&text, &sets) else {
            panic!("accepted: {training} {sets:?}");
        };
        for needle in needles {
            assert!(message.contains(needle), "{needle:?} not in {message}");
        }
    }
    let bad_set = Override::parse("include_training=maybe").unwrap();
    let message = Scenario::from_toml(&scenario_text("", ""), "t.toml", "t", &[bad_set])
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("include_training") && message.contains("true or false"),
        "{message}"
    );
    let text = scenario_text("include_training = \"yes\"", "");
    assert!(load(&text, &[]).unwrap_err().contains("include_training"));
}

#[test]
fn a_way_of_costing_training_set_on_the_command_line_replaces_the_files() {
    let text = scenario_text("", "training_cost_usd = 1e8\nserving_lifetime_days = 100");
    let scenario = load(
        &text,
        &["training_gpu_hours=1e6", "training_gpu_hour_usd=3"],
    )
    .unwrap();
    assert!(scenario.warnings().iter().any(|w| w.contains(
        "inputs.training_cost_usd from the file is replaced by --set training_gpu_hours"
    )));
    let usd = column(&scenario, Metric::TrainingUsdPerDay, 10);
    assert!(usd.iter().all(|x| *x == 30_000.0), "{usd:?}");
    let resolved = scenario.resolved_text(&Default::default());
    assert!(!resolved.contains("training_cost_usd"), "{resolved}");
    let again = Scenario::from_toml(&resolved, "r.toml", "r", &[]).unwrap();
    assert_eq!(column(&again, Metric::TrainingUsdPerDay, 10), usd);
}

#[test]
fn a_training_input_without_a_training_cost_is_a_warning_saying_why() {
    let scenario = load(&scenario_text("", "serving_lifetime_days = 365"), &[]).unwrap();
    let warnings = scenario.warnings().join("\n");
    assert!(
        warnings.contains("inputs.serving_lifetime_days is not used")
            && warnings.contains("give training_cost_usd"),
        "{warnings}"
    );
    let text = scenario_text(
        "",
        "training_cost_usd = 1e8\ntraining_mfu = 0.4\nserving_lifetime_days = 365",
    );
    let warnings = load(&text, &[]).unwrap().warnings().join("\n");
    assert!(
        warnings.contains("inputs.training_mfu is not used"),
        "{warnings}"
    );
}

#[test]
fn a_sweep_over_the_serving_life_gives_at_each_point_the_run_with_it_set() {
    let dir = tempfile::tempdir().unwrap();
    let training = "training_cost_usd = \"50e6 to 150e6\"\nserving_lifetime_days = 500";
    write(
        dir.path(),
        "t.toml",
        &scenario_text("include_training = true", training),
    );
    let sweep = costbands_in(
        dir.path(),
        &[
            "sweep",
            "t.toml",
            "--vary",
            "serving_lifetime_days=365,730",
            "-n",
            "3000",
            "--out",
            "s",
        ],
    );
    assert_ok(&sweep);
    let sweep_csv = read(&dir.path().join("s").join("sweep.csv"));
    for days in ["365", "730"] {
        let set = format!("serving_lifetime_days={days}");
        let out = format!("r{days}");
        let run = costbands_in(
            dir.path(),
            &["run", "t.toml", "--set", &set, "-n", "3000", "--out", &out],
        );
        assert_ok(&run);
        let bands = read(&dir.path().join(&out).join("bands.csv"));
        let rows: Vec<String> = bands
            .lines()
            .filter(|l| l.contains(",daily_cost_usd,") || l.contains(",training_usd_per_day,"))
            .map(|l| l.replacen("trained,", &format!("trained,{days},"), 1))
            .collect();
        assert!(!rows.is_empty());
        for row in rows {
            assert!(sweep_csv.contains(&row), "{row} not in the sweep");
        }
    }
}
