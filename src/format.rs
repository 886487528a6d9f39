//! Numbers for people: one significant-digits formatter for every message, description and
//! table the tool prints.

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

#[cfg(test)]
mod tests {
    use super::significant;

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
