//! Numbers as people write them: the one parser behind every number the tool reads as text
//! (scenario strings, `--set`, `--samples`, `--exceed`, `--vary`, …).
//!
//! Accepted: plain and scientific notation (`2500000`, `2.5e6`), `_` between digits
//! (`2_500_000`), one suffix `k`/`K` (thousand), `M` (million), `B` (billion) or `T`
//! (trillion) (`2.5M`), a leading `$` on an amount in US dollars (`$2.5`), and `%` on a
//! fraction (`40%` is 0.4). The multiplier is applied to the decimal digits before rounding to
//! the nearest `f64`, so `1.1k` is exactly 1100 and `12.5%` exactly 0.125.
//!
//! Refused, each with the spelling to use instead: `m` (milli in Squiggle, million in
//! spreadsheets), `G` (giga or grand), lowercase `b` and `t`, `bn`, `MM`; `%` where the value is
//! not a fraction; `$` where it is not in USD; a suffix on a unit that is already scaled
//! (`active_params_b = "175B"` would be 175 billion billion); commas and spaces as digit
//! separators; empty text; `inf`, `nan` and anything that overflows (`1e400`) or rounds to 0.

use std::fmt;

/// What a number stands for: it decides which marks it may carry besides its digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// An amount in some unit (tokens, watts, a ratio): digits, exponent, `_`, one of
    /// `k K M B T`.
    Amount,
    /// An amount of US dollars: as [`Quantity::Amount`], and may start with `$`.
    Usd,
    /// A fraction of 1 (a utilization, a confidence level, a yearly rate): as
    /// [`Quantity::Amount`], or a percentage, `40%` = 0.4.
    Fraction,
    /// A number already in percent (a percentile): as [`Quantity::Amount`]; `%` is refused, as
    /// `95%` would read as 0.95.
    Percent,
    /// An amount whose unit already carries a scale, such as `1e9 params` or `TFLOP/s` (the
    /// unit): no suffix, as `175B` billion parameters would be 175e18 parameters.
    Scaled(&'static str),
}

/// A number that cannot be read: the text as written and what is wrong, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct NumberError {
    text: String,
    problem: String,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" {}", self.text, self.problem)
    }
}

impl NumberError {
    fn new(text: &str, problem: impl Into<String>) -> NumberError {
        NumberError {
            text: shown(text),
            problem: problem.into(),
        }
    }
}

/// The longest text an error message repeats in full.
const SHOWN_MAX_CHARS: usize = 40;

/// `text` for a message: trimmed, control characters escaped, cut to [`SHOWN_MAX_CHARS`].
fn shown(text: &str) -> String {
    let text = text.trim();
    let mut out = String::new();
    for c in text.chars().take(SHOWN_MAX_CHARS) {
        match c.is_control() {
            true => out.extend(c.escape_default()),
            false => out.push(c),
        }
    }
    if text.chars().count() > SHOWN_MAX_CHARS {
        out.push('…');
    }
    out
}

/// The syntax, for messages about text that is not a number at all.
const EXAMPLES: &str = "write e.g. 2500000, 2.5e6, 2_500_000 or 2.5M (k, M, B, T: thousand, \
                        million, billion, trillion)";

/// Parses `text` as a finite number of the given [`Quantity`].
///
/// ```
/// use costbands::number::{parse, Quantity};
/// assert_eq!(parse("2.5M", Quantity::Amount), Ok(2.5e6));
/// assert_eq!(parse("1_000", Quantity::Amount), Ok(1000.0));
/// assert_eq!(parse("$2.5", Quantity::Usd), Ok(2.5));
/// assert_eq!(parse("40%", Quantity::Fraction), Ok(0.4));
/// assert!(parse("20m", Quantity::Amount).is_err()); // milli or million?
/// ```
pub fn parse(text: &str, quantity: Quantity) -> Result<f64, NumberError> {
    let written = Written::read(text, Rules::of(quantity))?;
    written.value(text)
}

