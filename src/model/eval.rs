//! One row through the whole [`Model`]: fraction checks, busy time on the model's path
//! (`busy.rs`), the fleet (`fleet.rs`), its price, energy, other running costs, carbon and
//! water (`cost.rs`). One computation, [`Model::compute`], serves both [`Model::evaluate`]
//! (the engine's, recording nothing) and [`Model::explain`] (recording every step).

use super::costs::CostItems;
use super::roofline::{self, Roofline};
use super::steps::{Explanation, Recorder, Section, StepList};
use super::{
    Feasibility, Input, InputDefault, Metric, OnInfeasible, Outputs, Path, Price, Provisioning,
    Row, Training, EXTRA_INPUTS, N_METRICS, OUTPUTS_LEN,
};
use serde::Serialize;

/// Every quantity of one evaluation, computed even for a rejected row (whose metrics
/// [`Model::evaluate`] then reports as NaN). The metrics' fields are named after them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Breakdown {
    pub(super) tokens_per_day: f64,
    pub(super) busy_gpu_seconds_per_day: f64,
    /// GPUs per model replica: the roofline path's fleet is whole replicas; 1 off it.
    pub(super) gpus_per_replica: f64,
    /// Busy GPU-seconds ÷ (86 400 × utilization), or × peak_to_average ÷ (86 400 ×
    /// target_utilization), or the given fleet, before rounding.
    pub(super) gpus_exact: f64,
    pub(super) gpus: f64,
    pub(super) gpu_hours_per_day: f64,
    pub(super) busy_gpu_hours_per_day: f64,
    /// Rental, or amortized capex when owned.
    pub(super) compute_cost_usd_per_day: f64,
    /// Amortized capex when owned, else 0.
    pub(super) capex_usd_per_day: f64,
    pub(super) energy_kwh_per_day: f64,
    pub(super) energy_cost_usd_per_day: f64,
    pub(super) other_opex_usd_per_day: f64,
    pub(super) daily_cost_usd: f64,
    pub(super) cost_per_query_usd: f64,
    pub(super) cost_per_million_tokens_usd: f64,
    pub(super) wh_per_query: f64,
    pub(super) kg_co2_per_day: f64,
    pub(super) g_co2_per_query: f64,
    pub(super) water_l_per_day: f64,
    pub(super) training_usd_per_day: f64,
    /// The line items' USD per day, summed in the scenario's order (0 without items).
    pub(super) items_usd_per_day: f64,
    pub(super) status: Feasibility,
}

impl Breakdown {
    /// Before the first stage: every quantity unknown.
    const UNSET: Breakdown = Breakdown {
        tokens_per_day: f64::NAN,
        busy_gpu_seconds_per_day: f64::NAN,
        gpus_per_replica: f64::NAN,
        gpus_exact: f64::NAN,
        gpus: f64::NAN,
        gpu_hours_per_day: f64::NAN,
        busy_gpu_hours_per_day: f64::NAN,
        compute_cost_usd_per_day: f64::NAN,
        capex_usd_per_day: f64::NAN,
        energy_kwh_per_day: f64::NAN,
        energy_cost_usd_per_day: f64::NAN,
        other_opex_usd_per_day: f64::NAN,
        daily_cost_usd: f64::NAN,
        cost_per_query_usd: f64::NAN,
        cost_per_million_tokens_usd: f64::NAN,
        wh_per_query: f64::NAN,
        kg_co2_per_day: f64::NAN,
        g_co2_per_query: f64::NAN,
        water_l_per_day: f64::NAN,
        training_usd_per_day: f64::NAN,
        items_usd_per_day: 0.0,
        status: Feasibility::Feasible,
    };

    /// The metrics, in [`Metric`] order.
    #[inline]
    fn write_outputs(&self, out: &mut Outputs) {
        out[Metric::DailyCostUsd.index()] = self.daily_cost_usd;
        out[Metric::ComputeCostUsdPerDay.index()] = self.compute_cost_usd_per_day;
        out[Metric::EnergyCostUsdPerDay.index()] = self.energy_cost_usd_per_day;
        out[Metric::Gpus.index()] = self.gpus;
        out[Metric::EnergyKwhPerDay.index()] = self.energy_kwh_per_day;
        out[Metric::CostPerQueryUsd.index()] = self.cost_per_query_usd;
        out[Metric::CostPerMillionTokensUsd.index()] = self.cost_per_million_tokens_usd;
        out[Metric::WhPerQuery.index()] = self.wh_per_query;
        out[Metric::CapexUsdPerDay.index()] = self.capex_usd_per_day;
        out[Metric::OtherOpexUsdPerDay.index()] = self.other_opex_usd_per_day;
        out[Metric::TokensPerDay.index()] = self.tokens_per_day;
        out[Metric::GpuHoursPerDay.index()] = self.gpu_hours_per_day;
        out[Metric::BusyGpuHoursPerDay.index()] = self.busy_gpu_hours_per_day;
        out[Metric::KgCo2PerDay.index()] = self.kg_co2_per_day;
        out[Metric::GCo2PerQuery.index()] = self.g_co2_per_query;
        out[Metric::WaterLPerDay.index()] = self.water_l_per_day;
        out[Metric::TrainingUsdPerDay.index()] = self.training_usd_per_day;
    }
}

