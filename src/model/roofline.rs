//! The roofline path: decode steps are bounded by memory bandwidth or by compute, prefill by
//! compute, on replicas of `g` GPUs that must hold the weights and the batch's KV cache.
//!
//! A replica of `g` GPUs (tensor parallel) has `g ×` one GPU's memory, bandwidth and peak
//! FLOP/s. One decode step produces one token for each of the `batch` sequences and takes
//!
//! ```text
//! step = max( (weight bytes read + batch × KV bytes per sequence) ÷ (g × hbm × mbu),
//!             batch × 2 × active params ÷ (g × peak × mfu) )
//! ```
//!
//! Formulas, defaults and sources: docs/MODEL.md, section 2.

use super::steps::Recorder;
use super::{Feasibility, Input, OnInfeasible, Row};
use serde::Serialize;
use std::borrow::Cow;

/// Bytes per GB, FLOP/s per TFLOP/s and bytes/s per TB/s.
const GIGA: f64 = 1e9;
const TERA: f64 = 1e12;

/// Every intermediate quantity of the roofline path for one row.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Roofline {
    /// Weights held by each replica: `total_params_b × 1e9 × bytes_per_param`.
    pub weight_bytes: f64,
    /// Parameters used per token: `active_params_b × 1e9`, or every parameter for a dense model.
    pub active_params: f64,
    /// Weight bytes read per decode step: `min(weight_bytes, batch × active params ×
    /// bytes_per_param)` (a mixture of experts at small batch reads only the experts it uses).
    pub weight_bytes_read: f64,
    /// `kv_bytes_per_token`, or `2 × layers × kv_heads × head_dim × bytes_per_param`.
    pub kv_bytes_per_token: f64,
    /// `context_tokens × kv_bytes_per_token`.
    pub kv_bytes_per_sequence: f64,
    /// Sequences per decode step: `batch_size`, or fewer when clamped to fit in memory.
    pub batch: f64,
    /// `weight_bytes + batch × kv_bytes_per_sequence`.
    pub memory_needed_bytes: f64,
    /// `gpus_per_replica`, or the fewest GPUs, a power of two, whose memory holds
    /// `memory_needed_bytes`.
    pub gpus_per_replica: f64,
    /// `gpus_per_replica × gpu_memory_gb × 1e9`.
    pub replica_memory_bytes: f64,
    /// Achieved bandwidth: `gpus_per_replica × hbm_tb_s × 1e12 × mbu`, bytes/s.
    pub replica_bytes_per_s: f64,
    /// Achieved decode compute: `gpus_per_replica × peak_tflops × 1e12 × mfu`, FLOP/s.
    pub replica_flop_per_s: f64,
    /// Time to move a step's bytes, s.
    pub step_memory_s: f64,
    /// Time to do a step's FLOPs, s.
    pub step_compute_s: f64,
    /// `max(step_memory_s, step_compute_s)`.
    pub step_s: f64,
    /// Output tokens per second per replica: `batch ÷ step_s`.
    pub tokens_per_s_per_replica: f64,
    /// Busy GPU-seconds per generated token: `gpus_per_replica × step_s ÷ batch`.
    pub decode_gpu_s_per_token: f64,
    /// Busy GPU-seconds per prompt token, compute-bound:
    /// `2 × active params ÷ (peak_tflops × 1e12 × prefill_mfu)`.
    pub prefill_gpu_s_per_token: f64,
    /// Whether the row fits (see [`Feasibility`]).
    pub status: Feasibility,
}

impl Roofline {
    /// Whether decode is limited by memory bandwidth (rather than compute) at this batch.
    pub fn memory_bound(&self) -> bool {
        self.step_memory_s >= self.step_compute_s
    }

    /// Records the terms as steps: what a replica must hold, then how fast it decodes.
    /// `batch_size` is the row's (the batch is smaller when clamped to fit); the flags are
    /// [`roofline`]'s.
    #[inline]
    pub(super) fn record<R: Recorder>(
        &self,
        batch_size: f64,
        moe: bool,
        kv_given: bool,
        replica_given: bool,
        steps: &mut R,
    ) {
        self.record_memory(batch_size, moe, kv_given, replica_given, steps);
        self.record_decode(steps);
    }

