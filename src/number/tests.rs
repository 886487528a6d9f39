use super::*;
use proptest::prelude::*;

fn amount(text: &str) -> Result<f64, NumberError> {
    parse(text, Quantity::Amount)
}

fn message(result: Result<impl fmt::Debug, NumberError>) -> String {
    result.expect_err("an error").to_string()
}

#[test]
fn plain_scientific_and_separated_numbers_are_read() {
    for (text, value) in [
        ("0", 0.0),
        ("195000000", 195e6),
        ("195e6", 195e6),
        ("1.95E+8", 195e6),
        ("2.5e-3", 0.0025),
        ("  42 ", 42.0),
        ("+7", 7.0),
        ("-7.5", -7.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1_000", 1000.0),
        ("1_000_000.000_1", 1_000_000.000_1),
        ("1e1_0", 1e10),
        ("-0", 0.0),
    ] {
        assert_eq!(amount(text), Ok(value), "{text}");
    }
}

#[test]
fn suffixes_multiply_the_decimal_digits_before_rounding() {
    for (text, value) in [
        ("300k", 300e3),
        ("300K", 300e3),
        ("20M", 20e6),
        ("2.5B", 2.5e9),
        ("1.2T", 1.2e12),
        ("1.1k", 1100.0),
        ("0.1M", 100_000.0),
        ("2.5e3k", 2.5e6),
        ("-4k", -4000.0),
        ("1_500k", 1.5e6),
    ] {
        assert_eq!(amount(text), Ok(value), "{text}");
    }
}

#[test]
fn dollars_only_on_usd_and_percent_only_on_fractions() {
    assert_eq!(parse("$2.5", Quantity::Usd), Ok(2.5));
    assert_eq!(parse("$1.5M", Quantity::Usd), Ok(1.5e6));
    assert_eq!(parse("-$3", Quantity::Usd), Ok(-3.0));
    assert_eq!(parse("2.5", Quantity::Usd), Ok(2.5));
    assert_eq!(parse("40%", Quantity::Fraction), Ok(0.4));
    assert_eq!(parse("12.5%", Quantity::Fraction), Ok(0.125));
    assert_eq!(parse("0.4", Quantity::Fraction), Ok(0.4));
    assert!(message(parse("$2.5", Quantity::Amount)).contains("not in US dollars"));
    assert!(message(parse("$0.4", Quantity::Fraction)).contains("not in US dollars"));
    let pue = message(parse("120%", Quantity::Amount));
    assert!(pue.starts_with("\"120%\" has a `%`"), "{pue}");
    assert!(pue.contains("not a fraction of 1"), "{pue}");
    assert!(message(parse("95%", Quantity::Percent)).contains("already in percent"));
    assert!(message(parse("40%", Quantity::Usd)).contains("not a fraction"));
}

#[test]
fn a_scaled_unit_takes_no_suffix() {
    let quantity = Quantity::Scaled("1e9 params");
    assert_eq!(parse("175", quantity), Ok(175.0));
    assert_eq!(parse("1.8e3", quantity), Ok(1800.0));
    let error = message(parse("175B", quantity));
    assert!(
        error.contains("already in 1e9 params: write it in 1e9 params, without k, M, B or T (175B would be 175 billion × 1e9 params)"),
        "{error}"
    );
}

#[test]
fn ambiguous_suffixes_are_refused_with_the_spelling_to_use() {
    for (text, needle) in [
        ("20m", "milli (as in Squiggle) or million (as in spreadsheets): write 20M for 20 million, or 20e-3 for 20 thousandths"),
        ("2G", "giga (1e9) or grand (1e3): write 2B for 2 billion, or 2k for 2 thousand"),
        ("2g", "giga"),
        ("2.5b", "write B for billion"),
        ("2.5bn", "write B for billion"),
        ("2.5MM", "write M for million"),
        ("3t", "write T for trillion"),
        ("5x", "unknown suffix `x`"),
        ("5k%", "unknown suffix `k%`"),
        ("5 M", "together"),
    ] {
        let error = message(amount(text));
        assert!(error.contains(needle), "{text}: {error}");
        assert!(error.starts_with(&format!("\"{text}\" ")), "{error}");
    }
}

#[test]
fn text_that_is_no_finite_number_is_an_error_that_says_why() {
    for (text, needle) in [
        ("", "is empty"),
        ("   ", "is empty"),
        ("--", "is not a number"),
        ("-", "is not a number"),
        ("--5", "is not a number"),
        ("abc", "is not a number"),
        ("0x10", "is not a number"),
        ("1.2.3", "is not a number"),
        ("1e400", "too large"),
        ("-1e400", "too large"),
        ("1e-400", "too small"),
        ("1e99999999999999999999999", "too large"),
        ("inf", "not a finite number"),
        ("-infinity", "not a finite number"),
        ("NaN", "not a finite number"),
        ("1,000", "comma"),
        ("1 000", "space"),
        ("_1", "`_` that is not between two digits"),
        ("1__0", "`_` that is not between two digits"),
        ("1_", "`_` that is not between two digits"),
        ("1_.5", "`_` that is not between two digits"),
        ("1e", "exponent without digits"),
        ("1e+", "exponent without digits"),
        ("1e-k", "exponent without digits"),
        ("1 to 2", "space"),
    ] {
        let error = message(amount(text));
        assert!(error.contains(needle), "{text:?}: {error}");
    }
    assert_eq!(amount("0e99999999999999999999"), Ok(0.0));
    let error = message(parse("$", Quantity::Usd));
    assert!(error.contains("is not a number"), "{error}");
}

#[test]
fn long_or_odd_text_is_cut_and_escaped_in_messages() {
    let long = "9".repeat(1000) + "x";
    let error = message(amount(&long));
    assert!(error.len() < 200, "{error}");
    assert!(error.contains('…'));
    let error = message(amount("1\u{7}"));
    assert!(error.contains("\\u{7}"), "{error}");
    assert!(amount("１２").is_err());
    assert!(amount("−5").is_err());
}

#[test]
fn counts_are_whole_and_exact() {
    for (text, value) in [
        ("100000", 100_000),
        ("1e6", 1_000_000),
        ("20M", 20_000_000),
        ("1.5k", 1500),
        ("1_000", 1000),
        ("0", 0),
        ("18446744073709551615", u64::MAX),
        ("18_446_744_073_709_551_615", u64::MAX),
        ("9007199254740992", 1 << 53),
        ("9.007199254740991e15", (1 << 53) - 1),
    ] {
        assert_eq!(parse_count(text), Ok(value), "{text}");
    }
    for (text, needle) in [
        (
            "2.5",
            "\"2.5\" is not a whole number: a count is a whole number such as 2 or 3",
        ),
        (
            "1.0005k",
            "is not a whole number (1000.5): a count is a whole number such as 1000 or 1001",
        ),
        ("-3", "negative"),
        ("40%", "a count is a whole number"),
        ("$5", "not money"),
        ("18446744073709551616", "too large"),
        ("1e30", "too large"),
        ("9.007199254740993e15", "plain digits"),
        ("9.007199254740992e15", "plain digits"),
        ("1e-400", "too small"),
        ("", "empty"),
    ] {
        let error = message(parse_count(text));
        assert!(error.contains(needle), "{text}: {error}");
    }
}

proptest! {
    #[test]
    fn every_finite_f64_round_trips_through_its_scientific_and_plain_forms(bits: u64) {
        let x = f64::from_bits(bits);
        prop_assume!(x.is_finite());
        prop_assert_eq!(amount(&format!("{x:e}")), Ok(x));
        prop_assert_eq!(amount(&format!("{x:E}")), Ok(x));
        prop_assert_eq!(amount(&format!("{x}")), Ok(x));
    }

    #[test]
    fn a_suffix_is_an_exponent(mantissa in -1e6f64..1e6, shift in 0usize..4) {
        let suffix = ["k", "M", "B", "T"][shift];
        let exponent = 3 * (shift as i32 + 1);
        let direct: f64 = format!("{mantissa}e{exponent}").parse().unwrap();
        prop_assert_eq!(amount(&format!("{mantissa}{suffix}")), Ok(direct));
    }

    #[test]
    fn a_percentage_is_the_correctly_rounded_hundredth(n in -(1i64 << 53)..(1i64 << 53)) {
        prop_assert_eq!(parse(&format!("{n}%"), Quantity::Fraction), Ok(n as f64 / 100.0));
    }

    #[test]
    fn counts_with_separators_read_exactly(n: u64) {
        let digits = n.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push('_');
            }
            grouped.push(c);
        }
        prop_assert_eq!(parse_count(&digits), Ok(n));
        prop_assert_eq!(parse_count(&grouped), Ok(n));
    }

    #[test]
    fn any_text_gives_a_finite_number_or_an_error_naming_it(text in "\\PC{0,24}") {
        for quantity in [Quantity::Amount, Quantity::Usd, Quantity::Fraction, Quantity::Percent,
                         Quantity::Scaled("GB")] {
            match parse(&text, quantity) {
                Ok(x) => prop_assert!(x.is_finite()),
                Err(e) => prop_assert!(e.to_string().starts_with('"')),
            }
        }
        let _ = parse_count(&text);
    }

    #[test]
    fn number_shaped_text_never_panics(text in "[-+$]?[0-9_.]{0,6}([eE][-+]?[0-9_]{0,4})?[kKMBT%mGb]?") {
        for quantity in [Quantity::Amount, Quantity::Usd, Quantity::Fraction] {
            if let Ok(x) = parse(&text, quantity) {
                prop_assert!(x.is_finite());
            }
        }
        let _ = parse_count(&text);
    }
}
