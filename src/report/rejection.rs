//! The warning of a run that rejects many of its samples as physically impossible.

use crate::model::{OnInfeasible, Path, Provisioning};
use crate::scenario::Scenario;

/// A run that rejects more than this share of its samples as physically impossible says so
/// loudly (a warning on stderr and in `run.json`).
pub const REJECTED_WARNING_SHARE: f64 = 0.05;

/// The warning for `rejected` of `drawn` samples rejected, with the fix that fits the
/// scenario's path and `on_infeasible` policy.
pub(super) fn rejection_warning(scenario: &Scenario, rejected: usize, drawn: usize) -> String {
    let model = scenario.model();
    let share = format!(
        "{rejected} of {drawn} samples ({:.1}%, more than {:.0}%) were rejected as physically infeasible",
        100.0 * rejected as f64 / drawn as f64,
        100.0 * REJECTED_WARNING_SHARE
    );
    let kept = "every statistic describes only the feasible samples";
    if !matches!(model.path, Path::Roofline { .. }) {
        let fractions: Vec<&str> = model
            .fractions()
            .iter()
            .filter(|input| scenario.input(**input).is_some())
            .map(|input| input.name())
            .collect();
        let fractions = fractions.join(", ");
        let peak = match model.provisioning == Provisioning::Peak {
            true => ", or peak_to_average below 1",
            false => "",
        };
        return format!(
            "{share} (on the {} path a sample is rejected only when one of {fractions} falls outside (0, 1]{peak}); {kept}. To fix: keep {fractions} inside (0, 1] (beta, pert, triangular or uniform between your ends, or truncate = [0, 1]){}",
            model.path.name(),
            match peak.is_empty() {
                true => "",
                false => " and peak_to_average at least 1",
            }
        );
    }
    let fix = match model.on_infeasible {
        OnInfeasible::Reject => {
            "raise gpus_per_replica (or leave it out to size replicas to fit), lower batch_size or context_tokens, or set on_infeasible = \"clamp\""
        }
        OnInfeasible::Clamp => {
            "even clamped, these samples could not hold the weights and one sequence: raise gpus_per_replica or leave it out to size replicas to fit"
        }
    };
    format!(
        "{share} (weights + KV cache larger than the replica's memory, active_params_b above total_params_b, or a fraction outside (0, 1]); {kept}. To fix: {fix}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flops_path_rejection_suggests_no_roofline_inputs_regression() {
        let scenario = Scenario::load("semianalysis-2023", &[]).unwrap();
        assert!(matches!(scenario.model().path, Path::Flops));
        let warning = rejection_warning(&scenario, 100, 1000);
        for roofline in [
            "gpus_per_replica",
            "batch_size",
            "KV cache",
            "on_infeasible",
        ] {
            assert!(!warning.contains(roofline), "{warning}");
        }
        assert!(warning.contains("on the flops path"), "{warning}");
        assert!(
            warning.contains("To fix: keep mfu, utilization inside (0, 1]"),
            "{warning}"
        );
    }

    #[test]
    fn a_roofline_rejection_keeps_its_roofline_fix() {
        let scenario = Scenario::load("selfhost-70b", &[]).unwrap();
        assert!(matches!(scenario.model().path, Path::Roofline { .. }));
        let warning = rejection_warning(&scenario, 100, 1000);
        assert!(warning.contains("gpus_per_replica"), "{warning}");
    }
}