/// The metrics of one row and whether the row was feasible.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// In [`Metric`] order; all NaN when the row is rejected.
    pub outputs: Outputs,
    /// Whether the row was physically possible, made so, or rejected.
    pub status: Feasibility,
}

/// The whole model of a scenario: a path to busy time, a provisioning rule, a price rule and
/// what to do with impossible rows. Outside this crate a model comes only from a validated
/// scenario (`Scenario::model`, a layer above), so that no caller
/// evaluates a row under rules other than its scenario's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Model {
    /// How busy GPU time is obtained.
    pub path: Path,
    /// How the fleet is sized from busy time.
    pub provisioning: Provisioning,
    /// How GPU time is paid for.
    pub price: Price,
    /// What to do with a row that is physically impossible.
    pub on_infeasible: OnInfeasible,
    /// How the model's training cost is obtained ([`Training::None`]: not at all).
    pub training: Training,
    /// Whether `training_usd_per_day` is part of `daily_cost_usd` (the scenario's
    /// `include_training`).
    pub include_training: bool,
    /// The scenario's cost line items (`[[costs]]`), each part of `daily_cost_usd`.
    pub items: CostItems,
}

impl Model {
    /// The simplest model on `path`, for tests of one path's arithmetic: the fleet sized for
    /// the average load (on the fleet path, the given fleet with its busy time unknown), GPUs
    /// rented by the hour, impossible rows rejected.
    #[cfg(test)]
    pub(super) fn average_rental(path: Path) -> Model {
        Model {
            path,
            provisioning: match path {
                Path::Fleet => Provisioning::Given { utilization: false },
                _ => Provisioning::Average,
            },
            price: Price::Rental,
            on_infeasible: OnInfeasible::Reject,
            training: Training::None,
            include_training: false,
            items: CostItems::default(),
        }
    }

    /// Every input the model reads, in stream order.
    pub fn inputs(&self) -> Vec<Input> {
        let mut used: Vec<Input> = self
            .path
            .inputs()
            .into_iter()
            .filter(|input| !matches!(*input, Input::Utilization | Input::GpuHourUsd))
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
        used.extend(self.training.inputs());
        used.sort_unstable();
        used.dedup();
        used.extend(self.items.inputs());
        used
    }

    /// Every metric of this model, in output order: the built-in metrics, then one per line
    /// item.
    pub fn metrics(&self) -> Vec<Metric> {
        Metric::ALL
            .into_iter()
            .chain(self.items.metrics())
            .collect()
    }

