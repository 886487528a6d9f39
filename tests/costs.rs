//! Cost line items (`[[costs]]`) through scenario files: every unit against the quantity it
//! multiplies, sample by sample; a product of lognormals against its closed form (KS, statrs);
//! the daily cost and the breakdown; unchanged draws of every other input; and every output,
//! option and error that names an item.

mod common;

use common::*;
use costbands::engine::simulate;
use costbands::model::{Input, Metric};
use costbands::scenario::{Override, Scenario};
use statrs::distribution::{ContinuousCDF, LogNormal};

/// An owned fleet sized from queries on the FLOPs path; `items` are appended as `[[costs]]`.
fn scenario_text(items: &str) -> String {
    format!(
        r#"
name = "itemised"
gpu = "h100-sxm"

[inputs]
queries_per_day = "5e6 to 50e6"
input_tokens_per_query = 800
output_tokens_per_query = 400
active_params_b = 70
mfu = {{ dist = "uniform", min = 0.2, max = 0.4 }}
utilization = 0.5
gpus_per_server = 8
gpu_capex_usd = 30000
amortization_years = 4
electricity_usd_per_kwh = 0.08
{items}
"#
    )
}

fn item(name: &str, per: &str, usd: &str) -> String {
    format!("\n[[costs]]\nname = \"{name}\"\nper = \"{per}\"\nusd = {usd}\n")
}

fn load(text: &str, sets: &[&str]) -> Result<Scenario, String> {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    Scenario::from_toml(text, "itemised.toml", "itemised", &overrides).map_err(|e| e.to_string())
}

fn metric(scenario: &Scenario, name: &str) -> Metric {
    scenario
        .metric_named(name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}

#[test]
fn every_unit_multiplies_the_quantity_it_names_in_the_same_sample() {
    let units = [
        ("daily", "day", "120"),
        ("yearly", "year", "36500"),
        ("per_query", "query", "0.0001"),
        ("per_mtok", "million_tokens", "0.05"),
        ("per_gpu_hour", "gpu_hour", "0.1"),
        ("per_gpu_year", "gpu_year", "4000"),
        ("per_server_year", "server_year", "20000"),
        ("per_kwh", "kwh", "0.02"),
        ("share_of_compute", "fraction_of_compute", "0.1"),
        ("share_of_capex", "fraction_of_capex", "\"15%\""),
    ];
    let items: String = units.iter().map(|(n, p, u)| item(n, p, u)).collect();
    let scenario = load(&scenario_text(&items), &[]).unwrap();
    let run = simulate(&scenario, 2000, 11, true);
    let col = |m: Metric| run.metric(m).into_owned();
    let queries = {
        let inputs = run.inputs.as_ref().unwrap();
        inputs
            .iter()
            .find(|(i, _)| *i == Input::QueriesPerDay)
            .unwrap()
            .1
            .clone()
    };
    let quantity = |per: &str| -> Vec<f64> {
        match per {
            "day" | "year" => vec![1.0; run.len()],
            "query" => queries.clone(),
            "million_tokens" => col(Metric::TokensPerDay).iter().map(|t| t / 1e6).collect(),
            "gpu_hour" => col(Metric::GpuHoursPerDay),
            "gpu_year" => col(Metric::Gpus).iter().map(|g| g / 365.0).collect(),
            "server_year" => col(Metric::Gpus).iter().map(|g| g / 8.0 / 365.0).collect(),
            "kwh" => col(Metric::EnergyKwhPerDay),
            "fraction_of_compute" => col(Metric::ComputeCostUsdPerDay),
            "fraction_of_capex" => col(Metric::CapexUsdPerDay),
            _ => unreachable!(),
        }
    };
    let mut items_total = vec![0.0; run.len()];
    for (name, per, usd) in units {
        let rate: f64 = match usd {
            "\"15%\"" => 0.15,
            _ => usd.parse().unwrap(),
        };
        let rate = if per == "year" { rate / 365.0 } else { rate };
        let got = col(metric(&scenario, &format!("cost_{name}_usd_per_day")));
        for (k, (got, q)) in got.iter().zip(quantity(per)).enumerate() {
            let expected = rate * q;
            assert!(
                (got - expected).abs() <= 1e-12 * expected.abs(),
                "{name} sample {k}: {got} vs {expected}"
            );
            items_total[k] += got;
        }
    }
    let daily = col(Metric::DailyCostUsd);
    let parts = [
        col(Metric::ComputeCostUsdPerDay),
        col(Metric::EnergyCostUsdPerDay),
        col(Metric::OtherOpexUsdPerDay),
    ];
    for k in 0..run.len() {
        let expected = parts[0][k] + parts[1][k] + parts[2][k] + items_total[k];
        assert!((daily[k] / expected - 1.0).abs() < 1e-12, "sample {k}");
        let per_query = col(Metric::CostPerQueryUsd)[k];
        assert!((per_query / (daily[k] / queries[k]) - 1.0).abs() < 1e-15);
    }
}

#[test]
fn a_lognormal_rate_per_query_times_lognormal_queries_is_the_closed_form_lognormal() {
    // "a to b" is a lognormal with a and b its 5th and 95th percentiles: μ = (ln a + ln b) ÷ 2,
    // σ = (ln b − ln a) ÷ (2 × 1.6449). A product of independent lognormals is lognormal with
    // μ₁ + μ₂ and √(σ₁² + σ₂²).
    let z95 = 1.644_853_626_951_472_2;
    let params = |a: f64, b: f64| ((a.ln() + b.ln()) / 2.0, (b.ln() - a.ln()) / (2.0 * z95));
    let (mu_q, sigma_q) = params(5e6, 50e6);
    let (mu_r, sigma_r) = params(1e-4, 4e-4);
    let expected = LogNormal::new(mu_q + mu_r, (sigma_q.powi(2) + sigma_r.powi(2)).sqrt()).unwrap();
    let scenario = load(
        &scenario_text(&item("support", "query", "\"1e-4 to 4e-4\"")),
        &[],
    )
    .unwrap();
    let n = 100_000;
    let mut column = simulate(&scenario, n, 3, false)
        .metric(metric(&scenario, "cost_support_usd_per_day"))
        .into_owned();
    column.sort_by(f64::total_cmp);
    let d = column
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let f = expected.cdf(*x);
            (f - i as f64 / n as f64).max((i + 1) as f64 / n as f64 - f)
        })
        .fold(0.0, f64::max);
    // Kolmogorov's asymptotic critical value at α = 0.001.
    assert!(d < 1.95 / (n as f64).sqrt(), "D = {d}");
}

