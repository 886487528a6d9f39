//! Shards of a streamed run (`run --shard K/N`) merged with `costbands merge`: byte-identical
//! summary.csv and bands.csv to the one-process `run --stream` for several sample counts and
//! splits, whatever the order of the partial results; every refusal names the file and the
//! problem and writes nothing; `--shard auto` from Slurm and Kubernetes variables.

mod common;

use common::{assert_ok, costbands_in, read, stderr};
use costbands::export::partial::{read_partial, write_partial};
use std::path::Path;

const FILES: [&str; 3] = ["summary.csv", "bands.csv", "exceedance.csv"];

/// Runs `costbands run` of `scenarios` with `extra` arguments in `dir`.
fn run(dir: &Path, scenarios: &[&str], samples: &str, seed: &str, extra: &[&str]) {
    let mut args = vec!["run"];
    args.extend_from_slice(scenarios);
    args.extend_from_slice(&["-n", samples, "--seed", seed, "-q"]);
    args.extend_from_slice(&["--exceed", "daily_cost_usd=5e6", "--below", "gpus=3000"]);
    args.extend_from_slice(extra);
    assert_ok(&costbands_in(dir, &args));
}

/// Shards `scenarios` into `shards` partial results `part<k>` in `dir`.
fn shard(dir: &Path, scenarios: &[&str], samples: &str, seed: &str, shards: u64) {
    for k in 0..shards {
        let spec = format!("{k}/{shards}");
        let out = format!("part{k}");
        run(
            dir,
            scenarios,
            samples,
            seed,
            &["--shard", &spec, "--out", &out],
        );
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

#[test]
fn merged_shards_are_byte_identical_to_the_one_process_stream() {
    let cases: [(&[&str], &str, &str, &[u64]); 3] = [
        (&["chatgpt-class"], "50000", "3", &[1, 2, 5]),
        (&["chatgpt-class", "selfhost-70b"], "100003", "8", &[3]),
        (&["epoch-2025-uncertain"], "7", "1", &[2]),
    ];
    for (scenarios, samples, seed, splits) in cases {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        run(dir, scenarios, samples, seed, &["--stream", "--out", "one"]);
        for &shards in splits {
            shard(dir, scenarios, samples, seed, shards);
            let mut given = parts(shards);
            given.reverse();
            let out = format!("merged{shards}");
            assert_ok(&merge(dir, &given, &out));
            for file in FILES {
                assert_eq!(
                    read(&dir.join("one").join(file)),
                    read(&dir.join(&out).join(file)),
                    "{scenarios:?} {samples} samples, {shards} shards: {file}"
                );
            }
            if scenarios.len() > 1 {
                let sub = Path::new(scenarios[1]).join("summary.csv");
                assert_eq!(
                    read(&dir.join("one").join(&sub)),
                    read(&dir.join(&out).join(&sub))
                );
            }
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

#[test]
fn merge_refuses_shards_that_do_not_make_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    shard(dir, &["chatgpt-class"], "40000", "3", 3);
    let other = |args: &[&str], out: &str| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--shard", "1/3", "--out", out]);
        run(dir, &["chatgpt-class"], "40000", "3", &all);
    };
    let with = |k: usize, name: &str| {
        let mut given = parts(3);
        given[k] = name.to_string();
        given
    };
    // Another seed, sample count, scenario, or number of shards.
    run(
        dir,
        &["chatgpt-class"],
        "40000",
        "4",
        &["--shard", "1/3", "--out", "seed"],
    );
    refused(
        dir,
        &with(1, "seed"),
        "seed/partial.json",
        "its seed (4) differs",
    );
    run(
        dir,
        &["chatgpt-class"],
        "40001",
        "3",
        &["--shard", "1/3", "--out", "n"],
    );
    refused(
        dir,
        &with(1, "n"),
        "n/partial.json",
        "its sample count (40001) differs",
    );
    other(&["--set", "gpu_hour_usd=2"], "set");
    refused(dir, &with(1, "set"), "set/partial.json", "its scenarios");
    run(
        dir,
        &["epoch-2025-uncertain"],
        "40000",
        "3",
        &["--shard", "1/3", "--out", "sc"],
    );
    refused(dir, &with(1, "sc"), "sc/partial.json", "its scenarios");
    run(
        dir,
        &["chatgpt-class"],
        "40000",
        "3",
        &["--shard", "1/4", "--out", "n4"],
    );
    refused(
        dir,
        &with(1, "n4"),
        "n4/partial.json",
        "number of shards (4)",
    );
    other(&["--percentiles", "50"], "pct");
    refused(dir, &with(1, "pct"), "pct/partial.json", "settings");
    // A missing shard, a shard twice.
    refused(dir, &parts(3)[..2], "part0", "shard 2 of its 3 missing");
    let twice = vec![
        "part0".into(),
        "part1".into(),
        "part1/partial.json".into(),
        "part2".into(),
    ];
    refused(dir, &twice, "part1/partial.json", "shard 1 of 3 again");
    refused(dir, &with(2, "part0"), "part0", "shard 0 of 3 again");
}

#[test]
fn merge_refuses_corrupt_files_and_other_versions() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    shard(dir, &["chatgpt-class"], "40000", "3", 2);
    let bytes = std::fs::read(dir.join("part1/partial.json")).unwrap();
    let with = |name: &str| vec!["part0".to_string(), name.to_string()];
    // One byte changed, the file cut short, emptied, or something else altogether.
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
    refused(
        dir,
        &with("missing.json"),
        "missing.json",
        "no such file: give each shard's output folder",
    );
    // A well-formed file of another version, and one whose checksum matches damaged counts.
    let mut partial = read_partial(&bytes).unwrap();
    partial.version = "0.0.1".into();
    let mut file = Vec::new();
    write_partial(&partial, &mut file).unwrap();
    std::fs::write(dir.join("old.json"), &file).unwrap();
    refused(
        dir,
        &with("old.json"),
        "old.json",
        "written by costbands 0.0.1",
    );
    let mut partial = read_partial(&bytes).unwrap();
    let metric = partial.scenarios[0].stream.metrics[0].as_mut().unwrap();
    metric.counts[0] += 1;
    let mut file = Vec::new();
    write_partial(&partial, &mut file).unwrap();
    std::fs::write(dir.join("counts.json"), &file).unwrap();
    refused(
        dir,
        &with("counts.json"),
        "counts.json",
        "bucket counts do not add up",
    );
    let mut partial = read_partial(&bytes).unwrap();
    partial.chunks[0] += 1;
    let mut file = Vec::new();
    write_partial(&partial, &mut file).unwrap();
    std::fs::write(dir.join("chunks.json"), &file).unwrap();
    refused(
        dir,
        &with("chunks.json"),
        "chunks.json",
        "corrupt: its chunks",
    );
    // The untouched shards still merge.
    assert_ok(&merge(dir, &parts(2), "merged"));
}

#[test]
fn shard_auto_reads_slurm_and_kubernetes_variables() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let auto = |env: &[(&str, &str)], extra: &[&str], out: &str| {
        let mut command = assert_cmd::Command::cargo_bin("costbands").unwrap();
        command
            .current_dir(dir)
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("SLURM_ARRAY_TASK_MIN")
            .env_remove("SLURM_ARRAY_TASK_COUNT")
            .env_remove("JOB_COMPLETION_INDEX")
            .args([
                "run",
                "chatgpt-class",
                "-n",
                "50000",
                "-q",
                "--shard",
                "auto",
            ])
            .args(extra)
            .args(["--out", out]);
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().unwrap()
    };
    // A Slurm array 1-2 and a Kubernetes Indexed Job of 2 completions.
    for task in ["1", "2"] {
        let env = [
            ("SLURM_ARRAY_TASK_ID", task),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
        ];
        assert_ok(&auto(&env, &[], &format!("slurm{task}")));
    }
    for index in ["0", "1"] {
        let env = [("JOB_COMPLETION_INDEX", index)];
        assert_ok(&auto(&env, &["--shards", "2"], &format!("k8s{index}")));
    }
    assert_ok(&costbands_in(
        dir,
        &[
            "run",
            "chatgpt-class",
            "-n",
            "50000",
            "-q",
            "--stream",
            "--out",
            "one",
        ],
    ));
    for (a, b) in [("slurm1", "slurm2"), ("k8s0", "k8s1")] {
        let out = format!("merged-{a}");
        assert_ok(&merge(dir, &[a.into(), b.into()], &out));
        let summary = read(&dir.join(&out).join("summary.csv"));
        assert_eq!(summary, read(&dir.join("one/summary.csv")), "{a}");
        // The merged run's record reruns in one process to the same numbers.
        let record = format!("{out}/run.json");
        let again = format!("again-{a}");
        assert_ok(&costbands_in(
            dir,
            &["rerun", &record, "--out", &again, "-q"],
        ));
        assert_eq!(summary, read(&dir.join(&again).join("summary.csv")), "{a}");
    }
    let message = stderr(&auto(&[("JOB_COMPLETION_INDEX", "0")], &[], "x"));
    assert!(message.contains("--shards N"), "{message}");
    let message = stderr(&auto(&[], &[], "x"));
    assert!(message.contains("neither is set"), "{message}");
    assert!(!dir.join("x").exists());
}
