//! One run of one or more scenarios: settings, per-metric summaries, provenance.
//!
//! Monte Carlo runs report distribution-free order-statistic intervals (see [`crate::stats`]).
//! Latin hypercube and Sobol samples are not independent, so their intervals come from R
//! independent randomised replicates ([`replicates`]); precision control extends Monte Carlo
//! runs until target half-widths are met ([`precision`]).

pub mod compare;
mod derived;
pub mod precision;
pub mod replicates;
pub mod sweep;

pub(crate) use derived::summarize_metrics;

use crate::engine::{self, Options, Simulation, CHUNK_SIZE};
use crate::model::{Metric, OnInfeasible, Price, Provisioning, N_METRICS};
use crate::scenario::{InputOrigin, Scenario};
use crate::sensitivity::{self, TopDrivers};
use crate::settings::{Method, SettingError, Settings};
use crate::stats::{self, Summary};
use serde::Serialize;

/// Samples (a prefix of the run) used to report achieved rank correlations.
pub const CORRELATION_CHECK_SAMPLES: usize = 100_000;

/// Checks that `scenario` can be run with `settings`.
pub fn check_settings(settings: &Settings, scenario: &Scenario) -> Result<(), SettingError> {
    let uncertain = scenario.uncertain_inputs().count();
    let problem = match settings.method {
        Method::Sobol if scenario.correlation().is_some() => {
            "correlated inputs need --sampler mc or lhs: reordering Sobol points for \
             Iman–Conover would destroy their low-discrepancy structure"
                .to_string()
        }
        Method::Sobol if uncertain > engine::sobol::MAX_DIMENSIONS => format!(
            "{uncertain} uncertain inputs, but Sobol points are available in at most {} \
             dimensions; use --sampler lhs",
            engine::sobol::MAX_DIMENSIONS
        ),
        Method::Lhs | Method::Sobol if settings.samples < 2 * settings.replicates => {
            return Err(SettingError::new(
                "",
                format!(
                    "{} samples cannot be split into {} replicates of at least 2",
                    settings.samples, settings.replicates
                ),
            ))
        }
        _ => return Ok(()),
    };
    Err(SettingError::new(scenario.origin(), problem))
}

/// What a run found for one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricReport {
    pub metric: &'static str,
    pub unit: &'static str,
    #[serde(flatten)]
    pub summary: Summary,
}

/// One input as resolved for the run, for provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputReport {
    pub name: &'static str,
    pub unit: &'static str,
    pub origin: InputOrigin,
    pub describe: String,
    pub distribution: crate::dist::Kind,
    pub truncate: Option<crate::dist::Truncation>,
}

/// A run that rejects more than this share of its samples as physically impossible says so
/// loudly (a warning on stderr and in `run.json`).
pub const REJECTED_WARNING_SHARE: f64 = 0.05;

/// What a run found for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioReport {
    pub name: String,
    pub description: String,
    pub origin: String,
    pub sha256: String,
    pub gpu: Option<String>,
    pub path: &'static str,
    /// `average` (utilization), `peak` (peak_to_average, target_utilization) or `given`.
    pub provisioning: &'static str,
    /// `rental` or `owned`.
    pub price: &'static str,
    /// `reject` or `clamp`.
    pub on_infeasible: &'static str,
    /// Samples rejected as physically impossible; they are left out of every statistic and
    /// not counted in any metric's `non_finite`.
    pub rejected: usize,
    /// `rejected ÷ samples drawn`.
    pub rejected_share: f64,
    /// Samples brought into range by `on_infeasible = "clamp"` (kept in the statistics).
    pub clamped: usize,
    pub inputs: Vec<InputReport>,
    pub warnings: Vec<String>,
    /// Samples actually drawn (a design rounds up to whole replicates; precision control may
    /// draw more or fewer than asked).
    pub samples_used: usize,
    /// Requested, induced and achieved rank correlations, when the scenario has any.
    pub correlations: Option<CorrelationReport>,
    /// Precision targets and whether each was met, under precision control.
    pub precision: Vec<precision::TargetReport>,
    pub metrics: Vec<MetricReport>,
    /// The inputs most rank-correlated with the daily cost, from a prefix of the run.
    pub top_drivers: TopDrivers,
}

/// Rank correlations: requested, targeted (after any repair) and achieved in the samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationReport {
    pub inputs: Vec<&'static str>,
    pub requested: Vec<Vec<f64>>,
    pub target: Vec<Vec<f64>>,
    pub repaired: bool,
    /// Spearman correlations of the first samples drawn (up to
    /// [`CORRELATION_CHECK_SAMPLES`]).
    pub achieved: Vec<Vec<f64>>,
    pub achieved_from_samples: usize,
}

impl ScenarioReport {
    /// The report of `metric`.
    pub fn metric(&self, metric: Metric) -> &MetricReport {
        &self.metrics[metric as usize]
    }
}

/// Simulates `scenario` with `settings` and summarises every metric.
pub fn run_scenario(
    scenario: &Scenario,
    settings: &Settings,
) -> Result<ScenarioReport, SettingError> {
    check_settings(settings, scenario)?;
    Ok(simulate_scenario(scenario, settings, false, None).0)
}

