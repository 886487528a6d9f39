//! The model's output metrics: names and units.

use serde::Serialize;

/// Number of output metrics.
pub const N_METRICS: usize = 8;

/// One output metric. `Metric as usize` indexes output rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    DailyCostUsd,
    ComputeCostUsdPerDay,
    EnergyCostUsdPerDay,
    Gpus,
    EnergyKwhPerDay,
    CostPerQueryUsd,
    CostPerMillionTokensUsd,
    WhPerQuery,
}

#[rustfmt::skip]
const INFO: [(&str, &str, &str); N_METRICS] = [
    ("daily_cost_usd", "USD/day", "compute + energy cost per day"),
    ("compute_cost_usd_per_day", "USD/day", "GPUs × 24 h × gpu_hour_usd"),
    ("energy_cost_usd_per_day", "USD/day", "energy_kwh_per_day × electricity_usd_per_kwh"),
    ("gpus", "GPUs", "provisioned GPUs, whole servers"),
    ("energy_kwh_per_day", "kWh/day", "GPUs × gpu_power_w × power_draw_fraction × pue × 24 h"),
    ("cost_per_query_usd", "USD", "daily_cost_usd ÷ queries_per_day"),
    ("cost_per_million_tokens_usd", "USD/Mtok", "daily_cost_usd ÷ (input + output tokens per day) × 1e6"),
    ("wh_per_query", "Wh", "energy_kwh_per_day × 1000 ÷ queries_per_day"),
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
    ];

    /// The name used in exports and on the command line, e.g. `daily_cost_usd`.
    pub fn name(self) -> &'static str {
        INFO[self as usize].0
    }

    /// The unit, e.g. `USD/day`.
    pub fn unit(self) -> &'static str {
        INFO[self as usize].1
    }

    /// How the metric is computed.
    pub fn meaning(self) -> &'static str {
        INFO[self as usize].2
    }

    /// Looks a metric up by name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|metric| metric.name() == name)
    }
}