#[test]
fn adding_an_item_changes_no_other_draw_and_adds_exactly_its_cost() {
    let without = load(&scenario_text(""), &[]).unwrap();
    let with = load(
        &scenario_text(&(item("staff", "year", "\"4M to 8M\"") + &item("ib", "gpu_year", "900"))),
        &[],
    )
    .unwrap();
    // The same item first instead of second: streams are keyed by name, not position.
    let reordered = load(
        &scenario_text(&(item("ib", "gpu_year", "900") + &item("staff", "year", "\"4M to 8M\""))),
        &[],
    )
    .unwrap();
    let n = 4000;
    let (a, b, c) = (
        simulate(&without, n, 5, false),
        simulate(&with, n, 5, false),
        simulate(&reordered, n, 5, false),
    );
    let bits = |col: &[f64]| col.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for metric in Metric::ALL {
        if !matches!(
            metric,
            Metric::DailyCostUsd | Metric::CostPerQueryUsd | Metric::CostPerMillionTokensUsd
        ) {
            assert_eq!(
                bits(&a.metric(metric)),
                bits(&b.metric(metric)),
                "{metric:?}"
            );
        }
        assert_eq!(
            bits(&b.metric(metric)),
            bits(&c.metric(metric)),
            "{metric:?}"
        );
    }
    let staff = b
        .metric(metric(&with, "cost_staff_usd_per_day"))
        .into_owned();
    let staff_reordered = c
        .metric(metric(&reordered, "cost_staff_usd_per_day"))
        .into_owned();
    assert_eq!(bits(&staff), bits(&staff_reordered));
    let ib = b.metric(metric(&with, "cost_ib_usd_per_day")).into_owned();
    let (daily, base) = (
        b.metric(Metric::DailyCostUsd),
        a.metric(Metric::DailyCostUsd),
    );
    for k in 0..n {
        assert!((daily[k] - (base[k] + staff[k] + ib[k])).abs() <= 1e-9 * daily[k]);
    }
}

