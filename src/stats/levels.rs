//! Checks of the levels a caller asks for: percentiles in percent, a confidence level.

/// Checks a percentile list: non-empty, each in `[0, 100]`.
pub fn check_percentiles(list: &[f64]) -> Result<(), LevelError> {
    if list.is_empty() {
        return Err(LevelError::NoPercentiles);
    }
    match list.iter().find(|p| !(**p >= 0.0 && **p <= 100.0)) {
        Some(bad) => Err(LevelError::PercentileOutside(*bad)),
        None => Ok(()),
    }
}

/// Checks a confidence level: strictly between 0 and 1.
pub fn check_confidence(level: f64) -> Result<(), LevelError> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(LevelError::Confidence(level))
    }
}

/// A percentile list or confidence level that cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum LevelError {
    /// The percentile list is empty.
    #[error("give at least one percentile, e.g. [5, 50, 95]")]
    NoPercentiles,
    /// A percentile outside `[0, 100]`.
    #[error("percentile {0} is outside [0, 100]")]
    PercentileOutside(f64),
    /// A confidence level outside `(0, 1)`.
    #[error("confidence {0} must be strictly between 0 and 1, e.g. 0.95{hint}", hint = percent_hint(*.0))]
    Confidence(f64),
}

/// For a confidence level given in percent (`95`): the level meant, written both ways.
fn percent_hint(level: f64) -> String {
    match level > 1.0 && level < 100.0 {
        true => format!(
            "; did you mean {} (or {}%)?",
            crate::format::significant(level / 100.0, 6),
            crate::format::significant(level, 6)
        ),
        false => String::new(),
    }
}
