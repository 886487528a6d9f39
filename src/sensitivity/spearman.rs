//! Spearman rank correlation with a Fisher-z confidence interval, and the "top drivers" of a
//! run.
//!
//! ρ is Pearson's correlation of the ranks; tied values get the average of the ranks they
//! span (the "mid-rank" convention, as R's `cor(method = "spearman")` and SciPy's
//! `spearmanr`). The interval transforms with Fisher's z = atanh(ρ) and uses the standard
//! error √(1.06 / (n − 3)) that Fieller, Hartley & Pearson (1957, "Tests for rank correlation
//! coefficients. I", Biometrika 44, 470–481) found for Spearman's ρ, slightly wider than
//! Pearson's 1 / √(n − 3): `tanh(atanh(ρ) ± z_{1−α/2} · √(1.06 / (n − 3)))`.

use crate::engine::{self, Simulation};
use crate::model::{Input, Metric};
use crate::scenario::Scenario;
use crate::stats::interval::z_critical;
use rayon::prelude::*;
use serde::Serialize;

/// The variance factor of Fieller, Hartley & Pearson (1957) for atanh of Spearman's ρ.
pub const FIELLER_VARIANCE: f64 = 1.06;

pub use crate::stats::rank::{average_ranks, pearson, spearman};

/// The Fisher-z interval for Spearman's ρ from `n` pairs at confidence `level`, with
/// Fieller's standard error √(1.06 / (n − 3)). NaN bounds when `n < 4` or ρ is NaN.
pub fn fisher_interval(rho: f64, n: usize, level: f64) -> (f64, f64) {
    if n < 4 || rho.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    let z = rho.clamp(-1.0, 1.0).atanh();
    let half = z_critical(level) * (FIELLER_VARIANCE / (n - 3) as f64).sqrt();
    ((z - half).tanh(), (z + half).tanh())
}

/// ρ of one input with one metric, with its interval and the pairs used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correlation {
    /// The uncertain input.
    pub input: Input,
    /// The metric it is correlated with.
    pub metric: Metric,
    /// Spearman's rank correlation, in [−1, 1]; NaN when the input or the metric is constant
    /// over the pairs used.
    pub rho: f64,
    /// Lower end of the Fisher-z interval (Fieller's standard error).
    pub ci_low: f64,
    /// Upper end of the Fisher-z interval.
    pub ci_high: f64,
    /// Pairs used (samples whose metric value is finite).
    pub pairs: usize,
}

/// Spearman's ρ of every uncertain input of `simulation` (which must hold its input columns)
/// with each of `metrics`, in input order for each metric. Constant inputs are skipped; samples
/// whose metric value is not finite are left out of that metric's correlations.
pub fn correlations(
    scenario: &Scenario,
    simulation: &Simulation,
    metrics: &[Metric],
    level: f64,
) -> Vec<Correlation> {
    let columns = uncertain_columns(scenario, simulation);
    let input_ranks: Vec<Vec<f64>> = columns.par_iter().map(|(_, c)| average_ranks(c)).collect();
    let per_metric: Vec<Vec<Correlation>> = metrics
        .par_iter()
        .map(|metric| {
            let y = simulation.metric(*metric);
            let finite: Vec<usize> = (0..y.len()).filter(|j| y[*j].is_finite()).collect();
            let all_finite = finite.len() == y.len();
            let y_ranks = if all_finite {
                average_ranks(&y)
            } else {
                Vec::new()
            };
            let correlate = |(input, column): &(Input, &[f64]), x_ranks: &Vec<f64>| {
                let rho = if all_finite {
                    pearson(x_ranks, &y_ranks)
                } else {
                    let pick = |c: &[f64]| finite.iter().map(|j| c[*j]).collect::<Vec<f64>>();
                    spearman(&pick(column), &pick(&y))
                };
                let (ci_low, ci_high) = fisher_interval(rho, finite.len(), level);
                Correlation {
                    input: *input,
                    metric: *metric,
                    rho,
                    ci_low,
                    ci_high,
                    pairs: finite.len(),
                }
            };
            columns
                .iter()
                .zip(&input_ranks)
                .map(|(c, r)| correlate(c, r))
                .collect()
        })
        .collect();
    per_metric.into_iter().flatten().collect()
}