#[test]
fn items_appear_in_every_output_and_the_breakdown_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let items = item(
        "software_licences",
        "gpu_year",
        "{ dist = \"uniform\", min = 3500, max = 4500 }",
    ) + "note = \"list price per GPU per year\"\n"
        + &item("staff", "year", "\"4M to 8M\"");
    let path = write(dir.path(), "itemised.toml", &scenario_text(&items));
    let out = dir.path().join("out");
    let output = costbands_in(
        dir.path(),
        &[
            "run",
            path.to_str().unwrap(),
            "-n",
            "20000",
            "--save-samples",
            "--exceed",
            "cost_staff_usd_per_day=$20k",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_ok(&output);
    let table = stdout(&output);
    assert!(
        table.contains("cost_software_licences_usd_per_day (USD/day)"),
        "{table}"
    );
    for file in [
        "bands.csv",
        "summary.csv",
        "breakdown.csv",
        "samples.csv",
        "run.json",
        "report.html",
    ] {
        let text = read(&out.join(file));
        assert!(text.contains("cost_staff_usd_per_day"), "{file}");
    }
    let samples = read(&out.join("samples.csv"));
    assert!(samples
        .lines()
        .next()
        .unwrap()
        .contains("costs.software_licences"));
    let breakdown = read(&out.join("breakdown.csv"));
    let shares: f64 = breakdown
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(6).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-9, "{breakdown}");
    let run = read(&out.join("run.json"));
    assert!(
        run.contains("list price per GPU per year"),
        "the item's note"
    );
    // P(staff per day > $20k) for the lognormal "4M to 8M" per year, against its closed form.
    let z95 = 1.644_853_626_951_472_2;
    let (low, high) = (4e6f64 / 365.0, 8e6f64 / 365.0);
    let staff = LogNormal::new(
        (low.ln() + high.ln()) / 2.0,
        (high / low).ln() / (2.0 * z95),
    );
    let exact = 1.0 - staff.unwrap().cdf(20_000.0);
    let exceedance = read(&out.join("exceedance.csv"));
    let row: Vec<f64> = exceedance
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .skip(5)
        .map(|v| v.parse().unwrap())
        .collect();
    // Within four standard errors of a binomial proportion over the 20,000 samples (the
    // run's 95% interval covers the exact value in 95% of seeds; this bound in all but 6e-5).
    let se = (exact * (1.0 - exact) / 20_000.0).sqrt();
    assert!((row[0] - exact).abs() < 4.0 * se, "{exact} vs {exceedance}");
    assert!(row[1] < row[0] && row[0] < row[2], "{exceedance}");
}

#[test]
fn set_sweep_correlation_and_sensitivity_name_items_like_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let items =
        item("staff", "year", "\"4M to 8M\"") + &item("licences", "gpu_year", "\"3000 to 5000\"");
    let correlated = items.clone()
        + "\n[[correlations]]\ninputs = [\"costs.staff\", \"queries_per_day\"]\nrank = 0.6\n";
    let path = write(dir.path(), "itemised.toml", &scenario_text(&correlated));
    let path = path.to_str().unwrap();
    // --set replaces the item's usd, and the resolved scenario says so.
    let scenario = load(&scenario_text(&items), &["costs.staff=1e9"]).unwrap();
    let staff = simulate(&scenario, 100, 1, false)
        .metric(metric(&scenario, "cost_staff_usd_per_day"))
        .into_owned();
    assert!(staff.iter().all(|x| (*x - 1e9 / 365.0).abs() < 1e-6));
    assert!(scenario
        .resolved_text(scenario.sampling())
        .contains("usd = 1000000000"));
    let sweep = dir.path().join("sweep");
    let output = costbands_in(
        dir.path(),
        &[
            "sweep",
            path,
            "--vary",
            "costs.licences=1000,9000",
            "-n",
            "2000",
            "--out",
            sweep.to_str().unwrap(),
            "-q",
        ],
    );
    assert_ok(&output);
    assert!(read(&sweep.join("sweep.csv")).contains("cost_licences_usd_per_day"));
    let sens = dir.path().join("sens");
    let output = costbands_in(
        dir.path(),
        &[
            "sensitivity",
            path,
            "-n",
            "4000",
            "--method",
            "spearman",
            "--out",
            sens.to_str().unwrap(),
            "-q",
        ],
    );
    assert_ok(&output);
    assert!(read(&sens.join("sensitivity.csv")).contains("costs.staff"));
}

