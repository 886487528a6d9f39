//! The LLM-serving cost model: pure functions of one row of inputs, no randomness, no I/O.
//!
//! Busy GPU-seconds per day come from one of four paths ([`Path`]); the fleet is sized from
//! busy time by a [`Provisioning`] rule and rounded up to whole servers; cost is the GPUs'
//! rental or amortized purchase ([`Price`]) plus energy at the wall plus other running costs,
//! plus, when the scenario includes it, the model's training cost spread over its serving life
//! ([`Training`]).
//! A [`Model`] bundles these choices; a row that is physically impossible (the roofline path's
//! weights and KV cache do not fit, or a fraction leaves (0, 1]) is rejected or clamped as its
//! [`OnInfeasible`] rule says. Formulas and sources: docs/MODEL.md.
//!
//! A model is evaluated only whole, as a scenario resolved it (`Scenario::model`):
//! [`Model::evaluate`] gives one row's metrics and [`Model::explain`] the same computation's
//! steps, which is what `costbands explain` prints.

mod busy;
mod cost;
pub mod costs;
mod derived;
mod eval;
mod fleet;
pub mod hardware;
mod inputs;
mod metrics;
mod roofline;
mod steps;
mod training;

pub use costs::{CostItem, CostItems, Per, MAX_COST_ITEMS};
pub use derived::Derived;
pub use eval::{Evaluation, Model};
pub use inputs::{
    Domain, Input, InputDefault, InputInfo, GRID_KG_CO2_PER_KWH_US_2023, N_INPUTS, ROW_LEN, SAME_AS,
};
pub use metrics::{Metric, N_METRICS, OUTPUTS_LEN};
pub use roofline::{crossover_batch, Roofline};
pub use steps::{Explanation, Section, Step};
pub use training::{training_flop, Training, TRAINING_FLOP_PER_PARAM_TOKEN};

use serde::{Deserialize, Serialize};

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
    Throughput {
        /// `input_tokens_per_gpu_s` is given.
        prompt_rate: bool,
    },
    /// Compute: `2 × active params × tokens ÷ (peak FLOP/s × MFU)`.
    Flops,
    /// Serving physics ([`roofline`](crate::model::Roofline)): decode bounded by memory
    /// bandwidth or compute at a batch size, prefill by compute. `moe`: `active_params_b` is
    /// given (else every parameter is active); `kv_given`: `kv_bytes_per_token` is given (else
    /// derived from `layers`, `kv_heads`, `head_dim`); `replica_given`: `gpus_per_replica` is
    /// given (else the fewest GPUs that hold weights and KV cache).
    Roofline {
        /// `active_params_b` is given: a mixture of experts (else every parameter is active).
        moe: bool,
        /// `kv_bytes_per_token` is given (else derived from the layer shape).
        kv_given: bool,
        /// `gpus_per_replica` is given (else the fewest GPUs that hold weights and KV cache).
        replica_given: bool,
    },
}

impl Path {
    /// The inputs this path reads, beyond the demand, fleet-shape, energy and rental price
    /// inputs every path reads with average provisioning. (The FLOPs, throughput and roofline
    /// paths list `utilization`, which only the average [`Provisioning`] rule reads.)
    fn specific_inputs(self) -> Vec<Input> {
        match self {
            Path::Fleet => vec![Input::FleetGpus],
            Path::Throughput { prompt_rate: false } => {
                vec![Input::OutputTokensPerGpuS, Input::Utilization]
            }
            Path::Throughput { prompt_rate: true } => vec![
                Input::OutputTokensPerGpuS,
                Input::InputTokensPerGpuS,
                Input::Utilization,
            ],
            Path::Flops => vec![
                Input::ActiveParamsB,
                Input::PeakTflops,
                Input::Mfu,
                Input::PrefillMfu,
                Input::Utilization,
            ],
            Path::Roofline {
                moe,
                kv_given,
                replica_given,
            } => {
                let mut inputs = vec![
                    Input::PeakTflops,
                    Input::Mfu,
                    Input::PrefillMfu,
                    Input::Utilization,
                    Input::TotalParamsB,
                    Input::BytesPerParam,
                    Input::ContextTokens,
                    Input::BatchSize,
                    Input::HbmTbS,
                    Input::GpuMemoryGb,
                    Input::Mbu,
                ];
                if moe {
                    inputs.push(Input::ActiveParamsB);
                }
                if kv_given {
                    inputs.push(Input::KvBytesPerToken);
                } else {
                    inputs.extend([Input::Layers, Input::KvHeads, Input::HeadDim]);
                }
                if replica_given {
                    inputs.push(Input::GpusPerReplica);
                }
                inputs
            }
        }
    }

