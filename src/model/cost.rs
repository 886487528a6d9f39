//! What the fleet costs per day: the GPUs' rental or amortized purchase ([`Price`]), energy at
//! the wall and other running costs; cost and energy per query and per token; carbon and
//! water. Each quantity is recorded as a step as it is computed.

use super::eval::Breakdown;
use super::steps::{Recorder, Section};
use super::{Input, Metric, Model, Price, Row};

impl Model {
    /// Fills the cost, energy, carbon and water quantities of `b` from its GPUs and tokens, on
    /// a checked row.
    #[inline]
    pub(super) fn cost<R: Recorder>(&self, y: &Row, b: &mut Breakdown, steps: &mut R) {
        steps.section(Section::Cost);
        self.gpu_cost(y, b, steps);
        running_cost(y, b, self.include_training, steps);
        steps.section(Section::CarbonAndWater);
        carbon_and_water(y, b, steps);
    }

    /// The GPUs' cost per day: rental, or the amortized purchase when owned.
    #[inline]
    fn gpu_cost<R: Recorder>(&self, y: &Row, b: &mut Breakdown, steps: &mut R) {
        match self.price {
            Price::Rental => {
                b.capex_usd_per_day = 0.0;
                b.compute_cost_usd_per_day = b.gpus * 24.0 * y[Input::GpuHourUsd as usize];
                steps.metric(
                    &[Metric::ComputeCostUsdPerDay],
                    "compute USD/day",
                    "GPUs × 24 h × gpu_hour_usd",
                    b.compute_cost_usd_per_day,
                );
            }
            Price::Owned => {
                let per_gpu = capex_usd_per_gpu_day(y, steps);
                steps.aside("GPU-hour equivalent USD", "capex USD/GPU/day ÷ 24", || {
                    per_gpu / 24.0
                });
                b.capex_usd_per_day = b.gpus * per_gpu;
                b.compute_cost_usd_per_day = b.capex_usd_per_day;
                steps.metric(
                    &[Metric::ComputeCostUsdPerDay, Metric::CapexUsdPerDay],
                    "compute USD/day",
                    "GPUs × capex USD/GPU/day (capex_usd_per_day)",
                    b.compute_cost_usd_per_day,
                );
            }
        }
    }
}

/// Energy and other running costs, the daily total (with training when included, which must
/// be computed before), and cost and energy per query and token.
#[inline]
fn running_cost<R: Recorder>(y: &Row, b: &mut Breakdown, include_training: bool, steps: &mut R) {
    let v = |input: Input| y[input as usize];
    let queries = v(Input::QueriesPerDay);
    b.energy_kwh_per_day =
        b.gpus * v(Input::GpuPowerW) * v(Input::PowerDrawFraction) * v(Input::Pue) * 24.0 / 1000.0;
    steps.metric(
        &[Metric::EnergyKwhPerDay],
        "energy kWh/day",
        "GPUs × gpu_power_w × power_draw_fraction × pue × 24 h ÷ 1000",
        b.energy_kwh_per_day,
    );
    b.energy_cost_usd_per_day = b.energy_kwh_per_day * v(Input::ElectricityUsdPerKwh);
    steps.metric(
        &[Metric::EnergyCostUsdPerDay],
        "energy USD/day",
        "kWh/day × electricity_usd_per_kwh",
        b.energy_cost_usd_per_day,
    );
    b.other_opex_usd_per_day = v(Input::OtherOpexUsdPerDay);
    steps.metric(
        &[Metric::OtherOpexUsdPerDay],
        "other opex USD/day",
        "other_opex_usd_per_day",
        b.other_opex_usd_per_day,
    );
    b.daily_cost_usd =
        b.compute_cost_usd_per_day + b.energy_cost_usd_per_day + b.other_opex_usd_per_day;
    if include_training {
        b.daily_cost_usd += b.training_usd_per_day;
    }
    steps.metric(
        &[Metric::DailyCostUsd],
        "daily_cost_usd",
        match include_training {
            true => "compute + energy + other opex + training (include_training = true)",
            false => "compute + energy + other opex",
        },
        b.daily_cost_usd,
    );
    b.cost_per_query_usd = b.daily_cost_usd / queries;
    steps.metric(
        &[Metric::CostPerQueryUsd],
        "cost_per_query_usd",
        "daily cost ÷ queries_per_day",
        b.cost_per_query_usd,
    );
    b.cost_per_million_tokens_usd = b.daily_cost_usd / b.tokens_per_day * 1e6;
    steps.metric(
        &[Metric::CostPerMillionTokensUsd],
        "cost_per_million_tokens_usd",
        "daily cost ÷ tokens/day × 1e6",
        b.cost_per_million_tokens_usd,
    );
    b.wh_per_query = b.energy_kwh_per_day * 1000.0 / queries;
    steps.metric(
        &[Metric::WhPerQuery],
        "wh_per_query",
        "kWh/day × 1000 ÷ queries_per_day",
        b.wh_per_query,
    );
}

