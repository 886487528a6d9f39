//! The scenario file format as serde structs: what the user wrote, before validation.

use super::ScenarioError;
use crate::settings::SettingError;
use serde::Deserialize;

/// The top level of a scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScenario {
    pub name: Option<String>,
    pub description: Option<String>,
    pub gpu: Option<String>,
    /// What to do with physically impossible samples: `reject` (default) or `clamp`.
    pub on_infeasible: Option<crate::model::OnInfeasible>,
    pub inputs: toml::Table,
    #[serde(default)]
    pub sampling: RawSampling,
    #[serde(default)]
    pub correlations: Vec<super::correlation::RawPair>,
    pub correlation: Option<super::correlation::RawMatrix>,
}

/// The optional `[sampling]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSampling {
    pub samples: Option<u64>,
    pub seed: Option<u64>,
    pub percentiles: Option<Vec<f64>>,
    pub confidence: Option<f64>,
    pub method: Option<String>,
    pub replicates: Option<u32>,
}

impl RawScenario {
    pub(super) fn parse(text: &str, origin: &str) -> Result<RawScenario, ScenarioError> {
        toml::from_str(text).map_err(|error| ScenarioError::Syntax {
            origin: origin.to_string(),
            message: error.to_string().trim_end().replace('\n', "\n  "),
        })
    }
}

/// A `--set NAME=VALUE` override: an input name (or `gpu`, `on_infeasible`) and a value in file
/// syntax.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The input (or `gpu`, `on_infeasible`) to override.
    pub name: String,
    /// Its value, as the scenario file would hold it.
    pub value: toml::Value,
}

impl Override {
    /// Parses `NAME=VALUE`, where VALUE is TOML (`0.5`, `{ dist = "beta", ... }`) or, failing
    /// that, a bare string (`500 to 2000`, `h100-sxm`).
    pub fn parse(text: &str) -> Result<Override, SettingError> {
        let Some((name, value)) = text.split_once('=') else {
            return Err(SettingError::new(
                format!("--set {text}"),
                "expected NAME=VALUE, e.g. --set utilization=0.4",
            ));
        };
        let name = name.trim().to_string();
        let value = value.trim();
        let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
            .ok()
            .and_then(|mut table| table.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        Ok(Override {
            name,
            value: parsed,
        })
    }
}
