//! Scenario files: the raw TOML format (module `raw`) validated into a [`Scenario`] that cannot be
//! invalid — every input the model reads has a distribution whose support lies inside the
//! input's domain.

mod advice;
pub mod correlation;
mod costs;
mod domain;
mod error;
mod name;
pub mod notes;
mod presets;
mod raw;
mod resolve;
mod resolved;
mod training;

pub use correlation::Correlation;
pub use error::ScenarioError;
pub use name::{is_valid_name, safe_name, MAX_NAME_LEN, NAME_RULE};
pub use presets::{Preset, DEFAULT_PRESET, PRESETS};
pub use raw::Override;

use crate::dist::Dist;
use crate::model::{hardware::Gpu, Derived, Input, Metric, Model, Path, OUTPUTS_LEN};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Where an input's distribution came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputOrigin {
    /// Written in the scenario file.
    File,
    /// Given with `--set` on the command line.
    Set,
    /// Filled from the hardware catalog by `gpu = "..."`.
    Gpu,
    /// The input's documented default.
    Default,
    /// Replaced by a constant for a sensitivity analysis ([`Scenario::with_input_pinned`]).
    Pinned,
}

/// A resolved input: its distribution and where that came from.
#[derive(Debug, Clone)]
pub struct ResolvedInput {
    /// The model input.
    pub input: Input,
    /// Its distribution (a constant is a degenerate distribution).
    pub dist: Dist,
    /// Where the distribution came from.
    pub origin: InputOrigin,
    /// How the engine draws it.
    pub draw: Draw,
}

/// How the engine draws an input: from which random stream, and how.
///
/// By default an input's stream is keyed by the input itself, so that two scenarios run at the
/// same seed draw the same values for an input with the same distribution (common random
/// numbers), and changing one input leaves every other input's draws unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Draw {
    /// The stream index in `rng::stream_rng(seed, chunk, stream)`.
    pub stream: u64,
    /// Draw by inverse CDF (`x = F⁻¹(u)`, one uniform `u` per sample) instead of the
    /// distribution's own sampler, so that inputs with different distributions on the same
    /// stream take the same quantile level (coupled).
    pub by_quantile: bool,
}

impl Draw {
    /// The standard draw of `input`: its own stream, its distribution's own sampler.
    pub fn of(input: Input) -> Draw {
        Draw {
            stream: input.stream(),
            by_quantile: false,
        }
    }
}

impl ResolvedInput {
    /// Whether the input varies from sample to sample (its distribution is not a constant).
    pub fn is_uncertain(&self) -> bool {
        self.dist.as_constant().is_none()
    }
}

/// Sampling settings a scenario file may carry; command-line options take precedence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SamplingSettings {
    /// `samples`: Monte Carlo samples.
    pub samples: Option<u64>,
    /// `seed`: the run's seed.
    pub seed: Option<u64>,
    /// `percentiles`: percentiles to report, in percent.
    pub percentiles: Option<Vec<f64>>,
    /// `confidence`: confidence level of every interval.
    pub confidence: Option<f64>,
    /// `method`: `mc`, `lhs` or `sobol`.
    pub method: Option<crate::settings::Method>,
    /// `replicates`: independent replicates of an LHS or Sobol design.
    pub replicates: Option<u32>,
}

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    name: String,
    description: String,
    origin: String,
    sha256: String,
    /// The text as resolved, without its sampling settings (see [`Scenario::resolved_text`]).
    document: toml::Table,
    gpu: Option<(String, Gpu)>,
    model: Model,
    inputs: Vec<ResolvedInput>,
    derived: [Option<Derived>; OUTPUTS_LEN],
    sampling: SamplingSettings,
    correlation: Option<Correlation>,
    couple: Vec<Input>,
    warnings: Vec<String>,
    notes: std::sync::Arc<notes::Notes>,
    /// `(costs.<name>, note)` of each line item with a `note`.
    item_notes: Vec<(String, String)>,
    /// Every metric, in output order: the built-in ones, then one per line item.
    metrics: Vec<Metric>,
}

impl Scenario {
    /// Parses and validates scenario text. `origin` names it in errors (a path, or
    /// `preset NAME`); `stem` is the default name; `overrides` are applied before validation.
    pub fn from_toml(
        text: &str,
        origin: &str,
        stem: &str,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        let raw = raw::RawScenario::parse(text, origin)?;
        let mut scenario = resolve::resolve(raw, origin, stem, overrides)?;
        scenario.sha256 = hex_sha256(text.as_bytes());
        scenario.document = resolved::document(text, origin, overrides, &scenario)?;
        let mut notes = notes::read(text);
        notes.inputs.append(&mut scenario.item_notes);
        scenario.notes = std::sync::Arc::new(notes);
        Ok(scenario)
    }

    /// The scenario as resolved, as TOML text that reproduces it on its own: its file with
    /// every `--set` override applied, an explicit `name`, the GPU catalog entry it reads
    /// copied in as `[gpus.<id>]`, and `sampling` as its `[sampling]` table (comments are not
    /// kept). Run with no options, the text draws exactly the samples this scenario draws with
    /// those settings.
    pub fn resolved_text(&self, sampling: &SamplingSettings) -> String {
        resolved::render(&self.document, sampling)
    }

