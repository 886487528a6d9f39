//! Hostile and careless use: concurrent jobs, failed and interrupted replacements, stale files,
//! unsafe names and paths, impossible sizes, full or closed stdout, options that would be
//! ignored. Each test names the bug it guards against; each checks the exit status, the message,
//! and what is (and is not) on disk afterwards.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const LOCK_FILE: &str = ".costbands.lock";
const STAGING_PREFIX: &str = ".costbands-staging-";
const RUN_SET: [&str; 3] = ["summary.csv", "bands.csv", "run.json"];

/// A small run of the SMALL scenario into `out` (2000 samples, seed 5 unless `extra` says).
fn small_run(dir: &Path, out: &str, extra: &[&str]) -> Output {
    write(dir, "small.toml", SMALL);
    let mut args = vec!["run", "small.toml", "--out", out];
    if !extra.contains(&"-n") {
        args.extend(["-n", "2000"]);
    }
    if !extra.contains(&"--seed") {
        args.extend(["--seed", "5"]);
    }
    args.extend_from_slice(extra);
    costbands_in(dir, &args)
}

/// Asserts exit status 1 and a message on stderr containing every needle.
fn assert_fails(output: &Output, needles: &[&str]) -> String {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.starts_with("error: "), "{message}");
    for needle in needles {
        assert!(message.contains(needle), "`{needle}` not in: {message}");
    }
    message
}

/// The names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn staging_in(dir: &Path) -> Vec<String> {
    entries(dir)
        .into_iter()
        .filter(|n| n.starts_with(STAGING_PREFIX))
        .collect()
}

fn contents(dir: &Path, names: &[&str]) -> Vec<String> {
    names.iter().map(|n| read(&dir.join(n))).collect()
}

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("costbands")
}

// 1. Two jobs into one folder: the second fails, naming the folder; neither mixes results.

#[test]
fn a_second_job_into_a_locked_folder_fails_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    fs::create_dir(&out).unwrap();
    let lock = fs::File::create(out.join(LOCK_FILE)).unwrap();
    lock.try_lock().expect("the test holds the lock");
    let output = small_run(dir.path(), "o", &[]);
    assert_fails(
        &output,
        &[
            "output folder o is in use by another costbands job",
            LOCK_FILE,
        ],
    );
    assert_eq!(entries(&out), [LOCK_FILE]);
    // The same for a sensitivity analysis.
    let output = costbands_in(
        dir.path(),
        &[
            "sensitivity",
            "small.toml",
            "-n",
            "400",
            "--resamples",
            "5",
            "--out",
            "o",
        ],
    );
    assert_fails(&output, &["o is in use by another costbands job"]);
    drop(lock);
    assert_ok(&small_run(dir.path(), "o", &[]));
    assert_eq!(
        entries(&out),
        [
            LOCK_FILE,
            "bands.csv",
            "breakdown.csv",
            "plots",
            "report.html",
            "run.json",
            "summary.csv"
        ]
    );
}

