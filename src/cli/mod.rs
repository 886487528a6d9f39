//! The command line: clap types live only here, one file per subcommand. Each subcommand
//! parses, converts its arguments into the library's request, calls it, and prints.

/// Writes a line to stderr like `eprintln!`, but a stderr that cannot be written (closed by
/// `2>&1 | head -c 100`, or a full disk) is not a panic: the message is dropped and the exit
/// status still says what happened.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod check;
mod compare;
mod explain;
mod list;
mod merge;
mod progress;
mod rerun;
mod run;
mod sensitivity;
mod shard;
mod sweep;

use crate::request::CommonOptions;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
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
    /// Run a recorded run again (its run.json), reproducing its results exactly
    Rerun(rerun::RerunArgs),
    /// Combine the partial results of every shard of a run (`run --shard K/N`) into its
    /// result files
    Merge(merge::MergeArgs),
    /// Validate scenario files without running them
    Check(check::CheckArgs),
    /// Which inputs drive a metric: Spearman, tornado, Sobol indices, band-width shrink
    Sensitivity(sensitivity::SensitivityArgs),
    /// Compare scenarios with a baseline, sample by sample (common random numbers)
    Compare(compare::CompareArgs),
    /// Run a scenario at many values of one or more inputs (common random numbers)
    Sweep(sweep::SweepArgs),
    /// Walk the model's arithmetic step by step with every input at its median
    Explain(explain::ExplainArgs),
    /// Show presets, GPUs, inputs, metrics and distribution kinds
    List(list::ListArgs),
}

/// The options every job subcommand takes, declared once.
#[derive(Debug, Args)]
struct SharedArgs {
    /// Number of Monte Carlo samples, a whole number such as 100000, 1e6 or 2M [default: the
    /// file's, else 100000]
    #[arg(long, short = 'n', value_parser = count::<u64>)]
    samples: Option<u64>,
    /// Random seed [default: the file's, else 42]
    #[arg(long, value_parser = count::<u64>)]
    seed: Option<u64>,
    /// Worker threads [default: one per core; at most 4 per core, or 64]; results do not
    /// depend on it
    #[arg(long, short = 'j', value_parser = count::<usize>)]
    threads: Option<usize>,
    /// Output folder [default: results/<scenario name>, with a suffix naming the job]
    #[arg(long, short = 'o')]
    out: Option<PathBuf>,
    /// Override an input: NAME=VALUE, in file syntax (repeatable), e.g. --set utilization=0.4,
    /// --set utilization=40%, --set queries_per_day=2.5B or --set gpu_hour_usd=$2.5 (numbers:
    /// see "Numbers" in the README)
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    /// Confidence level of every interval, e.g. 0.95 or 95% [default: the file's, else 0.95]
    #[arg(long, value_parser = fraction)]
    confidence: Option<f64>,
    /// Replace results already in the output folder (the whole set, or nothing on failure)
    #[arg(long)]
    force: bool,
    /// Most memory the job may use, e.g. 4G [default: the memory available]; a job that
    /// would need more is refused before it starts (a Monte Carlo run streams instead)
    #[arg(long, value_name = "SIZE", value_parser = crate::settings::parse_bytes)]
    max_memory: Option<u64>,
    /// Print nothing but errors
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Do not write report.html and plots/ (the charts) beside the result files
    #[arg(long)]
    no_report: bool,
    /// What to print on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

impl SharedArgs {
    /// The library's view of these options.
    fn common(&self) -> CommonOptions {
        CommonOptions {
            samples: self.samples,
            seed: self.seed,
            threads: self.threads,
            out: self.out.clone(),
            set: self.set.clone(),
            confidence: self.confidence,
            force: self.force,
            max_memory: self.max_memory,
            command: std::env::args_os()
                .map(|word| word.to_string_lossy().into_owned())
                .collect(),
            no_report: self.no_report,
            ..CommonOptions::default()
        }
    }
}

/// Reads a count option (`--samples 1e6`, `-n 20M`, `--resamples 200`) with the one number
/// parser: a whole number, in range for `T` (an unsigned integer type).
pub(crate) fn count<T: TryFrom<u64>>(text: &str) -> Result<T, String> {
    let value = crate::number::parse_count(text).map_err(|e| e.to_string())?;
    T::try_from(value).map_err(|_| {
        let max = u64::MAX >> (64 - 8 * std::mem::size_of::<T>().min(8));
        format!("\"{}\" is too large: at most {max}", text.trim())
    })
}

/// Reads a fraction option (`--confidence 0.95` or `95%`) with the one number parser.
fn fraction(text: &str) -> Result<f64, String> {
    crate::number::parse(text, crate::number::Quantity::Fraction).map_err(|e| e.to_string())
}

/// Reads one percentile of `--percentiles` (`5`, `99.9`) with the one number parser.
pub(crate) fn percentile(text: &str) -> Result<f64, String> {
    crate::number::parse(text, crate::number::Quantity::Percent).map_err(|e| e.to_string())
}

/// What a job prints on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A table for the terminal.
    Table,
    /// The whole report as JSON.
    Json,
    /// The job's main CSV (run: summary.csv; sensitivity, compare, sweep: theirs).
    Csv,
    /// A Markdown table for documents (run only).
    Markdown,
}

