//! What a run's record (run.json) holds for a rerun: the settings as used, each scenario's
//! resolved text and samples, the command line, and a checksum over them.
//!
//! A rerun reads [`RecordedSettings`] and each scenario's `name`, `resolved_scenario` and
//! `samples_used` back, and checks them against `recipe_sha256` ([`recipe_sha256`]), so that a
//! record that was edited or damaged is refused rather than rerun as something else.

use crate::scenario::SamplingSettings;
use crate::settings::{Method, Settings};
use crate::stats::Side;
use serde::{Deserialize, Serialize};

/// The format of what run.json records for a rerun; a rerun refuses a record of another.
pub const RECORD_FORMAT: u32 = 1;

/// One probability event as recorded: `P(metric > threshold)` or `P(metric < threshold)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// The metric's name, e.g. `daily_cost_usd`.
    pub metric: String,
    /// `>` (`--exceed`) or `<` (`--below`).
    pub event: Side,
    /// The threshold, in the metric's unit.
    pub threshold: f64,
}

/// The settings of a run as recorded in run.json (at its top level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedSettings {
    /// The samples asked for (`--samples`, the first file's `sampling.samples`, or the
    /// default); `null` when the run chose them itself (precision control) or drew each
    /// scenario's recorded `samples_used`. Each scenario's `samples_used` says what it drew.
    pub samples_requested: Option<usize>,
    /// The sample cap of precision control (`null` without it).
    pub max_samples: Option<usize>,
    /// The seed every random stream derives from.
    pub seed: u64,
    /// Percentiles reported, in percent (precision targets' percentiles included).
    pub percentiles: Vec<f64>,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// `mc`, `lhs` or `sobol`.
    pub method: Method,
    /// Independent replicates of an LHS or Sobol design (unused by Monte Carlo).
    pub replicates: usize,
    /// The probabilities asked for with `--exceed` and `--below`, in that order.
    pub events: Vec<RecordedEvent>,
}

impl RecordedSettings {
    /// The record of `settings`, with the samples asked for and the precision cap.
    pub fn new(
        settings: &Settings,
        samples_requested: Option<usize>,
        max_samples: Option<usize>,
    ) -> RecordedSettings {
        RecordedSettings {
            samples_requested,
            max_samples,
            seed: settings.seed,
            percentiles: settings.percentiles.clone(),
            confidence: settings.confidence,
            method: settings.method,
            replicates: settings.replicates,
            events: settings
                .events
                .iter()
                .map(|(metric, event)| RecordedEvent {
                    metric: metric.name().to_string(),
                    event: event.side,
                    threshold: event.threshold,
                })
                .collect(),
        }
    }

    /// The settings as a scenario file's `[sampling]` table would give them, with
    /// `samples` as the samples.
    pub fn sampling(&self, samples: usize) -> SamplingSettings {
        SamplingSettings {
            samples: Some(samples as u64),
            seed: Some(self.seed),
            percentiles: Some(self.percentiles.clone()),
            confidence: Some(self.confidence),
            method: Some(self.method),
            replicates: (self.method != Method::Mc).then_some(self.replicates as u32),
        }
    }
}

/// The `[sampling]` table that reproduces a run of `samples` samples with `settings`.
pub fn sampling_used(settings: &Settings, samples: usize) -> SamplingSettings {
    RecordedSettings::new(settings, None, None).sampling(samples)
}

/// One scenario as a rerun reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeScenario {
    /// The scenario's name.
    pub name: String,
    /// Its resolved text, `[sampling]` included (see `Scenario::resolved_text`).
    pub resolved_scenario: String,
    /// The samples it drew.
    pub samples_used: usize,
}

/// Everything a rerun reads, in the order hashed.
#[derive(Serialize)]
struct Recipe<'a> {
    record_format: u32,
    settings: &'a RecordedSettings,
    scenarios: &'a [RecipeScenario],
}

/// SHA-256, in hex, of everything a rerun reads: the record format, the settings and each
/// scenario's name, resolved text and samples, serialised as JSON.
pub fn recipe_sha256(settings: &RecordedSettings, scenarios: &[RecipeScenario]) -> String {
    let recipe = Recipe {
        record_format: RECORD_FORMAT,
        settings,
        scenarios,
    };
    let bytes = serde_json::to_vec(&recipe).unwrap_or_default();
    crate::scenario::hex_sha256(&bytes)
}

/// Where a run came from, beyond its settings: for its record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    /// The command line that asked for the run, as given (empty from a library call).
    pub command: Vec<String>,
    /// The record this run reruns, if it is a rerun.
    pub rerun_of: Option<String>,
    /// The samples asked for (`None` under precision control, or when each scenario draws
    /// its recorded samples).
    pub samples_requested: Option<usize>,
    /// The sample cap of precision control.
    pub max_samples: Option<usize>,
}

/// A scenario of a comparison or a sweep, as its record holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioText {
    /// The scenario's name.
    pub name: String,
    /// Where it came from: a file path or `preset NAME`.
    pub origin: String,
    /// Its resolved text with the job's sampling settings (see `Scenario::resolved_text`).
    pub resolved_scenario: String,
}

impl ScenarioText {
    /// `scenario` as run with `settings`.
    pub fn new(scenario: &crate::scenario::Scenario, settings: &Settings) -> ScenarioText {
        ScenarioText {
            name: scenario.name().to_string(),
            origin: scenario.origin().to_string(),
            resolved_scenario: scenario.resolved_text(&sampling_used(settings, settings.samples)),
        }
    }
}
