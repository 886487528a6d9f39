//! Batches: the scenarios a run names — files, folders of files, presets, `--all` — loaded and
//! validated together, every failure reported, before anything runs.

use super::{Error, RunOptions};
use crate::export;
use crate::scenario::{Scenario, PRESETS};
use crate::settings::SettingError;

/// Loads every scenario `options` names; returns them with the failures kept back under
/// `keep_going` (without it, any failure is the error, listing all of them).
pub(super) fn load_scenarios(options: &RunOptions) -> Result<(Vec<Scenario>, Vec<String>), Error> {
    let overrides = options.common.overrides()?;
    let names = scenario_names(options)?;
    if names.is_empty() {
        return Ok((
            vec![options.common.load_scenario(None, &overrides)?],
            Vec::new(),
        ));
    }
    if let [name] = names.as_slice() {
        return Ok((
            vec![options.common.load_scenario(Some(name), &overrides)?],
            Vec::new(),
        ));
    }
    // Every scenario is validated before anything runs, and every failure is reported.
    let mut scenarios: Vec<Scenario> = Vec::new();
    let mut failures = Vec::new();
    for name in &names {
        match options.common.load_scenario(Some(name), &overrides) {
            Ok(scenario) if scenarios.iter().any(|s| s.name() == scenario.name()) => {
                failures.push(format!(
                    "{}: two scenarios are named \"{}\"; give one a different `name`",
                    scenario.origin(),
                    scenario.name()
                ))
            }
            Ok(scenario) => scenarios.push(scenario),
            Err(error) => failures.push(error.to_string()),
        }
    }
    if !failures.is_empty() && (!options.keep_going || scenarios.is_empty()) {
        return Err(Error::Invalid { failures });
    }
    Ok((scenarios, failures))
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