#[test]
fn two_jobs_started_together_never_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    let start = |seed: &str| {
        Command::new(binary())
            .current_dir(dir.path())
            .args([
                "run",
                "small.toml",
                "-n",
                "300000",
                "-q",
                "--seed",
                seed,
                "--out",
                "o",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (start("1"), start("2"));
    let outputs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let succeeded: Vec<&Output> = outputs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(succeeded.len(), 1, "{:?}", outputs.map(|o| stderr(&o)));
    let failed = outputs.iter().find(|o| !o.status.success()).unwrap();
    let message = stderr(failed);
    assert!(
        message.contains("is in use by another costbands job")
            || message.contains("already holds results"),
        "{message}"
    );
    let run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    let summary = read(&dir.path().join("o/summary.csv"));
    let seed = run["seed"].as_u64().unwrap().to_string();
    // The files are one run's: rerunning that seed elsewhere gives the same summary.
    assert_ok(&costbands_in(
        dir.path(),
        &[
            "run",
            "small.toml",
            "-n",
            "300000",
            "-q",
            "--seed",
            &seed,
            "--out",
            "again",
        ],
    ));
    assert_eq!(summary, read(&dir.path().join("again/summary.csv")));
}

// 2. A failed --force leaves the whole old set, not a mix.

#[test]
fn a_failed_force_leaves_the_whole_old_set() {
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&small_run(dir.path(), "o", &["--save-samples"]));
    let out = dir.path().join("o");
    let before = contents(
        &out,
        &["summary.csv", "run.json", "samples.csv", "report.html"],
    );
    fs::remove_file(out.join("bands.csv")).unwrap();
    fs::create_dir(out.join("bands.csv")).unwrap();
    fs::write(out.join("bands.csv/keep.txt"), "user data").unwrap();
    let output = small_run(dir.path(), "o", &["--force", "--seed", "6"]);
    assert_fails(
        &output,
        &["o/bands.csv: a folder where a result file belongs"],
    );
    assert_eq!(
        contents(
            &out,
            &["summary.csv", "run.json", "samples.csv", "report.html"]
        ),
        before
    );
    assert_eq!(read(&out.join("bands.csv/keep.txt")), "user data");
    assert_eq!(
        entries(&out),
        [
            LOCK_FILE,
            "bands.csv",
            "breakdown.csv",
            "plots",
            "report.html",
            "run.json",
            "samples.csv",
            "summary.csv"
        ]
    );
}

// 3. --force replaces the whole set: no stale file of an older run survives beside new ones,
// and files the tool does not write are left alone.

#[test]
fn force_removes_stale_result_files_and_only_those() {
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&small_run(dir.path(), "o", &["--save-samples"]));
    let out = dir.path().join("o");
    fs::write(out.join("notes.txt"), "mine").unwrap();
    fs::write(out.join("samples.csv.bak"), "mine").unwrap();
    let old_summary = read(&out.join("summary.csv"));
    assert_ok(&small_run(dir.path(), "o", &["--force", "--seed", "6"]));
    assert_ne!(read(&out.join("summary.csv")), old_summary);
    assert_eq!(
        entries(&out),
        [
            LOCK_FILE,
            "bands.csv",
            "breakdown.csv",
            "notes.txt",
            "plots",
            "report.html",
            "run.json",
            "samples.csv.bak",
            "summary.csv"
        ]
    );
    // A sensitivity analysis replacing a run leaves only its own files.
    let output = costbands_in(
        dir.path(),
        &[
            "sensitivity",
            "small.toml",
            "-n",
            "400",
            "--resamples",
            "5",
            "--out",
            "o",
            "--force",
            "-q",
        ],
    );
    assert_ok(&output);
    assert_eq!(
        entries(&out),
        [
            LOCK_FILE,
            "notes.txt",
            "plots",
            "report.html",
            "samples.csv.bak",
            "sensitivity.csv",
            "sensitivity.json"
        ]
    );
}

// 4. Interrupted runs leave no staging files; a killed run's are removed by the next.

/// Starts a run into `dir/o` that takes many seconds, and waits until its staging folder
/// exists.
fn start_long_run(dir: &Path, extra: &[&str]) -> (std::process::Child, PathBuf) {
    write(dir, "small.toml", SMALL);
    let child = Command::new(binary())
        .current_dir(dir)
        .args([
            "run",
            "small.toml",
            "-n",
            "20000000",
            "-j",
            "1",
            "-q",
            "--out",
            "o",
        ])
        // Killed long before it touches most of its columns: not limited by what is free now.
        .args(["--max-memory", "16G"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = dir.join("o");
    let started = Instant::now();
    while !out.is_dir() || staging_in(&out).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no staging folder"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, out)
}

#[cfg(unix)]
#[test]
fn sigterm_removes_what_the_run_staged() {
    let dir = tempfile::tempdir().unwrap();
    let (child, out) = start_long_run(dir.path(), &[]);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(143));
    let message = stderr(&output);
    assert_eq!(
        message,
        "costbands: interrupted by SIGTERM; nothing written to o\n"
    );
    // The run created the folder, so nothing at all is left.
    assert!(!out.exists(), "{:?}", entries(&out));
}

#[cfg(unix)]
#[test]
fn sigint_leaves_an_existing_folder_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&small_run(dir.path(), "o", &["--save-samples"]));
    let out = dir.path().join("o");
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let before = contents(
        &out,
        &["summary.csv", "bands.csv", "run.json", "samples.csv"],
    );
    let (child, out) = start_long_run(dir.path(), &["--force"]);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "costbands: interrupted by SIGINT; nothing written to o\n"
    );
    assert_eq!(
        contents(
            &out,
            &["summary.csv", "bands.csv", "run.json", "samples.csv"]
        ),
        before
    );
    assert_eq!(
        entries(&out),
        [
            LOCK_FILE,
            "bands.csv",
            "breakdown.csv",
            "notes.txt",
            "plots",
            "report.html",
            "run.json",
            "samples.csv",
            "summary.csv"
        ]
    );
}

