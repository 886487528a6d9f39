//! Results someone else can re-run: `costbands rerun RUN_JSON` and `costbands run RUN_JSON`
//! reproduce bands.csv, summary.csv and exceedance.csv byte for byte at another thread count,
//! for plain, --set, precision-controlled, LHS, Sobol, --exceed/--below and batch runs; an
//! edited, damaged or foreign record is refused with the reason.

mod common;

use common::*;
use std::path::Path;

const RESULT_FILES: [&str; 3] = ["bands.csv", "summary.csv", "exceedance.csv"];

/// `small.toml` and a copy named `wide` with wider demand and prices, in a fresh folder.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    let wide = SMALL
        .replace("name = \"small\"", "name = \"wide\"")
        .replace("min = 1.5, max = 3.0 }", "min = 1.5, max = 9.0 }")
        .replace("\"50e6 to 150e6\"", "\"10e6 to 500e6\"");
    write(dir.path(), "wide.toml", &wide);
    dir
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts that `a` and `b` hold the same result files (those of `files` present in `a`).
fn assert_same_results(a: &Path, b: &Path, files: &[&str]) {
    let mut compared = 0;
    for file in files {
        if !a.join(file).exists() {
            continue;
        }
        assert!(
            read(&a.join(file)) == read(&b.join(file)),
            "{} and {} differ",
            a.join(file).display(),
            b.join(file).display()
        );
        compared += 1;
    }
    assert!(compared >= 2, "nothing compared in {}", a.display());
}

/// Runs `args` at 3 threads into `results/<folder>`, then `rerun` and `run` of its run.json
/// at 1 thread, and checks all three agree byte for byte.
fn reproduces(dir: &Path, args: &[&str], folder: &str) {
    let mut first = args.to_vec();
    first.extend(["-j", "3", "-q"]);
    assert_ok(&costbands_in(dir, &first));
    let original = dir.join("results").join(folder);
    let record = original.join("run.json");
    let record = record.to_str().unwrap();
    assert_ok(&costbands_in(dir, &["rerun", record, "-j", "1", "-q"]));
    let rerun = dir.join("results").join(format!("{folder}-rerun"));
    assert_same_results(&original, &rerun, &RESULT_FILES);
    let out = dir.join(format!("run-of-{folder}"));
    let out = out.to_str().unwrap();
    assert_ok(&costbands_in(
        dir,
        &["run", record, "-j", "1", "-q", "--out", out],
    ));
    assert_same_results(&original, Path::new(out), &RESULT_FILES);
    let again = json(&rerun.join("run.json"));
    assert_eq!(again["rerun_of"], record);
    assert_eq!(again["command"][1], "rerun");
    assert_eq!(again["threads"], 1);
    // Without precision control the rerun records the very recipe it reran.
    let recorded = json(&original.join("run.json"));
    if recorded["max_samples"].is_null() {
        assert_eq!(again["recipe_sha256"], recorded["recipe_sha256"]);
    }
}

