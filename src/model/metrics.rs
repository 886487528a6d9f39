//! The model's output metrics: names and units.
//!
//! The order of [`Metric::ALL`] is the column order of every export; new metrics are appended.
//! A scenario's cost line items follow the built-in metrics, in the order of its file.

use super::costs::{CostItem, MAX_COST_ITEMS};
use serde::Serialize;

/// Number of built-in output metrics.
pub const N_METRICS: usize = 17;

/// Length of a row's outputs: every built-in metric, then up to [`MAX_COST_ITEMS`] line items.
pub const OUTPUTS_LEN: usize = N_METRICS + MAX_COST_ITEMS;

/// One output metric: a built-in metric (one of the associated constants, listed in
/// [`Metric::ALL`]) or one of a scenario's cost line items ([`Metric::item`]).
/// [`Metric::index`] indexes a row's outputs and a scenario's metric columns.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Metric {
    slot: u16,
    item: Option<&'static CostItem>,
}

#[allow(non_upper_case_globals)]
impl Metric {
    /// `daily_cost_usd`, USD/day. Compute, energy and other running costs of one day:
    /// `compute_cost_usd_per_day + energy_cost_usd_per_day + other_opex_usd_per_day`, plus
    /// `training_usd_per_day` when the scenario sets `include_training = true`.
    pub const DailyCostUsd: Metric = Metric::builtin(0);
    /// `compute_cost_usd_per_day`, USD/day. What the GPUs cost per day:
    /// `GPUs × 24 × gpu_hour_usd` when renting, `capex_usd_per_day` when owning.
    pub const ComputeCostUsdPerDay: Metric = Metric::builtin(1);
    /// `energy_cost_usd_per_day`, USD/day. Electricity per day:
    /// `energy_kwh_per_day × electricity_usd_per_kwh`.
    pub const EnergyCostUsdPerDay: Metric = Metric::builtin(2);
    /// `gpus`, GPUs. Provisioned GPUs: busy GPU-seconds ÷ (86 400 × `utilization`), or sized for
    /// the busiest hour, or `fleet_gpus` on the fleet path; rounded up to whole replicas (roofline
    /// path) and whole servers.
    pub const Gpus: Metric = Metric::builtin(3);
    /// `energy_kwh_per_day`, kWh/day. Facility energy per day, every provisioned GPU at its average
    /// draw: `GPUs × gpu_power_w × power_draw_fraction × pue × 24 ÷ 1000`.
    pub const EnergyKwhPerDay: Metric = Metric::builtin(4);
    /// `cost_per_query_usd`, USD. `daily_cost_usd ÷ queries_per_day`.
    pub const CostPerQueryUsd: Metric = Metric::builtin(5);
    /// `cost_per_million_tokens_usd`, USD/Mtok. `daily_cost_usd ÷ tokens_per_day × 10⁶`, prompt
    /// and generated tokens together.
    pub const CostPerMillionTokensUsd: Metric = Metric::builtin(6);
    /// `wh_per_query`, Wh. Facility energy per query:
    /// `energy_kwh_per_day × 1000 ÷ queries_per_day`.
    pub const WhPerQuery: Metric = Metric::builtin(7);
    /// `capex_usd_per_day`, USD/day. Owned GPUs paid off as an annuity:
    /// `GPUs × gpu_capex_usd × r ÷ (1 − (1 + r)^−n) ÷ 365` with `r = cost_of_capital` and
    /// `n = amortization_years`; 0 when renting.
    pub const CapexUsdPerDay: Metric = Metric::builtin(8);
    /// `other_opex_usd_per_day`, USD/day. The `other_opex_usd_per_day` input as drawn.
    pub const OtherOpexUsdPerDay: Metric = Metric::builtin(9);
    /// `tokens_per_day`, tokens/day. Prompt and generated tokens per day:
    /// `queries_per_day × (input_tokens_per_query + output_tokens_per_query)`.
    pub const TokensPerDay: Metric = Metric::builtin(10);
    /// `gpu_hours_per_day`, GPU-h/day. Provisioned GPU-hours: `GPUs × 24`.
    pub const GpuHoursPerDay: Metric = Metric::builtin(11);
    /// `busy_gpu_hours_per_day`, GPU-h/day. GPU-hours spent serving: busy GPU-seconds ÷ 3600 (on
    /// the fleet path, NaN unless `utilization` is given).
    pub const BusyGpuHoursPerDay: Metric = Metric::builtin(12);
    /// `kg_co2_per_day`, kgCO2/day. Location-based emissions: `energy_kwh_per_day ×
    /// grid_kg_co2_per_kwh`.
    pub const KgCo2PerDay: Metric = Metric::builtin(13);
    /// `g_co2_per_query`, gCO2. `kg_co2_per_day × 1000 ÷ queries_per_day`.
    pub const GCo2PerQuery: Metric = Metric::builtin(14);
    /// `water_l_per_day`, L/day. On-site water: `energy_kwh_per_day ÷ pue × wue_l_per_kwh` (WUE is
    /// per kWh of IT energy).
    pub const WaterLPerDay: Metric = Metric::builtin(15);
    /// `training_usd_per_day`, USD/day. The model's training cost spread over its serving life:
    /// training USD ÷ `serving_lifetime_days` (0 when no training cost is given). Part of
    /// `daily_cost_usd` only with `include_training = true`.
    pub const TrainingUsdPerDay: Metric = Metric::builtin(16);
}

