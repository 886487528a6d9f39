//! The command line: clap types live only here, one file per subcommand.

mod check;
mod explain;
mod list;
mod run;
mod sensitivity;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Percentile bands, with Monte Carlo confidence intervals, of the daily cost of serving a
/// large language model.
#[derive(Debug, Parser)]
#[command(name = "costbands", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run scenarios (files or preset names; the built-in chatgpt-class scenario when none)
    Run(run::RunArgs),
    /// Validate scenario files without running them
    Check(check::CheckArgs),
    /// Which inputs drive a metric: Spearman, tornado, Sobol indices, band-width shrink
    Sensitivity(sensitivity::SensitivityArgs),
    /// Walk the model's arithmetic step by step with every input at its median
    Explain(explain::ExplainArgs),
    /// Show presets, GPUs, inputs, metrics and distribution kinds
    List(list::ListArgs),
}

/// Parses the process arguments, runs the subcommand and maps the outcome to an exit status:
/// 0 on success, 1 on any error (printed to stderr), 2 for command-line usage errors.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Check(args) => check::check(args),
        Command::Explain(args) => explain::explain(args),
        Command::List(args) => list::list(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `--set` values.
fn overrides(items: &[String]) -> anyhow::Result<Vec<crate::scenario::Override>> {
    items
        .iter()
        .map(|item| crate::scenario::Override::parse(item).map_err(anyhow::Error::msg))
        .collect()
}

/// Fails, writing nothing, when `out_dir` already holds results and `force` is not set.
fn refuse_existing_results(out_dir: &std::path::Path, force: bool) -> anyhow::Result<()> {
    let existing = crate::export::OutputDir::existing_results(out_dir);
    if existing.is_empty() || force {
        return Ok(());
    }
    let names: Vec<&str> = existing
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
        .collect();
    anyhow::bail!(
        "{} already holds results ({}); pass --force to replace them or --out DIR to write elsewhere",
        out_dir.display(),
        names.join(", ")
    )
}

/// A worker pool of `threads` threads (one per core when `None`).
fn thread_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    use anyhow::Context;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")
}
