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

/// [`to_py`] for saving results from Python: the fix for a folder that holds results is the
/// `force` argument.
pub fn saving(error: Error) -> PyErr {
    match error {
        Error::ResultsExist { dir, files } => OutputError::new_err(format!(
            "{} already holds results ({}); pass force=True to replace them or save to another \
             folder",
            dir.display(),
            files.join(", ")
        )),
        other => to_py(other),
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