#[test]
fn a_killed_runs_staging_is_removed_by_the_next_run_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, out) = start_long_run(dir.path(), &[]);
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let left = staging_in(&out);
    assert_eq!(left.len(), 1, "{:?}", entries(&out));
    fs::write(out.join(".costbands-staging-notes.txt"), "mine").unwrap();
    fs::write(out.join("keep.txt"), "mine").unwrap();
    assert_ok(&small_run(dir.path(), "o", &[]));
    assert_eq!(
        entries(&out),
        [
            ".costbands-staging-notes.txt",
            LOCK_FILE,
            "bands.csv",
            "breakdown.csv",
            "keep.txt",
            "plots",
            "report.html",
            "run.json",
            "summary.csv"
        ]
    );
}

// 5. Result files get the permissions the umask gives, not 0600.

#[cfg(unix)]
#[test]
fn result_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    for (umask, mode) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let out = format!("o{umask}");
        let status = Command::new("sh")
            .current_dir(dir.path())
            .args([
                "-c",
                &format!("umask {umask} && exec \"$0\" \"$@\""),
                binary().to_str().unwrap(),
            ])
            .args([
                "run",
                "small.toml",
                "-n",
                "500",
                "-q",
                "--save-samples",
                "--out",
                &out,
            ])
            .status()
            .unwrap();
        assert!(status.success());
        for name in RUN_SET.iter().chain(&["samples.csv"]) {
            let path = dir.path().join(&out).join(name);
            let actual = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(actual, mode, "{} under umask {umask}", path.display());
        }
    }
}

// 6. Scenario names are folder names: unsafe ones are refused by check and run alike.

#[test]
fn unsafe_scenario_names_are_refused_with_a_valid_one_suggested() {
    let cases: [(&str, &str); 6] = [
        ("\"/abs/path\"", "name = \"abs-path\""),
        ("\"../../evil\"", "name = \"evil\""),
        ("\"..\"", "name = \"scenario\""),
        ("\"\"", "name = \"scenario\""),
        ("\"a\\u0000b\"", "name = \"a-b\""),
        ("\".hidden\"", "name = \"hidden\""),
    ];
    let huge = format!("\"{}\"", "x".repeat(1 << 20));
    for (name, suggestion) in cases
        .iter()
        .copied()
        .chain([(huge.as_str(), "(1048576 bytes)")])
    {
        let dir = tempfile::tempdir().unwrap();
        let text = SMALL.replacen("name = \"small\"", &format!("name = {name}"), 1);
        write(dir.path(), "bad.toml", &text);
        for args in [
            &["check", "bad.toml"][..],
            &["run", "bad.toml", "-n", "100"],
        ] {
            let output = costbands_in(dir.path(), args);
            let message = assert_fails(
                &output,
                &[
                    "bad.toml: name: ",
                    "1 to 64 ASCII letters, digits, '-', '_' or '.', not starting with '.'",
                    suggestion,
                ],
            );
            assert!(message.len() < 600, "{} bytes", message.len());
        }
        assert_eq!(entries(dir.path()), ["bad.toml"]);
        assert!(!dir.path().join("../../evil").exists() && !Path::new("/abs/path").exists());
    }
}

#[test]
fn a_file_stem_that_is_not_a_safe_name_is_made_safe() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL.replacen("name = \"small\"\n", "", 1);
    write(dir.path(), "my scenario (v2).toml", &text);
    let output = costbands_in(
        dir.path(),
        &["run", "my scenario (v2).toml", "-n", "500", "-q"],
    );
    assert_ok(&output);
    assert_eq!(entries(&dir.path().join("results")), ["my-scenario-v2"]);
    let check = costbands_in(dir.path(), &["check", "my scenario (v2).toml"]);
    assert_ok(&check);
    assert!(stdout(&check).starts_with("ok: my scenario (v2).toml: my-scenario-v2 ("));
}

// 7. --out that cannot be a folder says what is wrong with it.

