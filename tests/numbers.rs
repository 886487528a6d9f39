//! Numbers as people write them, through the binary: `-n 1e6`, `20M`, `40%`, `$1.5M` are read
//! the same way everywhere, and what cannot be read (`2.5` samples, `20m`, `utilization = 40`)
//! fails with the option or field, what is wrong and the fix, writing nothing. Each test checks
//! the exit status, the message and what is on disk afterwards.

mod common;

use common::*;
use std::path::Path;
use std::process::Output;

/// The result files a run writes.
const RUN_FILES: [&str; 2] = ["summary.csv", "bands.csv"];

/// Asserts a failure with `code` whose stderr holds every needle.
fn assert_fails_with(output: &Output, code: i32, needles: &[&str]) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(code), "{message}");
    assert!(message.starts_with("error: "), "{message}");
    for needle in needles {
        assert!(message.contains(needle), "`{needle}` not in: {message}");
    }
}

/// Asserts that `dir` holds nothing but `kept` (the scenario files a test wrote).
fn assert_nothing_written(dir: &Path, kept: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut kept: Vec<String> = kept.iter().map(|k| k.to_string()).collect();
    kept.sort();
    assert_eq!(names, kept, "files written although the job failed");
}

/// A small run of the default scenario into `out` with `extra` options.
fn run(dir: &Path, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["run", "--out", out, "--quiet", "--seed", "3"];
    args.extend_from_slice(extra);
    costbands_in(dir, &args)
}

/// The result files of a run in `dir/out`, for comparing two spellings of one run.
fn results(dir: &Path, out: &str) -> Vec<String> {
    RUN_FILES
        .iter()
        .map(|name| read(&dir.join(out).join(name)))
        .collect()
}

/// `samples_requested` as recorded in run.json.
fn samples_in(dir: &Path, out: &str) -> u64 {
    let json: serde_json::Value =
        serde_json::from_str(&read(&dir.join(out).join("run.json"))).unwrap();
    json["samples_requested"]
        .as_u64()
        .expect("samples_requested in run.json")
}

#[test]
fn sample_counts_take_scientific_notation_suffixes_and_separators() {
    let dir = tempfile::tempdir().unwrap();
    for (out, samples) in [("a", "2000"), ("b", "2e3"), ("c", "2k"), ("d", "2_000")] {
        assert_ok(&run(dir.path(), out, &["-n", samples]));
        assert_eq!(samples_in(dir.path(), out), 2000, "-n {samples}");
    }
    assert_eq!(results(dir.path(), "a"), results(dir.path(), "b"));
    assert_eq!(results(dir.path(), "a"), results(dir.path(), "c"));
    assert_eq!(results(dir.path(), "a"), results(dir.path(), "d"));
}

#[test]
fn a_sample_count_that_is_not_a_whole_number_is_a_usage_error_naming_the_option() {
    for (samples, needle) in [
        (
            "2.5",
            "invalid value '2.5' for '--samples <SAMPLES>': \"2.5\" is not a whole number: a count is a whole number such as 2 or 3",
        ),
        ("1.0005k", "\"1.0005k\" is not a whole number (1000.5)"),
        ("20m", "\"20m\" has `m`, which could mean milli (as in Squiggle) or million (as in spreadsheets): write 20M for 20 million"),
        ("1e400", "\"1e400\" is too large"),
        ("40%", "\"40%\" has a `%`, but a count is a whole number"),
        ("", "\"\" is empty"),
        ("--", "a value is required for '--samples <SAMPLES>'"),
    ] {
        let (dir, output) = costbands(&["run", "-n", samples, "--out", "o"]);
        assert_fails_with(&output, 2, &[needle]);
        assert_nothing_written(dir.path(), &[]);
    }
}

#[test]
fn every_count_option_reads_numbers_the_same_way() {
    for (args, needle) in [
        (
            vec!["run", "--max-samples", "2.5", "--precision", "daily_cost_usd:p50:50%"],
            "invalid value '2.5' for '--max-samples <MAX_SAMPLES>'",
        ),
        (
            vec!["run", "--sampler", "lhs", "--replicates", "1e10"],
            "invalid value '1e10' for '--replicates <REPLICATES>': \"1e10\" is too large: at most 4294967295",
        ),
        (
            vec!["sensitivity", "--resamples", "2.5"],
            "invalid value '2.5' for '--resamples <RESAMPLES>'",
        ),
        (
            vec!["run", "--seed", "1e20"],
            "invalid value '1e20' for '--seed <SEED>': \"1e20\" is too large",
        ),
        (vec!["run", "-j", "$2"], "\"$2\" has a `$`, but a count is not money"),
    ] {
        let (dir, output) = costbands(&args);
        assert_fails_with(&output, 2, &[needle]);
        assert_nothing_written(dir.path(), &[]);
    }
    // A seed in plain digits is read exactly, up to the largest u64.
    let dir = tempfile::tempdir().unwrap();
    let output = costbands_in(
        dir.path(),
        &[
            "run",
            "-n",
            "1k",
            "--seed",
            "18446744073709551615",
            "--out",
            "o",
            "-q",
        ],
    );
    assert_ok(&output);
    let json: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    assert_eq!(json["seed"].as_u64(), Some(u64::MAX));
}

