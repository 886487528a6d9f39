//! Bad input gets a clear error naming the file, the field and the fix; exit status is
//! non-zero and nothing is written.

mod common;

use common::*;

/// Runs `costbands run bad.toml` on `text`; asserts failure, one message containing every
/// needle, and no output folder.
fn rejects(text: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.toml", text);
    let output = costbands_in(dir.path(), &["run", "bad.toml", "--samples", "100"]);
    assert!(!output.status.success(), "accepted:\n{text}");
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.starts_with("error: bad.toml: "), "{message}");
    for needle in needles {
        assert!(message.contains(needle), "`{needle}` not in: {message}");
    }
    assert!(
        !dir.path().join("results").exists(),
        "wrote results for:\n{text}"
    );
    assert!(stdout(&output).is_empty());
}

fn small_with(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "{from}");
    SMALL.replacen(from, to, 1)
}

#[test]
fn malformed_toml_reports_line_and_column() {
    rejects(
        &small_with(
            "input_tokens_per_query = 300",
            "input_tokens_per_query = = 300",
        ),
        &["line 9, column 26", "extra `=`"],
    );
}

#[test]
fn unknown_keys_and_typos() {
    rejects(
        &small_with("[sampling]", "[sampling]\nsmaples = 3"),
        &["unknown field `smaples`"],
    );
    rejects(&small_with("name =", "nmae ="), &["unknown field `nmae`"]);
    rejects(
        &small_with("min = 0.3, mode = 0.5", "min = 0.3, mdoe = 0.5"),
        &["inputs.utilization", "`mdoe`", "did you mean `mode`"],
    );
}

#[test]
fn invalid_parameters() {
    rejects(
        &small_with("sd = 0.05, truncate", "sd = 0, truncate"),
        &["inputs.pue", "sd = 0 must be positive"],
    );
    rejects(
        &small_with("min = 1.5, max = 3.0", "min = 3.0, max = 1.5"),
        &["inputs.gpu_hour_usd", "min = 3 must be below max = 1.5"],
    );
    rejects(
        &small_with("p5 = 200, p95 = 1200", "p5 = 1200, p95 = 200"),
        &[
            "inputs.output_tokens_per_query",
            "p5 = 1200",
            "below p95 = 200",
        ],
    );
    rejects(
        &small_with(
            "input_tokens_per_query = 300",
            "input_tokens_per_query = nan",
        ),
        &["inputs.input_tokens_per_query", "NaN is not finite"],
    );
    rejects(
        &small_with("mean = 0.3, sd = 0.05", "mean = 1.3, sd = 0.05"),
        &["inputs.mfu", "beta mean 1.3 is outside (0, 1)"],
    );
    rejects(
        &small_with("power_draw_fraction = 0.7", "power_draw_fraction = 1.4"),
        &["inputs.power_draw_fraction", "must be in [0, 1]"],
    );
}

#[test]
fn utilization_outside_zero_one() {
    let text = |value: &str| {
        small_with(
            "utilization = { dist = \"triangular\", min = 0.3, mode = 0.5, max = 0.7 }",
            &format!("utilization = {value}"),
        )
    };
    rejects(
        &text("0"),
        &["inputs.utilization", "0 is out of range", "(0, 1]"],
    );
    rejects(&text("1.2"), &["inputs.utilization", "1.2 is out of range"]);
    rejects(
        &text("{ dist = \"uniform\", min = 0, max = 1 }"),
        &["inputs.utilization", "can fall below 0", "truncate"],
    );
    rejects(
        &text("{ dist = \"normal\", mean = 0.5, sd = 0.1 }"),
        &["inputs.utilization", "can fall below 0"],
    );
}

#[test]
fn unknown_gpu_and_input_names() {
    rejects(
        &small_with("gpu = \"h100-sxm\"", "gpu = \"h100\""),
        &["gpu: unknown GPU \"h100\"", "h100-sxm"],
    );
    rejects(
        &small_with("mfu =", "mfuu ="),
        &["inputs.mfuu: unknown input", "did you mean `mfu`"],
    );
}

#[test]
fn missing_required_input_says_what_the_path_needs() {
    rejects(
        &small_with(
            "gpu_hour_usd = { dist = \"uniform\", min = 1.5, max = 3.0 }",
            "",
        ),
        &[
            "inputs.gpu_hour_usd: missing",
            "flops path needs gpu_hour_usd",
        ],
    );
}

#[test]
fn missing_file_is_an_error_and_writes_nothing() {
    let (dir, output) = costbands(&["run", "nope.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("nope.toml: no such file"), "{message}");
    assert!(!dir.path().join("results").exists());
}

#[test]
fn bad_command_line_values_are_errors() {
    for (args, needle) in [
        (vec!["run", "--set", "utilization"], "expected NAME=VALUE"),
        (
            vec!["run", "--set", "utilisation=0.5"],
            "did you mean `utilization`",
        ),
        (
            vec!["run", "--set", "utilization=1.5"],
            "inputs.utilization",
        ),
        (
            vec!["run", "--percentiles", "5,150"],
            "percentile 150 is outside [0, 100]",
        ),
        (vec!["run", "--confidence", "1.5"], "--confidence"),
        (vec!["run", "--exceed", "cost=5"], "unknown metric \"cost\""),
        (
            vec!["run", "--below", "daily_cost_usd=lots"],
            "--below daily_cost_usd=lots: \"lots\" is not a number: write e.g.",
        ),
        (vec!["run", "--samples", "0"], "at least 1"),
    ] {
        let (dir, output) = costbands(&args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains(needle),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!dir.path().join("results").exists(), "{args:?}");
    }
}

#[test]
fn check_reports_every_invalid_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.toml", SMALL);
    write(dir.path(), "bad.toml", &small_with("mfu =", "mfuu ="));
    let output = costbands_in(
        dir.path(),
        &["check", "good.toml", "bad.toml", "missing.toml"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("ok: good.toml"));
    let message = stderr(&output);
    assert!(
        message.contains("bad.toml: inputs.mfuu") && message.contains("missing.toml"),
        "{message}"
    );
    assert!(
        message.contains("2 of 3 scenario files are invalid"),
        "{message}"
    );
}