    /// The weights, the KV cache and the replica that holds them.
    #[inline]
    fn record_memory<R: Recorder>(
        &self,
        batch_size: f64,
        moe: bool,
        kv_given: bool,
        replica_given: bool,
        steps: &mut R,
    ) {
        steps.step(
            "weight bytes",
            "total_params_b × 1e9 × bytes_per_param",
            self.weight_bytes,
        );
        let active = if moe {
            "active_params_b × 1e9"
        } else {
            "dense: every parameter (total_params_b × 1e9)"
        };
        steps.step("active params", active, self.active_params);
        let kv = if kv_given {
            "kv_bytes_per_token"
        } else {
            "2 × layers × kv_heads × head_dim × bytes_per_param"
        };
        steps.step("KV bytes/token", kv, self.kv_bytes_per_token);
        steps.step(
            "KV bytes/sequence",
            "context_tokens × KV bytes/token",
            self.kv_bytes_per_sequence,
        );
        let batch = self.batch;
        steps.record("batch", &[], || {
            let formula = if batch == batch_size {
                Cow::Borrowed("batch_size")
            } else {
                Cow::Owned(format!("batch_size {batch_size} clamped to what fits"))
            };
            (formula, batch)
        });
        steps.step(
            "memory needed",
            "weight bytes + batch × KV bytes/sequence",
            self.memory_needed_bytes,
        );
        let replica = if replica_given {
            "gpus_per_replica"
        } else {
            "fewest GPUs (a power of two) whose gpu_memory_gb holds the memory needed"
        };
        steps.step("GPUs per replica", replica, self.gpus_per_replica);
        let memory = if self.memory_needed_bytes <= self.replica_memory_bytes {
            "GPUs per replica × gpu_memory_gb × 1e9: fits"
        } else {
            "GPUs per replica × gpu_memory_gb × 1e9: DOES NOT FIT: the sample is infeasible"
        };
        steps.step("replica memory", memory, self.replica_memory_bytes);
    }

    /// The decode step, bounded by memory or compute, and the speed it gives.
    #[inline]
    fn record_decode<R: Recorder>(&self, steps: &mut R) {
        steps.step(
            "weight bytes read/step",
            "min(weight bytes, batch × active params × bytes_per_param)",
            self.weight_bytes_read,
        );
        steps.step(
            "step time, memory (s)",
            "(bytes read + batch × KV bytes/sequence) ÷ (GPUs × hbm_tb_s × 1e12 × mbu)",
            self.step_memory_s,
        );
        steps.step(
            "step time, compute (s)",
            "batch × 2 × active params ÷ (GPUs × peak_tflops × 1e12 × mfu)",
            self.step_compute_s,
        );
        steps.record("decode step (s)", &[], || {
            let bound = if self.memory_bound() {
                "the larger: memory-bound"
            } else {
                "the larger: compute-bound"
            };
            (Cow::Borrowed(bound), self.step_s)
        });
        steps.aside(
            "crossover batch",
            "batch above which decode is compute-bound (all weights read per step)",
            || crossover_batch(self),
        );
        steps.step(
            "tokens/s per replica",
            "batch ÷ decode step",
            self.tokens_per_s_per_replica,
        );
        steps.aside(
            "tokens/s per GPU",
            "tokens/s per replica ÷ GPUs per replica",
            || self.tokens_per_s_per_replica / self.gpus_per_replica,
        );
    }
}

/// Evaluates the roofline terms of `x`. `moe`: `active_params_b` is given (else every
/// parameter is active); `kv_given`: `kv_bytes_per_token` is given (else derived from the
/// layer shape); `replica_given`: `gpus_per_replica` is given (else derived).
#[inline]
pub fn roofline(
    x: &Row,
    moe: bool,
    kv_given: bool,
    replica_given: bool,
    on_infeasible: OnInfeasible,
) -> Roofline {
    let v = |input: Input| x[input.index()];
    let mut status = Feasibility::Feasible;
    let bytes_per_param = v(Input::BytesPerParam);
    let total_params = v(Input::TotalParamsB) * GIGA;
    let weight_bytes = total_params * bytes_per_param;
    let drawn_active_params = if moe {
        v(Input::ActiveParamsB) * GIGA
    } else {
        total_params
    };
    let active_params = held_active_params(
        drawn_active_params,
        total_params,
        on_infeasible,
        &mut status,
    );
    let kv_bytes_per_token = if kv_given {
        v(Input::KvBytesPerToken)
    } else {
        2.0 * v(Input::Layers) * v(Input::KvHeads) * v(Input::HeadDim) * bytes_per_param
    };
    let kv_bytes_per_sequence = v(Input::ContextTokens) * kv_bytes_per_token;
    let drawn_batch = v(Input::BatchSize);
    let gpu_memory = v(Input::GpuMemoryGb) * GIGA;
    let drawn_memory_bytes = weight_bytes + drawn_batch * kv_bytes_per_sequence;
    let gpus_per_replica = if replica_given {
        v(Input::GpusPerReplica)
    } else {
        fewest_gpus(drawn_memory_bytes, gpu_memory)
    };
    let replica_memory_bytes = gpus_per_replica * gpu_memory;
    let batch = fitting_batch(
        drawn_batch,
        weight_bytes,
        kv_bytes_per_sequence,
        replica_memory_bytes,
        on_infeasible,
        &mut status,
    );
    let memory_needed_bytes = weight_bytes + batch * kv_bytes_per_sequence;
    let replica_bytes_per_s = gpus_per_replica * v(Input::HbmTbS) * TERA * v(Input::Mbu);
    let peak_flop_per_s = v(Input::PeakTflops) * TERA;
    let replica_flop_per_s = gpus_per_replica * peak_flop_per_s * v(Input::Mfu);
    let weight_bytes_read = weight_bytes.min(batch * active_params * bytes_per_param);
    let step_memory_s = (weight_bytes_read + batch * kv_bytes_per_sequence) / replica_bytes_per_s;
    let step_compute_s = batch * 2.0 * active_params / replica_flop_per_s;
    let step_s = step_memory_s.max(step_compute_s);
    Roofline {
        weight_bytes,
        active_params,
        weight_bytes_read,
        kv_bytes_per_token,
        kv_bytes_per_sequence,
        batch,
        memory_needed_bytes,
        gpus_per_replica,
        replica_memory_bytes,
        replica_bytes_per_s,
        replica_flop_per_s,
        step_memory_s,
        step_compute_s,
        step_s,
        tokens_per_s_per_replica: batch / step_s,
        decode_gpu_s_per_token: gpus_per_replica * step_s / batch,
        prefill_gpu_s_per_token: 2.0 * active_params / (peak_flop_per_s * v(Input::PrefillMfu)),
        status,
    }
}