#[test]
fn set_reads_suffixes_dollars_and_percentages_like_their_plain_forms() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = [
        ("queries_per_day=2.5B", "queries_per_day=2.5e9"),
        ("utilization=40%", "utilization=0.4"),
        ("gpu_hour_usd=$2.5", "gpu_hour_usd=2.5"),
        ("queries_per_day=1M to 3M", "queries_per_day=1e6 to 3e6"),
    ];
    for (i, (written, plain)) in pairs.iter().enumerate() {
        let (a, b) = (format!("a{i}"), format!("b{i}"));
        assert_ok(&run(dir.path(), &a, &["-n", "1000", "--set", written]));
        assert_ok(&run(dir.path(), &b, &["-n", "1000", "--set", plain]));
        assert_eq!(
            results(dir.path(), &a),
            results(dir.path(), &b),
            "--set {written} and --set {plain} differ"
        );
    }
}

#[test]
fn set_refuses_what_it_cannot_read_and_says_how_to_write_it() {
    for (set, needle) in [
        (
            "utilization=40",
            "--set: inputs.utilization: 40 is out of range: utilization must be in (0, 1]; fractions are between 0 and 1: did you mean --set 'utilization=0.4' (or --set 'utilization=40%')?",
        ),
        (
            "mfu=35",
            "did you mean --set 'mfu=0.35' (or --set 'mfu=35%')?",
        ),
        (
            "queries_per_day=20m",
            "--set: inputs.queries_per_day: \"20m\" has `m`",
        ),
        (
            "pue=120%",
            "--set: inputs.pue: \"120%\" has a `%`, but this value is not a fraction of 1",
        ),
        (
            "active_params_b=175B",
            "--set: inputs.active_params_b: \"175B\" has a suffix, but this value is already in 1e9 params",
        ),
        (
            "queries_per_day=$5M",
            "\"$5M\" has a `$`, but this value is not in US dollars",
        ),
        ("queries_per_day=1,000,000", "commas do not separate digits"),
        ("queries_per_day=1e400", "\"1e400\" is too large"),
        ("queries_per_day=100-300", "a range is written \"a to b\""),
    ] {
        let (dir, output) = costbands(&["run", "-n", "1000", "--set", set, "--out", "o"]);
        assert_fails_with(&output, 1, &[needle]);
        assert_nothing_written(dir.path(), &[]);
    }
}

#[test]
fn exceed_thresholds_take_suffixes_and_dollars() {
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&run(
        dir.path(),
        "a",
        &["-n", "1000", "--exceed", "daily_cost_usd=$1.5M"],
    ));
    assert_ok(&run(
        dir.path(),
        "b",
        &["-n", "1000", "--exceed", "daily_cost_usd=1.5e6"],
    ));
    assert_eq!(results(dir.path(), "a"), results(dir.path(), "b"));
    let json = read(&dir.path().join("a/run.json"));
    assert!(json.contains("1500000"), "the threshold is 1.5e6: {json}");
    for (exceed, needle) in [
        (
            "daily_cost_usd=1.5m",
            "--exceed daily_cost_usd=1.5m: \"1.5m\" has `m`",
        ),
        ("gpus=$5", "--exceed gpus=$5: \"$5\" has a `$`"),
        ("gpus=50%", "--exceed gpus=50%: \"50%\" has a `%`"),
    ] {
        let (dir, output) = costbands(&["run", "-n", "1000", "--exceed", exceed, "--out", "o"]);
        assert_fails_with(&output, 1, &[needle]);
        assert_nothing_written(dir.path(), &[]);
    }
}

#[test]
fn confidence_takes_a_percentage_and_says_what_95_meant() {
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&run(
        dir.path(),
        "a",
        &["-n", "1000", "--confidence", "90%"],
    ));
    assert_ok(&run(
        dir.path(),
        "b",
        &["-n", "1000", "--confidence", "0.9"],
    ));
    assert_eq!(results(dir.path(), "a"), results(dir.path(), "b"));
    let (dir, output) = costbands(&["run", "-n", "1000", "--confidence", "95", "--out", "o"]);
    assert_fails_with(
        &output,
        1,
        &["--confidence: confidence 95 must be strictly between 0 and 1, e.g. 0.95; did you mean 0.95 (or 95%)?"],
    );
    assert_nothing_written(dir.path(), &[]);
    let (dir, output) = costbands(&["run", "--percentiles", "5,95%", "--out", "o"]);
    assert_fails_with(
        &output,
        2,
        &["\"95%\" has a `%`, but this number is already in percent"],
    );
    assert_nothing_written(dir.path(), &[]);
}