    /// The fractions this model reads, each of which must lie in (0, 1].
    pub fn fractions(&self) -> &'static [Input] {
        const MBU: Input = Input::Mbu;
        const MFU: Input = Input::Mfu;
        const PREFILL_MFU: Input = Input::PrefillMfu;
        const TARGET: Input = Input::TargetUtilization;
        const UTILIZATION: Input = Input::Utilization;
        let peak = self.provisioning == Provisioning::Peak;
        match self.path {
            Path::Flops if peak => &[MFU, PREFILL_MFU, TARGET],
            Path::Flops => &[MFU, PREFILL_MFU, UTILIZATION],
            Path::Roofline { .. } if peak => &[MFU, PREFILL_MFU, MBU, TARGET],
            Path::Roofline { .. } => &[MFU, PREFILL_MFU, MBU, UTILIZATION],
            Path::Throughput { .. } if peak => &[TARGET],
            Path::Throughput { .. } => &[UTILIZATION],
            Path::Fleet if self.provisioning == (Provisioning::Given { utilization: true }) => {
                &[UTILIZATION]
            }
            Path::Fleet => &[],
        }
    }

    /// Checks every fraction the model reads in `y`, in place: kept in (0, 1], clamped from
    /// above 1 when the rule says so, else the row is rejected.
    #[inline]
    fn check(&self, y: &mut Row) -> Feasibility {
        // An input left out because it is the same as another takes that input's value.
        for (input, source) in super::inputs::SAME_AS {
            if y[input.index()].is_nan() {
                y[input.index()] = y[source.index()];
            }
        }
        let mut status = Feasibility::Feasible;
        for input in self.fractions() {
            let value = &mut y[input.index()];
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
            let ratio = &mut y[Input::PeakToAverage.index()];
            if !(*ratio >= 1.0) {
                status = Feasibility::Rejected;
            }
        }
        status
    }

    /// What [`Model::check`] returns for `x` when it would change nothing in it (no input left
    /// out for another's value, no fraction to clamp), else `None`.
    #[inline]
    fn status_if_unchanged(&self, x: &Row) -> Option<Feasibility> {
        if super::inputs::SAME_AS
            .iter()
            .any(|(input, _)| x[input.index()].is_nan())
        {
            return None;
        }
        let mut status = Feasibility::Feasible;
        for input in self.fractions() {
            let value = x[input.index()];
            if value > 0.0 && value <= 1.0 {
                continue;
            }
            if value > 1.0 && self.on_infeasible == OnInfeasible::Clamp {
                return None;
            }
            status = Feasibility::Rejected;
        }
        if self.provisioning == Provisioning::Peak && !(x[Input::PeakToAverage.index()] >= 1.0) {
            status = Feasibility::Rejected;
        }
        Some(status)
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
        let mut y = *x;
        let status = self.check(&mut y);
        let mut r = roofline::roofline(&y, moe, kv_given, replica_given, self.on_infeasible);
        r.status = r.status.max(status);
        Some(r)
    }

    /// The one computation behind [`Model::evaluate`] and [`Model::explain`]: every quantity
    /// of row `x`, each recorded in `steps` as it is computed.
    #[inline]
    fn compute<R: Recorder>(&self, x: &Row, steps: &mut R) -> Breakdown {
        // The row is copied (hundreds of bytes) only when the checks change it.
        let mut fixed: Row;
        let (y, checked) = match self.status_if_unchanged(x) {
            Some(status) => (x, status),
            None => {
                fixed = *x;
                let status = self.check(&mut fixed);
                (&fixed, status)
            }
        };
        let v = |input: Input| y[input.index()];
        let mut b = Breakdown::UNSET;
        steps.section(Section::Demand);
        b.tokens_per_day = v(Input::QueriesPerDay)
            * (v(Input::InputTokensPerQuery) + v(Input::OutputTokensPerQuery));
        steps.metric(
            &[Metric::TokensPerDay],
            "tokens/day",
            "queries_per_day × (input + output tokens per query)",
            b.tokens_per_day,
        );
        steps.section(Section::Busy);
        let busy = self.busy(y, steps);
        b.busy_gpu_seconds_per_day = busy.gpu_seconds_per_day;
        b.gpus_per_replica = busy.gpus_per_replica;
        b.status = busy.status.max(checked);
        steps.section(Section::Fleet);
        self.fleet(y, &mut b, steps);
        self.training.cost(y, &mut b, steps);
        self.cost(y, &mut b, steps);
        b
    }

    /// Every quantity of one row, recording nothing.
    #[inline]
    pub(super) fn breakdown(&self, x: &Row) -> Breakdown {
        self.compute(x, &mut ())
    }

    /// Evaluates the model on one row: the metrics in [`Metric`] order (all NaN when the row
    /// is rejected) and the row's feasibility.
    #[inline]
    pub fn evaluate(&self, x: &Row) -> Evaluation {
        let mut outputs = [0.0; OUTPUTS_LEN];
        let status = self.evaluate_into(x, &mut outputs);
        Evaluation { outputs, status }
    }

    /// [`Model::evaluate`] into `out`, for a caller that reuses one buffer row after row: the
    /// metrics this model has are written (the slots of line items it does not have are left
    /// as they were), every slot NaN when the row is rejected; returns the row's feasibility.
    #[inline]
    pub fn evaluate_into(&self, x: &Row, out: &mut Outputs) -> Feasibility {
        let b = self.breakdown(x);
        match b.status {
            Feasibility::Rejected => out.fill(f64::NAN),
            _ => {
                b.write_outputs(out);
                self.item_outputs(x, &b, &mut out[N_METRICS..]);
            }
        }
        b.status
    }

    /// The model's arithmetic on one row, step by step, from the same computation as
    /// [`Model::evaluate`]: a step that carries metrics has exactly the value `evaluate`
    /// reports for them, unless the row is rejected. Unlike `evaluate`, a rejected row's
    /// steps keep their values, which show why it was rejected.
    pub fn explain(&self, x: &Row) -> Explanation {
        let mut steps = StepList::new();
        let b = self.compute(x, &mut steps);
        Explanation {
            steps: steps.into_steps(),
            status: b.status,
        }
    }

    /// `x` with every input this model reads that is NaN and has a constant default set to
    /// that default: lets a caller give only the inputs that matter to it.
    pub fn with_defaults(&self, x: &Row) -> Row {
        let mut y = *x;
        for input in self.inputs() {
            if let InputDefault::Value(value) = input.info().default {
                if y[input.index()].is_nan() {
                    y[input.index()] = value;
                }
            }
        }
        y
    }
}
