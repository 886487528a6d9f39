//! The LLM-serving cost model: pure functions of one row of inputs, no randomness, no I/O.
//!
//! Busy GPU-seconds per day come from one of three paths ([`Path`]); the fleet is busy time
//! divided by the usable share of a day, rounded up to whole servers; cost is GPU-hours at a
//! price plus energy at the wall. Formulas and sources: docs/MODEL.md.

pub mod hardware;
mod inputs;
mod metrics;

pub use inputs::{Domain, Input, InputDefault, InputInfo, N_INPUTS};
pub use metrics::{Metric, N_METRICS};

use serde::Serialize;

/// Seconds in a day.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// How busy GPU time is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Path {
    /// `fleet_gpus` is given: the fleet is that size.
    Fleet,
    /// Measured throughput: tokens ÷ tokens per busy GPU-second. `prompt_rate` says whether
    /// `input_tokens_per_gpu_s` is given (otherwise prompt tokens cost no GPU time).
    Throughput { prompt_rate: bool },
    /// Compute: `2 × active params × tokens ÷ (peak FLOP/s × MFU)`.
    Flops,
}

impl Path {
    /// The inputs this path reads, beyond the demand, fleet-shape and price inputs every path
    /// reads.
    pub fn specific_inputs(self) -> &'static [Input] {
        match self {
            Path::Fleet => &[Input::FleetGpus],
            Path::Throughput { prompt_rate: false } => {
                &[Input::OutputTokensPerGpuS, Input::Utilization]
            }
            Path::Throughput { prompt_rate: true } => &[
                Input::OutputTokensPerGpuS,
                Input::InputTokensPerGpuS,
                Input::Utilization,
            ],
            Path::Flops => &[
                Input::ActiveParamsB,
                Input::PeakTflops,
                Input::Mfu,
                Input::PrefillMfu,
                Input::Utilization,
            ],
        }
    }

    /// Every input this path reads, in stream order.
    pub fn inputs(self) -> Vec<Input> {
        let mut used: Vec<Input> = COMMON_INPUTS
            .iter()
            .chain(self.specific_inputs())
            .copied()
            .collect();
        used.sort_unstable();
        used
    }

    /// A short name: `fleet`, `throughput` or `flops`.
    pub fn name(self) -> &'static str {
        match self {
            Path::Fleet => "fleet",
            Path::Throughput { .. } => "throughput",
            Path::Flops => "flops",
        }
    }
}

/// Inputs read on every path.
pub const COMMON_INPUTS: [Input; 9] = [
    Input::QueriesPerDay,
    Input::InputTokensPerQuery,
    Input::OutputTokensPerQuery,
    Input::GpusPerServer,
    Input::GpuHourUsd,
    Input::GpuPowerW,
    Input::PowerDrawFraction,
    Input::Pue,
    Input::ElectricityUsdPerKwh,
];

/// One row of input values, indexed by [`Input`].
pub type Row = [f64; N_INPUTS];

/// One row of metric values, indexed by [`Metric`].
pub type Outputs = [f64; N_METRICS];

/// The intermediate quantities of one evaluation, for `explain` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Breakdown {
    pub tokens_per_day: f64,
    pub busy_gpu_seconds_per_day: f64,
    /// Busy GPU-seconds ÷ (86 400 × utilization), before rounding.
    pub gpus_exact: f64,
    pub gpus: f64,
    pub compute_cost_usd_per_day: f64,
    pub energy_kwh_per_day: f64,
    pub energy_cost_usd_per_day: f64,
    pub daily_cost_usd: f64,
}

/// Busy GPU-seconds per day on `path`.
#[inline]
pub fn busy_gpu_seconds_per_day(path: Path, x: &Row) -> f64 {
    let queries = x[Input::QueriesPerDay as usize];
    let input_tokens = x[Input::InputTokensPerQuery as usize];
    let output_tokens = x[Input::OutputTokensPerQuery as usize];
    match path {
        Path::Fleet => {
            x[Input::FleetGpus as usize] * SECONDS_PER_DAY * x[Input::Utilization as usize]
        }
        Path::Throughput { prompt_rate } => {
            let prompt = if prompt_rate {
                input_tokens / x[Input::InputTokensPerGpuS as usize]
            } else {
                0.0
            };
            queries * (output_tokens / x[Input::OutputTokensPerGpuS as usize] + prompt)
        }
        Path::Flops => {
            let flop_per_token = 2.0 * x[Input::ActiveParamsB as usize] * 1e9;
            let peak_flop_s = x[Input::PeakTflops as usize] * 1e12;
            let prefill = input_tokens / (peak_flop_s * x[Input::PrefillMfu as usize]);
            let decode = output_tokens / (peak_flop_s * x[Input::Mfu as usize]);
            queries * flop_per_token * (prefill + decode)
        }
    }
}

/// Evaluates the model on one row, returning every intermediate quantity.
#[inline]
pub fn breakdown(path: Path, x: &Row) -> Breakdown {
    let busy = busy_gpu_seconds_per_day(path, x);
    let per_server = x[Input::GpusPerServer as usize];
    let gpus_exact = match path {
        Path::Fleet => x[Input::FleetGpus as usize],
        _ => busy / (SECONDS_PER_DAY * x[Input::Utilization as usize]),
    };
    let gpus = (gpus_exact / per_server).ceil() * per_server;
    let compute = gpus * 24.0 * x[Input::GpuHourUsd as usize];
    let energy_kwh = gpus
        * x[Input::GpuPowerW as usize]
        * x[Input::PowerDrawFraction as usize]
        * x[Input::Pue as usize]
        * 24.0
        / 1000.0;
    let energy_cost = energy_kwh * x[Input::ElectricityUsdPerKwh as usize];
    let queries = x[Input::QueriesPerDay as usize];
    Breakdown {
        tokens_per_day: queries
            * (x[Input::InputTokensPerQuery as usize] + x[Input::OutputTokensPerQuery as usize]),
        busy_gpu_seconds_per_day: busy,
        gpus_exact,
        gpus,
        compute_cost_usd_per_day: compute,
        energy_kwh_per_day: energy_kwh,
        energy_cost_usd_per_day: energy_cost,
        daily_cost_usd: compute + energy_cost,
    }
}

/// Evaluates the model on one row, returning the metrics in [`Metric`] order.
#[inline]
pub fn evaluate(path: Path, x: &Row) -> Outputs {
    let b = breakdown(path, x);
    let queries = x[Input::QueriesPerDay as usize];
    let mut out = [0.0; N_METRICS];
    out[Metric::DailyCostUsd as usize] = b.daily_cost_usd;
    out[Metric::ComputeCostUsdPerDay as usize] = b.compute_cost_usd_per_day;
    out[Metric::EnergyCostUsdPerDay as usize] = b.energy_cost_usd_per_day;
    out[Metric::Gpus as usize] = b.gpus;
    out[Metric::EnergyKwhPerDay as usize] = b.energy_kwh_per_day;
    out[Metric::CostPerQueryUsd as usize] = b.daily_cost_usd / queries;
    out[Metric::CostPerMillionTokensUsd as usize] = b.daily_cost_usd / b.tokens_per_day * 1e6;
    out[Metric::WhPerQuery as usize] = b.energy_kwh_per_day * 1000.0 / queries;
    out
}

#[cfg(test)]
mod tests;
