//! Metrics that, for a whole scenario, are a constant or a fixed multiple of another metric:
//! the engine stores no column for them and their statistics are derived from the other
//! metric's, which keeps memory at 8 bytes × samples per *independent* metric.
//!
//! Within one scenario, e.g. `gpu_hours_per_day = 24 × gpus` always; `capex_usd_per_day = 0`
//! when renting; `kg_co2_per_day = grid × energy_kwh_per_day` when the grid intensity is a
//! constant. [`Model::evaluate`] computes each such metric with the same operation, so a derived
//! value is bit-identical to the evaluated one.

use super::{Input, Metric, Model, Price, Training, OUTPUTS_LEN};

/// How a metric follows from the others for a whole scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Derived {
    /// The same value in every feasible sample.
    Constant(f64),
    /// `factor × of` in every sample, `factor > 0` (`of` is never itself derived).
    Scaled {
        /// The stored metric this one is a multiple of.
        of: Metric,
        /// The multiple, in this metric's unit per unit of `of` (e.g. 24 GPU-hours per GPU, or
        /// a constant grid intensity in kg CO₂/kWh).
        factor: f64,
    },
}

impl Derived {
    /// The metric's value in a sample whose value of `of` is `base` (for a constant, `base` is
    /// any stored metric of the sample: NaN marks a rejected sample).
    #[inline]
    pub fn value(self, base: f64) -> f64 {
        match self {
            Derived::Constant(value) if !base.is_nan() => value,
            Derived::Constant(_) => f64::NAN,
            Derived::Scaled { factor, .. } => factor * base,
        }
    }

    /// The stored metric a sample's value is read from.
    pub fn base(self) -> Metric {
        match self {
            Derived::Constant(_) => Metric::DailyCostUsd,
            Derived::Scaled { of, .. } => of,
        }
    }
}

/// `factor × of`, or the constant 0 when `factor` is 0.
fn scaled(of: Metric, factor: f64) -> Option<Derived> {
    if factor == 0.0 {
        Some(Derived::Constant(0.0))
    } else if factor > 0.0 && factor.is_finite() {
        Some(Derived::Scaled { of, factor })
    } else {
        None
    }
}

impl Model {
    /// The metrics that need no column of their own when the inputs that are constants in the
    /// scenario have the values `constant(input)` (None for an uncertain input).
    pub fn derived_metrics(
        &self,
        constant: impl Fn(Input) -> Option<f64>,
    ) -> [Option<Derived>; OUTPUTS_LEN] {
        let mut derived = [None; OUTPUTS_LEN];
        let mut set = |metric: Metric, how: Option<Derived>| derived[metric.index()] = how;
        // Exactly 0 when electricity is free (a rental price that includes it).
        if constant(Input::ElectricityUsdPerKwh) == Some(0.0) {
            set(Metric::EnergyCostUsdPerDay, Some(Derived::Constant(0.0)));
        }
        set(
            Metric::CapexUsdPerDay,
            match self.price {
                Price::Rental => Some(Derived::Constant(0.0)),
                Price::Owned => scaled(Metric::ComputeCostUsdPerDay, 1.0),
            },
        );
        set(
            Metric::OtherOpexUsdPerDay,
            constant(Input::OtherOpexUsdPerDay).map(Derived::Constant),
        );
        set(Metric::GpuHoursPerDay, scaled(Metric::Gpus, 24.0));
        if self.training == Training::None {
            set(Metric::TrainingUsdPerDay, Some(Derived::Constant(0.0)));
        }
        if let Some(grid) = constant(Input::GridKgCo2PerKwh) {
            set(Metric::KgCo2PerDay, scaled(Metric::EnergyKwhPerDay, grid));
            set(Metric::GCo2PerQuery, scaled(Metric::WhPerQuery, grid));
        }
        match (constant(Input::WueLPerKwh), constant(Input::Pue)) {
            (Some(0.0), _) => set(Metric::WaterLPerDay, Some(Derived::Constant(0.0))),
            (Some(wue), Some(pue)) => set(
                Metric::WaterLPerDay,
                scaled(Metric::EnergyKwhPerDay, wue / pue),
            ),
            _ => {}
        }
        derived
    }
}