/// The job's report as its exporter writes it, for `--format csv`.
fn exported<R>(exporter: &dyn crate::export::Exporter<R>, report: &R) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    exporter.write(report, &mut bytes)?;
    Ok(String::from_utf8(bytes)?)
}

/// The refusal of `--format markdown` by a job other than `run`.
fn markdown_is_for_run() -> anyhow::Error {
    anyhow::anyhow!("--format markdown: only `run` prints Markdown; use table, json or csv")
}

/// Parses the process arguments, runs the subcommand and maps the outcome to an exit status:
/// 0 on success, 1 on any error (printed to stderr), 2 for command-line usage errors, 130 or
/// 143 when interrupted by SIGINT or SIGTERM. Output cut short by a closed pipe (`| head`)
/// is a success.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    handle_signals();
    let outcome = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Merge(args) => merge::merge(args),
        Command::Rerun(args) => rerun::rerun(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Check(args) => check::check(args),
        Command::Explain(args) => explain::explain(args),
        Command::List(args) => list::list(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            say!("error: {}", message(&error));
            ExitCode::FAILURE
        }
    }
}

/// Stdout could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to stdout: {0}")]
struct StdoutError(std::io::Error);

/// Writes `text` to stdout: a failure (a full disk, a closed pipe) is an error, not a panic.
fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| StdoutError(e).into())
}

/// Whether `error` is stdout closed by its reader, as `| head` does: not worth a message.
fn closed_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<StdoutError>())
        .any(|e| e.0.kind() == std::io::ErrorKind::BrokenPipe)
}

/// On SIGINT or SIGTERM: remove what the job staged (its output folder stays as it was),
/// say so in one line, exit 128 + the signal's number.
#[cfg(unix)]
fn handle_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let dirs = crate::export::abandon_staged();
            let name = if signal == SIGINT {
                "SIGINT"
            } else {
                "SIGTERM"
            };
            let kept: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            match kept.as_slice() {
                [] => say!("costbands: interrupted by {name}"),
                _ => say!(
                    "costbands: interrupted by {name}; nothing written to {}",
                    kept.join(", ")
                ),
            }
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn handle_signals() {}

/// The error and its causes, each cause only when the message does not already say it (an
/// I/O error's text is part of the message that wraps it).
fn message(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text = format!("{text}: {cause}");
        }
    }
    text
}

/// Parses `--set` values.
fn overrides(items: &[String]) -> anyhow::Result<Vec<crate::scenario::Override>> {
    Ok(items
        .iter()
        .map(|item| crate::scenario::Override::parse(item))
        .collect::<Result<_, _>>()?)
}

/// Prints the scenario's warnings on stderr.
fn print_warnings(scenario: &crate::scenario::Scenario) {
    for warning in scenario.warnings() {
        say!("warning: {}: {warning}", scenario.origin());
    }
}
