//! The warning of a run that rejects many of its samples as physically impossible.

use crate::model::OnInfeasible;
use crate::scenario::Scenario;

/// A run that rejects more than this share of its samples as physically impossible says so
/// loudly (a warning on stderr and in `run.json`).
pub const REJECTED_WARNING_SHARE: f64 = 0.05;

/// The warning for `rejected` of `drawn` samples rejected, with the fix that fits the
/// scenario's `on_infeasible` policy.
pub(super) fn rejection_warning(scenario: &Scenario, rejected: usize, drawn: usize) -> String {
    let fix = match scenario.model().on_infeasible {
        OnInfeasible::Reject => {
            "raise gpus_per_replica (or leave it out to size replicas to fit), lower batch_size or context_tokens, or set on_infeasible = \"clamp\""
        }
        OnInfeasible::Clamp => {
            "even clamped, these samples could not hold the weights and one sequence: raise gpus_per_replica or leave it out to size replicas to fit"
        }
    };
    format!(
        "{rejected} of {drawn} samples ({:.1}%, more than {:.0}%) were rejected as physically infeasible (weights + KV cache larger than the replica's memory, active_params_b above total_params_b, or a fraction outside (0, 1]); every statistic describes only the feasible samples. To fix: {fix}",
        100.0 * rejected as f64 / drawn as f64,
        100.0 * REJECTED_WARNING_SHARE
    )
}
