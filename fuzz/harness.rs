//! The bodies of the fuzz targets, shared by `fuzz/fuzz_targets/*.rs` (libFuzzer) and
//! `tests/fuzz_regressions.rs` (plain `cargo test` on stable), so a crashing input kept in
//! `fuzz/regressions/<target>/` is replayed through exactly the code that found it.
//!
//! Each function takes arbitrary bytes, runs them through the library as the command line
//! would, and panics when an invariant breaks; a panic is what the fuzzer reports as a crash.
//! It returns the outcome: `Ok(())`, or the clean error the user would see.

use costbands::number::{self, Quantity};
use costbands::request::{CommonOptions, RunOptions, RunRequest};
use costbands::scenario::PRESETS;
use std::path::Path;

/// The longest message about a number: the text is cut to 40 characters in it, so a message
/// stays this short however long the input.
const NUMBER_MESSAGE_MAX_CHARS: usize = 600;

/// Most `--set` items taken from one input.
const SET_ITEMS_MAX: usize = 8;

/// `data` as scenario TOML text, validated as `costbands check FILE` does: written to
/// `dir/scenario.toml` and loaded by [`RunRequest::new`] (file read, TOML, inputs, hardware
/// catalog lookup, domains, correlations, `[sampling]`, settings merge, memory check).
pub fn scenario(dir: &Path, data: &[u8]) -> Result<(), String> {
    let path = dir.join("scenario.toml");
    std::fs::write(&path, data).expect("the fuzz directory is writable");
    let options = RunOptions {
        scenarios: vec![path.display().to_string()],
        ..RunOptions::default()
    };
    checked(RunRequest::new(&options))
}

/// `data` as `--set NAME=VALUE` items (split at NUL bytes, which no command-line argument
/// holds) applied to a preset chosen by the first byte, validated as
/// `costbands check PRESET --set ...` does.
pub fn set(data: &[u8]) -> Result<(), String> {
    let Some((first, rest)) = data.split_first() else {
        return Ok(());
    };
    let preset = PRESETS[usize::from(*first) % PRESETS.len()];
    let items: Vec<String> = rest
        .split(|b| *b == 0)
        .take(SET_ITEMS_MAX)
        .map(|item| String::from_utf8_lossy(item).into_owned())
        .collect();
    let options = RunOptions {
        scenarios: vec![preset.name.to_string()],
        common: CommonOptions {
            set: items,
            ..CommonOptions::default()
        },
        ..RunOptions::default()
    };
    checked(RunRequest::new(&options))
}

/// `data` as the text of a number, read as every [`Quantity`] and as a count, with the
/// parser's invariants checked: results are finite; a plain amount reads the same as every
/// looser quantity; a result round-trips through `{:e}`; a count round-trips through its
/// digits and equals the amount read from the same text; errors name the text and are short.
pub fn number(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let amount = number::parse(text, Quantity::Amount);
    match &amount {
        Ok(x) => {
            assert!(x.is_finite(), "{text:?}: {x}");
            let again = number::parse(&format!("{x:e}"), Quantity::Amount);
            assert_eq!(
                again,
                Ok(*x),
                "{text:?} read {x}, which does not round-trip"
            );
        }
        Err(e) => check_number_error(text, &e.to_string()),
    }
    for quantity in [Quantity::Usd, Quantity::Fraction, Quantity::Percent] {
        let read = number::parse(text, quantity);
        match &read {
            Ok(x) => assert!(x.is_finite(), "{text:?} as {quantity:?}: {x}"),
            Err(e) => check_number_error(text, &e.to_string()),
        }
        // What a plain amount takes, the looser quantities take too, with the same value.
        if let Ok(a) = amount {
            assert_eq!(read, Ok(a), "{text:?}: {quantity:?} reads otherwise");
        }
    }
    match number::parse(text, Quantity::Scaled("GB")) {
        Ok(x) => assert_eq!(amount, Ok(x), "{text:?}: scaled reads otherwise"),
        Err(e) => check_number_error(text, &e.to_string()),
    }
    match number::parse_count(text) {
        Ok(n) => {
            assert_eq!(number::parse_count(&n.to_string()), Ok(n), "{text:?}");
            assert_eq!(
                amount,
                Ok(n as f64),
                "{text:?}: the count {n} and the amount differ"
            );
        }
        Err(e) => check_number_error(text, &e.to_string()),
    }
    amount.map(|_| ()).map_err(|e| e.to_string())
}

/// A number's error names the text (quoted first) and stays short.
fn check_number_error(text: &str, message: &str) {
    assert!(message.starts_with('"'), "{text:?}: {message}");
    assert!(
        message.chars().count() <= NUMBER_MESSAGE_MAX_CHARS,
        "{text:?}: a message of {} characters",
        message.chars().count()
    );
}

/// The outcome of building a request, with the invariants of a valid one checked: at least
/// one sample, a confidence level in (0, 1), and every input's median finite.
fn checked(request: Result<RunRequest, costbands::Error>) -> Result<(), String> {
    let request = match request {
        Ok(request) => request,
        Err(error) => {
            let message = error.to_string();
            assert!(!message.trim().is_empty(), "an error without a message");
            return Err(message);
        }
    };
    let settings = request.settings();
    assert!(settings.samples >= 1);
    assert!(settings.confidence > 0.0 && settings.confidence < 1.0);
    for scenario in request.scenarios() {
        for input in scenario.inputs() {
            let median = input.dist.median();
            assert!(
                median.is_finite(),
                "{}: {} has median {median}",
                scenario.origin(),
                input.input.name()
            );
        }
    }
    Ok(())
}
