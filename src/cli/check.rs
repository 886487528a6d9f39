//! `costbands check FILE...`: validate scenario files without running them.

use crate::scenario::Scenario;
use clap::Args;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    /// Scenario files (or preset names) to validate
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Override an input before validating: NAME=VALUE (repeatable)
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
}

pub(super) fn check(args: CheckArgs) -> anyhow::Result<()> {
    let overrides = super::overrides(&args.set)?;
    let mut failures = 0;
    for file in &args.files {
        match Scenario::load(file, &overrides) {
            Ok(scenario) => {
                let uncertain = scenario.uncertain_inputs().count();
                println!(
                    "ok: {file}: {} ({} path, {} inputs, {uncertain} uncertain)",
                    scenario.name(),
                    scenario.path().name(),
                    scenario.inputs().len()
                );
                for warning in scenario.warnings() {
                    eprintln!("warning: {file}: {warning}");
                }
            }
            Err(error) => {
                eprintln!("error: {error}");
                failures += 1;
            }
        }
    }
    match failures {
        0 => Ok(()),
        n => anyhow::bail!("{n} of {} scenario files are invalid", args.files.len()),
    }
}