#[test]
fn an_out_path_that_is_not_a_folder_is_named_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("afile"), "x").unwrap();
    let cases = [
        ("afile", "output folder afile: is a file, not a folder"),
        (
            "/dev/null",
            "output folder /dev/null: is a device, not a folder",
        ),
        (
            "-",
            "--out -: results are a set of files in a folder, not a stream",
        ),
    ];
    for (out, needle) in cases {
        let message = assert_fails(&small_run(dir.path(), out, &[]), &[needle]);
        assert!(!message.contains("os error"), "{message}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling"))
            .unwrap();
        assert_fails(
            &small_run(dir.path(), "dangling", &[]),
            &[
                "output folder dangling: is a symbolic link to",
                "nowhere",
                "which does not exist",
            ],
        );
    }
    assert_eq!(read(&dir.path().join("afile")), "x");
    assert!(!dir.path().join("-").exists() && !dir.path().join("nowhere").exists());
}

// 8. Sizes that cannot fit are refused before anything is allocated, with the fix.

#[test]
fn a_run_too_large_for_the_memory_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A Monte Carlo run that does not fit streams instead (tests/stream.rs); one that cannot
    // stream (it saves its samples, or is a design) is refused.
    for samples in ["1000000000000", "18446744073709551615"] {
        let output = small_run(
            dir.path(),
            "o",
            &["-n", samples, "--max-memory", "1T", "--save-samples"],
        );
        assert_fails(
            &output,
            &[
                "this run needs about",
                &format!("for {samples} samples"),
                "more than the limit of 1.00 TiB (--max-memory)",
                "use fewer samples: at most about",
            ],
        );
    }
    let output = small_run(dir.path(), "o", &["-n", "200000", "--max-memory", "8M"]);
    assert_fails(&output, &["more than the limit of 8.00 MiB (--max-memory)"]);
    let designed = [
        "-n",
        "1000000000000",
        "--max-memory",
        "1T",
        "--sampler",
        "lhs",
    ];
    let output = small_run(dir.path(), "o", &designed);
    assert_fails(&output, &["more than the limit of 1.00 TiB (--max-memory)"]);
    let output = small_run(dir.path(), "o", &["-n", "200000", "--max-memory", "1G"]);
    assert_ok(&output);
    assert!(!dir.path().join("o/samples.csv").exists());
    let output = small_run(dir.path(), "p", &["--max-memory", "lots"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--max-memory"));
    assert!(!dir.path().join("p").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn without_a_limit_the_memory_available_is_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let output = small_run(dir.path(), "o", &["-n", "1000000000000", "--save-samples"]);
    assert_fails(
        &output,
        &["MemAvailable in /proc/meminfo", "use fewer samples"],
    );
    let output = costbands_in(
        dir.path(),
        &[
            "sensitivity",
            "small.toml",
            "-n",
            "1000000000000",
            "--out",
            "s",
        ],
    );
    assert_fails(
        &output,
        &["this sensitivity analysis needs about", "MemAvailable"],
    );
    let output = costbands_in(
        dir.path(),
        &[
            "sensitivity",
            "small.toml",
            "--resamples",
            "1000000000",
            "--out",
            "s",
        ],
    );
    assert_fails(
        &output,
        &[
            "and 1000000000 resamples",
            "fewer samples (--samples) or resamples (--resamples)",
        ],
    );
    // A Latin hypercube is held in memory; a Monte Carlo run of the file would stream.
    write(
        dir.path(),
        "huge.toml",
        &SMALL.replace(
            "samples = 5000",
            "samples = 1000000000000\nmethod = \"lhs\"",
        ),
    );
    let output = costbands_in(dir.path(), &["check", "huge.toml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        message.contains("this run needs about")
            && message.contains("(huge.toml: sampling.samples)"),
        "{message}"
    );
    write(
        dir.path(),
        "streamed.toml",
        &SMALL.replace("samples = 5000", "samples = 1000000000000"),
    );
    let output = costbands_in(dir.path(), &["check", "streamed.toml"]);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("note: streamed.toml: held in memory, this run would need"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        entries(dir.path()),
        ["huge.toml", "small.toml", "streamed.toml"]
    );
}

// 9. A scenario file is read up to 16 MiB.

#[cfg(unix)]
#[test]
fn check_dev_zero_stops_at_16_mib() {
    let (_dir, output) = costbands(&["check", "/dev/zero"]);
    assert_fails(
        &output,
        &["/dev/zero: larger than 16 MiB, the most a scenario file may hold"],
    );
}

// 10. Thread counts are capped.

#[test]
fn absurd_thread_counts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = small_run(dir.path(), "o", &["-j", "10000"]);
    assert_fails(
        &output,
        &["--threads 10000: at most", "worker threads here"],
    );
    assert!(!dir.path().join("o").exists());
    assert_ok(&small_run(dir.path(), "o", &["-j", "64", "-q"]));
}

// 11. A full or closed stdout is an error or a quiet end, never a panic.

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    let full = || {
        fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let run = |args: &[&str]| {
        Command::new(binary())
            .current_dir(dir.path())
            .args(args)
            .stdout(full())
            .output()
            .unwrap()
    };
    let output = run(&["list"]);
    assert_fails(
        &output,
        &["cannot write to stdout: No space left on device"],
    );
    assert!(!stderr(&output).contains("panicked"));
    let output = run(&["run", "small.toml", "-n", "500", "--out", "o"]);
    assert_fails(
        &output,
        &["the results are in o, but printing them failed: cannot write to stdout"],
    );
    assert_eq!(
        entries(&dir.path().join("o")),
        [
            LOCK_FILE,
            "bands.csv",
            "breakdown.csv",
            "plots",
            "report.html",
            "run.json",
            "summary.csv"
        ]
    );
    let output = run(&[
        "sensitivity",
        "small.toml",
        "-n",
        "400",
        "--resamples",
        "5",
        "--out",
        "s",
    ]);
    assert_fails(&output, &["the results are in s, but printing them failed"]);
    assert_fails(&run(&["check", "small.toml"]), &["cannot write to stdout"]);
    assert_fails(
        &run(&["explain", "small.toml"]),
        &["cannot write to stdout"],
    );
    let output = run(&[
        "compare",
        "small.toml",
        "small.toml",
        "-n",
        "300",
        "--out",
        "c",
    ]);
    assert_fails(&output, &["the results are in c, but printing them failed"]);
    let output = run(&[
        "sweep",
        "small.toml",
        "--vary",
        "utilization=0.3,0.5",
        "-n",
        "300",
        "--out",
        "w",
    ]);
    assert_fails(&output, &["the results are in w, but printing them failed"]);
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    for args in [
        &["list"][..],
        &[
            "run",
            "small.toml",
            "-n",
            "500",
            "--format",
            "json",
            "--out",
            "o",
        ],
    ] {
        let mut child = Command::new(binary())
            .current_dir(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before anything is written
        let output = child.wait_with_output().unwrap();
        let message = stderr(&output);
        assert!(output.status.success(), "{message}");
        assert!(
            !message.contains("panicked") && !message.contains("error"),
            "{message}"
        );
    }
    assert_eq!(
        entries(&dir.path().join("o")),
        [
            LOCK_FILE,
            "bands.csv",
            "breakdown.csv",
            "plots",
            "report.html",
            "run.json",
            "summary.csv"
        ]
    );
}

// 12–14. Options that used to be silently ignored are errors.

#[test]
fn one_set_sets_one_input() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "utilization=0.5\nmfu=0.9",
            "--set utilization=0.5\\nmfu=0.9: holds a line break",
        ),
        (
            "utilization=0.5 # c",
            "--set utilization=0.5 # c: holds a `#`",
        ),
    ];
    for (set, needle) in cases {
        assert_fails(&small_run(dir.path(), "o", &["--set", set]), &[needle]);
        assert_fails(
            &costbands_in(dir.path(), &["check", "small.toml", "--set", set]),
            &[needle],
        );
    }
    assert_eq!(entries(dir.path()), ["small.toml"]);
    assert_ok(&small_run(
        dir.path(),
        "o",
        &["--set", "utilization=0.5", "-q"],
    ));
}

