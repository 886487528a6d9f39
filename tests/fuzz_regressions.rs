//! Every input kept in `fuzz/regressions/<target>/` once crashed, hung or ran out of memory in
//! that fuzz target. Each is replayed here, under plain `cargo test` on stable, through the
//! target's own body (`fuzz/harness.rs`, which checks the target's invariants): each must end
//! in success or a clean error, within a bound far above its time when fixed. The scenario
//! files of `distributions/` (the scenario target's seeds) are replayed too.

#[allow(dead_code)] // each test uses one of the harness functions
#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The most one input may take: the fuzz runs' `-timeout=5`, with room for a slow machine.
const BOUND: Duration = Duration::from_secs(30);

/// The files of `dir`, sorted (none when it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

/// The regression inputs of a target.
fn regressions(target: &str) -> Vec<PathBuf> {
    files(&Path::new(ROOT).join("fuzz/regressions").join(target))
}

/// Runs `body` on `path`'s bytes in its own thread; fails when it panics or takes longer than
/// [`BOUND`]. Returns its outcome.
fn replay(
    path: &Path,
    body: impl FnOnce(&[u8]) -> Result<(), String> + Send + 'static,
) -> Result<(), String> {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&data)));
        let _ = sender.send(outcome);
    });
    match receiver.recv_timeout(BOUND) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(_)) => panic!("{} panicked (message above)", path.display()),
        Err(_) => panic!("{} took more than {BOUND:?}", path.display()),
    }
}

/// Replays a target's regressions through `body`, each ending in success or a clean error.
fn replay_all(target: &str, body: fn(&[u8]) -> Result<(), String>) {
    for path in regressions(target) {
        if let Err(message) = replay(&path, body) {
            assert!(!message.trim().is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn number_regressions_end_cleanly() {
    replay_all("number", harness::number);
}

#[test]
fn set_regressions_end_cleanly() {
    replay_all("set", harness::set);
}

#[test]
fn scenario_regressions_end_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    for path in regressions("scenario") {
        let dir = dir.path().to_path_buf();
        if let Err(message) = replay(&path, move |data| harness::scenario(&dir, data)) {
            assert!(!message.trim().is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn the_scenario_seeds_pass_the_scenario_target() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = files(&Path::new(ROOT).join("distributions"));
    assert!(seeds.len() > 10, "{seeds:?}");
    for path in seeds {
        let dir = dir.path().to_path_buf();
        let outcome = replay(&path, move |data| harness::scenario(&dir, data));
        match path.file_name().and_then(|n| n.to_str()) {
            // The hardware catalog is no scenario: it fails, cleanly.
            Some("hardware.toml") => assert!(outcome.is_err()),
            _ => assert_eq!(outcome, Ok(()), "{}", path.display()),
        }
    }
}

#[test]
fn the_seeds_pass_the_number_and_set_targets() {
    for text in [
        "2.5M", "1e6", "1_000", "$2.5", "40%", "20m", "", "--", "1e400", "-0",
    ] {
        let outcome = harness::number(text.as_bytes());
        assert_eq!(
            outcome.is_ok(),
            ["2.5M", "1e6", "1_000", "-0"].contains(&text),
            "{text:?}: {outcome:?}"
        );
    }
    assert!(harness::set(b"\x00utilization=40%\x00queries_per_day=2.5B").is_ok());
    let refused = harness::set(b"\x00utilization=40").unwrap_err();
    assert!(refused.contains("did you mean"), "{refused}");
}
