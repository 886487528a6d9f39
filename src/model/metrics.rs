//! The model's output metrics: names and units.
//!
//! The order of [`Metric::ALL`] is the column order of every export; new metrics are appended.

use serde::Serialize;

/// Number of output metrics.
pub const N_METRICS: usize = 17;

/// One output metric. `Metric as usize` indexes output rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// `daily_cost_usd`, USD/day. Compute, energy and other running costs of one day:
    /// `compute_cost_usd_per_day + energy_cost_usd_per_day + other_opex_usd_per_day`, plus
    /// `training_usd_per_day` when the scenario sets `include_training = true`.
    DailyCostUsd,
    /// `compute_cost_usd_per_day`, USD/day. What the GPUs cost per day:
    /// `GPUs × 24 × gpu_hour_usd` when renting, `capex_usd_per_day` when owning.
    ComputeCostUsdPerDay,
    /// `energy_cost_usd_per_day`, USD/day. Electricity per day:
    /// `energy_kwh_per_day × electricity_usd_per_kwh`.
    EnergyCostUsdPerDay,
    /// `gpus`, GPUs. Provisioned GPUs: busy GPU-seconds ÷ (86 400 × `utilization`), or sized for
    /// the busiest hour, or `fleet_gpus` on the fleet path; rounded up to whole replicas (roofline
    /// path) and whole servers.
    Gpus,
    /// `energy_kwh_per_day`, kWh/day. Facility energy per day, every provisioned GPU at its average
    /// draw: `GPUs × gpu_power_w × power_draw_fraction × pue × 24 ÷ 1000`.
    EnergyKwhPerDay,
    /// `cost_per_query_usd`, USD. `daily_cost_usd ÷ queries_per_day`.
    CostPerQueryUsd,
    /// `cost_per_million_tokens_usd`, USD/Mtok. `daily_cost_usd ÷ tokens_per_day × 10⁶`, prompt
    /// and generated tokens together.
    CostPerMillionTokensUsd,
    /// `wh_per_query`, Wh. Facility energy per query:
    /// `energy_kwh_per_day × 1000 ÷ queries_per_day`.
    WhPerQuery,
    /// `capex_usd_per_day`, USD/day. Owned GPUs paid off as an annuity:
    /// `GPUs × gpu_capex_usd × r ÷ (1 − (1 + r)^−n) ÷ 365` with `r = cost_of_capital` and
    /// `n = amortization_years`; 0 when renting.
    CapexUsdPerDay,
    /// `other_opex_usd_per_day`, USD/day. The `other_opex_usd_per_day` input as drawn.
    OtherOpexUsdPerDay,
    /// `tokens_per_day`, tokens/day. Prompt and generated tokens per day:
    /// `queries_per_day × (input_tokens_per_query + output_tokens_per_query)`.
    TokensPerDay,
    /// `gpu_hours_per_day`, GPU-h/day. Provisioned GPU-hours: `GPUs × 24`.
    GpuHoursPerDay,
    /// `busy_gpu_hours_per_day`, GPU-h/day. GPU-hours spent serving: busy GPU-seconds ÷ 3600 (on
    /// the fleet path, NaN unless `utilization` is given).
    BusyGpuHoursPerDay,
    /// `kg_co2_per_day`, kgCO2/day. Location-based emissions: `energy_kwh_per_day ×
    /// grid_kg_co2_per_kwh`.
    KgCo2PerDay,
    /// `g_co2_per_query`, gCO2. `kg_co2_per_day × 1000 ÷ queries_per_day`.
    GCo2PerQuery,
    /// `water_l_per_day`, L/day. On-site water: `energy_kwh_per_day ÷ pue × wue_l_per_kwh` (WUE is
    /// per kWh of IT energy).
    WaterLPerDay,
    /// `training_usd_per_day`, USD/day. The model's training cost spread over its serving life:
    /// training USD ÷ `serving_lifetime_days` (0 when no training cost is given). Part of
    /// `daily_cost_usd` only with `include_training = true`.
    TrainingUsdPerDay,
}

#[rustfmt::skip]
const INFO: [(&str, &str, &str); N_METRICS] = [
    ("daily_cost_usd", "USD/day", "compute + energy + other opex (+ training if included) per day"),
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

    /// The name used in exports and on the command line, e.g. `daily_cost_usd`.
    pub fn name(self) -> &'static str {
        INFO[self as usize].0
    }

    /// The unit, e.g. `USD/day`.
    pub fn unit(self) -> &'static str {
        INFO[self as usize].1
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
        INFO[self as usize].2
    }

    /// Whether the metric takes only whole values (whole GPUs, whole GPU-days), so that its
    /// percentiles are read as values it can take (Hyndman–Fan type 1).
    pub fn whole_valued(self) -> bool {
        matches!(self, Metric::Gpus | Metric::GpuHoursPerDay)
    }

    /// Looks a metric up by name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|metric| metric.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_enum_order() {
        for (index, metric) in Metric::ALL.into_iter().enumerate() {
            assert_eq!(metric as usize, index);
            assert_eq!(Metric::from_name(metric.name()), Some(metric));
        }
    }
}