#[test]
fn plain_set_and_event_runs_are_reproduced_byte_for_byte() {
    let dir = folder();
    reproduces(dir.path(), &["run", "small.toml"], "small");
    // The rerun folder is named after the scenario: a fresh folder for the next run of it.
    let dir = folder();
    let set = [
        "run",
        "small.toml",
        "--set",
        "utilization=0.6",
        "--set",
        "gpu=a100-sxm4-80gb",
        "--set",
        "gpu_hour_usd={ dist = \"triangular\", min = 1, mode = 1.5, max = 4 }",
        "--exceed",
        "daily_cost_usd=2e6",
        "--below",
        "daily_cost_usd=1e6",
        "--percentiles",
        "2.5,50,97.5",
        "--confidence",
        "0.9",
    ];
    reproduces(dir.path(), &set, "small");
    let record = json(&dir.path().join("results/small/run.json"));
    let text = record["scenarios"][0]["resolved_scenario"]
        .as_str()
        .unwrap();
    for needle in [
        "utilization = 0.6\n",
        "gpu = \"a100-sxm4-80gb\"",
        "[gpus.a100-sxm4-80gb]",
        "gpu_hour_usd = { dist = \"triangular\", max = 4, min = 1, mode = 1.5 }",
        "confidence = 0.9\n",
        "percentiles = [2.5, 50.0, 97.5]",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
    assert_eq!(record["events"][1]["event"], "<");
    let command: Vec<&str> = record["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(&command[1..], [&set[..], &["-j", "3", "-q"]].concat());
    // The rerun's files sit in a folder of their own: the original is not touched.
    assert!(dir.path().join("results/small/bands.csv").exists());
}

#[test]
fn a_seed_beyond_a_toml_integer_is_reproduced_from_the_record() {
    let dir = folder();
    let seed = u64::MAX.to_string();
    reproduces(dir.path(), &["run", "small.toml", "--seed", &seed], "small");
    let record = json(&dir.path().join("results/small/run.json"));
    assert_eq!(record["seed"].as_u64(), Some(u64::MAX));
    let text = record["scenarios"][0]["resolved_scenario"]
        .as_str()
        .unwrap();
    assert!(text.contains(&format!("give --seed {seed}")), "{text}");
}

#[test]
fn designs_are_reproduced_byte_for_byte() {
    let dir = folder();
    let lhs = [
        "run",
        "small.toml",
        "--sampler",
        "lhs",
        "--replicates",
        "3",
        "-n",
        "10000",
    ];
    reproduces(dir.path(), &lhs, "small");
    let record = json(&dir.path().join("results/small/run.json"));
    // 3 replicates of 3334: the samples drawn are recorded beside the samples asked for.
    assert_eq!(record["samples_requested"], 10000);
    assert_eq!(record["scenarios"][0]["samples_used"], 10002);
    let sobol = [
        "run",
        "wide.toml",
        "--sampler",
        "sobol",
        "-n",
        "40960",
        "--below",
        "gpus=3000",
    ];
    reproduces(dir.path(), &sobol, "wide");
}

#[test]
fn a_precision_batch_is_reproduced_from_the_samples_each_scenario_used() {
    let dir = folder();
    let batch = [
        "run",
        "small.toml",
        "wide.toml",
        "--precision",
        "daily_cost_usd:p95:1%",
        "--exceed",
        "gpus=1000",
    ];
    reproduces(dir.path(), &batch, "small-and-1-more");
    let original = dir.path().join("results/small-and-1-more");
    let record = json(&original.join("run.json"));
    assert!(record["samples_requested"].is_null(), "{record}");
    assert_eq!(record["max_samples"].as_u64().map(|m| m > 0), Some(true));
    let used: Vec<u64> = record["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["samples_used"].as_u64().unwrap())
        .collect();
    assert!(used[0] != used[1], "precision control drew {used:?}");
    assert_eq!(record["scenarios"][0]["precision"][0]["met"], true);
    // Each scenario's sub-folder, and the rerun of its own run.json, too.
    let rerun = dir.path().join("results/small-and-1-more-rerun");
    for name in ["small", "wide"] {
        assert_same_results(&original.join(name), &rerun.join(name), &RESULT_FILES);
        let own = original.join(name).join("run.json");
        let out = format!("alone-{name}");
        let args = ["rerun", own.to_str().unwrap(), "--out", &out, "-q"];
        assert_ok(&costbands_in(dir.path(), &args));
        assert_same_results(&original.join(name), &dir.path().join(&out), &RESULT_FILES);
    }
}

#[test]
fn rerun_refuses_options_that_change_the_results_and_run_takes_them() {
    let dir = folder();
    assert_ok(&costbands_in(dir.path(), &["run", "small.toml", "-q"]));
    let record = "results/small/run.json";
    for option in [
        vec!["--seed", "7"],
        vec!["--samples", "100"],
        vec!["--set", "utilization=0.4"],
        vec!["--confidence", "0.9"],
    ] {
        let mut args = vec!["rerun", record];
        args.extend(&option);
        let output = costbands_in(dir.path(), &args);
        assert!(!output.status.success(), "{option:?}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("rerun {}", option[0]))
                && message.contains(&format!("costbands run {record} {}", option[0])),
            "{message}"
        );
    }
    // `run` of the record takes them: another seed, other bands.
    let args = ["run", record, "--seed", "7", "--out", "seven", "-q"];
    assert_ok(&costbands_in(dir.path(), &args));
    let seven = read(&dir.path().join("seven/bands.csv"));
    assert!(seven != read(&dir.path().join("results/small/bands.csv")));
    // A rerun never overwrites: not the original, not an earlier rerun without --force.
    assert_ok(&costbands_in(dir.path(), &["rerun", record, "-q"]));
    let output = costbands_in(dir.path(), &["rerun", record, "-q"]);
    assert!(stderr(&output).contains("results/small-rerun already holds results"));
    assert_ok(&costbands_in(
        dir.path(),
        &["rerun", record, "-q", "--force"],
    ));
    // A record is run on its own.
    let output = costbands_in(dir.path(), &["run", record, "small.toml"]);
    assert!(
        stderr(&output).contains("is run on its own"),
        "{}",
        stderr(&output)
    );
}

/// A change made to a record's text.
type Edit = Box<dyn Fn(&str) -> String>;

/// Writes `record` with `edit` applied to its text as `edited.json` and returns the error of
/// `costbands VERB edited.json`.
fn error_of(dir: &Path, verb: &str, record: &str, edit: impl Fn(&str) -> String) -> String {
    let text = edit(&read(&dir.join(record)));
    write(dir, "edited.json", &text);
    let output = costbands_in(dir, &[verb, "edited.json", "--out", "never", "-q"]);
    assert!(!output.status.success(), "{verb} accepted an edited record");
    assert!(!dir.join("never").exists());
    stderr(&output)
}

#[test]
fn an_edited_damaged_or_foreign_record_is_refused_with_the_reason() {
    let dir = folder();
    let dir = dir.path();
    assert_ok(&costbands_in(dir, &["run", "small.toml", "-q"]));
    let record = "results/small/run.json";
    let edited = |old: &str, new: &str| {
        let (old, new) = (old.to_string(), new.to_string());
        move |text: &str| {
            assert!(text.contains(&old), "{old} not in the record");
            text.replacen(&old, &new, 1)
        }
    };
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(edited("\"seed\": 11", "\"seed\": 12")),
            "edited or damaged",
        ),
        (
            Box::new(edited("max = 3.0, min = 1.5", "max = 4.0, min = 1.5")),
            "its settings or scenarios no longer match its recipe_sha256",
        ),
        (Box::new(|t: &str| t[..t.len() / 2].to_string()), "not JSON"),
        (
            Box::new(edited("\"record_format\": 1,", "")),
            "before a run recorded",
        ),
        (
            Box::new(edited("\"record_format\": 1,", "\"record_format\": 2,")),
            "record format 2",
        ),
        (
            Box::new(edited("\"resolved_scenario\"", "\"scenario_text\"")),
            "missing field `resolved_scenario`",
        ),
        (
            Box::new(edited("\"tool\": \"costbands\"", "\"tool\": \"x\"")),
            "not a costbands record",
        ),
    ];
    for (edit, needle) in &cases {
        let message = error_of(dir, "rerun", record, edit);
        assert!(message.contains(needle), "{needle}: {message}");
        assert!(message.contains("edited.json: "), "{message}");
    }
    // Another version: rerun refuses, run warns and runs.
    let other = edited("\"version\": \"", "\"version\": \"0.0.");
    let message = error_of(dir, "rerun", record, &other);
    assert!(message.contains("recorded by costbands 0.0."), "{message}");
    let output = costbands_in(dir, &["run", "edited.json", "--out", "anyway"]);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("results may differ"),
        "{}",
        stderr(&output)
    );
    assert_same_results(
        &dir.join("results/small"),
        &dir.join("anyway"),
        &RESULT_FILES,
    );
}