/// The bound (2^53) below which every written form of a count reads exactly: from it on,
/// `9007199254740993` in plain digits is exact but `9.007199254740993e15` is rounded.
pub const EXACT_COUNT_MAX: u64 = 1 << 53;

/// Parses `text` as a count: a whole number ≥ 0 (`100000`, `1e6`, `20M`, `1_000`; `1.5k` is
/// 1500). Plain digits are read exactly up to `u64::MAX`; other forms below
/// [`EXACT_COUNT_MAX`]. `2.5`, `-3`, `40%` and `$5` are errors.
///
/// ```
/// use costbands::number::parse_count;
/// assert_eq!(parse_count("20M"), Ok(20_000_000));
/// assert_eq!(parse_count("18446744073709551615"), Ok(u64::MAX));
/// assert!(parse_count("2.5").is_err());
/// ```
pub fn parse_count(text: &str) -> Result<u64, NumberError> {
    let written = Written::read(text, Rules::COUNT)?;
    if let Some(exact) = written.plain_digits() {
        return exact
            .parse::<u64>()
            .map_err(|_| NumberError::new(text, format!("is too large: at most {}", u64::MAX)));
    }
    let value = written.value(text)?;
    if value < 0.0 {
        return Err(NumberError::new(
            text,
            "is negative: a count is a whole number ≥ 0",
        ));
    }
    if value.fract() != 0.0 {
        let read = crate::format::significant(value, 6);
        let read = match read == text.trim() {
            true => String::new(),
            false => format!(" ({read})"),
        };
        return Err(NumberError::new(
            text,
            format!(
                "is not a whole number{read}: a count is a whole number such as {} or {}",
                value.floor(),
                value.ceil()
            ),
        ));
    }
    if value >= u64::MAX as f64 {
        return Err(NumberError::new(
            text,
            format!("is too large: at most {}", u64::MAX),
        ));
    }
    if value >= EXACT_COUNT_MAX as f64 {
        return Err(NumberError::new(
            text,
            "is 2^53 or more, where this form may be rounded: write it in plain digits to be exact",
        ));
    }
    Ok(value as u64)
}

/// Which marks a [`Quantity`] allows, and what to say when one is used where it is not.
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// `Err(problem)` when `$` is refused.
    dollar: Result<(), &'static str>,
    /// `Err(problem)` when `%` is refused.
    percent: Result<(), &'static str>,
    /// `Some(unit)` when the unit is already scaled and suffixes are refused.
    scaled: Option<&'static str>,
}

const NOT_USD: &str =
    "has a `$`, but this value is not in US dollars: write the number alone, without `$`";
const NOT_FRACTION: &str = "has a `%`, but this value is not a fraction of 1 (% is accepted for \
                            fractions such as utilization, mfu or a confidence level): write the \
                            number itself, without `%`";

impl Rules {
    const COUNT: Rules = Rules {
        dollar: Err("has a `$`, but a count is not money: write the whole number alone"),
        percent: Err("has a `%`, but a count is a whole number: write it without `%`"),
        scaled: None,
    };

    fn of(quantity: Quantity) -> Rules {
        let amount = Rules {
            dollar: Err(NOT_USD),
            percent: Err(NOT_FRACTION),
            scaled: None,
        };
        match quantity {
            Quantity::Amount => amount,
            Quantity::Usd => Rules {
                dollar: Ok(()),
                ..amount
            },
            Quantity::Fraction => Rules {
                percent: Ok(()),
                ..amount
            },
            Quantity::Percent => Rules {
                percent: Err(
                    "has a `%`, but this number is already in percent: write 95 for the 95th \
                     percentile, without `%`",
                ),
                ..amount
            },
            Quantity::Scaled(unit) => Rules {
                scaled: Some(unit),
                ..amount
            },
        }
    }
}

