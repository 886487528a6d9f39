//! What the fleet costs per day: the GPUs' rental or amortized purchase ([`Price`]), energy at
//! the wall and other running costs; cost and energy per query and per token; carbon and
//! water. Each quantity is recorded as a step as it is computed.

use super::costs::Quantities;
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
        energy_and_other(y, b, steps);
        self.line_items(y, b, steps);
        let items_usd_per_day = (!self.items.is_empty()).then_some(b.items_usd_per_day);
        totals(y, b, items_usd_per_day, self.include_training, steps);
        steps.section(Section::CarbonAndWater);
        carbon_and_water(y, b, steps);
    }

    /// The GPUs' cost per day: rental, or the amortized purchase when owned.
    #[inline]
    fn gpu_cost<R: Recorder>(&self, y: &Row, b: &mut Breakdown, steps: &mut R) {
        match self.price {
            Price::Rental => {
                b.capex_usd_per_day = 0.0;
                b.compute_cost_usd_per_day = b.gpus * 24.0 * y[Input::GpuHourUsd.index()];
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

/// Energy and the other running costs given as one amount.
#[inline]
fn energy_and_other<R: Recorder>(y: &Row, b: &mut Breakdown, steps: &mut R) {
    let v = |input: Input| y[input.index()];
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
}

/// The daily total (line items summed before, training when included computed before), and
/// cost and energy per query and token.
#[inline]
fn totals<R: Recorder>(
    y: &Row,
    b: &mut Breakdown,
    items_usd_per_day: Option<f64>,
    include_training: bool,
    steps: &mut R,
) {
    let queries = y[Input::QueriesPerDay.index()];
    let has_items = items_usd_per_day.is_some();
    b.daily_cost_usd =
        b.compute_cost_usd_per_day + b.energy_cost_usd_per_day + b.other_opex_usd_per_day;
    if let Some(items) = items_usd_per_day {
        b.daily_cost_usd += items;
    }
    if include_training {
        b.daily_cost_usd += b.training_usd_per_day;
    }
    steps.metric(
        &[Metric::DailyCostUsd],
        "daily_cost_usd",
        match (include_training, has_items) {
            (true, false) => "compute + energy + other opex + training (include_training = true)",
            (false, false) => "compute + energy + other opex",
            (true, true) => {
                "compute + energy + other opex + line items + training (include_training = true)"
            }
            (false, true) => "compute + energy + other opex + line items",
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
    let v = |input: Input| y[input.index()];
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
    let capex = x[Input::GpuCapexUsd.index()];
    let years = x[Input::AmortizationYears.index()];
    let rate = x[Input::CostOfCapital.index()];
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

impl Model {
    /// Each line item's USD per day, recorded, and their sum: its rate times the quantity its
    /// `per` names, all of this sample (after the fleet, its price and its energy are known).
    #[inline]
    fn line_items<R: Recorder>(&self, y: &Row, b: &mut Breakdown, steps: &mut R) {
        b.items_usd_per_day = 0.0;
        if self.items.is_empty() {
            return;
        }
        let quantities = quantities(y, b);
        for (input, metric) in self.items.inputs().zip(self.items.metrics()) {
            let item = input.cost_item().expect("a line item's input");
            let usd_per_day = quantities.usd_per_day(item.per, y[input.index()]);
            b.items_usd_per_day += usd_per_day;
            steps.record(item.metric_name, &[metric], || {
                (std::borrow::Cow::Borrowed(item.per.formula()), usd_per_day)
            });
        }
    }

    /// Each line item's USD per day in row `x` whose quantities are `b`: the values
    /// [`Model::line_items`] computed (the rates and the quantities they multiply are not
    /// changed by the fraction checks), written into `out` in order.
    #[inline]
    pub(super) fn item_outputs(&self, x: &Row, b: &Breakdown, out: &mut [f64]) {
        if self.items.is_empty() {
            return;
        }
        let quantities = quantities(x, b);
        for (slot, input) in out.iter_mut().zip(self.items.inputs()) {
            let item = input.cost_item().expect("a line item's input");
            *slot = quantities.usd_per_day(item.per, x[input.index()]);
        }
    }
}

/// The quantities of row `y` (with its breakdown `b`) that line items' rates multiply.
#[inline]
fn quantities(y: &Row, b: &Breakdown) -> Quantities {
    Quantities {
        queries_per_day: y[Input::QueriesPerDay.index()],
        tokens_per_day: b.tokens_per_day,
        gpus: b.gpus,
        gpus_per_server: y[Input::GpusPerServer.index()],
        gpu_hours_per_day: b.gpu_hours_per_day,
        energy_kwh_per_day: b.energy_kwh_per_day,
        compute_cost_usd_per_day: b.compute_cost_usd_per_day,
        capex_usd_per_day: b.capex_usd_per_day,
    }
}
