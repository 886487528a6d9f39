//! Human number formatting for the terminal: `$694.5k`, `28.94k`, `0.3008`.

/// Formats `value` in `unit` with 4 significant digits and a k/M/B/T suffix; USD units get a
/// `$` prefix.
pub fn human(value: f64, unit: &str) -> String {
    crate::format::compact(value, unit, 4)
}

/// `value [low, high]`, each as [`human`] writes it: an estimate with its interval.
pub fn human_interval(value: f64, low: f64, high: f64, unit: &str) -> String {
    format!(
        "{} [{}, {}]",
        human(value, unit),
        human(low, unit),
        human(high, unit)
    )
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn formats_money_counts_and_small_values() {
        assert_eq!(human(694_464.0, "USD/day"), "$694.5k");
        assert_eq!(human(28_936.0, "GPUs"), "28.94k");
        assert_eq!(human(0.003_561, "USD"), "$0.003561");
        assert_eq!(human(0.3008, "Wh"), "0.3008");
        assert_eq!(human(2.5e9, "USD/day"), "$2.5B");
        assert_eq!(human(1000.0, "GPUs"), "1k");
        assert_eq!(human(f64::NAN, "GPUs"), "NaN");
    }
}
