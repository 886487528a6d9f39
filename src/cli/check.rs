//! `costbands check FILE...`: validate scenario files without running them, exactly as
//! `costbands run FILE` would validate them (the file's `[sampling]` settings included).

use crate::request::{CommonOptions, RunOptions, RunRequest};
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
    // A bad --set is one error, not one per file.
    super::overrides(&args.set)?;
    let mut failures = 0;
    for file in &args.files {
        let options = RunOptions {
            common: CommonOptions {
                set: args.set.clone(),
                ..CommonOptions::default()
            },
            scenarios: vec![file.clone()],
            ..RunOptions::default()
        };
        match RunRequest::new(&options) {
            Ok(request) => {
                let scenario = &request.scenarios()[0];
                let uncertain = scenario.uncertain_inputs().count();
                super::print(&format!(
                    "ok: {file}: {} ({} path, {} inputs, {uncertain} uncertain)\n",
                    scenario.name(),
                    scenario.path().name(),
                    scenario.inputs().len()
                ))?;
                for warning in scenario.warnings() {
                    say!("warning: {file}: {warning}");
                }
                if let Some(reason) = request.stream_reason() {
                    say!("note: {file}: {reason}");
                }
            }
            Err(error) => {
                say!("error: {error}");
                failures += 1;
            }
        }
    }
    match failures {
        0 => Ok(()),
        n => anyhow::bail!("{n} of {} scenario files are invalid", args.files.len()),
    }
}
