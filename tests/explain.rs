//! `Model::explain` is the model's own arithmetic, not a copy of it. For every preset, as
//! written and with peak provisioning, owned GPUs, rented GPUs, clamped or rejected rows, on
//! the medians (what `costbands explain` shows) and on rows spread over each input's range:
//! every step that carries a metric has exactly, bit for bit, the value `Model::evaluate`
//! reports for it; every metric is some step's; and the steps the metrics are computed from
//! (busy time, the roofline terms, the cost terms) agree with them.

use costbands::model::{
    Explanation, Feasibility, Metric, Model, Path, Price, Provisioning, Row, Section, Step,
    Training,
};
use costbands::scenario::{Override, Scenario, PRESETS};

/// `--set` overrides applied to every preset, each giving the model another rule.
const VARIANTS: [&[&str]; 6] = [
    &[],
    &["peak_to_average=1.6", "target_utilization=0.7"],
    &[
        "gpu_capex_usd=40000",
        "amortization_years=5",
        "cost_of_capital=0.08",
    ],
    &["gpu_hour_usd=2.5"],
    &[
        "gpu_capex_usd=40000",
        "amortization_years=4",
        "cost_of_capital=0",
    ],
    &[
        "training_gpu_hours=2.788e6",
        "training_gpu_hour_usd=2",
        "serving_lifetime_days=365 to 730",
        "include_training=true",
    ],
];

/// Overrides for the roofline presets: a batch too large for a replica, clamped or rejected.
const INFEASIBLE: [&[&str]; 2] = [
    &[
        "batch_size=100000",
        "gpus_per_replica=8",
        "on_infeasible=clamp",
    ],
    &[
        "batch_size=100000",
        "gpus_per_replica=8",
        "on_infeasible=reject",
    ],
];

/// Rows drawn per scenario, besides the medians.
const ROWS: usize = 48;

fn load(name: &str, sets: &[&str]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    Scenario::load(name, &overrides).unwrap_or_else(|e| panic!("{name} {sets:?}: {e}"))
}

/// The medians, then rows with input `i` of row `k` at a quantile spread over (0.01, 0.99)
/// by an additive recurrence (no two inputs in step).
fn rows(scenario: &Scenario) -> Vec<Row> {
    let mut rows = vec![[f64::NAN; costbands::model::ROW_LEN]; ROWS + 1];
    for (i, resolved) in scenario.inputs().iter().enumerate() {
        rows[0][resolved.input.index()] = resolved.dist.median();
        for (k, row) in rows.iter_mut().enumerate().skip(1) {
            let u = (0.5 + k as f64 * 0.618_033_988_75 + i as f64 * 0.414_213_562_37).fract();
            row[resolved.input.index()] = resolved.dist.quantile(0.01 + 0.98 * u);
        }
    }
    rows
}

fn find<'a>(steps: &'a [Step], label: &str) -> &'a Step {
    steps
        .iter()
        .find(|step| step.label == label)
        .unwrap_or_else(|| panic!("no step {label:?}"))
}

/// Every step that carries a metric equals `evaluate`'s value; every metric but capex when
/// renting and training when no training cost is given is exactly one step's.
fn check_metrics(
    model: &Model,
    explanation: &Explanation,
    outputs: &costbands::model::Outputs,
    at: &str,
) {
    for metric in Metric::ALL {
        let carriers: Vec<&Step> = explanation
            .steps
            .iter()
            .filter(|step| step.metrics.contains(&metric))
            .collect();
        let expected = match (metric, model.price, model.training) {
            (Metric::CapexUsdPerDay, Price::Rental, _) => 0,
            (Metric::TrainingUsdPerDay, _, Training::None) => 0,
            _ => 1,
        };
        assert_eq!(carriers.len(), expected, "{at}: steps of {metric:?}");
        let evaluated = outputs[metric.index()];
        if explanation.status == Feasibility::Rejected {
            assert!(evaluated.is_nan(), "{at}: {metric:?} of a rejected row");
            continue;
        }
        for step in carriers {
            assert_eq!(
                step.value.to_bits(),
                evaluated.to_bits(),
                "{at}: step {:?} = {} but {metric:?} = {evaluated}",
                step.label,
                step.value
            );
        }
        if expected == 0 {
            assert_eq!(evaluated, 0.0, "{at}: capex when renting");
        }
    }
}

