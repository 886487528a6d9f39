//! One scenario of a run: sampled in memory, streamed (its samples handed on block by block
//! when they are saved) or extended to a precision target; and the check that it gave a usable
//! daily cost.

use super::{Error, OnBlock, RunRequest};
use crate::engine::Simulation;
use crate::export::SamplesParquet;
use crate::model::Metric;
use crate::report::{self, precision, ScenarioReport};
use crate::request::Progress;

impl RunRequest {
    /// Runs the scenario at `index`: its recorded samples when the run reruns a record. Its
    /// samples go to `on_block` when given: block by block when streamed.
    pub(super) fn run_one(
        &self,
        index: usize,
        progress: &dyn Progress,
        on_block: Option<&mut OnBlock<'_>>,
    ) -> std::io::Result<(ScenarioReport, Simulation)> {
        let scenario = &self.scenarios[index];
        let advance = |n: usize| progress.advance(n);
        let keep_inputs = self.save_samples;
        let mut on_block = on_block;
        let result = match &self.precision {
            None if self.stream.is_some() => {
                let mut settings = self.settings.clone();
                if let Some(recorded) = &self.recorded_samples {
                    settings.samples = recorded[index];
                }
                progress.start(scenario.name(), settings.samples as u64, false);
                let report = match on_block.take() {
                    Some(on_block) => report::stream::stream_scenario_in_order(
                        scenario,
                        &settings,
                        SamplesParquet::<std::fs::File>::ROW_GROUP_ROWS,
                        Some(&advance),
                        &mut |first, block| on_block(scenario, first, block),
                    )?,
                    None => report::stream::stream_scenario(scenario, &settings, Some(&advance)),
                };
                let columns = Simulation {
                    metrics: Vec::new(),
                    metric_set: scenario.metrics().to_vec(),
                    derived: *scenario.derived_metrics(),
                    inputs: None,
                    rejected: report.rejected,
                    clamped: report.clamped,
                };
                (report, columns)
            }
            None => {
                let mut settings = self.settings.clone();
                if let Some(recorded) = &self.recorded_samples {
                    settings.samples = recorded[index];
                }
                progress.start(scenario.name(), settings.samples as u64, false);
                report::simulate_scenario(scenario, &settings, keep_inputs, Some(&advance))
            }
            Some(plan) => {
                let first = precision::FIRST_STEP_SAMPLES.min(plan.max_samples);
                progress.start(scenario.name(), first as u64, true);
                precision::run_to_precision(
                    scenario,
                    &self.settings,
                    &plan.targets,
                    plan.max_samples,
                    keep_inputs,
                    Some(&advance),
                    &mut |samples, worst| progress.step(samples, worst),
                )
            }
        };
        progress.finish();
        if let Some(on_block) = on_block {
            on_block(scenario, 0, &result.1)?;
        }
        Ok(result)
    }
}

/// Fails when the headline metric has no finite sample: a run that reports nothing usable.
pub(super) fn usable(report: &ScenarioReport) -> Result<(), Error> {
    let cost = &report.metric(Metric::DailyCostUsd).summary;
    if cost.samples > 0 {
        return Ok(());
    }
    let drawn = report.samples_used;
    let reason = if drawn > 0 && report.rejected == drawn {
        format!(
            "every one of the {drawn} samples was rejected as physically infeasible; {}",
            report
                .warnings
                .iter()
                .find_map(|w| w
                    .split_once("To fix: ")
                    .map(|(_, fix)| format!("to fix: {fix}")))
                .unwrap_or_else(
                    || "see `costbands explain` for the model at the medians".to_string()
                )
        )
    } else {
        format!(
            "daily_cost_usd is not a finite number in any of the {drawn} samples (an input so large \
             that the cost overflows, or NaN); check the inputs with `costbands explain`"
        )
    };
    Err(Error::NothingUsable {
        scenario: report.origin.clone(),
        reason,
    })
}