    /// Every input this path reads with average provisioning and a rental price, in stream
    /// order: [`Model::inputs`] starts from these and adjusts them for its own rules.
    fn inputs(self) -> Vec<Input> {
        let mut used: Vec<Input> = COMMON_INPUTS
            .iter()
            .copied()
            .chain(self.specific_inputs())
            .collect();
        used.sort_unstable();
        used
    }

    /// A short name: `fleet`, `throughput`, `flops` or `roofline`.
    pub fn name(self) -> &'static str {
        match self {
            Path::Fleet => "fleet",
            Path::Throughput { .. } => "throughput",
            Path::Flops => "flops",
            Path::Roofline { .. } => "roofline",
        }
    }
}

/// How the fleet is sized from busy GPU time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provisioning {
    /// `GPUs = busy GPU-s ÷ (86 400 × utilization)`.
    Average,
    /// Sized for the busiest hour:
    /// `GPUs = busy GPU-s × peak_to_average ÷ (86 400 × target_utilization)`.
    Peak,
    /// The fleet path: `GPUs = fleet_gpus`. Busy time is `fleet_gpus × 86 400 × utilization`
    /// when `utilization` is given, else unknown (NaN).
    Given {
        /// `utilization` is given, so busy time is known.
        utilization: bool,
    },
}

impl Provisioning {
    /// `average`, `peak` or `given`.
    pub fn name(self) -> &'static str {
        match self {
            Provisioning::Average => "average",
            Provisioning::Peak => "peak",
            Provisioning::Given { .. } => "given",
        }
    }
}

/// How GPU time is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Price {
    /// `gpu_hour_usd` per provisioned GPU-hour.
    Rental,
    /// `gpu_capex_usd` per GPU, paid off over `amortization_years` at `cost_of_capital`.
    Owned,
}

impl Price {
    /// `rental` or `owned`.
    pub fn name(self) -> &'static str {
        match self {
            Price::Rental => "rental",
            Price::Owned => "owned",
        }
    }
}

/// What to do with a row that is physically impossible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnInfeasible {
    /// Leave the row out of every statistic (all its metrics are NaN) and count it.
    #[default]
    Reject,
    /// Bring it into range: a fraction above 1 becomes 1, active parameters above total become
    /// total, a batch whose KV cache does not fit becomes the largest that does. Rows that
    /// cannot be clamped (not even one sequence fits) are still rejected.
    Clamp,
}

impl OnInfeasible {
    /// `reject` or `clamp`.
    pub fn name(self) -> &'static str {
        match self {
            OnInfeasible::Reject => "reject",
            OnInfeasible::Clamp => "clamp",
        }
    }
}

/// Whether one row is physically possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Feasibility {
    /// Possible as drawn.
    Feasible,
    /// Made feasible by [`OnInfeasible::Clamp`].
    Clamped,
    /// Impossible: every metric of the row is NaN.
    Rejected,
}

/// Inputs read on every path with a rental price.
const COMMON_INPUTS: [Input; 9] = [
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

/// Inputs read by every [`Model`] besides its path's, provisioning's and price's.
const EXTRA_INPUTS: [Input; 3] = [
    Input::OtherOpexUsdPerDay,
    Input::GridKgCo2PerKwh,
    Input::WueLPerKwh,
];

/// One row of input values, indexed by [`Input::index`]: the built-in inputs, then the rates of
/// the scenario's line items.
pub type Row = [f64; ROW_LEN];

/// One row of metric values, indexed by [`Metric::index`]: the built-in metrics, then the
/// scenario's line items.
pub type Outputs = [f64; OUTPUTS_LEN];

#[cfg(test)]
mod tests;

#[cfg(test)]
mod serving_tests;
