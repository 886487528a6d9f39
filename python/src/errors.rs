//! The library's errors as Python exceptions, with the message the command line prints.

use crate::{OutputError, ScenarioError};
use costbands::Error;
use pyo3::PyErr;

/// `ScenarioError` (a `ValueError`) for a scenario or option that cannot be used, and
/// `OutputError` (an `OSError`) for result files that cannot be written.
pub fn to_py(error: Error) -> PyErr {
    let message = message(&error);
    match error {
        Error::ResultsExist { .. } | Error::Export(_) | Error::Output(_) => {
            OutputError::new_err(message)
        }
        _ => ScenarioError::new_err(message),
    }
}

/// A `ScenarioError` with `message`.
pub fn scenario_error(message: impl Into<String>) -> PyErr {
    ScenarioError::new_err(message.into())
}

/// The error and its causes, each cause only when the message does not already say it: what
/// the command line prints after `error: `.
pub fn message(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}
