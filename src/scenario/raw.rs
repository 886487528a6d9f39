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
    /// Whether `training_usd_per_day` is part of `daily_cost_usd` (default false).
    pub include_training: Option<bool>,
    pub inputs: toml::Table,
    #[serde(default)]
    pub sampling: RawSampling,
    #[serde(default)]
    pub costs: Vec<super::costs::RawCost>,
    #[serde(default)]
    pub correlations: Vec<super::correlation::RawPair>,
    pub correlation: Option<super::correlation::RawMatrix>,
    /// The optional `[compare]` table: how `costbands compare` pairs this scenario's inputs.
    #[serde(default)]
    pub compare: RawCompare,
    /// GPU entries of the scenario's own, `[gpus.<id>]` with the catalog's fields: `gpu`
    /// looks here before the built-in catalog.
    #[serde(default)]
    pub gpus: std::collections::BTreeMap<String, crate::model::hardware::Gpu>,
}

/// The optional `[compare]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCompare {
    /// Inputs drawn at the same quantile level as in the other scenario where their
    /// distributions differ, as `--couple NAME` does.
    #[serde(default)]
    pub couple: Vec<String>,
}

/// The optional `[sampling]` table. Its numbers are TOML numbers or strings, read by
/// [`crate::number`] (`samples = "1M"`, `confidence = "95%"`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSampling {
    pub samples: Option<toml::Value>,
    pub seed: Option<toml::Value>,
    pub percentiles: Option<Vec<toml::Value>>,
    pub confidence: Option<toml::Value>,
    pub method: Option<String>,
    pub replicates: Option<toml::Value>,
}

/// A number of the scenario file as the text [`crate::number`] reads: a string as written, a
/// TOML number in its shortest form (`1e6` is `1000000`). `None` for other TOML types.
pub(super) fn number_text(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(text) => Some(text.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        // Shortest round-trip form; with an exponent when plain digits would run long.
        toml::Value::Float(x) if x.abs() >= 1e16 => Some(format!("{x:e}")),
        toml::Value::Float(x) => Some(x.to_string()),
        _ => None,
    }
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
    /// Parses `NAME=VALUE`, where VALUE is one TOML value (`0.5`, `{ dist = "beta", ... }`)
    /// or, failing that, a bare string (`500 to 2000`, `h100-sxm`). One `--set` sets one
    /// input: a line break, or a `#` comment, is an error rather than something dropped.
    pub fn parse(text: &str) -> Result<Override, SettingError> {
        let shown: String = text
            .chars()
            .map(|c| match c {
                c if c.is_control() => c.escape_default().to_string(),
                c => c.to_string(),
            })
            .collect();
        let error = |problem: &str| SettingError::new(format!("--set {shown}"), problem);
        let Some((name, value)) = text.split_once('=') else {
            return Err(error("expected NAME=VALUE, e.g. --set utilization=0.4"));
        };
        if text.chars().any(char::is_control) {
            return Err(error(
                "holds a line break or another control character; one --set sets one input: give each its own --set",
            ));
        }
        let name = name.trim().to_string();
        let value = value.trim();
        let parsed =
            match value.parse::<toml::Value>() {
                Ok(parsed) => parsed,
                Err(_) if value.contains('#') => return Err(error(
                    "holds a `#`: a --set value takes no comment (quote a string that contains #)",
                )),
                Err(_) => toml::Value::String(value.to_string()),
            };
        Ok(Override {
            name,
            value: parsed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_set_sets_one_input() {
        let set = Override::parse("utilization = 0.5").unwrap();
        assert_eq!(
            (set.name.as_str(), set.value),
            ("utilization", toml::Value::Float(0.5))
        );
        let set = Override::parse("gpu=h100-sxm").unwrap();
        assert_eq!(set.value, toml::Value::String("h100-sxm".into()));
        let set = Override::parse("queries_per_day=1e8 to 3e8").unwrap();
        assert_eq!(set.value, toml::Value::String("1e8 to 3e8".into()));
        let set = Override::parse("mfu={ dist = \"beta\", mean = 0.3, sd = 0.05 }").unwrap();
        assert!(set.value.is_table());
        let set = Override::parse("gpu=\"a # b\"").unwrap();
        assert_eq!(set.value, toml::Value::String("a # b".into()));
        for bad in [
            "utilization=0.5\nmfu=0.9",
            "utilization=0.5\r",
            "utilization=0.5 # c",
            "utilization=0.5 #",
            "gpu=h100 # mine",
        ] {
            assert!(Override::parse(bad).is_err(), "{bad:?}");
        }
    }
}