#[test]
fn max_samples_without_precision_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert_fails(
        &small_run(dir.path(), "o", &["--max-samples", "100"]),
        &[
            "--max-samples: caps the samples of a --precision run",
            "--precision daily_cost_usd:p95:1%",
        ],
    );
    assert!(!dir.path().join("o").exists());
}

#[test]
fn duplicate_percentiles_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert_fails(
        &small_run(dir.path(), "o", &["--percentiles", "50,50,97.5"]),
        &["--percentiles: 50 is listed twice; list each percentile once"],
    );
    write(
        dir.path(),
        "dup.toml",
        &SMALL.replace("seed = 11", "seed = 11\npercentiles = [5, 95, 5]"),
    );
    let output = costbands_in(dir.path(), &["check", "dup.toml"]);
    let message = stderr(&output);
    assert!(
        message.contains("dup.toml: sampling.percentiles: 5 is listed twice"),
        "{message}"
    );
    assert!(!dir.path().join("o").exists());
}

// 15. Misleading messages: each names what is close, where to fix it and how.

#[test]
fn an_abbreviated_gpu_suggests_the_ids_it_starts_regression() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "h.toml",
        &SMALL.replace("\"h100-sxm\"", "\"H100\""),
    );
    let message = assert_fails(
        &costbands_in(dir.path(), &["check", "h.toml"]),
        &[
            "h.toml: gpu: unknown GPU \"H100\"",
            "did you mean `h100-pcie` or `h100-sxm`?",
        ],
    );
    assert!(!message.contains("`b200`?"), "{message}");
    assert_fails(
        &small_run(dir.path(), "o", &["--set", "gpu=H100"]),
        &[
            "--set: gpu: unknown GPU \"H100\"",
            "`h100-pcie` or `h100-sxm`",
        ],
    );
    assert!(!dir.path().join("o").exists());
}