/// A number as written, checked but not yet rounded: sign, decimal digits, exponent, and the
/// power of ten its suffix adds.
#[derive(Debug)]
struct Written<'a> {
    negative: bool,
    /// Digits with at most one `.`, separators removed.
    mantissa: String,
    /// The exponent as written (`None` without `e`), separators removed.
    exponent: Option<String>,
    /// Powers of ten added by the suffix: 3 for `k`, -2 for `%`.
    shift: i64,
    /// The text between the sign and the suffix, for [`Written::plain_digits`].
    body: &'a str,
}

impl<'a> Written<'a> {
    fn read(text: &'a str, rules: Rules) -> Result<Written<'a>, NumberError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(NumberError::new(text, format!("is empty: {EXAMPLES}")));
        }
        let (negative, rest) = match trimmed.as_bytes()[0] {
            b'-' => (true, &trimmed[1..]),
            b'+' => (false, &trimmed[1..]),
            _ => (false, trimmed),
        };
        let rest = match rest.strip_prefix('$') {
            Some(after) => {
                rules
                    .dollar
                    .map_err(|problem| NumberError::new(text, problem))?;
                after
            }
            None => rest,
        };
        let body_end = rest
            .rfind(|c: char| c.is_ascii_digit() || c == '.' || c == '_')
            .map_or(0, |i| i + 1);
        let (body, suffix) = rest.split_at(body_end);
        let (mantissa, exponent) =
            split_body(body, suffix).map_err(|p| NumberError::new(text, p))?;
        let shift = suffix_shift(body, suffix, rules).map_err(|p| NumberError::new(text, p))?;
        Ok(Written {
            negative,
            mantissa,
            exponent,
            shift,
            body,
        })
    }

    /// The digits, when the number is written as plain digits and separators (no sign `-`,
    /// point, exponent or suffix): a count read exactly.
    fn plain_digits(&self) -> Option<String> {
        let plain = !self.negative
            && self.exponent.is_none()
            && self.shift == 0
            && self.body.bytes().all(|b| b.is_ascii_digit() || b == b'_');
        plain.then(|| self.mantissa.clone())
    }

    /// The nearest `f64`: the multiplier is applied to the decimal exponent, so rounding
    /// happens once.
    fn value(&self, text: &str) -> Result<f64, NumberError> {
        let written: i64 = match &self.exponent {
            None => 0,
            // Digits only, so a failure is an exponent beyond i64: saturate.
            Some(e) => e.parse().unwrap_or(if e.starts_with('-') {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            }),
        };
        let exponent = written.saturating_add(self.shift);
        let sign = if self.negative { "-" } else { "" };
        let value: f64 = format!("{sign}{}e{exponent}", self.mantissa)
            .parse()
            .map_err(|_| NumberError::new(text, format!("cannot be read: {EXAMPLES}")))?;
        if value.is_infinite() {
            return Err(NumberError::new(
                text,
                "is too large: the largest number is about 1.8e308",
            ));
        }
        let nonzero = self.mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b));
        if value == 0.0 && nonzero {
            return Err(NumberError::new(
                text,
                "is too small: it rounds to 0 (the smallest number is about 5e-324); write 0 if you mean it",
            ));
        }
        Ok(value)
    }
}

/// Splits `digits[.digits][e[±]digits]` into mantissa and exponent with separators removed,
/// or says what is wrong (`suffix` is what follows, for the message).
fn split_body(body: &str, suffix: &str) -> Result<(String, Option<String>), String> {
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let mantissa_ok = mantissa.bytes().filter(|b| *b == b'.').count() <= 1
        && mantissa.bytes().any(|b| b.is_ascii_digit())
        && mantissa
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
        && separators_between_digits(mantissa);
    let exponent_digits = exponent.map(|e| e.strip_prefix(['+', '-']).unwrap_or(e));
    let exponent_ok = exponent_digits.is_none_or(|d| {
        d.bytes().any(|b| b.is_ascii_digit())
            && d.bytes().all(|b| b.is_ascii_digit() || b == b'_')
            && separators_between_digits(d)
    });
    if !(mantissa_ok && exponent_ok) {
        return Err(body_problem(body, suffix));
    }
    let clean = |s: &str| s.replace('_', "");
    Ok((clean(mantissa), exponent.map(clean)))
}

