//! Busy GPU-seconds per day on each [`Path`], recording the steps that explain them.

use super::roofline;
use super::steps::Recorder;
use super::{Feasibility, Input, Model, Path, Provisioning, Row, SECONDS_PER_DAY};

/// Busy time on the model's path, and what sizing the fleet needs from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Busy {
    /// Busy GPU-seconds per day.
    pub(super) gpu_seconds_per_day: f64,
    /// GPUs per model replica (the roofline path's fleet is whole replicas); 1 off it.
    pub(super) gpus_per_replica: f64,
    /// Whether the row fits (the roofline path's memory and parameter checks).
    pub(super) status: Feasibility,
}

impl Busy {
    /// Busy time on a path that has no replicas and cannot make a row infeasible.
    fn simple(gpu_seconds_per_day: f64) -> Busy {
        Busy {
            gpu_seconds_per_day,
            gpus_per_replica: 1.0,
            status: Feasibility::Feasible,
        }
    }
}

impl Model {
    /// Busy GPU-seconds per day on the model's path, from a checked row.
    #[inline]
    pub(super) fn busy<R: Recorder>(&self, y: &Row, steps: &mut R) -> Busy {
        match self.path {
            Path::Fleet => {
                let utilization = match self.provisioning {
                    Provisioning::Given { utilization: true } => y[Input::Utilization.index()],
                    _ => f64::NAN,
                };
                let busy = y[Input::FleetGpus.index()] * SECONDS_PER_DAY * utilization;
                steps.step(
                    "busy GPU-s/day",
                    "fleet_gpus × 86 400 × utilization (unknown without utilization)",
                    busy,
                );
                Busy::simple(busy)
            }
            Path::Throughput { prompt_rate } => Busy::simple(throughput(y, prompt_rate, steps)),
            Path::Flops => Busy::simple(flops(y, steps)),
            Path::Roofline {
                moe,
                kv_given,
                replica_given,
            } => {
                let v = |input: Input| y[input.index()];
                let r = roofline::roofline(y, moe, kv_given, replica_given, self.on_infeasible);
                r.record(v(Input::BatchSize), moe, kv_given, replica_given, steps);
                let decode = v(Input::OutputTokensPerQuery) * r.decode_gpu_s_per_token;
                steps.step(
                    "decode GPU-s/query",
                    "output tokens × GPUs per replica × step ÷ batch",
                    decode,
                );
                let prefill = v(Input::InputTokensPerQuery) * r.prefill_gpu_s_per_token;
                steps.step(
                    "prefill GPU-s/query",
                    "input tokens × 2 × active params ÷ (peak_tflops × 1e12 × prefill_mfu)",
                    prefill,
                );
                let busy = v(Input::QueriesPerDay) * (decode + prefill);
                steps.step("busy GPU-s/day", "queries × (prefill + decode)", busy);
                Busy {
                    gpu_seconds_per_day: busy,
                    gpus_per_replica: r.gpus_per_replica,
                    status: r.status,
                }
            }
        }
    }
}

/// Measured throughput: tokens ÷ tokens per busy GPU-second. Prompt tokens cost GPU time only
/// when `prompt_rate` (`input_tokens_per_gpu_s` is given).
#[inline]
fn throughput<R: Recorder>(y: &Row, prompt_rate: bool, steps: &mut R) -> f64 {
    let v = |input: Input| y[input.index()];
    let decode = v(Input::OutputTokensPerQuery) / v(Input::OutputTokensPerGpuS);
    steps.step(
        "decode GPU-s/query",
        "output tokens ÷ output_tokens_per_gpu_s",
        decode,
    );
    let prefill = if prompt_rate {
        let prefill = v(Input::InputTokensPerQuery) / v(Input::InputTokensPerGpuS);
        steps.step(
            "prefill GPU-s/query",
            "input tokens ÷ input_tokens_per_gpu_s",
            prefill,
        );
        prefill
    } else {
        0.0
    };
    let busy = v(Input::QueriesPerDay) * (decode + prefill);
    steps.step("busy GPU-s/day", "queries × GPU-s per query", busy);
    busy
}

/// Compute: `2 × active params × tokens ÷ (peak FLOP/s × MFU)`, prompt tokens at
/// `prefill_mfu`, generated tokens at `mfu`.
#[inline]
fn flops<R: Recorder>(y: &Row, steps: &mut R) -> f64 {
    let v = |input: Input| y[input.index()];
    let flop_per_token = 2.0 * v(Input::ActiveParamsB) * 1e9;
    steps.step("FLOP/token", "2 × active_params_b × 1e9", flop_per_token);
    let peak_flop_s = v(Input::PeakTflops) * 1e12;
    // Tokens ÷ achieved FLOP/s; × FLOP/token below gives GPU-seconds.
    let prefill = v(Input::InputTokensPerQuery) / (peak_flop_s * v(Input::PrefillMfu));
    let decode = v(Input::OutputTokensPerQuery) / (peak_flop_s * v(Input::Mfu));
    steps.aside(
        "prefill GPU-s/query",
        "input tokens × FLOP/token ÷ (peak_tflops × 1e12 × prefill_mfu)",
        || flop_per_token * prefill,
    );
    steps.aside(
        "decode GPU-s/query",
        "output tokens × FLOP/token ÷ (peak_tflops × 1e12 × mfu)",
        || flop_per_token * decode,
    );
    let busy = v(Input::QueriesPerDay) * flop_per_token * (prefill + decode);
    steps.step("busy GPU-s/day", "queries × (prefill + decode)", busy);
    busy
}
