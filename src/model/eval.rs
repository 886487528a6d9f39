//! One row through the whole [`Model`]: fraction checks, busy time on the model's path, the
//! fleet, its price, energy, other running costs, carbon and water.

use super::roofline::{self, Roofline};
use super::{
    Feasibility, Input, InputDefault, Metric, OnInfeasible, Outputs, Path, Price, Provisioning,
    Row, EXTRA_INPUTS, N_METRICS, SECONDS_PER_DAY,
};
use serde::Serialize;

/// The intermediate quantities of one evaluation, for `explain` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Breakdown {
    pub tokens_per_day: f64,
    pub busy_gpu_seconds_per_day: f64,
    /// Busy GPU-seconds ÷ (86 400 × utilization), or × peak_to_average ÷ (86 400 ×
    /// target_utilization), before rounding.
    pub gpus_exact: f64,
    pub gpus: f64,
    /// Rental, or amortized capex when owned.
    pub compute_cost_usd_per_day: f64,
    /// Amortized capex when owned, else 0.
    pub capex_usd_per_day: f64,
    pub energy_kwh_per_day: f64,
    pub energy_cost_usd_per_day: f64,
    pub other_opex_usd_per_day: f64,
    pub daily_cost_usd: f64,
    pub gpu_hours_per_day: f64,
    pub busy_gpu_hours_per_day: f64,
    pub kg_co2_per_day: f64,
    pub water_l_per_day: f64,
    pub status: Feasibility,
}

/// The metrics of one row and whether the row was feasible.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// In [`Metric`] order; all NaN when the row is rejected.
    pub outputs: Outputs,
    pub status: Feasibility,
}

/// The whole model: a path to busy time, a provisioning rule, a price rule and what to do
/// with impossible rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Model {
    pub path: Path,
    pub provisioning: Provisioning,
    pub price: Price,
    pub on_infeasible: OnInfeasible,
}

impl Model {
    /// The foundation's model on `path`: average provisioning (the fleet path's busy time
    /// unknown), rental price, rejection of impossible rows.
    pub fn foundation(path: Path) -> Model {
        Model {
            path,
            provisioning: match path {
                Path::Fleet => Provisioning::Given { utilization: false },
                _ => Provisioning::Average,
            },
            price: Price::Rental,
            on_infeasible: OnInfeasible::Reject,
        }
    }

    /// Every input the model reads, in stream order.
    pub fn inputs(&self) -> Vec<Input> {
        let mut used: Vec<Input> = self
            .path
            .inputs()
            .into_iter()
            .filter(|input| !matches!(input, Input::Utilization | Input::GpuHourUsd))
            .collect();
        match self.provisioning {
            Provisioning::Average | Provisioning::Given { utilization: true } => {
                used.push(Input::Utilization)
            }
            Provisioning::Peak => {
                used.extend([Input::PeakToAverage, Input::TargetUtilization]);
            }
            Provisioning::Given { utilization: false } => {}
        }
        match self.price {
            Price::Rental => used.push(Input::GpuHourUsd),
            Price::Owned => used.extend([
                Input::GpuCapexUsd,
                Input::AmortizationYears,
                Input::CostOfCapital,
            ]),
        }
        used.extend(EXTRA_INPUTS);
        used.sort_unstable();
        used.dedup();
        used
    }

