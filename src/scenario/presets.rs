//! Built-in presets: the scenario files in `distributions/`, embedded in the binary so that
//! `costbands run NAME` works from any directory.

use super::{Override, Scenario, ScenarioError};
use std::io::Read;
use std::path::Path;

/// The largest scenario file read: far beyond any real scenario, and a stop for `/dev/zero`
/// or a file given by mistake.
pub const MAX_SCENARIO_BYTES: u64 = 16 << 20;

/// A built-in scenario file.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// The file stem, e.g. `semianalysis-2023`.
    pub name: &'static str,
    /// The file's text.
    pub text: &'static str,
}

macro_rules! preset {
    ($name:literal) => {
        Preset {
            name: $name,
            text: include_str!(concat!("../../distributions/", $name, ".toml")),
        }
    };
}

/// The preset run by `costbands run` with no file.
pub const DEFAULT_PRESET: &str = "chatgpt-class";

/// Every built-in preset.
pub const PRESETS: &[Preset] = &[
    preset!("chatgpt-class"),
    preset!("semianalysis-2023"),
    preset!("semianalysis-2023-uncertain"),
    preset!("goldstein-2022"),
    preset!("goldstein-2022-uncertain"),
    preset!("epoch-2025"),
    preset!("epoch-2025-uncertain"),
    preset!("deepseek-2025"),
    preset!("chatgpt-2025"),
    preset!("selfhost-70b"),
    preset!("reasoning"),
    preset!("owned-fleet"),
    preset!("full-cost"),
];

pub(super) fn load(arg: &str, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    let path = Path::new(arg);
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or(arg)
        .to_string();
    match read_capped(path) {
        Ok(text) => Scenario::from_toml(&text, arg, &stem, overrides),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            match PRESETS.iter().find(|preset| preset.name == arg) {
                Some(preset) => Scenario::from_toml(
                    preset.text,
                    &format!("preset {}", preset.name),
                    preset.name,
                    overrides,
                ),
                None => Err(unknown_preset(arg, &stem)),
            }
        }
        Err(source) => Err(ScenarioError::Io {
            path: arg.to_string(),
            source,
        }),
    }
}

/// `arg` is neither a file nor a preset: the presets closest to its `stem` (the file name
/// without folder and extension), then all of them, said once (the error has no source that
/// repeats them).
fn unknown_preset(arg: &str, stem: &str) -> ScenarioError {
    let names = PRESETS.iter().map(|p| p.name);
    ScenarioError::NotFound {
        path: arg.to_string(),
        hint: crate::dist::suggest_close(stem, names.clone()),
        presets: names.collect::<Vec<_>>().join(", "),
    }
}

/// Reads a text file of at most [`MAX_SCENARIO_BYTES`].
fn read_capped(path: &Path) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_SCENARIO_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            "larger than 16 MiB, the most a scenario file may hold; is it the right file?",
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text; a scenario file is TOML",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_preset_lists_the_presets_once_and_suggests_the_closest_regression() {
        let error = load("chatgpt_class", &[]).unwrap_err();
        let mut chain = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            chain.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        assert_eq!(
            chain.matches("semianalysis-2023-uncertain").count(),
            1,
            "{chain}"
        );
        assert!(chain.contains("did you mean `chatgpt-class`?"), "{chain}");
    }
}
