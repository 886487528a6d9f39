//! The model's inputs: names, units, meanings, domains and defaults.
//!
//! The order of [`Input::ALL`] is part of the determinism contract: each input's random stream
//! is keyed by its index, so new inputs are only ever appended.

use serde::Serialize;

/// Number of model inputs.
pub const N_INPUTS: usize = 17;

/// One model input. `Input as usize` indexes sample rows and names the input's random stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    QueriesPerDay,
    InputTokensPerQuery,
    OutputTokensPerQuery,
    ActiveParamsB,
    PeakTflops,
    Mfu,
    PrefillMfu,
    OutputTokensPerGpuS,
    InputTokensPerGpuS,
    FleetGpus,
    Utilization,
    GpusPerServer,
    GpuHourUsd,
    GpuPowerW,
    PowerDrawFraction,
    Pue,
    ElectricityUsdPerKwh,
}

/// The values an input may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// `x > 0`.
    Positive,
    /// `x ≥ 0`.
    NonNegative,
    /// `0 < x ≤ 1`.
    Fraction,
    /// `0 ≤ x ≤ 1`.
    UnitInterval,
    /// `x ≥ 1`.
    AtLeastOne,
    /// A whole number `≥ 1` (a constant or a discrete distribution of whole numbers).
    WholeNumber,
}

/// What happens when a scenario leaves an input out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InputDefault {
    /// The input must be given when its path uses it.
    Required,
    /// This constant.
    Value(f64),
    /// The same distribution as another input.
    SameAs(Input),
}

/// Static facts about an input.
#[derive(Debug, Clone, Copy)]
pub struct InputInfo {
    pub name: &'static str,
    pub unit: &'static str,
    pub meaning: &'static str,
    pub domain: Domain,
    pub default: InputDefault,
}

const fn info(
    name: &'static str,
    unit: &'static str,
    meaning: &'static str,
    domain: Domain,
    default: InputDefault,
) -> InputInfo {
    InputInfo {
        name,
        unit,
        meaning,
        domain,
        default,
    }
}

use Domain::*;
use InputDefault::{Required, SameAs, Value};

#[rustfmt::skip]
const INFO: [InputInfo; N_INPUTS] = [
    info("queries_per_day", "queries/day", "queries (prompts) served per day", Positive, Required),
    info("input_tokens_per_query", "tokens", "prompt tokens read per query", NonNegative, Value(0.0)),
    info("output_tokens_per_query", "tokens", "tokens generated per query", Positive, Required),
    info("active_params_b", "1e9 params", "parameters used per token (MoE: active only)", Positive, Required),
    info("peak_tflops", "TFLOP/s", "dense peak throughput per GPU at the serving precision", Positive, Required),
    info("mfu", "fraction", "share of peak reached while busy (decode)", Fraction, Required),
    info("prefill_mfu", "fraction", "share of peak reached while reading prompts", Fraction, SameAs(Input::Mfu)),
    info("output_tokens_per_gpu_s", "tokens/s", "measured generation throughput per busy GPU", Positive, Required),
    info("input_tokens_per_gpu_s", "tokens/s", "measured prompt throughput per busy GPU", Positive, Required),
    info("fleet_gpus", "GPUs", "a fleet size known outright", Positive, Required),
    info("utilization", "fraction", "busy share of provisioned GPU time", Fraction, Required),
    info("gpus_per_server", "GPUs", "GPUs per server; the fleet is whole servers", WholeNumber, Value(1.0)),
    info("gpu_hour_usd", "USD/GPU-hour", "rental or amortized price of one GPU-hour", NonNegative, Required),
    info("gpu_power_w", "W", "rated power per GPU including its share of the server", NonNegative, Required),
    info("power_draw_fraction", "fraction", "average draw ÷ rated power", UnitInterval, Value(0.7)),
    info("pue", "ratio", "data-centre power usage effectiveness", AtLeastOne, Value(1.2)),
    info("electricity_usd_per_kwh", "USD/kWh", "electricity price (0 leaves out the energy line)", NonNegative, Required),
];

impl Input {
    /// Every input, in stream order.
    pub const ALL: [Input; N_INPUTS] = [
        Input::QueriesPerDay,
        Input::InputTokensPerQuery,
        Input::OutputTokensPerQuery,
        Input::ActiveParamsB,
        Input::PeakTflops,
        Input::Mfu,
        Input::PrefillMfu,
        Input::OutputTokensPerGpuS,
        Input::InputTokensPerGpuS,
        Input::FleetGpus,
        Input::Utilization,
        Input::GpusPerServer,
        Input::GpuHourUsd,
        Input::GpuPowerW,
        Input::PowerDrawFraction,
        Input::Pue,
        Input::ElectricityUsdPerKwh,
    ];

    /// Static facts: name, unit, meaning, domain, default.
    pub fn info(self) -> &'static InputInfo {
        &INFO[self as usize]
    }

    /// The name used in scenario files and exports, e.g. `gpu_hour_usd`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Looks an input up by its file name.
    pub fn from_name(name: &str) -> Option<Input> {
        Input::ALL.into_iter().find(|input| input.name() == name)
    }
}

impl Domain {
    /// Human description, e.g. `in (0, 1]`.
    pub fn describe(self) -> &'static str {
        match self {
            Positive => "> 0",
            NonNegative => "≥ 0",
            Fraction => "in (0, 1]",
            UnitInterval => "in [0, 1]",
            AtLeastOne => "≥ 1",
            WholeNumber => "a whole number ≥ 1",
        }
    }

    /// `(lo, hi, lo_open)`: the domain as an interval (the upper end is always closed).
    pub fn bounds(self) -> (f64, f64, bool) {
        match self {
            Positive => (0.0, f64::INFINITY, true),
            NonNegative => (0.0, f64::INFINITY, false),
            Fraction => (0.0, 1.0, true),
            UnitInterval => (0.0, 1.0, false),
            AtLeastOne | WholeNumber => (1.0, f64::INFINITY, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_enum_order() {
        for (index, input) in Input::ALL.into_iter().enumerate() {
            assert_eq!(input as usize, index);
            assert_eq!(Input::from_name(input.name()), Some(input));
        }
    }

    #[test]
    fn names_are_snake_case_and_unique() {
        let mut names: Vec<&str> = Input::ALL.iter().map(|i| i.name()).collect();
        assert!(names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), N_INPUTS);
    }
}