    /// The fractions this model reads, each of which must lie in (0, 1].
    fn fractions(&self) -> &'static [Input] {
        use Input::{Mbu, Mfu, PrefillMfu, TargetUtilization, Utilization};
        let peak = self.provisioning == Provisioning::Peak;
        match self.path {
            Path::Flops if peak => &[Mfu, PrefillMfu, TargetUtilization],
            Path::Flops => &[Mfu, PrefillMfu, Utilization],
            Path::Roofline { .. } if peak => &[Mfu, PrefillMfu, Mbu, TargetUtilization],
            Path::Roofline { .. } => &[Mfu, PrefillMfu, Mbu, Utilization],
            Path::Throughput { .. } if peak => &[TargetUtilization],
            Path::Throughput { .. } => &[Utilization],
            Path::Fleet if self.provisioning == (Provisioning::Given { utilization: true }) => {
                &[Utilization]
            }
            Path::Fleet => &[],
        }
    }

    /// `x` with every fraction the model reads checked: kept in (0, 1], clamped from above 1
    /// when the rule says so, else the row is rejected.
    #[inline]
    fn checked(&self, x: &Row) -> (Row, Feasibility) {
        let mut y = *x;
        let mut status = Feasibility::Feasible;
        for input in self.fractions() {
            let value = &mut y[*input as usize];
            if *value > 0.0 && *value <= 1.0 {
                continue;
            }
            if *value > 1.0 && self.on_infeasible == OnInfeasible::Clamp {
                *value = 1.0;
                status = status.max(Feasibility::Clamped);
            } else {
                status = Feasibility::Rejected;
            }
        }
        if self.provisioning == Provisioning::Peak {
            let ratio = &mut y[Input::PeakToAverage as usize];
            if !(*ratio >= 1.0) {
                status = Feasibility::Rejected;
            }
        }
        (y, status)
    }

    /// The roofline terms of `x` (after the fraction checks), on the roofline path.
    pub fn roofline(&self, x: &Row) -> Option<Roofline> {
        let Path::Roofline {
            moe,
            kv_given,
            replica_given,
        } = self.path
        else {
            return None;
        };
        let (y, status) = self.checked(x);
        let mut r = roofline::roofline(&y, moe, kv_given, replica_given, self.on_infeasible);
        r.status = r.status.max(status);
        Some(r)
    }

    /// Busy GPU-seconds per day, the GPUs per replica (1 off the roofline path) and the row's
    /// feasibility, from a checked row.
    #[inline]
    fn busy(&self, y: &Row) -> (f64, f64, Feasibility) {
        let v = |input: Input| y[input as usize];
        let queries = v(Input::QueriesPerDay);
        let input_tokens = v(Input::InputTokensPerQuery);
        let output_tokens = v(Input::OutputTokensPerQuery);
        let feasible = Feasibility::Feasible;
        match self.path {
            Path::Fleet => {
                let utilization = match self.provisioning {
                    Provisioning::Given { utilization: true } => v(Input::Utilization),
                    _ => f64::NAN,
                };
                (
                    v(Input::FleetGpus) * SECONDS_PER_DAY * utilization,
                    1.0,
                    feasible,
                )
            }
            Path::Throughput { prompt_rate } => {
                let prompt = if prompt_rate {
                    input_tokens / v(Input::InputTokensPerGpuS)
                } else {
                    0.0
                };
                let per_query = output_tokens / v(Input::OutputTokensPerGpuS) + prompt;
                (queries * per_query, 1.0, feasible)
            }
            Path::Flops => {
                let flop_per_token = 2.0 * v(Input::ActiveParamsB) * 1e9;
                let peak_flop_s = v(Input::PeakTflops) * 1e12;
                let prefill = input_tokens / (peak_flop_s * v(Input::PrefillMfu));
                let decode = output_tokens / (peak_flop_s * v(Input::Mfu));
                (queries * flop_per_token * (prefill + decode), 1.0, feasible)
            }
            Path::Roofline {
                moe,
                kv_given,
                replica_given,
            } => {
                let r = roofline::roofline(y, moe, kv_given, replica_given, self.on_infeasible);
                let per_query = output_tokens * r.decode_gpu_s_per_token
                    + input_tokens * r.prefill_gpu_s_per_token;
                (queries * per_query, r.gpus_per_replica, r.status)
            }
        }
    }

    /// Evaluates the model on one row, returning every intermediate quantity.
    #[inline]
    pub fn breakdown(&self, x: &Row) -> Breakdown {
        let (y, checked) = self.checked(x);
        let v = |input: Input| y[input as usize];
        let (busy, replica, status) = self.busy(&y);
        let status = status.max(checked);
        let per_server = v(Input::GpusPerServer);
        let gpus_exact = match self.provisioning {
            Provisioning::Average => busy / (SECONDS_PER_DAY * v(Input::Utilization)),
            Provisioning::Peak => {
                busy * v(Input::PeakToAverage) / (SECONDS_PER_DAY * v(Input::TargetUtilization))
            }
            Provisioning::Given { .. } => v(Input::FleetGpus),
        };
        let gpus = match self.path {
            // Whole replicas, packed into whole servers.
            Path::Roofline { .. } if !matches!(self.provisioning, Provisioning::Given { .. }) => {
                let replicas = (gpus_exact / replica).ceil();
                (replicas * replica / per_server).ceil() * per_server
            }
            _ => (gpus_exact / per_server).ceil() * per_server,
        };
        let capex = match self.price {
            Price::Rental => 0.0,
            Price::Owned => gpus * capex_usd_per_gpu_day(&y),
        };
        let compute = match self.price {
            Price::Rental => gpus * 24.0 * v(Input::GpuHourUsd),
            Price::Owned => capex,
        };
        let energy_kwh =
            gpus * v(Input::GpuPowerW) * v(Input::PowerDrawFraction) * v(Input::Pue) * 24.0
                / 1000.0;
        let energy_cost = energy_kwh * v(Input::ElectricityUsdPerKwh);
        let other = v(Input::OtherOpexUsdPerDay);
        let queries = v(Input::QueriesPerDay);
        Breakdown {
            tokens_per_day: queries
                * (v(Input::InputTokensPerQuery) + v(Input::OutputTokensPerQuery)),
            busy_gpu_seconds_per_day: busy,
            gpus_exact,
            gpus,
            compute_cost_usd_per_day: compute,
            capex_usd_per_day: capex,
            energy_kwh_per_day: energy_kwh,
            energy_cost_usd_per_day: energy_cost,
            other_opex_usd_per_day: other,
            daily_cost_usd: compute + energy_cost + other,
            gpu_hours_per_day: gpus * 24.0,
            busy_gpu_hours_per_day: busy / 3600.0,
            kg_co2_per_day: v(Input::GridKgCo2PerKwh) * energy_kwh,
            // As `(wue / pue) × kWh`, so that a scenario with both constant can derive it
            // bit-identically from energy_kwh_per_day (see `Derived`).
            water_l_per_day: (v(Input::WueLPerKwh) / v(Input::Pue)) * energy_kwh,
            status,
        }
    }

    /// Evaluates the model on one row: the metrics in [`Metric`] order (all NaN when the row
    /// is rejected) and the row's feasibility.
    #[inline]
    pub fn evaluate(&self, x: &Row) -> Evaluation {
        let b = self.breakdown(x);
        if b.status == Feasibility::Rejected {
            return Evaluation {
                outputs: [f64::NAN; N_METRICS],
                status: b.status,
            };
        }
        let queries = x[Input::QueriesPerDay as usize];
        let mut out = [0.0; N_METRICS];
        out[Metric::DailyCostUsd as usize] = b.daily_cost_usd;
        out[Metric::ComputeCostUsdPerDay as usize] = b.compute_cost_usd_per_day;
        out[Metric::EnergyCostUsdPerDay as usize] = b.energy_cost_usd_per_day;
        out[Metric::Gpus as usize] = b.gpus;
        out[Metric::EnergyKwhPerDay as usize] = b.energy_kwh_per_day;
        out[Metric::CostPerQueryUsd as usize] = b.daily_cost_usd / queries;
        out[Metric::CostPerMillionTokensUsd as usize] = b.daily_cost_usd / b.tokens_per_day * 1e6;
        let wh_per_query = b.energy_kwh_per_day * 1000.0 / queries;
        out[Metric::WhPerQuery as usize] = wh_per_query;
        out[Metric::CapexUsdPerDay as usize] = b.capex_usd_per_day;
        out[Metric::OtherOpexUsdPerDay as usize] = b.other_opex_usd_per_day;
        out[Metric::TokensPerDay as usize] = b.tokens_per_day;
        out[Metric::GpuHoursPerDay as usize] = 24.0 * b.gpus;
        out[Metric::BusyGpuHoursPerDay as usize] = b.busy_gpu_hours_per_day;
        out[Metric::KgCo2PerDay as usize] = b.kg_co2_per_day;
        out[Metric::GCo2PerQuery as usize] = x[Input::GridKgCo2PerKwh as usize] * wh_per_query;
        out[Metric::WaterLPerDay as usize] = b.water_l_per_day;
        Evaluation {
            outputs: out,
            status: b.status,
        }
    }

    /// `x` with every input this model reads that is NaN and has a constant default set to
    /// that default: lets a caller give only the inputs that matter to it.
    pub fn with_defaults(&self, x: &Row) -> Row {
        let mut y = *x;
        for input in self.inputs() {
            if let InputDefault::Value(value) = input.info().default {
                if y[input as usize].is_nan() {
                    y[input as usize] = value;
                }
            }
        }
        y
    }
}

/// The annuity that pays off one GPU's capex over `amortization_years` at `cost_of_capital`,
/// per day: `capex × r ÷ (1 − (1 + r)^−years) ÷ 365`, or `capex ÷ years ÷ 365` when `r = 0`.
#[inline]
pub fn capex_usd_per_gpu_day(x: &Row) -> f64 {
    let capex = x[Input::GpuCapexUsd as usize];
    let years = x[Input::AmortizationYears as usize];
    let rate = x[Input::CostOfCapital as usize];
    let per_year = if rate == 0.0 {
        capex / years
    } else {
        capex * rate / (1.0 - (1.0 + rate).powf(-years))
    };
    per_year / 365.0
}