#[test]
fn every_misuse_is_refused_with_the_field_and_a_fix() {
    let cases = [
        (item("Staff", "year", "1"), "costs[0].name"),
        (
            item("staff", "year", "1") + &item("staff", "day", "1"),
            "item names must be unique",
        ),
        (item("staff", "years", "1"), "did you mean"),
        (item("staff", "year", "-5"), "costs.staff"),
        (item("staff", "year", "\"lots\""), "costs[0].usd"),
        (
            "\n[[costs]]\nname = \"staff\"\nusd = 1\n".to_string(),
            "per",
        ),
        (
            "\n[[costs]]\nname = \"staff\"\nper = \"year\"\nusd = 1\nprice = 2\n".to_string(),
            "unknown field",
        ),
    ];
    for (items, expected) in cases {
        let error = load(&scenario_text(&items), &[]).unwrap_err();
        assert!(error.contains(expected), "{items}: {error}");
    }
    // fraction_of_capex needs owned GPUs.
    let rented = scenario_text(&item("network", "fraction_of_capex", "0.1")).replace(
        "gpu_capex_usd = 30000\namortization_years = 4",
        "gpu_hour_usd = 2",
    );
    let error = load(&rented, &[]).unwrap_err();
    assert!(error.contains("fraction_of_compute"), "{error}");
    // A file that rents stays refused when --set gives the rental price again.
    let error = load(&rented, &["gpu_hour_usd=3"]).unwrap_err();
    assert!(error.contains("fraction_of_compute"), "{error}");
    // Renting by --set turns a share of capex into 0, with a warning rather than a refusal.
    let owned = scenario_text(&item("network", "fraction_of_capex", "0.1"));
    let switched = load(&owned, &["gpu_hour_usd=2"]).unwrap();
    assert!(
        switched
            .warnings()
            .iter()
            .any(|w| w.contains("costs.network")),
        "{:?}",
        switched.warnings()
    );
    // At most 16 items.
    let many: String = (0..17)
        .map(|k| item(&format!("i{k}"), "day", "1"))
        .collect();
    let error = load(&scenario_text(&many), &[]).unwrap_err();
    assert!(error.contains("at most 16"), "{error}");
    // --set of an item the scenario does not have.
    let error = load(
        &scenario_text(&item("staff", "year", "1")),
        &["costs.stuff=2"],
    )
    .unwrap_err();
    assert!(
        error.contains("did you mean") && error.contains("staff"),
        "{error}"
    );
    // An option naming an item the scenario does not have.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "itemised.toml",
        &scenario_text(&item("staff", "year", "1")),
    );
    let output = costbands_in(
        dir.path(),
        &[
            "run",
            path.to_str().unwrap(),
            "--exceed",
            "cost_stuff_usd_per_day=5",
            "-n",
            "100",
            "-q",
        ],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cost_staff_usd_per_day"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("results").exists());
}

#[test]
fn a_rerun_of_a_run_with_items_and_a_set_item_reproduces_it_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "itemised.toml",
        &scenario_text(&(item("staff", "year", "\"4M to 8M\"") + &item("ib", "gpu_year", "900"))),
    );
    let first = dir.path().join("first");
    let output = costbands_in(
        dir.path(),
        &[
            "run",
            path.to_str().unwrap(),
            "-n",
            "3000",
            "--set",
            "costs.staff=2M to 3M",
            "--out",
            first.to_str().unwrap(),
            "-q",
        ],
    );
    assert_ok(&output);
    // The file changes afterwards: the rerun reads the run's own record, not the file.
    std::fs::write(&path, scenario_text("")).unwrap();
    let again = dir.path().join("again");
    let record = first.join("run.json");
    let output = costbands_in(
        dir.path(),
        &[
            "rerun",
            record.to_str().unwrap(),
            "--out",
            again.to_str().unwrap(),
            "-q",
        ],
    );
    assert_ok(&output);
    for file in ["bands.csv", "summary.csv", "breakdown.csv"] {
        assert_eq!(read(&first.join(file)), read(&again.join(file)), "{file}");
    }
}
