//! The resolved text of a scenario: the file as the run read it, written back as TOML that
//! reproduces it on its own.
//!
//! It is the scenario's own text with every `--set` override applied, an explicit `name`, the
//! GPU catalog entry it reads copied in as `[gpus.<id>]` (so a later change to the catalog does
//! not change it), an input the price choice dropped left out, and a `[sampling]` table with
//! the settings a run actually used. Comments are not kept. `costbands run` of the text, with
//! no options, draws the same samples as the run it came from (probability events aside, which
//! are not part of the file format).

use super::{Override, SamplingSettings, Scenario, ScenarioError};
use crate::model::{Input, Price};
use std::fmt::Write;

/// The scenario's document as resolved, without its sampling settings: what
/// [`Scenario::resolved_text`] writes out.
pub(super) fn document(
    text: &str,
    origin: &str,
    overrides: &[Override],
    scenario: &Scenario,
) -> Result<toml::Table, ScenarioError> {
    let mut table: toml::Table =
        text.parse()
            .map_err(|e: toml::de::Error| ScenarioError::Syntax {
                origin: origin.to_string(),
                message: e.to_string(),
            })?;
    let mut inputs = match table.remove("inputs") {
        Some(toml::Value::Table(inputs)) => inputs,
        _ => toml::Table::new(),
    };
    for item in overrides {
        match item.name.as_str() {
            "gpu" | "on_infeasible" | "include_training" => {
                table.insert(item.name.clone(), item.value.clone());
            }
            name => match name.strip_prefix("costs.") {
                Some(item_name) => set_item_usd(&mut table, item_name, &item.value),
                None => {
                    inputs.insert(name.to_string(), item.value.clone());
                }
            },
        }
    }
    // Both prices can be given only when --set chose one; the other was dropped.
    let dropped = match scenario.model().price {
        Price::Rental => Input::GpuCapexUsd,
        Price::Owned => Input::GpuHourUsd,
    };
    inputs.remove(dropped.name());
    for input in super::training::dropped_routes(scenario.model().training) {
        inputs.remove(input.name());
    }
    table.insert("inputs".into(), toml::Value::Table(inputs));
    table.insert("name".into(), scenario.name().into());
    table.remove("sampling");
    table.remove("gpus");
    if let Some((id, gpu)) = scenario.gpu() {
        let entry = toml::Value::try_from(gpu)
            .map_err(|e| ScenarioError::field(origin, format!("gpus.{id}"), e.to_string()))?;
        let mut gpus = toml::Table::new();
        gpus.insert(id.to_string(), entry);
        table.insert("gpus".into(), toml::Value::Table(gpus));
    }
    Ok(table)
}

/// Sets the `usd` of the `[[costs]]` item named `name` (which the scenario resolved, so it
/// exists) to `value`.
fn set_item_usd(table: &mut toml::Table, name: &str, value: &toml::Value) {
    let Some(toml::Value::Array(items)) = table.get_mut("costs") else {
        return;
    };
    for item in items.iter_mut().filter_map(toml::Value::as_table_mut) {
        if item.get("name").and_then(toml::Value::as_str) == Some(name) {
            item.insert("usd".into(), value.clone());
        }
    }
}

/// Writes `document` with `sampling` as its `[sampling]` table: the top-level keys first, the
/// inputs one a line in the model's order, then the tables. The text does not say where the
/// scenario came from, so that a scenario resolved from it writes the same text.
pub(super) fn render(document: &toml::Table, sampling: &SamplingSettings) -> String {
    let mut text = String::from(
        "# The scenario as run: --set overrides applied, the GPU catalog entry it reads copied \
         in, and the sampling settings used\n",
    );
    for key in [
        "name",
        "description",
        "gpu",
        "on_infeasible",
        "include_training",
    ] {
        if let Some(value) = document.get(key) {
            let _ = writeln!(text, "{key} = {value}");
        }
    }
    text.push_str("\n[inputs]\n");
    if let Some(toml::Value::Table(inputs)) = document.get("inputs") {
        for input in Input::ALL {
            if let Some(value) = inputs.get(input.name()) {
                let _ = writeln!(text, "{} = {value}", input.name());
            }
        }
    }
    text.push_str("\n[sampling]\n");
    text.push_str(&sampling_table(sampling));
    let rest: toml::Table = document
        .iter()
        .filter(|(key, _)| {
            !matches!(
                key.as_str(),
                "name" | "description" | "gpu" | "on_infeasible" | "include_training" | "inputs"
            )
        })
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    if !rest.is_empty() {
        text.push('\n');
        text.push_str(&toml::to_string(&rest).unwrap_or_default());
    }
    text
}

/// The lines of a `[sampling]` table. A seed beyond a TOML integer (2⁶³ − 1) is a comment: the
/// run's record carries it, and `--seed` gives it.
fn sampling_table(sampling: &SamplingSettings) -> String {
    let mut text = String::new();
    if let Some(samples) = sampling.samples {
        let _ = writeln!(text, "samples = {samples}");
    }
    match sampling.seed.map(|seed| (seed, i64::try_from(seed))) {
        Some((seed, Ok(_))) => {
            let _ = writeln!(text, "seed = {seed}");
        }
        Some((seed, Err(_))) => {
            let _ = writeln!(
                text,
                "# seed {seed} is beyond a TOML integer: give --seed {seed}"
            );
        }
        None => {}
    }
    if let Some(percentiles) = &sampling.percentiles {
        let list: Vec<toml::Value> = percentiles.iter().map(|p| toml::Value::Float(*p)).collect();
        let _ = writeln!(text, "percentiles = {}", toml::Value::Array(list));
    }
    if let Some(confidence) = sampling.confidence {
        let _ = writeln!(text, "confidence = {}", toml::Value::Float(confidence));
    }
    if let Some(method) = sampling.method {
        let _ = writeln!(text, "method = \"{}\"", method.name());
    }
    if let Some(replicates) = sampling.replicates {
        let _ = writeln!(text, "replicates = {replicates}");
    }
    text
}