/// The columns of the inputs whose distribution is not a constant, in stream order.
pub(super) fn uncertain_columns<'a>(
    scenario: &Scenario,
    simulation: &'a Simulation,
) -> Vec<(Input, &'a [f64])> {
    let kept = simulation
        .inputs
        .as_ref()
        .expect("the simulation keeps its input columns");
    kept.iter()
        .filter(|(input, _)| scenario.input(*input).is_some_and(|r| r.is_uncertain()))
        .map(|(input, column)| (*input, column.as_slice()))
        .collect()
}

/// Samples the top-drivers block of a run uses at most: the run's first this many samples.
pub const TOP_DRIVERS_SAMPLES: usize = 100_000;

/// Inputs the top-drivers block lists at most.
pub const TOP_DRIVERS_SHOWN: usize = 5;

/// The inputs most rank-correlated with a metric, for the summary of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopDrivers {
    /// The metric the drivers drive, e.g. `daily_cost_usd`.
    pub metric: &'static str,
    /// How the drivers are ranked: `spearman`.
    pub method: &'static str,
    /// Samples used: the first `samples` of the run.
    pub samples: usize,
    /// How those samples were obtained.
    pub note: String,
    /// At most [`TOP_DRIVERS_SHOWN`] inputs, by decreasing |ρ|.
    pub drivers: Vec<Driver>,
}

/// One input's Spearman ρ with the metric, and its interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// The input's name.
    pub input: &'static str,
    /// Spearman's rank correlation with the metric, in [−1, 1].
    pub rho: f64,
    /// Lower end of the Fisher-z interval.
    pub ci_low: f64,
    /// Upper end of the Fisher-z interval.
    pub ci_high: f64,
}

/// The top drivers of `metric` in a run of `samples` draws with `seed`: Spearman's ρ over the
/// run's first `min(samples, TOP_DRIVERS_SAMPLES)` samples. Those are re-simulated with their
/// input columns kept (the engine is prefix-stable, so they are exactly the run's first
/// samples) unless `kept` already holds the run with its inputs. Keeping input columns for a
/// whole run of 10⁷ samples would take about a gigabyte; the prefix bounds that.
pub fn top_drivers(
    scenario: &Scenario,
    samples: usize,
    seed: u64,
    metric: Metric,
    level: f64,
    kept: Option<&Simulation>,
) -> TopDrivers {
    let used = samples.min(TOP_DRIVERS_SAMPLES);
    let owned;
    let (simulation, note) = match kept {
        Some(sim) if sim.inputs.is_some() && sim.len() == used => {
            (sim, format!("all {used} samples of the run"))
        }
        _ => {
            owned = engine::simulate(scenario, used, seed, true);
            let note = if used == samples {
                format!("all {used} samples of the run")
            } else {
                format!(
                    "the run's first {used} samples, re-simulated with inputs kept (prefix-stable)"
                )
            };
            (&owned, note)
        }
    };
    let mut found = correlations(scenario, simulation, &[metric], level);
    found.retain(|c| !c.rho.is_nan());
    found.sort_by(|a, b| b.rho.abs().total_cmp(&a.rho.abs()));
    TopDrivers {
        metric: metric.name(),
        method: "spearman",
        samples: used,
        note,
        drivers: found
            .into_iter()
            .take(TOP_DRIVERS_SHOWN)
            .map(|c| Driver {
                input: c.input.name(),
                rho: c.rho,
                ci_low: c.ci_low,
                ci_high: c.ci_high,
            })
            .collect(),
    }
}