/// The active parameters of a row: as drawn when no more than `total_params` are active. More
/// active than held is an inconsistent draw of the two inputs: under
/// [`OnInfeasible::Clamp`] every held parameter is active (the row is clamped), otherwise the
/// row is rejected; `status` records which.
#[inline]
fn held_active_params(
    active_params: f64,
    total_params: f64,
    on_infeasible: OnInfeasible,
    status: &mut Feasibility,
) -> f64 {
    if active_params <= total_params {
        return active_params;
    }
    match on_infeasible {
        OnInfeasible::Clamp if active_params.is_finite() => {
            *status = (*status).max(Feasibility::Clamped);
            total_params
        }
        _ => {
            *status = Feasibility::Rejected;
            active_params
        }
    }
}

/// The batch of a replica: as drawn when its weights and the KV cache of `batch` sequences
/// fit the replica's memory (bytes). When they do not, under [`OnInfeasible::Clamp`] the
/// largest whole batch that fits (the row is clamped), provided one sequence fits; otherwise
/// the row is rejected; `status` records which.
#[inline]
fn fitting_batch(
    batch: f64,
    weight_bytes: f64,
    kv_bytes_per_sequence: f64,
    replica_memory_bytes: f64,
    on_infeasible: OnInfeasible,
    status: &mut Feasibility,
) -> f64 {
    if weight_bytes + batch * kv_bytes_per_sequence <= replica_memory_bytes {
        return batch;
    }
    let fits = ((replica_memory_bytes - weight_bytes) / kv_bytes_per_sequence).floor();
    match on_infeasible {
        OnInfeasible::Clamp if fits >= 1.0 => {
            *status = (*status).max(Feasibility::Clamped);
            fits
        }
        _ => {
            *status = Feasibility::Rejected;
            batch
        }
    }
}

/// The fewest GPUs, a power of two (tensor parallelism splits attention heads evenly), whose
/// memory of `per_gpu` bytes each holds `needed` bytes.
#[inline]
fn fewest_gpus(needed: f64, per_gpu: f64) -> f64 {
    let mut gpus = 1.0;
    while gpus * per_gpu < needed && gpus < 1e6 {
        gpus *= 2.0;
    }
    if needed.is_finite() && per_gpu > 0.0 {
        gpus
    } else {
        f64::NAN
    }
}

/// The batch at which decode turns from memory-bound to compute-bound: where
/// `(weights + b × kv_seq) ÷ bandwidth = b × 2 × active ÷ flops` with every weight read per step
/// (a dense model, or a mixture of experts once the batch touches every expert). Infinite when
/// the KV cache alone outruns compute, so that no batch is compute-bound.
pub fn crossover_batch(r: &Roofline) -> f64 {
    let compute_per_sequence = 2.0 * r.active_params / r.replica_flop_per_s;
    let memory_per_sequence = r.kv_bytes_per_sequence / r.replica_bytes_per_s;
    let gap = compute_per_sequence - memory_per_sequence;
    if gap > 0.0 {
        (r.weight_bytes / r.replica_bytes_per_s) / gap
    } else {
        f64::INFINITY
    }
}