#[rustfmt::skip]
const INFO: [(&str, &str, &str); N_METRICS] = [
    ("daily_cost_usd", "USD/day", "compute + energy + other opex + line items (+ training if included) per day"),
    ("compute_cost_usd_per_day", "USD/day", "GPUs × 24 h × gpu_hour_usd (renting) or capex_usd_per_day (owning)"),
    ("energy_cost_usd_per_day", "USD/day", "energy_kwh_per_day × electricity_usd_per_kwh"),
    ("gpus", "GPUs", "provisioned GPUs, whole servers"),
    ("energy_kwh_per_day", "kWh/day", "GPUs × gpu_power_w × power_draw_fraction × pue × 24 h"),
    ("cost_per_query_usd", "USD", "daily_cost_usd ÷ queries_per_day"),
    ("cost_per_million_tokens_usd", "USD/Mtok", "daily_cost_usd ÷ (input + output tokens per day) × 1e6"),
    ("wh_per_query", "Wh", "energy_kwh_per_day × 1000 ÷ queries_per_day"),
    ("capex_usd_per_day", "USD/day", "owned GPUs: GPUs × gpu_capex_usd × annuity factor ÷ 365 (0 when renting)"),
    ("other_opex_usd_per_day", "USD/day", "other_opex_usd_per_day as drawn"),
    ("tokens_per_day", "tokens/day", "queries_per_day × (input + output tokens per query)"),
    ("gpu_hours_per_day", "GPU-h/day", "provisioned: GPUs × 24 h"),
    ("busy_gpu_hours_per_day", "GPU-h/day", "busy GPU-seconds ÷ 3600"),
    ("kg_co2_per_day", "kgCO2/day", "energy_kwh_per_day × grid_kg_co2_per_kwh"),
    ("g_co2_per_query", "gCO2", "kg_co2_per_day × 1000 ÷ queries_per_day"),
    ("water_l_per_day", "L/day", "energy_kwh_per_day ÷ pue × wue_l_per_kwh (on-site, per IT kWh)"),
    ("training_usd_per_day", "USD/day", "training USD ÷ serving_lifetime_days (0 without training inputs)"),
];

impl Metric {
    /// Every metric, in output order.
    pub const ALL: [Metric; N_METRICS] = [
        Metric::DailyCostUsd,
        Metric::ComputeCostUsdPerDay,
        Metric::EnergyCostUsdPerDay,
        Metric::Gpus,
        Metric::EnergyKwhPerDay,
        Metric::CostPerQueryUsd,
        Metric::CostPerMillionTokensUsd,
        Metric::WhPerQuery,
        Metric::CapexUsdPerDay,
        Metric::OtherOpexUsdPerDay,
        Metric::TokensPerDay,
        Metric::GpuHoursPerDay,
        Metric::BusyGpuHoursPerDay,
        Metric::KgCo2PerDay,
        Metric::GCo2PerQuery,
        Metric::WaterLPerDay,
        Metric::TrainingUsdPerDay,
    ];

