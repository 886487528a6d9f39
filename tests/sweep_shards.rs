//! Shards of a sweep (`sweep --shard K/N`) merged with `costbands merge`: sweep.csv and
//! sweep_summary.csv byte-identical to the one-process sweep (and sweep.json but for the
//! command, threads and time) for several grids and splits, uneven and with empty shards,
//! whatever the order of the partial results; every refusal names the file and the problem
//! and writes nothing.

mod common;

use common::{assert_ok, costbands_in, read, stderr};
use costbands::export::sweep_partial::{read_sweep_partial, write_sweep_partial};
use std::path::Path;

const FILES: [&str; 2] = ["sweep.csv", "sweep_summary.csv"];

/// Runs `costbands sweep` of chatgpt-class over `vary` with `extra` arguments in `dir`.
fn sweep(dir: &Path, vary: &[&str], samples: &str, seed: &str, extra: &[&str]) {
    let mut args = vec![
        "sweep",
        "chatgpt-class",
        "-n",
        samples,
        "--seed",
        seed,
        "-q",
    ];
    for v in vary {
        args.extend_from_slice(&["--vary", v]);
    }
    args.extend_from_slice(extra);
    assert_ok(&costbands_in(dir, &args));
}

/// Shards the sweep into `shards` partial results `part<k>` in `dir`.
fn shard(dir: &Path, vary: &[&str], samples: &str, seed: &str, shards: u64, extra: &[&str]) {
    for k in 0..shards {
        let spec = format!("{k}/{shards}");
        let out = format!("part{k}");
        let args = [extra, &["--shard", &spec, "--out", &out]].concat();
        sweep(dir, vary, samples, seed, &args);
    }
}

