use super::eval::Breakdown;
use super::*;

/// Every quantity of the average-rental model on `path` ([`Model::average_rental`]), with the
/// inputs `x` leaves NaN at their constant defaults.
fn breakdown(path: Path, x: &Row) -> Breakdown {
    let model = Model::average_rental(path);
    model.breakdown(&model.with_defaults(x))
}

/// The metrics of the average-rental model on `path`, with the inputs `x` leaves NaN at their
/// constant defaults.
fn evaluate(path: Path, x: &Row) -> Outputs {
    let model = Model::average_rental(path);
    model.evaluate(&model.with_defaults(x)).outputs
}

fn row(values: &[(Input, f64)]) -> Row {
    let mut x = [f64::NAN; crate::model::ROW_LEN];
    x[Input::InputTokensPerQuery.index()] = 0.0;
    x[Input::GpusPerServer.index()] = 1.0;
    x[Input::PowerDrawFraction.index()] = 0.7;
    x[Input::Pue.index()] = 1.2;
    x[Input::GpuPowerW.index()] = 0.0;
    x[Input::ElectricityUsdPerKwh.index()] = 0.0;
    for (input, value) in values {
        x[input.index()] = *value;
    }
    x
}

fn close(actual: f64, expected: f64, rel: f64) -> bool {
    ((actual - expected) / expected).abs() <= rel
}

#[test]
fn semianalysis_2023_arithmetic() {
    let x = row(&[
        (Input::QueriesPerDay, 195e6),
        (Input::OutputTokensPerQuery, 2000.0),
        (Input::ActiveParamsB, 175.0),
        (Input::PeakTflops, 312.0),
        (Input::Mfu, 0.35),
        (Input::PrefillMfu, 0.35),
        (Input::Utilization, 0.5),
        (Input::GpusPerServer, 8.0),
        (Input::GpuHourUsd, 1.0),
    ]);
    let b = breakdown(Path::Flops, &x);
    assert!(close(b.busy_gpu_seconds_per_day, 1.25e9, 1e-9));
    assert_eq!(b.gpus, 28_936.0);
    assert_eq!(b.daily_cost_usd, 28_936.0 * 24.0);
    let out = evaluate(Path::Flops, &x);
    assert!(close(out[Metric::CostPerQueryUsd.index()], 0.003_561, 1e-3));
    assert!(close(
        out[Metric::CostPerMillionTokensUsd.index()],
        694_464.0 / (195e6 * 2000.0) * 1e6,
        1e-12
    ));
}

#[test]
fn throughput_path_goldstein_2022() {
    let x = row(&[
        (Input::QueriesPerDay, 10e6),
        (Input::OutputTokensPerQuery, 30.0),
        (Input::OutputTokensPerGpuS, 2.5),
        (Input::Utilization, 1.0),
        (Input::GpuHourUsd, 3.0),
    ]);
    let b = breakdown(Path::Throughput { prompt_rate: false }, &x);
    assert_eq!(b.busy_gpu_seconds_per_day, 1.2e8);
    assert_eq!(b.gpus, 1389.0);
    assert_eq!(b.daily_cost_usd, 1389.0 * 72.0);
}

#[test]
fn prompt_rate_adds_prefill_time() {
    let mut x = row(&[
        (Input::QueriesPerDay, 100.0),
        (Input::InputTokensPerQuery, 1000.0),
        (Input::OutputTokensPerQuery, 10.0),
        (Input::OutputTokensPerGpuS, 1.0),
        (Input::InputTokensPerGpuS, 100.0),
        (Input::Utilization, 1.0),
    ]);
    let with = breakdown(Path::Throughput { prompt_rate: true }, &x).busy_gpu_seconds_per_day;
    assert_eq!(with, 100.0 * (10.0 + 10.0));
    x[Input::InputTokensPerGpuS.index()] = f64::NAN;
    let without = breakdown(Path::Throughput { prompt_rate: false }, &x).busy_gpu_seconds_per_day;
    assert_eq!(without, 1000.0);
}

#[test]
fn epoch_2025_energy_per_query() {
    let x = row(&[
        (Input::QueriesPerDay, 1e9),
        (Input::OutputTokensPerQuery, 500.0),
        (Input::ActiveParamsB, 100.0),
        (Input::PeakTflops, 989.0),
        (Input::Mfu, 0.1),
        (Input::PrefillMfu, 0.1),
        (Input::Utilization, 1.0),
        (Input::GpuPowerW, 1275.0),
        (Input::GpuHourUsd, 2.0),
    ]);
    let out = evaluate(Path::Flops, &x);
    let exact = 1e14 / 9.89e13 * 1275.0 * 0.7 * 1.2 / 3600.0;
    assert!(close(out[Metric::WhPerQuery.index()], exact, 1e-4));
    assert!(close(out[Metric::WhPerQuery.index()], 0.30, 0.01));
}

#[test]
fn fleet_path_uses_fleet_and_rounds_to_servers() {
    let x = row(&[
        (Input::QueriesPerDay, 1e6),
        (Input::OutputTokensPerQuery, 100.0),
        (Input::FleetGpus, 1001.0),
        (Input::Utilization, f64::NAN),
        (Input::GpusPerServer, 8.0),
        (Input::GpuHourUsd, 2.0),
        (Input::GpuPowerW, 1000.0),
        (Input::PowerDrawFraction, 0.5),
        (Input::Pue, 1.0),
        (Input::ElectricityUsdPerKwh, 0.1),
    ]);
    let out = evaluate(Path::Fleet, &x);
    assert_eq!(out[Metric::Gpus.index()], 1008.0);
    assert_eq!(out[Metric::ComputeCostUsdPerDay.index()], 1008.0 * 48.0);
    assert!(close(
        out[Metric::EnergyKwhPerDay.index()],
        1008.0 * 12.0,
        1e-12
    ));
    assert!(close(
        out[Metric::EnergyCostUsdPerDay.index()],
        1008.0 * 1.2,
        1e-12
    ));
    assert!(close(
        out[Metric::WhPerQuery.index()],
        1008.0 * 12.0 / 1e3,
        1e-12
    ));
}

#[test]
fn path_inputs_are_sorted_and_unique() {
    for path in [
        Path::Fleet,
        Path::Flops,
        Path::Throughput { prompt_rate: true },
        Path::Throughput { prompt_rate: false },
    ] {
        let inputs = path.inputs();
        assert!(inputs.windows(2).all(|w| w[0] < w[1]), "{path:?}");
    }
}