#[test]
fn an_unknown_preset_is_listed_once_with_the_closest_regression() {
    let dir = tempfile::tempdir().unwrap();
    let message = assert_fails(
        &costbands_in(dir.path(), &["check", "chatgpt_class"]),
        &["chatgpt_class", "did you mean `chatgpt-class`?"],
    );
    assert_eq!(
        message.matches("semianalysis-2023-uncertain").count(),
        1,
        "{message}"
    );
}

#[test]
fn a_fraction_as_a_to_b_gets_advice_with_its_own_ends_regression() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = SMALL.replace(
        "utilization = { dist = \"triangular\", min = 0.3, mode = 0.5, max = 0.7 }",
        "utilization = \"0.3 to 0.6\"",
    );
    write(dir.path(), "u.toml", &scenario);
    let message = assert_fails(
        &costbands_in(dir.path(), &["check", "u.toml"]),
        &[
            "u.toml: inputs.utilization: lognormal",
            "utilization = { dist = \"uniform\", min = 0.3, max = 0.6 }",
            "utilization = { dist = \"pert\", min = 0.3, mode = 0.45, max = 0.6 }",
            "utilization = { dist = \"lognormal\", p5 = 0.3, p95 = 0.6, truncate = [0, 1] }",
        ],
    );
    assert!(!message.contains("(lognormal, gamma"), "{message}");
}

#[test]
fn a_bad_set_value_names_set_as_the_place_to_fix_regression() {
    let dir = tempfile::tempdir().unwrap();
    let message = assert_fails(
        &small_run(dir.path(), "o", &["--set", "utilization=0.3 to 0.6"]),
        &[
            "--set: inputs.utilization: lognormal",
            "--set 'utilization={ dist = \"uniform\", min = 0.3, max = 0.6 }'",
        ],
    );
    assert!(!message.contains("small.toml"), "{message}");
    assert!(!dir.path().join("o").exists());
}

/// A stderr whose reader is gone (`costbands check bad.toml 2>&1 | head -c 10`): the error
/// message cannot be written, but the exit status still says what happened, and a run's
/// files are still written; no panic (exit 101).
#[test]
fn a_closed_stderr_is_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    write(dir.path(), "bad.toml", "[inputs]\nutilization = 7\n");
    let run = |args: &[&str]| {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader); // the reader is gone before anything is written
        Command::new(binary())
            .current_dir(dir.path())
            .args(args)
            .stdout(Stdio::null())
            .stderr(writer)
            .status()
            .unwrap()
    };
    assert_eq!(run(&["check", "bad.toml"]).code(), Some(1));
    assert_eq!(run(&["run", "bad.toml", "--out", "b"]).code(), Some(1));
    assert!(!dir.path().join("b").exists());
    let status = run(&["run", "small.toml", "-n", "500", "--out", "o"]);
    assert_eq!(status.code(), Some(0));
    assert!(dir.path().join("o").join("bands.csv").is_file());
}
