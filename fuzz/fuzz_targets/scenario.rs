//! Arbitrary bytes as a scenario file, validated as `costbands check FILE` does.
#![no_main]

#[allow(dead_code)] // each target uses one of the harness functions
#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A folder of this process for the scenario file (in /dev/shm when there is one).
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = match std::path::Path::new("/dev/shm").is_dir() {
            true => PathBuf::from("/dev/shm"),
            false => std::env::temp_dir(),
        };
        let dir = base.join(format!("costbands-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder for the scenario file");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = harness::scenario(dir(), data);
});
