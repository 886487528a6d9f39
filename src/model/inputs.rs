//! The model's inputs: names, units, meanings, domains and defaults.
//!
//! The order of [`Input::ALL`] is part of the determinism contract: each input's random stream
//! is keyed by its index, so new inputs are only ever appended.

use super::costs::{CostItem, MAX_COST_ITEMS};
use crate::number::Quantity;
use serde::Serialize;

/// Number of built-in model inputs.
pub const N_INPUTS: usize = 44;

/// Length of a sample row: every built-in input, then up to [`MAX_COST_ITEMS`] line items' rates.
pub const ROW_LEN: usize = N_INPUTS + MAX_COST_ITEMS;

/// One model input: a built-in input (one of the associated constants, listed in
/// [`Input::ALL`]) or the rate of one of a scenario's cost line items ([`Input::item`]).
/// [`Input::index`] indexes sample rows; a built-in input's index also names its random stream.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Input {
    slot: u16,
    item: Option<&'static CostItem>,
}

#[allow(non_upper_case_globals)]
impl Input {
    /// `queries_per_day`, in queries/day. Requests (prompts) served per day.
    pub const QueriesPerDay: Input = Input::builtin(0);
    /// `input_tokens_per_query`, in tokens. Prompt tokens processed per query (prefill): system
    /// prompt, conversation history, attachments.
    pub const InputTokensPerQuery: Input = Input::builtin(1);
    /// `output_tokens_per_query`, in tokens. Tokens generated per query (decode).
    pub const OutputTokensPerQuery: Input = Input::builtin(2);
    /// `active_params_b`, in 10⁹ parameters. Parameters used per token: all of them for a dense
    /// model, the active experts for a mixture of experts.
    pub const ActiveParamsB: Input = Input::builtin(3);
    /// `peak_tflops`, in TFLOP/s. Dense peak throughput of one GPU at the serving precision (no
    /// sparsity).
    pub const PeakTflops: Input = Input::builtin(4);
    /// `mfu`, a fraction. Model FLOP utilization while busy, decode: achieved FLOP/s ÷ peak. On
    /// the roofline path, the share of peak reached when decode is compute-bound.
    pub const Mfu: Input = Input::builtin(5);
    /// `prefill_mfu`, a fraction. Model FLOP utilization while busy, prefill.
    pub const PrefillMfu: Input = Input::builtin(6);
    /// `output_tokens_per_gpu_s`, in tokens/s. Measured generation throughput of one busy GPU
    /// (selects the throughput path).
    pub const OutputTokensPerGpuS: Input = Input::builtin(7);
    /// `input_tokens_per_gpu_s`, in tokens/s. Measured prompt-processing throughput of one busy GPU
    /// (throughput path only).
    pub const InputTokensPerGpuS: Input = Input::builtin(8);
    /// `fleet_gpus`, in GPUs. A fleet size known outright (selects the fleet path).
    pub const FleetGpus: Input = Input::builtin(9);
    /// `utilization`, a fraction. Busy share of provisioned GPU time; the rest is idle headroom.
    /// On the fleet path, optional: the busy share of the given fleet (for
    /// `busy_gpu_hours_per_day`).
    pub const Utilization: Input = Input::builtin(10);
    /// `gpus_per_server`, in GPUs. Server size; the fleet is rounded up to whole servers.
    pub const GpusPerServer: Input = Input::builtin(11);
    /// `gpu_hour_usd`, in USD per GPU-hour. Price of one provisioned GPU-hour: rental, or amortized
    /// purchase plus operations.
    pub const GpuHourUsd: Input = Input::builtin(12);
    /// `gpu_power_w`, in W. Rated power of one GPU including its share of the server (CPUs, memory,
    /// network, fans), before PUE.
    pub const GpuPowerW: Input = Input::builtin(13);
    /// `power_draw_fraction`, a fraction. Average draw ÷ rated power, over busy and idle time
    /// alike.
    pub const PowerDrawFraction: Input = Input::builtin(14);
    /// `pue`, a ratio. Data-centre power usage effectiveness: facility power ÷ IT power.
    pub const Pue: Input = Input::builtin(15);
    /// `electricity_usd_per_kwh`, in USD/kWh. Price of electricity at the facility meter. Set 0 to
    /// leave the energy cost out.
    pub const ElectricityUsdPerKwh: Input = Input::builtin(16);
    /// `total_params_b`, in 10⁹ parameters. Parameters held in GPU memory: every expert of a
    /// mixture of experts.
    pub const TotalParamsB: Input = Input::builtin(17);
    /// `bytes_per_param`, in bytes. Bytes per weight: 2 for BF16/FP16, 1 for FP8/INT8, 0.5 for
    /// 4-bit. Also the bytes per KV-cache value when the cache size is derived from the layer
    /// shape.
    pub const BytesPerParam: Input = Input::builtin(18);
    /// `kv_bytes_per_token`, in bytes. KV-cache bytes per token of context, all layers together.
    pub const KvBytesPerToken: Input = Input::builtin(19);
    /// `layers`, a count. Transformer layers; with `kv_heads` and `head_dim` derives
    /// `kv_bytes_per_token = 2 × layers × kv_heads × head_dim × bytes_per_param`.
    pub const Layers: Input = Input::builtin(20);
    /// `kv_heads`, in heads. Key/value heads per layer (grouped-query attention shares them among
    /// query heads).
    pub const KvHeads: Input = Input::builtin(21);
    /// `head_dim`, in elements. Elements per attention head.
    pub const HeadDim: Input = Input::builtin(22);
    /// `context_tokens`, in tokens. Mean sequence length held in the KV cache while decoding (about
    /// the prompt plus half the answer).
    pub const ContextTokens: Input = Input::builtin(23);
    /// `batch_size`, in sequences. Sequences decoded together per replica (selects the roofline
    /// path).
    pub const BatchSize: Input = Input::builtin(24);
    /// `hbm_tb_s`, in TB/s. Memory bandwidth of one GPU.
    pub const HbmTbS: Input = Input::builtin(25);
    /// `gpu_memory_gb`, in GB. Memory of one GPU.
    pub const GpuMemoryGb: Input = Input::builtin(26);
    /// `mbu`, a fraction. Memory-bandwidth utilization: achieved share of `hbm_tb_s` while
    /// decoding.
    pub const Mbu: Input = Input::builtin(27);
    /// `gpus_per_replica`, in GPUs. GPUs holding one copy of the model (tensor parallel).
    pub const GpusPerReplica: Input = Input::builtin(28);
    /// `peak_to_average`, a ratio. Traffic in the busiest hour ÷ the daily mean. Giving it or
    /// `target_utilization` sizes the fleet for the busiest hour.
    pub const PeakToAverage: Input = Input::builtin(29);
    /// `target_utilization`, a fraction. Busy share the fleet may reach in the busiest hour
    /// (headroom for latency).
    pub const TargetUtilization: Input = Input::builtin(30);
    /// `gpu_capex_usd`, in USD per GPU. Purchase price of one GPU including its share of server and
    /// network. Giving it means owning the GPUs instead of renting them.
    pub const GpuCapexUsd: Input = Input::builtin(31);
    /// `amortization_years`, in years. Years over which owned GPUs are paid off.
    pub const AmortizationYears: Input = Input::builtin(32);
    /// `cost_of_capital`, per year. Annual interest rate on the capex; 0 pays it off in a
    /// straight line.
    pub const CostOfCapital: Input = Input::builtin(33);
    /// `other_opex_usd_per_day`, in USD/day. Staff, software, network, colocation and other running
    /// costs besides GPUs and energy.
    pub const OtherOpexUsdPerDay: Input = Input::builtin(34);
    /// `grid_kg_co2_per_kwh`, in kg CO₂/kWh. Carbon intensity of the electricity (location-based).
    pub const GridKgCo2PerKwh: Input = Input::builtin(35);
    /// `wue_l_per_kwh`, in L/kWh. Water usage effectiveness: on-site water per kWh of IT energy
    /// (The Green Grid's definition).
    pub const WueLPerKwh: Input = Input::builtin(36);
    /// `training_cost_usd`, in USD. What training the model cost, given outright; spread over
    /// `serving_lifetime_days` as `training_usd_per_day`.
    pub const TrainingCostUsd: Input = Input::builtin(37);
    /// `training_gpu_hours`, in GPU-hours. GPU-hours the training took; costed at
    /// `training_gpu_hour_usd`.
    pub const TrainingGpuHours: Input = Input::builtin(38);
    /// `training_tokens`, in tokens. Tokens the model was trained on; training compute is
    /// `6 × active_params_b × 10⁹ × training_tokens` FLOP.
    pub const TrainingTokens: Input = Input::builtin(39);
    /// `training_peak_tflops`, in TFLOP/s. Dense peak throughput per training GPU (default: the
    /// serving `peak_tflops`).
    pub const TrainingPeakTflops: Input = Input::builtin(40);
    /// `training_mfu`, a fraction. Share of `training_peak_tflops` the training run reached.
    pub const TrainingMfu: Input = Input::builtin(41);
    /// `training_gpu_hour_usd`, in USD/GPU-hour. Price of a training GPU-hour (default: the
    /// serving `gpu_hour_usd`).
    pub const TrainingGpuHourUsd: Input = Input::builtin(42);
    /// `serving_lifetime_days`, in days. Days over which the model serves, and its training cost
    /// is spread.
    pub const ServingLifetimeDays: Input = Input::builtin(43);
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
    /// The same value as another input in every sample: not an input of its own (not sampled,
    /// not a driver); the model reads the other input ([`SAME_AS`]).
    SameAs(Input),
    /// Optional: when absent, the model derives the quantity as described.
    Derived(&'static str),
}

/// Every `(input, source)` pair whose default is [`InputDefault::SameAs`]: when a row leaves
/// `input` out (NaN), the model reads `source` in its place.
pub const SAME_AS: [(Input, Input); 1] = [(Input::PrefillMfu, Input::Mfu)];

/// Static facts about an input.
#[derive(Debug, Clone, Copy)]
pub struct InputInfo {
    /// The name in scenario files, `--set`, exports and on the command line, e.g. `pue`.
    pub name: &'static str,
    /// The unit the value is given in, e.g. `USD/kWh` (`fraction` or `ratio` when
    /// dimensionless).
    pub unit: &'static str,
    /// A one-line meaning, shown by `costbands list inputs` and in messages about the input.
    pub meaning: &'static str,
    /// The values the input may take; every distribution's support must lie inside it.
    pub domain: Domain,
    /// What happens when a scenario leaves the input out.
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
use InputDefault::{Derived, Required, SameAs, Value};

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
    info("total_params_b", "1e9 params", "parameters held in GPU memory (MoE: every expert)", Positive, Required),
    info("bytes_per_param", "bytes", "bytes per weight: 2 bf16, 1 fp8/int8, 0.5 4-bit", Positive, Value(2.0)),
    info("kv_bytes_per_token", "bytes", "KV-cache bytes per token of context, all layers", Positive, Derived("2 × layers × kv_heads × head_dim × bytes_per_param")),
    info("layers", "layers", "transformer layers (derives kv_bytes_per_token)", WholeNumber, Required),
    info("kv_heads", "heads", "key/value heads per layer (derives kv_bytes_per_token)", WholeNumber, Required),
    info("head_dim", "elements", "elements per attention head (derives kv_bytes_per_token)", WholeNumber, Required),
    info("context_tokens", "tokens", "mean sequence length held in the KV cache while decoding", Positive, Required),
    info("batch_size", "sequences", "sequences decoded together per replica (selects the roofline path)", WholeNumber, Required),
    info("hbm_tb_s", "TB/s", "memory bandwidth per GPU", Positive, Required),
    info("gpu_memory_gb", "GB", "memory per GPU", Positive, Required),
    info("mbu", "fraction", "achieved share of memory bandwidth while decoding", Fraction, Required),
    info("gpus_per_replica", "GPUs", "GPUs serving one model copy (tensor parallel)", WholeNumber, Derived("the fewest GPUs, a power of two, that hold weights and KV cache")),
    info("peak_to_average", "ratio", "traffic in the busiest hour ÷ the daily mean", AtLeastOne, Value(1.0)),
    info("target_utilization", "fraction", "busy share the fleet may reach in the busiest hour", Fraction, Required),
    info("gpu_capex_usd", "USD/GPU", "purchase price per GPU incl. its share of server and network", Positive, Required),
    info("amortization_years", "years", "years over which owned GPUs are paid off", Positive, Required),
    info("cost_of_capital", "1/year", "annual interest rate on the capex (0: straight line)", NonNegative, Value(0.0)),
    info("other_opex_usd_per_day", "USD/day", "staff, software, network and other running costs", NonNegative, Value(0.0)),
    info("grid_kg_co2_per_kwh", "kgCO2/kWh", "carbon intensity of the electricity (default: US 2023 average)", NonNegative, Value(GRID_KG_CO2_PER_KWH_US_2023)),
    info("wue_l_per_kwh", "L/kWh", "on-site water per kWh of IT energy (water usage effectiveness)", NonNegative, Value(0.0)),
    info("training_cost_usd", "USD", "the model's training cost, given outright", NonNegative, Required),
    info("training_gpu_hours", "GPU-h", "GPU-hours the training took", NonNegative, Required),
    info("training_tokens", "tokens", "tokens trained on (compute: 6 × active params × tokens)", Positive, Required),
    info("training_peak_tflops", "TFLOP/s", "dense peak throughput per training GPU", Positive, Derived("the serving peak_tflops (from gpu or inputs)")),
    info("training_mfu", "fraction", "share of training_peak_tflops the training run reached", Fraction, Required),
    info("training_gpu_hour_usd", "USD/GPU-hour", "price of a training GPU-hour", NonNegative, Derived("gpu_hour_usd")),
    info("serving_lifetime_days", "days", "days the model serves, over which training is spread", Positive, Required),
];

/// US average carbon intensity of utility-scale electricity generation in 2023: 1,532 million
/// tonnes of CO2 over 4,183 billion kWh (EIA, "How much carbon dioxide is produced per
/// kilowatthour of U.S. electricity generation?", 0.81 lb/kWh) = 0.366 kg/kWh.
pub const GRID_KG_CO2_PER_KWH_US_2023: f64 = 0.366;

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
        Input::TotalParamsB,
        Input::BytesPerParam,
        Input::KvBytesPerToken,
        Input::Layers,
        Input::KvHeads,
        Input::HeadDim,
        Input::ContextTokens,
        Input::BatchSize,
        Input::HbmTbS,
        Input::GpuMemoryGb,
        Input::Mbu,
        Input::GpusPerReplica,
        Input::PeakToAverage,
        Input::TargetUtilization,
        Input::GpuCapexUsd,
        Input::AmortizationYears,
        Input::CostOfCapital,
        Input::OtherOpexUsdPerDay,
        Input::GridKgCo2PerKwh,
        Input::WueLPerKwh,
        Input::TrainingCostUsd,
        Input::TrainingGpuHours,
        Input::TrainingTokens,
        Input::TrainingPeakTflops,
        Input::TrainingMfu,
        Input::TrainingGpuHourUsd,
        Input::ServingLifetimeDays,
    ];

    /// A built-in input by its index in [`Input::ALL`].
    const fn builtin(index: u16) -> Input {
        Input {
            slot: index,
            item: None,
        }
    }

    /// The rate of line item `item`, the `k`-th of its scenario (`k <` [`MAX_COST_ITEMS`]).
    pub fn item(k: usize, item: &'static CostItem) -> Input {
        assert!(k < MAX_COST_ITEMS, "at most {MAX_COST_ITEMS} line items");
        Input {
            slot: (N_INPUTS + k) as u16,
            item: Some(item),
        }
    }

    /// The index of the input's value in a [`Row`](super::Row).
    #[inline(always)]
    pub const fn index(self) -> usize {
        self.slot as usize
    }

    /// The line item whose rate this is, if it is one.
    pub fn cost_item(self) -> Option<&'static CostItem> {
        self.item
    }

    /// The input's random stream: a built-in input's index, a line item's
    /// [`CostItem::stream`].
    pub fn stream(self) -> u64 {
        match self.item {
            None => self.slot as u64,
            Some(item) => item.stream(),
        }
    }

    /// Static facts: name, unit, meaning, domain, default.
    pub fn info(self) -> &'static InputInfo {
        match self.item {
            None => &INFO[self.slot as usize],
            Some(item) => item.input_info(),
        }
    }

    /// The name used in scenario files and exports, e.g. `gpu_hour_usd`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Looks a built-in input up by its file name (a line item's rate is looked up in its
    /// scenario).
    pub fn from_name(name: &str) -> Option<Input> {
        Input::ALL.into_iter().find(|input| input.name() == name)
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Input {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// The units that already carry a scale: a value in them takes no k/M/B/T suffix
/// (`active_params_b = "175B"` would be 175 billion billion parameters).
const SCALED_UNITS: [&str; 4] = ["1e9 params", "TFLOP/s", "TB/s", "GB"];

impl InputInfo {
    /// How the input's numbers may be written as text ([`crate::number`]): `%` on a fraction
    /// or a yearly rate (`"40%"`, `"8%"`), `$` on an amount in USD, no suffix on a unit that
    /// is already scaled, plain amounts otherwise. A ratio such as `pue` takes no `%`: `20%`
    /// could mean 0.2 or an overhead of 20% (1.2).
    pub fn quantity(&self) -> Quantity {
        match (self.domain, self.unit) {
            (Fraction | UnitInterval, _) | (_, "1/year" | "fraction") => Quantity::Fraction,
            (_, unit) if SCALED_UNITS.contains(&unit) => Quantity::Scaled(self.unit),
            (_, unit) if unit.starts_with("USD") => Quantity::Usd,
            _ => Quantity::Amount,
        }
    }
}

impl Domain {
    /// Whether the domain is a fraction of 1 (`(0, 1]` or `[0, 1]`).
    pub fn is_fraction(self) -> bool {
        matches!(self, Fraction | UnitInterval)
    }

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
            assert_eq!(input.index(), index);
            assert_eq!(Input::from_name(input.name()), Some(input));
        }
    }

    #[test]
    fn percent_is_read_for_fractions_and_rates_dollars_for_usd_and_no_suffix_on_scaled_units() {
        let quantity = |input: Input| input.info().quantity();
        for input in Input::ALL {
            let info = input.info();
            if info.domain.is_fraction() || info.unit == "1/year" {
                assert_eq!(quantity(input), Quantity::Fraction, "{}", info.name);
            }
        }
        assert_eq!(quantity(Input::Utilization), Quantity::Fraction);
        assert_eq!(quantity(Input::PowerDrawFraction), Quantity::Fraction);
        assert_eq!(quantity(Input::CostOfCapital), Quantity::Fraction);
        assert_eq!(quantity(Input::Pue), Quantity::Amount);
        assert_eq!(quantity(Input::QueriesPerDay), Quantity::Amount);
        assert_eq!(quantity(Input::GpuHourUsd), Quantity::Usd);
        assert_eq!(quantity(Input::OtherOpexUsdPerDay), Quantity::Usd);
        assert_eq!(
            quantity(Input::ActiveParamsB),
            Quantity::Scaled("1e9 params")
        );
        assert_eq!(quantity(Input::PeakTflops), Quantity::Scaled("TFLOP/s"));
        assert_eq!(quantity(Input::HbmTbS), Quantity::Scaled("TB/s"));
        assert_eq!(quantity(Input::GpuMemoryGb), Quantity::Scaled("GB"));
    }

    #[test]
    fn names_are_snake_case_and_unique() {
        let mut names: Vec<&str> = Input::ALL.iter().map(|i| i.name()).collect();
        // snake_case: lowercase letters, digits (as in `co2`) and underscores, led by a letter.
        assert!(names
            .iter()
            .all(|n| n.starts_with(|c: char| c.is_ascii_lowercase())
                && n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), N_INPUTS);
    }
}
