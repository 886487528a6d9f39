//! Batches: the scenarios a run names — files, folders of files, presets, `--all` — loaded and
//! validated together, every failure reported, before anything runs.

use super::record::{self, Record};
use super::{Error, RunOptions};
use crate::export;
use crate::scenario::{Scenario, PRESETS};
use crate::settings::SettingError;

/// The scenarios of a run, with the invalid ones kept back under `keep_going`, and the record
/// they come from when the run reruns one.
pub(super) struct Batch {
    /// The scenarios, in the order they run.
    pub scenarios: Vec<Scenario>,
    /// One message per invalid scenario left out (`keep_going`).
    pub failures: Vec<String>,
    /// The record (run.json) the scenarios come from.
    pub record: Option<Record>,
}

/// Loads every scenario `options` names, or the scenarios of the record it names; without
/// `keep_going`, any invalid scenario is the error, listing all of them.
pub(super) fn load_scenarios(options: &RunOptions) -> Result<Batch, Error> {
    let overrides = options.common.overrides()?;
    if let Some(record) = record_named(options)? {
        let record = record::load(record, &overrides, options.rerun)?;
        return Ok(Batch {
            scenarios: record.scenarios.clone(),
            failures: Vec::new(),
            record: Some(record),
        });
    }
    let (scenarios, failures) = load_named(options, &overrides)?;
    Ok(Batch {
        scenarios,
        failures,
        record: None,
    })
}

/// The record `options` names, if any: a record is run on its own.
fn record_named(options: &RunOptions) -> Result<Option<&str>, Error> {
    let records = options.scenarios.iter().filter(|s| record::is_record(s));
    match (records.count(), options.scenarios.as_slice()) {
        (0, _) if options.rerun => Err(SettingError::new(
            "rerun",
            "give the run.json of the run to reproduce, e.g. costbands rerun results/chatgpt-class/run.json",
        )
        .into()),
        (0, _) => Ok(None),
        (1, [only]) if !options.all => Ok(Some(only.as_str())),
        _ => Err(SettingError::new(
            "run",
            "a run's record (run.json) is run on its own: give it as the only scenario, \
             without --all (its scenarios are all in it)",
        )
        .into()),
    }
}

/// Loads the scenario files, folders and presets `options` names.
fn load_named(
    options: &RunOptions,
    overrides: &[crate::scenario::Override],
) -> Result<(Vec<Scenario>, Vec<String>), Error> {
    let names = scenario_names(options)?;
    if names.is_empty() {
        return Ok((
            vec![options.common.load_scenario(None, overrides)?],
            Vec::new(),
        ));
    }
    if let [name] = names.as_slice() {
        return Ok((
            vec![options.common.load_scenario(Some(name), overrides)?],
            Vec::new(),
        ));
    }
    // Every scenario is validated before anything runs, and every failure is reported.
    let mut scenarios: Vec<Scenario> = Vec::new();
    let mut failures = Vec::new();
    for name in &names {
        match options.common.load_scenario(Some(name), overrides) {
            Ok(scenario) => match folder_clash(&scenario, &scenarios) {
                Some(clash) => failures.push(clash),
                None => scenarios.push(scenario),
            },
            Err(error) => failures.push(error.to_string()),
        }
    }
    if !failures.is_empty() && (!options.keep_going || scenarios.is_empty()) {
        return Err(Error::Invalid { failures });
    }
    Ok((scenarios, failures))
}

/// Why `scenario` cannot have a sub-folder of a batch's results beside those of `taken`: its
/// name is another's (ignoring case, as some file systems do), or a result file's.
pub(super) fn folder_clash(scenario: &Scenario, taken: &[Scenario]) -> Option<String> {
    let name = scenario.name();
    if let Some(other) = taken.iter().find(|s| s.name().eq_ignore_ascii_case(name)) {
        return Some(format!(
            "{}: two scenarios are named \"{}\" (the other is {}): each scenario of a batch \
             writes its own sub-folder, named after it; give one a different `name`",
            scenario.origin(),
            other.name(),
            other.origin()
        ));
    }
    if !export::is_folder_name(name) {
        return Some(format!(
            "{}: the name \"{name}\" is that of a result file, and each scenario of a batch \
             writes its own sub-folder, named after it; give it another `name`",
            scenario.origin()
        ));
    }
    None
}

/// The scenario files and presets named: folders expand to their scenario files (sorted by
/// name; the hardware catalog is not a scenario), `--all` adds every preset.
fn scenario_names(options: &RunOptions) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for name in &options.scenarios {
        let path = std::path::Path::new(name);
        if !path.is_dir() {
            names.push(name.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|source| export::ExportError {
            path: name.clone(),
            source,
        })?;
        let mut files: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .filter(|p| p.file_name().is_some_and(|n| n != CATALOG_FILE))
            .map(|p| p.display().to_string())
            .collect();
        if files.is_empty() {
            return Err(SettingError::new(
                name.clone(),
                "the folder holds no scenario file (*.toml)",
            )
            .into());
        }
        files.sort();
        names.extend(files);
    }
    if options.all {
        names.extend(PRESETS.iter().map(|p| p.name.to_string()));
    }
    Ok(names)
}

/// The hardware catalog's file name, skipped in a folder of scenarios.
const CATALOG_FILE: &str = "hardware.toml";

/// The default output folder of a run: the scenario's name, or for several the first one's
/// with the count of the others (short and predictable, not every name joined).
pub(super) fn default_folder(scenarios: &[Scenario]) -> String {
    match scenarios {
        [one] => one.name().to_string(),
        [first, rest @ ..] => format!("{}-and-{}-more", first.name(), rest.len()),
        [] => "run".to_string(),
    }
}