/// The steps the metrics are computed from agree with them and with the model's roofline.
fn check_chain(model: &Model, row: &Row, explanation: &Explanation, at: &str) {
    let steps = &explanation.steps;
    let value = |label: &str| find(steps, label).value;
    let bits = |x: f64| x.to_bits();
    assert_eq!(
        bits(value("busy GPU-s/day") / 3600.0),
        bits(value("busy_gpu_hours_per_day")),
        "{at}: busy time"
    );
    let mut serving =
        value("compute USD/day") + value("energy USD/day") + value("other opex USD/day");
    if !model.items.is_empty() {
        // The line items, summed in order, as one term.
        serving += model
            .items
            .metrics()
            .fold(0.0, |sum, metric| sum + value(metric.name()));
    }
    let daily = match model.include_training {
        true => serving + value("training_usd_per_day"),
        false => serving,
    };
    assert_eq!(
        bits(daily),
        bits(value("daily_cost_usd")),
        "{at}: daily cost"
    );
    if model.provisioning != (Provisioning::Given { utilization: false }) {
        assert!(value("GPUs").is_finite(), "{at}: GPUs");
    }
    let Some(r) = model.roofline(row) else {
        return;
    };
    for (label, field) in [
        ("weight bytes", r.weight_bytes),
        ("active params", r.active_params),
        ("KV bytes/token", r.kv_bytes_per_token),
        ("KV bytes/sequence", r.kv_bytes_per_sequence),
        ("batch", r.batch),
        ("memory needed", r.memory_needed_bytes),
        ("GPUs per replica", r.gpus_per_replica),
        ("replica memory", r.replica_memory_bytes),
        ("weight bytes read/step", r.weight_bytes_read),
        ("step time, memory (s)", r.step_memory_s),
        ("step time, compute (s)", r.step_compute_s),
        ("decode step (s)", r.step_s),
        ("tokens/s per replica", r.tokens_per_s_per_replica),
    ] {
        assert_eq!(bits(value(label)), bits(field), "{at}: {label}");
    }
    assert_eq!(r.status, explanation.status, "{at}: roofline status");
}

/// Sections come in evaluation order, each once (training only with a training cost), and
/// every step says how it is computed.
fn check_sections(model: &Model, explanation: &Explanation, at: &str) {
    let mut order = vec![Section::Demand, Section::Busy, Section::Fleet];
    if model.training != Training::None {
        order.push(Section::Training);
    }
    order.extend([Section::Cost, Section::CarbonAndWater]);
    let mut sections: Vec<Section> = explanation.steps.iter().map(|s| s.section).collect();
    sections.dedup();
    assert_eq!(sections, order, "{at}");
    for step in &explanation.steps {
        assert!(!step.formula.is_empty(), "{at}: {}", step.label);
    }
}

/// Checks one scenario on all its rows; returns the statuses seen.
fn check(scenario: &Scenario, at: &str) -> Vec<Feasibility> {
    let model = scenario.model();
    let mut statuses = Vec::new();
    for (k, row) in rows(scenario).iter().enumerate() {
        let at = format!("{at}, row {k}");
        let explanation = model.explain(row);
        let evaluation = model.evaluate(row);
        assert_eq!(explanation.status, evaluation.status, "{at}");
        statuses.push(explanation.status);
        check_sections(model, &explanation, &at);
        check_metrics(model, &explanation, &evaluation.outputs, &at);
        check_chain(model, row, &explanation, &at);
    }
    statuses
}

#[test]
fn explain_steps_are_the_values_evaluate_computes_for_every_preset_path_and_rule() {
    let mut paths = Vec::new();
    let mut provisionings = Vec::new();
    let mut prices = Vec::new();
    let mut statuses = Vec::new();
    for preset in PRESETS {
        let roofline = matches!(load(preset.name, &[]).path(), Path::Roofline { .. });
        let infeasible: &[&[&str]] = if roofline { &INFEASIBLE } else { &[] };
        for sets in VARIANTS.iter().chain(infeasible) {
            let scenario = load(preset.name, sets);
            statuses.extend(check(&scenario, &format!("{} {sets:?}", preset.name)));
            let model = scenario.model();
            paths.push(model.path.name());
            provisionings.push(model.provisioning);
            prices.push(model.price);
        }
    }
    for path in ["flops", "throughput", "fleet", "roofline"] {
        assert!(paths.contains(&path), "no preset on the {path} path");
    }
    for provisioning in [
        Provisioning::Average,
        Provisioning::Peak,
        Provisioning::Given { utilization: true },
    ] {
        assert!(provisionings.contains(&provisioning), "{provisioning:?}");
    }
    assert!(prices.contains(&Price::Owned) && prices.contains(&Price::Rental));
    for status in [
        Feasibility::Feasible,
        Feasibility::Clamped,
        Feasibility::Rejected,
    ] {
        assert!(statuses.contains(&status), "no {status:?} row");
    }
}

#[test]
fn explain_at_the_medians_shows_the_published_semianalysis_figures() {
    let scenario = load("semianalysis-2023", &[]);
    let row = rows(&scenario)[0];
    let explanation = scenario.model().explain(&row);
    assert_eq!(explanation.status, Feasibility::Feasible);
    assert!((find(&explanation.steps, "busy GPU-s/day").value / 1.25e9 - 1.0).abs() < 1e-9);
    assert_eq!(find(&explanation.steps, "GPUs").value, 28_936.0);
    assert_eq!(find(&explanation.steps, "daily_cost_usd").value, 694_464.0);
}