/// Simulates `scenario` (whose `settings` have passed [`check_settings`]), summarises every
/// metric and returns the report with the raw columns (input columns too when
/// `keep_inputs`). `progress` sees the samples of each finished chunk.
pub fn simulate_scenario(
    scenario: &Scenario,
    settings: &Settings,
    keep_inputs: bool,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> (ScenarioReport, Simulation) {
    let options = Options {
        seed: settings.seed,
        method: settings.method,
        replicate: 0,
        keep_inputs,
        progress,
    };
    if settings.method != Method::Mc {
        return replicates::run(scenario, settings, &options);
    }
    let simulation = engine::simulate_chunks(scenario, &options, 0, settings.samples);
    (
        summarize_simulation(scenario, settings, &simulation),
        simulation,
    )
}

/// Summarises every metric of `simulation` (stored columns in parallel, derived metrics from
/// their base) and gathers the scenario's provenance.
pub fn summarize_simulation(
    scenario: &Scenario,
    settings: &Settings,
    simulation: &Simulation,
) -> ScenarioReport {
    let summaries = derived::metric_summaries(simulation, settings);
    debug_assert_eq!(summaries.len(), N_METRICS);
    let drawn = simulation.len();
    let rejected_share = if drawn == 0 {
        0.0
    } else {
        simulation.rejected as f64 / drawn as f64
    };
    let mut warnings = scenario.warnings().to_vec();
    if rejected_share > REJECTED_WARNING_SHARE {
        warnings.push(rejection_warning(scenario, simulation.rejected, drawn));
    }
    let model = scenario.model();
    let top_drivers = drivers(scenario, settings, simulation);
    ScenarioReport {
        name: scenario.name().to_string(),
        description: scenario.description().to_string(),
        origin: scenario.origin().to_string(),
        sha256: scenario.sha256().to_string(),
        gpu: scenario.gpu().map(|(id, _)| id.to_string()),
        path: scenario.path().name(),
        provisioning: match model.provisioning {
            Provisioning::Average => "average",
            Provisioning::Peak => "peak",
            Provisioning::Given { .. } => "given",
        },
        price: match model.price {
            Price::Rental => "rental",
            Price::Owned => "owned",
        },
        on_infeasible: model.on_infeasible.name(),
        rejected: simulation.rejected,
        rejected_share,
        clamped: simulation.clamped,
        inputs: input_reports(scenario),
        warnings,
        samples_used: drawn,
        correlations: correlation_report(scenario, settings, simulation),
        precision: Vec::new(),
        metrics: Metric::ALL
            .iter()
            .zip(summaries)
            .map(|(metric, summary)| MetricReport {
                metric: metric.name(),
                unit: metric.unit(),
                summary,
            })
            .collect(),
        top_drivers,
    }
}

/// Top drivers of the daily cost. Monte Carlo runs use their own first samples (prefix
/// stability makes a re-simulated prefix identical); designs use an independent Monte Carlo
/// sample of the same inputs, and say so.
fn drivers(scenario: &Scenario, settings: &Settings, simulation: &Simulation) -> TopDrivers {
    let samples = simulation.len();
    let kept = (settings.method == Method::Mc).then_some(simulation);
    let mut top = sensitivity::top_drivers(
        scenario,
        samples,
        settings.seed,
        Metric::DailyCostUsd,
        settings.confidence,
        kept,
    );
    if settings.method != Method::Mc {
        top.note = format!(
            "an independent Monte Carlo sample of {} draws of the same inputs",
            top.samples
        );
    }
    top
}

/// Achieved rank correlations, from the run's own input columns when kept, else from a
/// re-simulated prefix (identical to the run's first samples for Monte Carlo; the first
/// replicate's first samples for designs).
fn correlation_report(
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

fn rejection_warning(scenario: &Scenario, rejected: usize, drawn: usize) -> String {
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

fn input_reports(scenario: &Scenario) -> Vec<InputReport> {
    scenario
        .inputs()
        .iter()
        .map(|resolved| InputReport {
            name: resolved.input.name(),
            unit: resolved.input.info().unit,
            origin: resolved.origin,
            describe: resolved.dist.describe(),
            distribution: resolved.dist.kind().clone(),
            truncate: resolved.dist.truncation(),
        })
        .collect()
}

/// A whole run: provenance and one report per scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    pub tool: &'static str,
    pub version: &'static str,
    #[serde(flatten)]
    pub settings: Settings,
    pub threads: usize,
    pub chunk_size: usize,
    pub percentile_definition: &'static str,
    pub percentile_ci_method: &'static str,
    pub mean_ci_method: &'static str,
    pub exceedance_ci_method: &'static str,
    pub elapsed_s: f64,
    pub scenarios: Vec<ScenarioReport>,
}

impl RunReport {
    /// Wraps scenario reports with the run's provenance; `threads` ran it.
    pub fn new(
        settings: Settings,
        scenarios: Vec<ScenarioReport>,
        elapsed_s: f64,
        threads: usize,
    ) -> RunReport {
        let mut scenarios = scenarios;
        for s in &mut scenarios {
            let summaries = s.metrics.iter().map(|m| &m.summary);
            let open = stats::open_interval_warning(summaries, settings.confidence);
            s.warnings.extend(open);
        }
        let by_replicates = settings.method != Method::Mc;
        let replicated = "Student t over independent randomised replicates (LHS/Sobol samples are not independent)";
        RunReport {
            tool: "costbands",
            version: env!("CARGO_PKG_VERSION"),
            settings,
            threads,
            chunk_size: CHUNK_SIZE,
            percentile_definition: derived::PERCENTILE_DEFINITION,
            percentile_ci_method: if by_replicates {
                replicated
            } else {
                "distribution-free order-statistic interval, exact binomial ranks; an end whose rank does not exist at this sample size is open (null)"
            },
            mean_ci_method: if by_replicates {
                replicated
            } else {
                "Student t"
            },
            exceedance_ci_method: if by_replicates {
                replicated
            } else {
                "Wilson score"
            },
            elapsed_s,
            scenarios,
        }
    }
}