    /// A built-in metric by its index in [`Metric::ALL`].
    const fn builtin(index: u16) -> Metric {
        Metric {
            slot: index,
            item: None,
        }
    }

    /// The USD per day of line item `item`, the `k`-th of its scenario
    /// (`k <` [`MAX_COST_ITEMS`]).
    pub fn item(k: usize, item: &'static CostItem) -> Metric {
        assert!(k < MAX_COST_ITEMS, "at most {MAX_COST_ITEMS} line items");
        Metric {
            slot: (N_METRICS + k) as u16,
            item: Some(item),
        }
    }

    /// The index of the metric in a row's outputs and in its scenario's metric columns.
    #[inline(always)]
    pub const fn index(self) -> usize {
        self.slot as usize
    }

    /// The line item this metric is the cost of, if it is one.
    pub fn cost_item(self) -> Option<&'static CostItem> {
        self.item
    }

    /// The name used in exports and on the command line, e.g. `daily_cost_usd`.
    pub fn name(self) -> &'static str {
        match self.item {
            None => INFO[self.index()].0,
            Some(item) => item.metric_name,
        }
    }

    /// The unit, e.g. `USD/day`.
    pub fn unit(self) -> &'static str {
        match self.item {
            None => INFO[self.index()].1,
            Some(_) => "USD/day",
        }
    }

    /// How a threshold or width of the metric may be written as text ([`crate::number`]):
    /// with a leading `$` when the metric is in USD.
    pub fn quantity(self) -> crate::number::Quantity {
        match self.unit().starts_with("USD") {
            true => crate::number::Quantity::Usd,
            false => crate::number::Quantity::Amount,
        }
    }

    /// How the metric is computed.
    pub fn meaning(self) -> &'static str {
        match self.item {
            None => INFO[self.index()].2,
            Some(item) => item.meaning,
        }
    }

    /// Whether the metric is a part of `daily_cost_usd` in USD/day that the breakdown lists:
    /// compute, energy, other opex, training (when included) and every line item.
    pub fn is_cost_component(self) -> bool {
        self.item.is_some()
            || matches!(
                self,
                Metric::ComputeCostUsdPerDay
                    | Metric::EnergyCostUsdPerDay
                    | Metric::OtherOpexUsdPerDay
                    | Metric::TrainingUsdPerDay
            )
    }

    /// Whether the metric takes only whole values (whole GPUs, whole GPU-days), so that its
    /// percentiles are read as values it can take (Hyndman–Fan type 1).
    pub fn whole_valued(self) -> bool {
        matches!(self, Metric::Gpus | Metric::GpuHoursPerDay)
    }

    /// Looks a built-in metric up by name (a line item's metric is looked up in its scenario).
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|metric| metric.name() == name)
    }
}

impl Metric {
    /// Looks a metric up by name: a built-in metric, or the metric of a line item,
    /// `cost_<item>_usd_per_day`, before any scenario is read (an option such as `--exceed`
    /// names it). Such a metric stands for the item of that name in each scenario: compare it
    /// by name, and check that the scenario has it (`Scenario::metric_named`, a layer above).
    pub fn from_name_or_item(name: &str) -> Option<Metric> {
        if let Some(metric) = Metric::from_name(name) {
            return Some(metric);
        }
        let item = name.strip_prefix("cost_")?.strip_suffix("_usd_per_day")?;
        super::costs::is_valid_item_name(item)
            .then(|| Metric::item(0, CostItem::intern(item, super::costs::Per::Day)))
    }
}

impl std::fmt::Debug for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Metric {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_enum_order() {
        for (index, metric) in Metric::ALL.into_iter().enumerate() {
            assert_eq!(metric.index(), index);
            assert_eq!(Metric::from_name(metric.name()), Some(metric));
        }
    }
}
