//! Scenario errors: each names the file, the field, what is wrong and how to fix it.

/// A scenario that cannot be used, and why.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Neither a file nor a preset has this name.
    #[error("{path}: no such file, and no preset of that name{hint} (presets: {presets})")]
    NotFound {
        /// The name as given.
        path: String,
        /// The closest presets, e.g. `` (did you mean `chatgpt-class`?)``, or empty.
        hint: String,
        /// Every preset, comma-separated.
        presets: String,
    },
    /// The text is not valid TOML or does not have the scenario's shape.
    #[error("{origin}: {message}")]
    Syntax {
        /// The file path, or `preset NAME`.
        origin: String,
        /// What the parser said.
        message: String,
    },
    /// One field is wrong.
    #[error("{origin}: {field}: {message}")]
    Field {
        /// The file path, or `preset NAME`.
        origin: String,
        /// The field, e.g. `inputs.utilization`.
        field: String,
        /// What is wrong, and how to fix it.
        message: String,
    },
}

impl ScenarioError {
    pub(crate) fn field(
        origin: &str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError::Field {
            origin: origin.to_string(),
            field: field.into(),
            message: message.into(),
        }
    }
}