/// Carbon from energy at the grid's intensity; water from IT energy (before PUE).
#[inline]
fn carbon_and_water<R: Recorder>(y: &Row, b: &mut Breakdown, steps: &mut R) {
    let v = |input: Input| y[input as usize];
    let grid = v(Input::GridKgCo2PerKwh);
    b.kg_co2_per_day = grid * b.energy_kwh_per_day;
    steps.metric(
        &[Metric::KgCo2PerDay],
        "kg_co2_per_day",
        "kWh/day × grid_kg_co2_per_kwh",
        b.kg_co2_per_day,
    );
    b.g_co2_per_query = grid * b.wh_per_query;
    steps.metric(
        &[Metric::GCo2PerQuery],
        "g_co2_per_query",
        "Wh/query × grid_kg_co2_per_kwh",
        b.g_co2_per_query,
    );
    // As `(wue / pue) × kWh`, so that a scenario with both constant can derive it
    // bit-identically from energy_kwh_per_day (see `Derived`).
    b.water_l_per_day = (v(Input::WueLPerKwh) / v(Input::Pue)) * b.energy_kwh_per_day;
    steps.metric(
        &[Metric::WaterLPerDay],
        "water_l_per_day",
        "kWh/day ÷ pue × wue_l_per_kwh (IT energy × on-site water use)",
        b.water_l_per_day,
    );
}

/// Below this cost of capital the annuity is its series in r.
const SERIES_BELOW_RATE: f64 = 1e-9;

/// The annuity that pays off one GPU's capex over `amortization_years` at `cost_of_capital`,
/// per day: `capex × r ÷ (1 − (1 + r)^−years) ÷ 365`, or `capex ÷ years ÷ 365` when `r = 0`.
/// The denominator is computed as `−expm1(−years × ln1p(r))`, exact to rounding for every
/// `r > 0`; below `r = 1e-9` the series `capex ÷ years × (1 + r (years + 1) ÷ 2)` (relative
/// error below `r² years²`) keeps it continuous with the straight line at `r = 0`.
#[inline]
pub(super) fn capex_usd_per_gpu_day<R: Recorder>(x: &Row, steps: &mut R) -> f64 {
    let capex = x[Input::GpuCapexUsd as usize];
    let years = x[Input::AmortizationYears as usize];
    let rate = x[Input::CostOfCapital as usize];
    let (per_year, formula) = if rate == 0.0 {
        (
            capex / years,
            "gpu_capex_usd ÷ amortization_years ÷ 365 (straight line)",
        )
    } else if rate.abs() < SERIES_BELOW_RATE {
        (
            capex / years * (1.0 + rate * (years + 1.0) / 2.0),
            "gpu_capex_usd ÷ amortization_years × (1 + r (amortization_years + 1) ÷ 2) ÷ 365, r = cost_of_capital (annuity near r = 0)",
        )
    } else {
        (
            capex * rate / -(-years * rate.ln_1p()).exp_m1(),
            "gpu_capex_usd × r ÷ (1 − (1 + r)^−amortization_years) ÷ 365, r = cost_of_capital",
        )
    };
    let per_day = per_year / 365.0;
    steps.step("capex USD/GPU/day", formula, per_day);
    per_day
}
