//! The training cost against closed forms and published figures.

use super::*;
use crate::model::{Model, OnInfeasible, Path, Price, Provisioning};

/// A fleet of 1,000 rented GPUs at $2/GPU-hour serving 1M queries a day, with `training`.
fn model(training: Training, include_training: bool) -> Model {
    Model {
        path: Path::Fleet,
        provisioning: Provisioning::Given { utilization: false },
        price: Price::Rental,
        on_infeasible: OnInfeasible::Reject,
        training,
        include_training,
        items: Default::default(),
    }
}

fn row(training: &[(Input, f64)]) -> Row {
    let mut x = [f64::NAN; crate::model::ROW_LEN];
    for (input, value) in [
        (Input::QueriesPerDay, 1e6),
        (Input::InputTokensPerQuery, 1000.0),
        (Input::OutputTokensPerQuery, 500.0),
        (Input::FleetGpus, 1000.0),
        (Input::GpusPerServer, 8.0),
        (Input::GpuHourUsd, 2.0),
        (Input::GpuPowerW, 1275.0),
        (Input::PowerDrawFraction, 0.7),
        (Input::Pue, 1.2),
        (Input::ElectricityUsdPerKwh, 0.08),
        (Input::OtherOpexUsdPerDay, 500.0),
        (Input::GridKgCo2PerKwh, 0.0),
        (Input::WueLPerKwh, 0.0),
    ]
    .iter()
    .chain(training)
    {
        x[input.index()] = *value;
    }
    x
}

fn metric(model: &Model, x: &Row, metric: Metric) -> f64 {
    model.evaluate(x).outputs[metric.index()]
}

#[test]
fn a_cost_given_outright_is_spread_over_the_serving_life() {
    let x = row(&[
        (Input::TrainingCostUsd, 100e6),
        (Input::ServingLifetimeDays, 500.0),
    ]);
    let m = model(Training::Cost, false);
    assert_eq!(metric(&m, &x, Metric::TrainingUsdPerDay), 200_000.0);
}

#[test]
fn deepseek_v3_training_cost_is_its_gpu_hours_at_two_dollars() {
    // DeepSeek-V3 technical report (Dec 2024): 2.788M H800 GPU-hours at $2/GPU-hour = $5.576M.
    let x = row(&[
        (Input::TrainingGpuHours, 2.788e6),
        (Input::TrainingGpuHourUsd, 2.0),
        (Input::ServingLifetimeDays, 1.0),
    ]);
    let m = model(Training::GpuHours { price_given: true }, false);
    let usd = metric(&m, &x, Metric::TrainingUsdPerDay);
    assert!((usd / 5.576e6 - 1.0).abs() < 0.01, "{usd}");
    // Without its own price, training GPU-hours cost the serving gpu_hour_usd ($2 here too).
    let m = model(Training::GpuHours { price_given: false }, false);
    assert_eq!(metric(&m, &x, Metric::TrainingUsdPerDay), usd);
}

#[test]
fn training_compute_is_six_times_active_parameters_times_tokens() {
    // Llama 3.1 405B (Meta, Jul 2024): 15.6T tokens, about 3.8e25 FLOP.
    let flop = training_flop(405.0, 15.6e12);
    assert!((flop / 3.8e25 - 1.0).abs() < 0.01, "{flop:e}");
    assert_eq!(training_flop(1.0, 1.0), 6e9);
}

#[test]
fn training_from_compute_matches_its_closed_form() {
    // 37B active x 14.8T tokens (DeepSeek-V3's pre-training) on 989.4 TFLOP/s at 35% MFU.
    let x = row(&[
        (Input::TrainingTokens, 14.8e12),
        (Input::ActiveParamsB, 37.0),
        (Input::TrainingPeakTflops, 989.4),
        (Input::PeakTflops, 1979.0),
        (Input::TrainingMfu, 0.35),
        (Input::TrainingGpuHourUsd, 2.0),
        (Input::ServingLifetimeDays, 365.0),
    ]);
    let gpu_hours = 6.0 * 37e9 * 14.8e12 / (989.4e12 * 0.35) / 3600.0;
    let expected = gpu_hours * 2.0 / 365.0;
    let m = model(
        Training::Compute {
            peak_given: true,
            price_given: true,
        },
        false,
    );
    let got = metric(&m, &x, Metric::TrainingUsdPerDay);
    assert!((got / expected - 1.0).abs() < 1e-12, "{got} vs {expected}");
    // Without training_peak_tflops the serving peak_tflops is read: twice the peak, half the cost.
    let m = model(
        Training::Compute {
            peak_given: false,
            price_given: true,
        },
        false,
    );
    let serving_peak = metric(&m, &x, Metric::TrainingUsdPerDay);
    assert!((serving_peak / (expected * 989.4 / 1979.0) - 1.0).abs() < 1e-12);
}

#[test]
fn training_joins_the_daily_cost_only_when_included() {
    let x = row(&[
        (Input::TrainingCostUsd, 36.5e6),
        (Input::ServingLifetimeDays, 365.0),
    ]);
    let excluded = model(Training::Cost, false).evaluate(&x).outputs;
    let included = model(Training::Cost, true).evaluate(&x).outputs;
    let serving = 1000.0 * 24.0 * 2.0 + 1000.0 * 1275.0 * 0.7 * 1.2 * 24.0 / 1000.0 * 0.08 + 500.0;
    let daily = |o: &[f64]| o[Metric::DailyCostUsd.index()];
    assert!((daily(&excluded) / serving - 1.0).abs() < 1e-12);
    assert_eq!(daily(&included), daily(&excluded) + 100_000.0);
    for o in [&excluded, &included] {
        assert_eq!(o[Metric::TrainingUsdPerDay.index()], 100_000.0);
        assert_eq!(o[Metric::CostPerQueryUsd.index()], daily(o) / 1e6);
        assert_eq!(
            o[Metric::CostPerMillionTokensUsd.index()],
            daily(o) / 1.5e9 * 1e6
        );
    }
    // No training inputs: the metric is 0 and reads no input.
    let none = model(Training::None, false);
    assert_eq!(metric(&none, &x, Metric::TrainingUsdPerDay), 0.0);
    assert!(!none.inputs().contains(&Input::ServingLifetimeDays));
}

#[test]
fn the_explanation_shows_the_training_steps_with_the_evaluated_value() {
    let x = row(&[
        (Input::TrainingGpuHours, 2.788e6),
        (Input::TrainingGpuHourUsd, 2.0),
        (Input::ServingLifetimeDays, 730.0),
    ]);
    let m = model(Training::GpuHours { price_given: true }, true);
    let steps = m.explain(&x).steps;
    let usd = steps.iter().find(|s| s.label == "training USD").unwrap();
    assert_eq!(usd.value, 5.576e6);
    let per_day = steps
        .iter()
        .find(|s| s.metrics.contains(&Metric::TrainingUsdPerDay))
        .unwrap();
    assert_eq!(per_day.value, metric(&m, &x, Metric::TrainingUsdPerDay));
    assert_eq!(per_day.section, Section::Training);
}