fn merge(dir: &Path, parts: &[String], out: &str) -> std::process::Output {
    let mut args = vec!["merge".to_string()];
    args.extend(parts.iter().cloned());
    args.extend(["--out".to_string(), out.to_string(), "-q".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    costbands_in(dir, &args)
}

fn parts(shards: u64) -> Vec<String> {
    (0..shards).map(|k| format!("part{k}")).collect()
}

/// sweep.json without what differs between any two runs of one sweep.
fn json_without_run_facts(path: &Path) -> serde_json::Value {
    let mut json: serde_json::Value = serde_json::from_str(&read(path)).unwrap();
    let object = json.as_object_mut().unwrap();
    for key in ["command", "threads", "elapsed_s"] {
        assert!(object.remove(key).is_some(), "{key}");
    }
    json
}

/// A sweep: its `--vary`, samples, other arguments, and the numbers of shards to try.
type Case = (
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
    &'static [u64],
);

#[test]
fn merged_sweep_shards_are_byte_identical_to_the_one_process_sweep() {
    let cases: [Case; 3] = [
        (&["utilization=0.3..0.7:5"], "20000", &[], &[1, 2, 3]),
        (
            &["utilization=0.4,0.6", "gpu_hour_usd=1,2,3.5"],
            "16385",
            &["--percentiles", "5,50,99.5"],
            &[3, 4],
        ),
        // A Latin hypercube sweep runs each point on its own; more shards than points.
        (
            &["queries_per_day=1e8,1e9,1e10"],
            "3000",
            &["--sampler", "lhs", "--replicates", "3"],
            &[2, 5],
        ),
    ];
    for (vary, samples, extra, splits) in cases {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        sweep(
            dir,
            vary,
            samples,
            "7",
            &[extra, &["--out", "one"]].concat(),
        );
        for &shards in splits {
            shard(dir, vary, samples, "7", shards, extra);
            let mut given = parts(shards);
            given.rotate_left(1);
            let out = format!("merged{shards}");
            assert_ok(&merge(dir, &given, &out));
            for file in FILES {
                assert_eq!(
                    read(&dir.join("one").join(file)),
                    read(&dir.join(&out).join(file)),
                    "{vary:?}, {shards} shards: {file}"
                );
            }
            assert_eq!(
                json_without_run_facts(&dir.join("one/sweep.json")),
                json_without_run_facts(&dir.join(&out).join("sweep.json")),
                "{vary:?}, {shards} shards"
            );
            assert!(dir.join(&out).join("report.html").is_file());
            for k in 0..shards {
                std::fs::remove_dir_all(dir.join(format!("part{k}"))).unwrap();
            }
        }
    }
}

/// Asserts that merging `given` fails naming `file` and saying `problem`, writing nothing.
fn refused(dir: &Path, given: &[String], file: &str, problem: &str) {
    let output = merge(dir, given, "merged");
    assert_eq!(output.status.code(), Some(1), "{given:?}");
    let message = stderr(&output);
    assert!(
        message.contains(file) && message.contains(problem),
        "{given:?}: {message}"
    );
    assert!(!dir.join("merged").exists(), "{given:?} wrote results");
}

const VARY: [&str; 1] = ["utilization=0.3..0.7:5"];

#[test]
fn merge_refuses_sweep_shards_that_do_not_make_one_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    shard(dir, &VARY, "5000", "3", 3, &[]);
    let with = |k: usize, name: &str| {
        let mut given = parts(3);
        given[k] = name.to_string();
        given
    };
    let other = |vary: &[&str], samples: &str, seed: &str, extra: &[&str], out: &str| {
        let args = [extra, &["--shard", "1/3", "--out", out]].concat();
        sweep(dir, vary, samples, seed, &args);
    };
    other(&VARY, "5000", "4", &[], "seed");
    refused(
        dir,
        &with(1, "seed"),
        "seed/partial.json",
        "its seed (4) differs",
    );
    other(&VARY, "5001", "3", &[], "n");
    refused(
        dir,
        &with(1, "n"),
        "n/partial.json",
        "its sample count (5001) differs",
    );
    other(&VARY, "5000", "3", &["--percentiles", "50"], "pct");
    refused(dir, &with(1, "pct"), "pct/partial.json", "its settings");
    other(&VARY, "5000", "3", &["--set", "gpu_hour_usd=2"], "set");
    refused(
        dir,
        &with(1, "set"),
        "set/partial.json",
        "scenario's resolved text",
    );
    other(&["utilization=0.3..0.8:5"], "5000", "3", &[], "grid");
    refused(
        dir,
        &with(1, "grid"),
        "grid/partial.json",
        "its grid's point 1",
    );
    other(&["gpu_hour_usd=1,2,3,4,5"], "5000", "3", &[], "axis");
    refused(
        dir,
        &with(1, "axis"),
        "axis/partial.json",
        "its varied inputs",
    );
    let args = ["--shard", "1/4", "--out", "n4"];
    sweep(dir, &VARY, "5000", "3", &args);
    refused(
        dir,
        &with(1, "n4"),
        "n4/partial.json",
        "number of shards (4)",
    );
    // A run's shard among a sweep's, and the reverse.
    let run = ["run", "chatgpt-class", "-n", "5000", "--seed", "3", "-q"];
    let run_shard = |k: &str, out: &str| {
        let args = [&run[..], &["--shard", k, "--out", out]].concat();
        assert_ok(&costbands_in(dir, &args));
    };
    run_shard("1/3", "run1");
    refused(
        dir,
        &with(1, "run1"),
        "run1/partial.json",
        "the partial result of a run",
    );
    run_shard("0/3", "run0");
    let given = ["run0".to_string(), "part1".to_string(), "run1".to_string()];
    refused(
        dir,
        &given,
        "part1/partial.json",
        "the partial result of a sweep",
    );
    // A missing shard, a shard twice.
    refused(dir, &parts(3)[..2], "part0", "shard 2 of its 3 missing");
    refused(dir, &with(2, "part0"), "part0", "shard 0 of 3 again");
    // The untouched shards still merge.
    assert_ok(&merge(dir, &parts(3), "merged"));
}

#[test]
fn merge_refuses_corrupt_sweep_shards_and_other_versions() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    shard(dir, &VARY, "5000", "3", 2, &[]);
    let bytes = std::fs::read(dir.join("part1/partial.json")).unwrap();
    let with = |name: &str| vec!["part0".to_string(), name.to_string()];
    let mut flipped = bytes.clone();
    let at = bytes.len() / 2;
    flipped[at] = if flipped[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(dir.join("flipped.json"), &flipped).unwrap();
    refused(
        dir,
        &with("flipped.json"),
        "flipped.json",
        "corrupt: its checksum",
    );
    std::fs::write(dir.join("cut.json"), &bytes[..bytes.len() / 3]).unwrap();
    refused(dir, &with("cut.json"), "cut.json", "corrupt: its checksum");
    std::fs::write(dir.join("empty.json"), b"").unwrap();
    refused(
        dir,
        &with("empty.json"),
        "empty.json",
        "not a costbands partial result",
    );
    let rewrite =
        |name: &str, change: &dyn Fn(&mut costbands::export::sweep_partial::SweepPartial)| {
            let mut partial = read_sweep_partial(&bytes).unwrap();
            change(&mut partial);
            let mut file = Vec::new();
            write_sweep_partial(&partial, &mut file).unwrap();
            std::fs::write(dir.join(name), &file).unwrap();
        };
    rewrite("old.json", &|p| p.version = "0.0.1".into());
    refused(
        dir,
        &with("old.json"),
        "old.json",
        "written by costbands 0.0.1",
    );
    rewrite("points.json", &|p| p.points[0] += 1);
    refused(
        dir,
        &with("points.json"),
        "points.json",
        "corrupt: its points are not its shard's",
    );
    rewrite("short.json", &|p| {
        p.results.pop();
    });
    refused(
        dir,
        &with("short.json"),
        "short.json",
        "corrupt: it holds 2 points",
    );
    rewrite("floats.json", &|p| {
        p.results[0].metrics[0].floats.pop();
    });
    refused(
        dir,
        &with("floats.json"),
        "floats.json",
        "corrupt: point 2:",
    );
    assert_ok(&merge(dir, &parts(2), "merged"));
}
