//! The model's training cost spread over its serving life ([`Training`]): given outright, as
//! GPU-hours at a price, or from training compute (6 × active parameters × training tokens
//! FLOP, Kaplan et al. 2020) at a peak throughput, an MFU and a price. Formulas: docs/MODEL.md.

use super::eval::Breakdown;
use super::steps::{Recorder, Section};
use super::{Input, Metric, Row};
use serde::Serialize;

/// FLOP per parameter per training token: forward (2) and backward (4) passes.
pub const TRAINING_FLOP_PER_PARAM_TOKEN: f64 = 6.0;

/// How the training cost is obtained. Each way divides it by `serving_lifetime_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Training {
    /// No training cost: `training_usd_per_day` is 0.
    None,
    /// `training_cost_usd`, given outright.
    Cost,
    /// `training_gpu_hours × training_gpu_hour_usd`; `price_given`: `training_gpu_hour_usd` is
    /// given (else `gpu_hour_usd` is read).
    GpuHours {
        /// `training_gpu_hour_usd` is given (else the serving `gpu_hour_usd` is read).
        price_given: bool,
    },
    /// `6 × active_params_b × 10⁹ × training_tokens ÷ (training_peak_tflops × 10¹² ×
    /// training_mfu) ÷ 3600` GPU-hours at `training_gpu_hour_usd`.
    Compute {
        /// `training_peak_tflops` is given (else the serving `peak_tflops` is read).
        peak_given: bool,
        /// `training_gpu_hour_usd` is given (else the serving `gpu_hour_usd` is read).
        price_given: bool,
    },
}

impl Training {
    /// `none`, `cost`, `gpu_hours` or `compute`.
    pub fn name(self) -> &'static str {
        match self {
            Training::None => "none",
            Training::Cost => "cost",
            Training::GpuHours { .. } => "gpu_hours",
            Training::Compute { .. } => "compute",
        }
    }

    /// The inputs this way of costing training reads.
    pub(super) fn inputs(self) -> Vec<Input> {
        let price = |given: bool| match given {
            true => Input::TrainingGpuHourUsd,
            false => Input::GpuHourUsd,
        };
        let mut inputs = match self {
            Training::None => return Vec::new(),
            Training::Cost => vec![Input::TrainingCostUsd],
            Training::GpuHours { price_given } => {
                vec![Input::TrainingGpuHours, price(price_given)]
            }
            Training::Compute {
                peak_given,
                price_given,
            } => vec![
                Input::TrainingTokens,
                Input::ActiveParamsB,
                match peak_given {
                    true => Input::TrainingPeakTflops,
                    false => Input::PeakTflops,
                },
                Input::TrainingMfu,
                price(price_given),
            ],
        };
        inputs.push(Input::ServingLifetimeDays);
        inputs
    }

    /// Fills `b.training_usd_per_day` from a checked row, recording the steps.
    #[inline]
    pub(super) fn cost<R: Recorder>(self, y: &Row, b: &mut Breakdown, steps: &mut R) {
        let v = |input: Input| y[input.index()];
        if self == Training::None {
            b.training_usd_per_day = 0.0;
            return;
        }
        steps.section(Section::Training);
        let total_usd = match self {
            Training::None | Training::Cost => v(Input::TrainingCostUsd),
            Training::GpuHours { price_given } => {
                let (price, formula) = match price_given {
                    true => (
                        v(Input::TrainingGpuHourUsd),
                        "training_gpu_hours × training_gpu_hour_usd",
                    ),
                    false => (v(Input::GpuHourUsd), "training_gpu_hours × gpu_hour_usd"),
                };
                let usd = v(Input::TrainingGpuHours) * price;
                steps.step("training USD", formula, usd);
                usd
            }
            Training::Compute {
                peak_given,
                price_given,
            } => {
                let flop = training_flop(v(Input::ActiveParamsB), v(Input::TrainingTokens));
                steps.step(
                    "training FLOP",
                    "6 × active_params_b × 1e9 × training_tokens",
                    flop,
                );
                let peak = match peak_given {
                    true => v(Input::TrainingPeakTflops),
                    false => v(Input::PeakTflops),
                };
                let gpu_hours = flop / (peak * 1e12 * v(Input::TrainingMfu)) / 3600.0;
                steps.step(
                    "training GPU-hours",
                    match peak_given {
                        true => "FLOP ÷ (training_peak_tflops × 1e12 × training_mfu) ÷ 3600",
                        false => "FLOP ÷ (peak_tflops × 1e12 × training_mfu) ÷ 3600",
                    },
                    gpu_hours,
                );
                let price = match price_given {
                    true => v(Input::TrainingGpuHourUsd),
                    false => v(Input::GpuHourUsd),
                };
                let usd = gpu_hours * price;
                steps.step(
                    "training USD",
                    match price_given {
                        true => "GPU-hours × training_gpu_hour_usd",
                        false => "GPU-hours × gpu_hour_usd",
                    },
                    usd,
                );
                usd
            }
        };
        b.training_usd_per_day = total_usd / v(Input::ServingLifetimeDays);
        steps.metric(
            &[Metric::TrainingUsdPerDay],
            "training_usd_per_day",
            "training USD ÷ serving_lifetime_days",
            b.training_usd_per_day,
        );
    }
}

/// Training compute in FLOP: `6 × active_params_b × 10⁹ × training_tokens`.
#[inline]
pub fn training_flop(active_params_b: f64, training_tokens: f64) -> f64 {
    TRAINING_FLOP_PER_PARAM_TOKEN * active_params_b * 1e9 * training_tokens
}

#[cfg(test)]
#[path = "training_tests.rs"]
mod tests;
