//! The `compare` job: a baseline against one or more other scenarios, sample by sample, with
//! common random numbers (see [`crate::report::compare`]).

use super::memory::Need;
use super::{sample_count, thread_pool, CommonOptions, Error, Output, Progress};
use crate::export::{self, html};
use crate::model::Input;
use crate::report::compare::{self, CompareReport, InputPairing, PairReport};
use crate::report::record::ScenarioText;
use crate::scenario::Scenario;
use crate::settings::{SettingError, Settings, DEFAULT_PERCENTILES};
use crate::stats;
use std::time::Instant;

/// What a caller asks of a comparison, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareOptions {
    /// The options every job takes.
    pub common: CommonOptions,
    /// The baseline scenario (a file or preset name).
    pub baseline: String,
    /// The scenarios compared with it.
    pub others: Vec<String>,
    /// Inputs to couple (same quantile level) where their distributions differ, besides those
    /// the scenario files' `[compare] couple` lists name.
    pub couple: Vec<String>,
    /// Percentiles of the difference and ratio to report, in percent.
    pub percentiles: Option<Vec<f64>>,
    /// Draw every input independently, even where both scenarios share its distribution (as
    /// two separate runs would): to measure what common random numbers gain.
    pub independent: bool,
}

/// A validated comparison: the scenarios with their draws paired.
#[derive(Debug, Clone)]
pub struct CompareRequest {
    pairs: Vec<(Scenario, Scenario, Vec<InputPairing>)>,
    settings: Settings,
    threads: Option<usize>,
    output: Output,
    command: Vec<String>,
}

impl CompareRequest {
    /// Loads the scenarios, merges the settings (`options` > the baseline's file > the
    /// defaults), and decides the pairing of every input.
    pub fn new(options: &CompareOptions) -> Result<CompareRequest, Error> {
        let overrides = options.common.overrides()?;
        let baseline = options
            .common
            .load_scenario(Some(&options.baseline), &overrides)?;
        if options.others.is_empty() {
            return Err(SettingError::new("compare", "give a baseline and at least one other scenario, e.g. costbands compare h100.toml b200.toml").into());
        }
        let others = options
            .others
            .iter()
            .map(|name| options.common.load_scenario(Some(name), &overrides))
            .collect::<Result<Vec<_>, _>>()?;
        let flags = couple(&options.couple)?;
        let file = baseline.sampling();
        let common = options.common.merge(file, baseline.origin())?;
        let percentiles = options
            .percentiles
            .clone()
            .or_else(|| file.percentiles.clone())
            .unwrap_or_else(|| DEFAULT_PERCENTILES.to_vec());
        stats::check_percentiles(&percentiles)
            .map_err(|e| SettingError::new("--percentiles", e.to_string()))?;
        let settings = Settings {
            samples: sample_count(&common, 1, "")?,
            seed: common.seed,
            percentiles,
            confidence: common.confidence,
            ..Settings::default()
        };
        let common_draws = if options.independent {
            compare::Common::Independent
        } else {
            compare::Common::Shared
        };
        let scenarios: Vec<Scenario> = std::iter::once(baseline.clone())
            .chain(others.iter().cloned())
            .collect();
        // Both scenarios' columns, then the differences and ratios: about three runs' worth.
        let need = Need::run(&scenarios, &settings, false, common.threads_used()).times(3);
        need.check(
            common.samples,
            &common.samples_setting,
            &options.common.memory_limit(),
        )?;
        let pairs = others
            .iter()
            .enumerate()
            .map(|(k, other)| {
                let couple = coupled_inputs(&flags, &baseline, other);
                compare::pair_inputs(&baseline, other, k as u64 + 1, &couple, common_draws)
            })
            .collect();
        let name = match others.as_slice() {
            [other] => format!("{}-vs-{}", baseline.name(), other.name()),
            _ => format!("{}-vs-{}-others", baseline.name(), others.len()),
        };
        Ok(CompareRequest {
            pairs,
            settings,
            threads: common.threads,
            output: options.common.output(&name)?,
            command: options.common.command.clone(),
        })
    }

    /// The baseline and each other scenario with their draws paired, and the pairing.
    pub fn pairs(&self) -> &[(Scenario, Scenario, Vec<InputPairing>)] {
        &self.pairs
    }

    /// Where the result files go.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Runs every pair on the request's own worker pool.
    pub fn run(&self, progress: &dyn Progress) -> Result<CompareReport, Error> {
        let pool = thread_pool(self.threads)?;
        let started = Instant::now();
        let advance = |n: usize| progress.advance(n);
        let reports: Vec<PairReport> = self
            .pairs
            .iter()
            .map(|(baseline, other, pairing)| {
                let label = format!("{} vs {}", other.name(), baseline.name());
                progress.start(&label, 2 * self.settings.samples as u64, false);
                let report = pool.install(|| {
                    compare::compare(
                        baseline,
                        other,
                        pairing.clone(),
                        &self.settings,
                        Some(&advance),
                    )
                });
                progress.finish();
                report
            })
            .collect();
        let elapsed_s = started.elapsed().as_secs_f64();
        Ok(CompareReport::new(
            &self.settings,
            reports,
            elapsed_s,
            pool.current_num_threads(),
            self.command.clone(),
            self.scenario_texts(),
        ))
    }

    /// The baseline, then each other scenario, with their resolved texts.
    fn scenario_texts(&self) -> Vec<ScenarioText> {
        let baseline = self.pairs.first().map(|(baseline, _, _)| baseline);
        let others = self.pairs.iter().map(|(_, other, _)| other);
        baseline
            .into_iter()
            .chain(others)
            .map(|scenario| ScenarioText::new(scenario, &self.settings))
            .collect()
    }

    /// What the report says about each scenario beyond the results: the baseline, then each
    /// other scenario.
    pub fn facts(&self) -> Vec<html::ScenarioFacts> {
        let baseline = self.pairs.first().map(|(baseline, _, _)| baseline);
        let others = self.pairs.iter().map(|(_, other, _)| other);
        baseline
            .into_iter()
            .chain(others)
            .map(html::ScenarioFacts::of)
            .collect()
    }

    /// Runs every pair and writes the result files into the output folder, all or none.
    pub fn execute(&self, progress: &dyn Progress) -> Result<CompareReport, Error> {
        let facts = self.facts();
        self.output.write(
            export::compare_exporters(),
            || self.run(progress),
            |report, line| html::compare_document(report, &facts, line),
        )
    }
}

/// The inputs to couple between `baseline` and `other`: the `--couple` flags and both files'
/// `[compare] couple` lists (a coupling a file declares holds in every comparison it takes
/// part in).
fn coupled_inputs(flags: &[Input], baseline: &Scenario, other: &Scenario) -> Vec<Input> {
    let mut inputs: Vec<Input> = flags
        .iter()
        .chain(baseline.couple())
        .chain(other.couple())
        .copied()
        .collect();
    inputs.sort_unstable();
    inputs.dedup();
    inputs
}

fn couple(names: &[String]) -> Result<Vec<Input>, SettingError> {
    names
        .iter()
        .map(|name| {
            Input::from_name(name.trim()).ok_or_else(|| {
                let hint = crate::dist::suggest(name.trim(), Input::ALL.iter().map(|i| i.name()));
                SettingError::new(
                    format!("--couple {name}"),
                    format!("unknown input{hint}; see `costbands list inputs`"),
                )
            })
        })
        .collect()
}
