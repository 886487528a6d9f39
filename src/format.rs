//! Numbers for people: one significant-digits formatter for every message, description and
//! table the tool prints, and [`compact`] for amounts with a k/M/B/T suffix (`$4.1M`, `12.3k`).

/// `x` rounded to `digits` significant digits (correctly rounded from its exact binary value)
/// and written in Rust's shortest round-trip form: no exponent, no trailing zeros.
/// `significant(694_464.0, 4)` is `694500`, `significant(0.003_561_2, 3)` is `0.00356`.
pub fn significant(x: f64, digits: usize) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{x}");
    }
    let precision = digits.max(1) - 1;
    let rounded: f64 = format!("{x:.precision$e}").parse().unwrap_or(x);
    format!("{rounded}")
}

/// `value` in `unit` with `digits` significant digits and a k/M/B/T suffix (thousand, million,
/// billion, trillion); amounts in US dollars (a unit starting with `USD`) get a `$` prefix.
/// `compact(4_071_234.5, "USD/day", 2)` is `$4.1M`, `compact(12_303.0, "GPUs", 3)` is `12.3k`,
/// `compact(0.003_561, "USD", 2)` is `$0.0036`. The value is rounded before the suffix is
/// chosen, so `compact(999_960.0, "USD", 3)` is `$1M`, not `$1000k`.
pub fn compact(value: f64, unit: &str, digits: usize) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    let dollars = if unit.starts_with("USD") { "$" } else { "" };
    let sign = if value < 0.0 { "-" } else { "" };
    let rounded: f64 = significant(value.abs(), digits)
        .parse()
        .unwrap_or(value.abs());
    let (scale, suffix) = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
        .into_iter()
        .find(|(scale, _)| rounded >= *scale)
        .unwrap_or((1.0, ""));
    let digits = significant(rounded / scale, digits);
    format!("{sign}{dollars}{digits}{suffix}")
}

/// `n` with a comma between groups of three digits: `thousands(100_000)` is `100,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{compact, significant, thousands};

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(0), "0");
    }

    #[test]
    fn compact_amounts_take_a_suffix_and_dollars_a_sign() {
        assert_eq!(compact(4_071_234.5, "USD/day", 2), "$4.1M");
        assert_eq!(compact(12_303.0, "GPUs", 3), "12.3k");
        assert_eq!(compact(694_464.0, "USD/day", 4), "$694.5k");
        assert_eq!(compact(0.003_561, "USD", 2), "$0.0036");
        assert_eq!(compact(-2.5e9, "USD/day", 3), "-$2.5B");
        assert_eq!(compact(999_960.0, "USD", 3), "$1M");
        assert_eq!(compact(999.0, "Wh", 3), "999");
        assert_eq!(compact(0.0, "USD", 3), "$0");
        assert_eq!(compact(f64::INFINITY, "USD", 3), "inf");
    }

    #[test]
    fn rounds_to_significant_digits_without_exponent_or_trailing_zeros() {
        assert_eq!(significant(694_464.0, 4), "694500");
        assert_eq!(significant(694.464, 4), "694.5");
        assert_eq!(significant(0.003_561_2, 3), "0.00356");
        assert_eq!(significant(1.0, 4), "1");
        assert_eq!(significant(999.96, 4), "1000");
        assert_eq!(significant(-2.345_67, 3), "-2.35");
        assert_eq!(significant(1.5e-7, 2), "0.00000015");
        assert_eq!(significant(0.0, 4), "0");
        assert_eq!(significant(f64::NAN, 4), "NaN");
        assert_eq!(significant(f64::INFINITY, 4), "inf");
    }
}
