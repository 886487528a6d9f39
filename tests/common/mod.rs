//! Shared helpers for tests that drive the `costbands` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

/// Runs the binary with `args` in `dir`.
pub fn costbands_in(dir: &Path, args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("costbands")
        .expect("binary is built")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("binary runs")
}

/// Runs the binary with `args` in a fresh temporary directory, returning it too.
pub fn costbands(args: &[&str]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = costbands_in(dir.path(), args);
    (dir, output)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts success, printing stderr otherwise.
pub fn assert_ok(output: &Output) {
    assert!(output.status.success(), "failed: {}", stderr(output));
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write scenario");
    path
}

/// Reads a file to a string.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A small valid scenario on the FLOPs path.
pub const SMALL: &str = r#"
name = "small"
description = "test scenario"
gpu = "h100-sxm"

[inputs]
queries_per_day = "50e6 to 150e6"
output_tokens_per_query = { dist = "lognormal", p5 = 200, p95 = 1200 }
input_tokens_per_query = 300
active_params_b = { dist = "pert", min = 50, mode = 100, max = 300 }
mfu = { dist = "beta", mean = 0.3, sd = 0.05 }
utilization = { dist = "triangular", min = 0.3, mode = 0.5, max = 0.7 }
gpus_per_server = 8
gpu_hour_usd = { dist = "uniform", min = 1.5, max = 3.0 }
power_draw_fraction = 0.7
pue = { dist = "normal", mean = 1.2, sd = 0.05, truncate = [1.0, inf] }
electricity_usd_per_kwh = 0.08

[sampling]
samples = 5000
seed = 11
"#;
