//! Recorded runs as a source of scenarios: `costbands run results/x/run.json` and
//! `costbands rerun results/x/run.json` read a run's record back — its resolved scenarios, its
//! settings and each scenario's samples — after checking that it is a run's record, of a format
//! this version reads, and unchanged since it was written (`recipe_sha256`).

use super::{Error, RunOptions};
use crate::model::Metric;
use crate::report::record::{recipe_sha256, RecipeScenario, RecordedSettings, RECORD_FORMAT};
use crate::scenario::{Override, SamplingSettings, Scenario};
use crate::settings::SettingError;
use crate::stats::Event;
use serde::Deserialize;
use std::io::Read;

/// The largest record read: far beyond the record of any batch.
const MAX_RECORD_BYTES: u64 = 64 << 20;

/// A run's record, read back and checked.
#[derive(Debug, Clone)]
pub(super) struct Record {
    /// The record's path, as given.
    pub path: String,
    /// Its scenarios, loaded from their resolved texts (with any `--set` applied).
    pub scenarios: Vec<Scenario>,
    /// The samples each scenario drew.
    pub samples_used: Vec<usize>,
    /// The recorded settings, as a scenario file's `[sampling]` would give them.
    pub sampling: SamplingSettings,
    /// The recorded samples asked for (`None` when the run chose them itself).
    pub samples_requested: Option<usize>,
    /// The recorded `--exceed` and `--below` events.
    pub events: Vec<(Metric, Event)>,
    /// Whether the recorded run streamed its samples (its record has a `stream` section), so
    /// that running it again streams too.
    pub streamed: bool,
}

/// What a rerun reads of run.json; every other field is left alone.
#[derive(Deserialize)]
struct RecordFile {
    record_format: u32,
    recipe_sha256: String,
    #[serde(flatten)]
    settings: RecordedSettings,
    scenarios: Vec<RecipeScenario>,
}

