//! The rank correlations a run achieved, beside those its scenario asked for.

use crate::engine::{self, Options, Simulation};
use crate::scenario::Scenario;
use crate::settings::Settings;
use crate::stats;
use serde::Serialize;

/// Samples (a prefix of the run) used to report achieved rank correlations.
pub const CORRELATION_CHECK_SAMPLES: usize = 100_000;

/// Rank correlations: requested, targeted (after any repair) and achieved in the samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationReport {
    /// The correlated inputs, in stream order; rows and columns of every matrix.
    pub inputs: Vec<&'static str>,
    /// Spearman correlations as the scenario requested them.
    pub requested: Vec<Vec<f64>>,
    /// Spearman correlations that the induced normal-score correlation (Iman–Conover)
    /// corresponds to: `requested`, unless that normal-score matrix was not positive definite
    /// and was repaired to the nearest correlation matrix (Higham 2002).
    pub target: Vec<Vec<f64>>,
    /// Whether the normal-score matrix had to be repaired, so that `target` differs from
    /// `requested`.
    pub repaired: bool,
    /// Spearman correlations of the first samples drawn (up to
    /// [`CORRELATION_CHECK_SAMPLES`]).
    pub achieved: Vec<Vec<f64>>,
    /// Samples behind `achieved`.
    pub achieved_from_samples: usize,
}

/// Achieved rank correlations, from the run's own input columns when kept, else from a
/// re-simulated prefix (identical to the run's first samples for Monte Carlo; the first
/// replicate's first samples for designs).
pub(super) fn correlation_report(
    scenario: &Scenario,
    settings: &Settings,
    simulation: &Simulation,
) -> Option<CorrelationReport> {
    let correlation = scenario.correlation()?;
    let check;
    let inputs = match &simulation.inputs {
        Some(inputs) => inputs,
        None => {
            let samples = settings.replicate_size().min(CORRELATION_CHECK_SAMPLES);
            let options = Options {
                seed: settings.seed,
                method: settings.method,
                keep_inputs: true,
                ..Options::default()
            };
            check = engine::simulate_chunks(scenario, &options, 0, samples);
            check.inputs.as_ref().expect("kept")
        }
    };
    let columns: Vec<&[f64]> = correlation
        .inputs
        .iter()
        .map(|input| {
            let column = &inputs
                .iter()
                .find(|(i, _)| i == input)
                .expect("read by the path")
                .1;
            &column[..column.len().min(CORRELATION_CHECK_SAMPLES)]
        })
        .collect();
    let k = columns.len();
    let achieved = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| stats::rank::spearman(columns[i], columns[j]))
                .collect()
        })
        .collect();
    Some(CorrelationReport {
        inputs: correlation.inputs.iter().map(|i| i.name()).collect(),
        requested: correlation.requested.clone(),
        target: correlation.target.clone(),
        repaired: correlation.repaired,
        achieved,
        achieved_from_samples: columns[0].len(),
    })
}
