//! Arbitrary `--set NAME=VALUE` items (split at NUL bytes) applied to a preset, validated as
//! `costbands check PRESET --set ...` does.
#![no_main]

#[allow(dead_code)] // each target uses one of the harness functions
#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = harness::set(data);
});