/// Whether `arg` names a record rather than a scenario: a `.json` file.
pub(super) fn is_record(arg: &str) -> bool {
    std::path::Path::new(arg)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads and checks the record at `path`, then loads its scenarios with `overrides` applied.
/// `exact` (a rerun) refuses a record of another costbands version; otherwise such a record
/// loads with a warning on each scenario.
pub(super) fn load(path: &str, overrides: &[Override], exact: bool) -> Result<Record, Error> {
    let problem = |problem: String| Error::Record {
        path: path.to_string(),
        problem,
    };
    let text = read_capped(path).map_err(|e| problem(e.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        problem(format!(
            "not a costbands record: it is not JSON ({e}); give the run.json a run wrote"
        ))
    })?;
    let version_warning = check_kind(&value, exact, path).map_err(problem)?;
    let streamed = value.get("stream").is_some_and(|s| !s.is_null());
    let file: RecordFile = serde_json::from_value(value).map_err(|e| {
        problem(format!(
            "damaged: {e}; rerun reads the run.json a run wrote, unchanged"
        ))
    })?;
    check_recipe(&file, path).map_err(problem)?;
    let events = file
        .settings
        .events
        .iter()
        .map(|e| {
            let metric = Metric::from_name_or_item(&e.metric).ok_or_else(|| {
                problem(format!("damaged: events: unknown metric \"{}\"", e.metric))
            })?;
            Ok((
                metric,
                Event {
                    side: e.event,
                    threshold: e.threshold,
                },
            ))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut scenarios = Vec::with_capacity(file.scenarios.len());
    for recorded in &file.scenarios {
        let origin = format!("{path}, scenario {}", recorded.name);
        let mut scenario = Scenario::from_toml(
            &recorded.resolved_scenario,
            &origin,
            &recorded.name,
            overrides,
        )?;
        if let Some(warning) = &version_warning {
            scenario.add_warning(warning.clone());
        }
        scenarios.push(scenario);
    }
    let first = file
        .scenarios
        .first()
        .ok_or_else(|| problem("damaged: it records no scenario".into()))?;
    let samples = file
        .settings
        .samples_requested
        .unwrap_or(first.samples_used);
    Ok(Record {
        path: path.to_string(),
        scenarios,
        samples_used: file.scenarios.iter().map(|s| s.samples_used).collect(),
        sampling: file.settings.sampling(samples),
        samples_requested: file.settings.samples_requested,
        events,
        streamed,
    })
}

/// Checks that `value` is the record of a costbands run of a format this version reads;
/// returns the warning for a record of another version (an error when `exact`).
fn check_kind(
    value: &serde_json::Value,
    exact: bool,
    path: &str,
) -> Result<Option<String>, String> {
    if value.get("tool").and_then(|t| t.as_str()) != Some("costbands") {
        return Err("not a costbands record (it has no \"tool\": \"costbands\"); give the run.json a run wrote".into());
    }
    let job = job_of(value);
    if job != "run" {
        let command = command_of(value).map_or_else(String::new, |c| format!(": {c}"));
        return Err(format!(
            "the record of a `costbands {job}` job, and only runs can be rerun; repeat it with \
             its command line{command}"
        ));
    }
    let version = value.get("version").and_then(|v| v.as_str()).unwrap_or("?");
    let format = value.get("record_format").and_then(|f| f.as_u64());
    match format {
        None => {
            return Err(format!(
                "written by costbands {version}, before a run recorded what a rerun needs (its \
             resolved scenarios); run its scenario files again with the options it lists"
            ))
        }
        Some(f) if f != u64::from(RECORD_FORMAT) => {
            return Err(format!(
                "record format {f} (costbands {version}), but this costbands ({}) reads format \
             {RECORD_FORMAT}; rerun it with costbands {version}",
                env!("CARGO_PKG_VERSION")
            ))
        }
        Some(_) => {}
    }
    let this = env!("CARGO_PKG_VERSION");
    if version == this {
        return Ok(None);
    }
    let differs = format!(
        "recorded by costbands {version}, and this is costbands {this}, whose model or sampling \
         may differ"
    );
    match exact {
        true => Err(format!(
            "{differs}, so its results may not reproduce; rerun it with costbands {version}, or \
             run its scenarios with this version: costbands run {path}"
        )),
        false => Ok(Some(format!(
            "{differs}: results may differ from the record's"
        ))),
    }
}

/// The job a record is of: its `job`, else what its fields say (records written before `job`).
fn job_of(value: &serde_json::Value) -> String {
    if let Some(job) = value.get("job").and_then(|j| j.as_str()) {
        return job.to_string();
    }
    let has = |key: &str| value.get(key).is_some();
    let job = if has("pairs") {
        "compare"
    } else if has("points") {
        "sweep"
    } else if has("scenarios") {
        "run"
    } else {
        "sensitivity"
    };
    job.to_string()
}

/// The recorded command line, words joined by spaces (quoted where needed).
fn command_of(value: &serde_json::Value) -> Option<String> {
    let words = value.get("command")?.as_array()?;
    let words: Vec<String> = words.iter().filter_map(|w| w.as_str()).map(quote).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// `word` quoted for a POSIX shell when it holds anything but plain characters.
fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+%@".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Fails when what a rerun reads no longer matches the record's checksum.
fn check_recipe(file: &RecordFile, path: &str) -> Result<(), String> {
    if file.record_format != RECORD_FORMAT {
        return Err(format!("damaged: record_format {}", file.record_format));
    }
    if recipe_sha256(&file.settings, &file.scenarios) == file.recipe_sha256 {
        return Ok(());
    }
    Err(format!(
        "edited or damaged: its settings or scenarios no longer match its recipe_sha256, so a \
         rerun would not be the run it records. To run a changed scenario, save its \
         resolved_scenario text as a .toml file and run that; to change a setting, give it as \
         an option, e.g. costbands run {path} --seed 7"
    ))
}

/// Reads a text file of at most [`MAX_RECORD_BYTES`].
fn read_capped(path: &str) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            "larger than 64 MiB, more than any run's record; is it the right file?",
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text; a record is JSON",
        )
    })
}

/// Fails, naming it, when a rerun is given an option that would change its results.
pub(super) fn refuse_changes(options: &RunOptions) -> Result<(), Error> {
    let common = &options.common;
    let given = [
        ("--samples", common.samples.is_some()),
        ("--seed", common.seed.is_some()),
        ("--set", !common.set.is_empty()),
        ("--confidence", common.confidence.is_some()),
        ("--percentiles", options.percentiles.is_some()),
        ("--exceed", !options.exceed.is_empty()),
        ("--below", !options.below.is_empty()),
        ("--sampler", options.sampler.is_some()),
        ("--replicates", options.replicates.is_some()),
        ("--precision", !options.precision.is_empty()),
        ("--max-samples", options.max_samples.is_some()),
        ("--all", options.all),
    ];
    let Some((option, _)) = given.iter().find(|(_, given)| *given) else {
        return Ok(());
    };
    let record = options.scenarios.first().map_or("RUN_JSON", String::as_str);
    Err(SettingError::new(
        format!("rerun {option}"),
        format!(
            "rerun reproduces the recorded run as it was, and {option} would change it; to run \
             the recorded scenarios with other settings, use `costbands run {record} {option} ...`"
        ),
    )
    .into())
}