#[test]
fn compare_and_sweep_record_their_command_and_scenarios_and_say_they_cannot_be_rerun() {
    let dir = folder();
    let dir = dir.path();
    let compare = [
        "compare",
        "small.toml",
        "wide.toml",
        "-n",
        "2000",
        "-q",
        "--out",
        "c",
    ];
    assert_ok(&costbands_in(dir, &compare));
    let sweep = [
        "sweep",
        "small.toml",
        "--vary",
        "utilization=0.4,0.6",
        "-n",
        "2000",
        "-q",
    ];
    let sweep = [&sweep[..], &["--out", "s"]].concat();
    assert_ok(&costbands_in(dir, &sweep));
    let record = json(&dir.join("c/compare.json"));
    assert_eq!(record["job"], "compare");
    assert_eq!(record["command"][1], "compare");
    let names: Vec<&str> = record["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["small", "wide"]);
    let text = record["scenarios"][1]["resolved_scenario"]
        .as_str()
        .unwrap();
    assert!(
        text.contains("name = \"wide\"") && text.contains("samples = 2000"),
        "{text}"
    );
    let record = json(&dir.join("s/sweep.json"));
    assert_eq!(record["job"], "sweep");
    assert!(record["resolved_scenario"]
        .as_str()
        .unwrap()
        .contains("[gpus.h100-sxm]"));
    for (file, job) in [("c/compare.json", "compare"), ("s/sweep.json", "sweep")] {
        let output = costbands_in(dir, &["rerun", file]);
        assert!(!output.status.success());
        let message = stderr(&output);
        assert!(
            message.contains(&format!("the record of a `costbands {job}` job"))
                && message.contains(&format!("{job} small.toml")),
            "{message}"
        );
    }
    let output = costbands_in(dir, &["compare", "results/x/run.json", "small.toml"]);
    assert!(stderr(&output).contains("can be given to `run` and `rerun` only"));
}

#[test]
fn a_path_that_holds_no_record_is_an_error_naming_it() {
    let dir = folder();
    let dir = dir.path();
    std::fs::create_dir(dir.join("folder.json")).unwrap();
    write(dir, "scenario.json", SMALL);
    #[cfg(unix)]
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.json")).unwrap();
    for (path, needle) in [
        ("missing.json", "missing.json: No such file"),
        ("folder.json", "folder.json: Is a directory"),
        (
            "scenario.json",
            "scenario.json: not a costbands record: it is not JSON",
        ),
        #[cfg(unix)]
        ("zero.json", "zero.json: larger than 64 MiB"),
    ] {
        let output = costbands_in(dir, &["rerun", path]);
        assert!(!output.status.success(), "{path}");
        assert!(
            stderr(&output).contains(needle),
            "{path}: {}",
            stderr(&output)
        );
    }
    assert!(!dir.join("results").exists());
}