#[test]
fn sweep_ranges_and_lists_take_suffixes_and_percentages() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = |out: &str, vary: &str| {
        costbands_in(
            dir.path(),
            &["sweep", "--vary", vary, "-n", "1000", "--out", out, "-q"],
        )
    };
    let summary = |out: &str| read(&dir.path().join(out).join("sweep.csv"));
    assert_ok(&sweep("log", "queries_per_day=1M..1B:4:log"));
    let csv = summary("log");
    for value in ["1000000", "10000000", "100000000", "1000000000"] {
        assert!(
            csv.contains(&format!(",{value},daily_cost_usd,")),
            "{value} not in {csv}"
        );
    }
    // A list value written with a suffix is recorded as its plain number.
    assert_ok(&sweep("list", "queries_per_day=1M,10M,100M"));
    assert_ok(&sweep(
        "plain",
        "queries_per_day=1000000,10000000,100000000",
    ));
    assert_eq!(summary("list"), summary("plain"));
    assert_ok(&sweep("pct", "utilization=30%..70%:3"));
    assert_ok(&sweep("frac", "utilization=0.3..0.7:3"));
    assert_eq!(summary("pct"), summary("frac"));
    for (vary, needle) in [
        (
            "queries_per_day=1m..1B:3",
            "--vary queries_per_day=1m..1B:3: LO: \"1m\" has `m`",
        ),
        (
            "utilization=0.3..0.7:2.5",
            "N = \"2.5\" must be a whole number of at least 2",
        ),
        (
            "queries_per_day=30%..70%:3",
            "LO: \"30%\" has a `%`, but this value is not a fraction",
        ),
        (
            "utilization=30..70:3",
            "did you mean --set 'utilization=0.3' (or --set 'utilization=30%')?",
        ),
    ] {
        let (dir, output) = costbands(&["sweep", "--vary", vary, "-n", "1000", "--out", "o"]);
        assert_fails_with(&output, 1, &[needle]);
        assert_nothing_written(dir.path(), &[]);
    }
}

#[test]
fn scenario_files_take_numbers_as_strings_and_check_counts() {
    let dir = tempfile::tempdir().unwrap();
    let written = SMALL
        .replace(
            "queries_per_day = \"50e6 to 150e6\"",
            "queries_per_day = \"50M to 150M\"",
        )
        .replace(
            "gpu_hour_usd = { dist = \"uniform\", min = 1.5, max = 3.0 }",
            "gpu_hour_usd = { dist = \"uniform\", min = \"$1.5\", max = \"$3\" }",
        )
        .replace("power_draw_fraction = 0.7", "power_draw_fraction = \"70%\"")
        .replace("samples = 5000", "samples = \"5k\"");
    write(dir.path(), "written.toml", &written);
    write(dir.path(), "plain.toml", SMALL);
    let output = costbands_in(dir.path(), &["run", "written.toml", "--out", "a", "-q"]);
    assert_ok(&output);
    let output = costbands_in(dir.path(), &["run", "plain.toml", "--out", "b", "-q"]);
    assert_ok(&output);
    assert_eq!(samples_in(dir.path(), "a"), 5000);
    assert_eq!(results(dir.path(), "a"), results(dir.path(), "b"));

    for (from, to, needle) in [
        (
            "samples = 5000",
            "samples = 2.5",
            "bad.toml: sampling.samples: \"2.5\" is not a whole number",
        ),
        (
            "samples = 5000",
            "samples = \"1.5m\"",
            "bad.toml: sampling.samples: \"1.5m\" has `m`",
        ),
        (
            "utilization = { dist = \"triangular\", min = 0.3, mode = 0.5, max = 0.7 }",
            "utilization = 40",
            "bad.toml: inputs.utilization: 40 is out of range: utilization must be in (0, 1]; fractions are between 0 and 1: did you mean utilization = 0.4 (or utilization = \"40%\")?",
        ),
        (
            "mfu = { dist = \"beta\", mean = 0.3, sd = 0.05 }",
            "mfu = { dist = \"triangular\", min = 20, mode = 30, max = 40 }",
            "a median of 30 looks like a percentage; write percentages as 0.3 or \"30%\"",
        ),
        (
            "queries_per_day = \"50e6 to 150e6\"",
            "queries_per_day = \"50G to 150G\"",
            "bad.toml: inputs.queries_per_day: \"50G\" has `G`, which could mean giga (1e9) or grand (1e3)",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bad.toml", &SMALL.replace(from, to));
        let output = costbands_in(dir.path(), &["run", "bad.toml", "--out", "o"]);
        assert_fails_with(&output, 1, &[needle]);
        assert_nothing_written(dir.path(), &["bad.toml"]);
        let output = costbands_in(dir.path(), &["check", "bad.toml"]);
        assert_fails_with(&output, 1, &[needle]);
    }
}