    /// Adds a warning (shown with the scenario's own, and in run.json).
    pub(crate) fn add_warning(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Loads a scenario from a file, or a built-in preset when `arg` names one and no such
    /// file exists.
    pub fn load(arg: &str, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        presets::load(arg, overrides)
    }

    /// The built-in default scenario.
    pub fn default_scenario(overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        presets::load(DEFAULT_PRESET, overrides)
    }

    /// The scenario's name (file `name`, else the file stem made safe): safe as a folder name,
    /// see [`NAME_RULE`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scenario's description (may be empty).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Where it came from: a file path or `preset NAME`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// SHA-256 of the scenario text, hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The catalog GPU named by `gpu = "..."`, with its id.
    pub fn gpu(&self) -> Option<(&str, &Gpu)> {
        self.gpu.as_ref().map(|(id, gpu)| (id.as_str(), gpu))
    }

    /// The model path that gives busy GPU time.
    pub fn path(&self) -> Path {
        self.model.path
    }

    /// The model: path, provisioning and price rules, and what to do with impossible samples.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Every input the model reads, in stream order.
    pub fn inputs(&self) -> &[ResolvedInput] {
        &self.inputs
    }

    /// The inputs that are uncertain (not a constant), in stream order.
    pub fn uncertain_inputs(&self) -> impl Iterator<Item = &ResolvedInput> {
        self.inputs
            .iter()
            .filter(|resolved| resolved.is_uncertain())
    }

    /// Every metric, in output order: [`Metric::ALL`], then one per line item (`[[costs]]`).
    /// Columns, summaries and exports of the scenario follow this order; a metric's
    /// [`Metric::index`] is its position in it.
    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// The input named `name`: a built-in input the model reads, or a line item's rate
    /// (`costs.<name>`).
    pub fn input_named(&self, name: &str) -> Option<&ResolvedInput> {
        self.inputs.iter().find(|r| r.input.name() == name)
    }

    /// The metric named `name`, line items included.
    pub fn metric_named(&self, name: &str) -> Option<Metric> {
        self.metrics.iter().find(|m| m.name() == name).copied()
    }

    /// The resolved input, if the model reads it.
    pub fn input(&self, input: Input) -> Option<&ResolvedInput> {
        self.inputs.iter().find(|resolved| resolved.input == input)
    }

    /// The metrics that are, for this scenario, a constant or a fixed multiple of another
    /// metric (see [`Model::derived_metrics`]), by [`Metric::index`].
    pub fn derived_metrics(&self) -> &[Option<Derived>; OUTPUTS_LEN] {
        &self.derived
    }

    /// Sampling settings from the file.
    pub fn sampling(&self) -> &SamplingSettings {
        &self.sampling
    }

    /// Rank correlations to induce between inputs, if any.
    pub fn correlation(&self) -> Option<&Correlation> {
        self.correlation.as_ref()
    }

    /// The inputs its `[compare] couple` list names: in a comparison this scenario takes part
    /// in, drawn at the same quantile level in both scenarios where their distributions differ.
    pub fn couple(&self) -> &[Input] {
        &self.couple
    }

    /// What the scenario's path leaves out, in one line, when that can change the answer much:
    /// the FLOPs path counts compute only.
    pub fn path_note(&self) -> Option<&'static str> {
        matches!(self.path(), Path::Flops).then_some(
            "the flops path counts compute at the given MFU only: it leaves out memory bandwidth \
             (decode is bandwidth-bound), the KV cache and batch limits; give batch_size (with \
             total_params_b and mbu) for the roofline path, and peak_to_average to size the fleet \
             for the busiest hour",
        )
    }

    /// The comment that opens the scenario file: what the scenario is about (may be empty).
    pub fn about(&self) -> &str {
        &self.notes.about
    }

    /// The file's comment on `input` (where its range comes from), when the input's
    /// distribution is the file's own (not `--set`, the catalog or a default).
    pub fn note(&self, input: Input) -> Option<&str> {
        let resolved = self.input(input)?;
        if resolved.origin != InputOrigin::File {
            return None;
        }
        self.notes
            .inputs
            .iter()
            .find(|(name, _)| name == input.name())
            .map(|(_, note)| note.as_str())
    }

    /// Things worth telling the user that are not errors (e.g. an input the path ignores).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// A copy of this scenario whose `input` (if read) is drawn as `draw` says.
    pub fn with_draw(&self, input: Input, draw: Draw) -> Scenario {
        let mut scenario = self.clone();
        if let Some(resolved) = scenario.inputs.iter_mut().find(|r| r.input == input) {
            resolved.draw = draw;
        }
        scenario
    }

    /// A copy of this scenario with `input` replaced by the constant `value`, every other input
    /// unchanged. Each input's random stream is keyed by the input, so the copy run with the
    /// same seed draws exactly the same values for every other input (common random numbers).
    ///
    /// Errors when the path does not read `input` or `value` is outside its domain.
    pub fn with_input_pinned(&self, input: Input, value: f64) -> Result<Scenario, ScenarioError> {
        let field = format!("inputs.{}", input.name());
        let Some(index) = self.inputs.iter().position(|r| r.input == input) else {
            return Err(ScenarioError::field(
                &self.origin,
                field,
                format!(
                    "cannot pin it: the {} path does not read it",
                    self.path().name()
                ),
            ));
        };
        let dist = Dist::constant(value)
            .map_err(|e| ScenarioError::field(&self.origin, &field, e.to_string()))?;
        let pinned = ResolvedInput {
            input,
            dist,
            origin: InputOrigin::Pinned,
            draw: self.inputs[index].draw,
        };
        domain::check(&pinned, &self.origin)?;
        let mut scenario = self.clone();
        scenario.inputs[index] = pinned;
        if let Some(toml::Value::Table(inputs)) = scenario.document.get_mut("inputs") {
            inputs.insert(input.name().to_string(), toml::Value::Float(value));
        }
        Ok(scenario)
    }
}

/// SHA-256 of `bytes`, in hex.
pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests;