/// Whether every `_` in `text` has a digit on each side.
fn separators_between_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| {
        *b != b'_'
            || (i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

/// What is wrong with text that is not `digits[.digits][e[±]digits]`.
fn body_problem(body: &str, suffix: &str) -> String {
    let whole = format!("{body}{suffix}");
    let lower = whole.to_ascii_lowercase();
    if ["inf", "infinity", "nan"].contains(&lower.trim_start_matches(['+', '-'])) {
        return "is not a finite number: give a finite value".to_string();
    }
    if whole.contains(',') {
        return "holds a comma: commas do not separate digits here; write 1_000_000 or 1M"
            .to_string();
    }
    if whole.contains(char::is_whitespace) {
        return "holds a space: write the number and its suffix together (2.5M) and separate \
                digits with _ (1_000_000)"
            .to_string();
    }
    if whole.contains('_') {
        return "has a `_` that is not between two digits: write 1_000_000".to_string();
    }
    if body.ends_with(['e', 'E']) || body.ends_with(['+', '-']) || suffix.starts_with(['e', 'E']) {
        return "has an exponent without digits: write e.g. 2.5e6".to_string();
    }
    format!("is not a number: {EXAMPLES}")
}

/// The power of ten a suffix adds, or why it is refused (`digits` are the number before it,
/// for the message).
fn suffix_shift(digits: &str, suffix: &str, rules: Rules) -> Result<i64, String> {
    let (shift, word) = match suffix {
        "" => return Ok(0),
        "%" => {
            return rules.percent.map(|()| -2).map_err(str::to_string);
        }
        "k" | "K" => (3, "thousand"),
        "M" => (6, "million"),
        "B" => (9, "billion"),
        "T" => (12, "trillion"),
        other => return Err(unknown_suffix(digits, other)),
    };
    match rules.scaled {
        Some(unit) => Err(format!(
            "has a suffix, but this value is already in {unit}: write it in {unit}, without \
             k, M, B or T ({n}{suffix} would be {n} {word} × {unit})",
            n = shown(digits),
        )),
        None => Ok(shift),
    }
}

/// Why a suffix is refused, with the spelling to use for `digits`.
fn unknown_suffix(digits: &str, suffix: &str) -> String {
    let n = shown(digits);
    match suffix {
        "m" => format!(
            "has `m`, which could mean milli (as in Squiggle) or million (as in spreadsheets): \
             write {n}M for {n} million, or {n}e-3 for {n} thousandths"
        ),
        "G" | "g" => format!(
            "has `{suffix}`, which could mean giga (1e9) or grand (1e3): write {n}B for {n} \
             billion, or {n}k for {n} thousand"
        ),
        "b" | "bn" | "Bn" | "BN" | "bil" => {
            format!("has `{suffix}`: write B for billion, {n}B")
        }
        "MM" | "mm" | "mn" | "Mn" | "mil" => {
            format!("has `{suffix}`: write M for million, {n}M")
        }
        "t" | "tn" | "Tn" => {
            format!("has `{suffix}`: write T for trillion ({n}T) or k for thousand ({n}k)")
        }
        _ if suffix.starts_with(['e', 'E']) => {
            "has an exponent without digits: write e.g. 2.5e6".to_string()
        }
        _ if suffix.contains(char::is_whitespace) => {
            "holds a space: write the number and its suffix together, e.g. 2.5M".to_string()
        }
        _ => format!(
            "has an unknown suffix `{}`: suffixes are k (thousand), M (million), B (billion), \
             T (trillion), and % on a fraction",
            shown(suffix)
        ),
    }
}

#[cfg(test)]
mod tests;
