//! `costbands run`: sample scenarios, print the bands, write the result files.

use crate::engine::Method;
use crate::export::{self, OutputDir, SamplesCsv, TableOptions};
use crate::model::{Input, Metric};
use crate::report::precision::{self, Target};
use crate::report::{self, RunReport, ScenarioReport, Settings, DEFAULT_REPLICATES};
use crate::scenario::{SamplingSettings, Scenario};
use crate::stats::{self, DEFAULT_CONFIDENCE, DEFAULT_PERCENTILES};
use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// Samples per run when neither the command line nor the file says.
pub const DEFAULT_SAMPLES: u64 = 100_000;

/// Seed when neither the command line nor the file says.
pub const DEFAULT_SEED: u64 = 42;

/// Sample cap under precision control when `--max-samples` is not given: 64 bytes a sample
/// for the 8 metric columns, so about 3.2 GB.
pub const DEFAULT_MAX_SAMPLES: u64 = 50_000_000;

/// Runs of at least this many samples (about a second) show a progress bar, when stderr is a
/// terminal.
const PROGRESS_MIN_SAMPLES: usize = 5_000_000;

#[derive(Debug, Args)]
pub(super) struct RunArgs {
    /// Scenario files or preset names (see `costbands list presets`)
    #[arg(value_name = "SCENARIO")]
    scenarios: Vec<String>,
    /// Number of Monte Carlo samples [default: the file's, else 100000]
    #[arg(long, short = 'n')]
    samples: Option<u64>,
    /// Random seed [default: the file's, else 42]
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: one per core]; results do not depend on it
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Output folder [default: results/<scenario name>]
    #[arg(long, short = 'o')]
    out: Option<PathBuf>,
    /// Override an input: NAME=VALUE, in file syntax (repeatable), e.g. --set utilization=0.4
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    /// Percentiles to report, comma-separated [default: 1,5,10,25,50,75,90,95,99]
    #[arg(long, value_delimiter = ',')]
    percentiles: Option<Vec<f64>>,
    /// Confidence level of every interval [default: 0.95]
    #[arg(long)]
    confidence: Option<f64>,
    /// Report P(METRIC > VALUE) with a Wilson interval (repeatable), e.g. daily_cost_usd=1e6
    #[arg(long, value_name = "METRIC=VALUE")]
    exceed: Vec<String>,
    /// Also write samples.csv with every sample's inputs and metrics
    #[arg(long)]
    save_samples: bool,
    /// Sampling method: mc (Monte Carlo), lhs (Latin hypercube) or sobol (scrambled Sobol)
    /// [default: the file's, else mc]
    #[arg(long, value_parser = parse_method)]
    sampler: Option<Method>,
    /// Independent replicates of an lhs or sobol run, for its confidence intervals
    /// [default: the file's, else 10]
    #[arg(long)]
    replicates: Option<u32>,
    /// Run until a confidence interval is this narrow: METRIC:STAT:WIDTH, STAT mean or pN,
    /// WIDTH absolute or a percentage (repeatable), e.g. daily_cost_usd:p95:0.5%
    #[arg(long, value_name = "TARGET")]
    precision: Vec<String>,
    /// Sample cap under --precision [default: 50000000, about 3.2 GB of metric columns]
    #[arg(long)]
    max_samples: Option<u64>,
    /// Replace results already in the output folder
    #[arg(long)]
    force: bool,
    /// Print nothing but errors
    #[arg(long, short = 'q')]
    quiet: bool,
    /// What to print on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn parse_method(text: &str) -> Result<Method, String> {
    Method::parse(text).ok_or_else(|| format!("unknown sampler \"{text}\"; use mc, lhs or sobol"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Format {
    Table,
    Json,
}

pub(super) fn run(args: RunArgs) -> anyhow::Result<()> {
    let overrides = super::overrides(&args.set)?;
    let scenarios = load_scenarios(&args.scenarios, &overrides)?;
    let settings = settings(&args, &scenarios)?;
    let targets = targets(&args, &settings)?;
    let settings = with_target_percentiles(settings, &targets);
    for scenario in &scenarios {
        settings.check(scenario).map_err(anyhow::Error::msg)?;
    }
    let out_dir = output_dir(&args, &scenarios);
    super::refuse_existing_results(&out_dir, args.force)?;
    if !args.quiet {
        for scenario in &scenarios {
            for warning in scenario.warnings() {
                eprintln!("warning: {}: {warning}", scenario.origin());
            }
        }
    }
    let pool = super::thread_pool(args.threads)?;
    let plan = Plan {
        targets,
        max_samples: max_samples(&args)?,
        save_samples: args.save_samples,
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    let report = pool.install(|| execute(&scenarios, settings, &out_dir, &plan))?;
    if !args.quiet {
        match args.format {
            Format::Table => {
                let options = TableOptions {
                    show: args.percentiles.clone().unwrap_or_default(),
                };
                print!("{}", export::render_table(&report, &options));
            }
            Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        }
        for scenario in &report.scenarios {
            if scenario.rejected_share > report::REJECTED_WARNING_SHARE {
                eprintln!(
                    "\nWARNING: {}: {}\n",
                    scenario.name,
                    scenario.warnings.last().map_or("", String::as_str)
                );
            }
        }
        eprintln!("wrote {}", out_dir.display());
    }
    let missed: Vec<String> = report
        .scenarios
        .iter()
        .flat_map(|s| {
            s.precision
                .iter()
                .filter(|t| !t.met)
                .map(move |t| format!("{}: {} (reached {:.4})", s.name, t.target, t.half_width))
        })
        .collect();
    if !missed.is_empty() {
        bail!(
            "precision targets not met within {} samples: {}; raise --max-samples or relax the targets",
            plan.max_samples,
            missed.join(", ")
        );
    }
    Ok(())
}

/// What `execute` does besides sampling.
struct Plan {
    targets: Vec<Target>,
    max_samples: usize,
    save_samples: bool,
    progress: bool,
}

fn targets(args: &RunArgs, settings: &Settings) -> anyhow::Result<Vec<Target>> {
    let targets: Vec<Target> = args
        .precision
        .iter()
        .map(|t| Target::parse(t).map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<_>>()?;
    if !targets.is_empty() && settings.method != Method::Mc {
        bail!("--precision needs --sampler mc: it extends a run in prefix-stable increments, which only Monte Carlo has");
    }
    if !targets.is_empty() && args.samples.is_some() {
        bail!("--precision chooses the number of samples itself: drop --samples (cap it with --max-samples)");
    }
    Ok(targets)
}

/// Adds every percentile a target needs to the reported list.
fn with_target_percentiles(mut settings: Settings, targets: &[Target]) -> Settings {
    for p in targets.iter().filter_map(|t| t.percentile) {
        if !settings.percentiles.contains(&p) {
            settings.percentiles.push(p);
        }
    }
    settings
}

fn max_samples(args: &RunArgs) -> anyhow::Result<usize> {
    let max = args.max_samples.unwrap_or(DEFAULT_MAX_SAMPLES);
    if max == 0 {
        bail!("--max-samples must be at least 1");
    }
    usize::try_from(max).context("--max-samples is too large for this machine")
}

fn load_scenarios(
    names: &[String],
    overrides: &[crate::scenario::Override],
) -> anyhow::Result<Vec<Scenario>> {
    if names.is_empty() {
        return Ok(vec![Scenario::default_scenario(overrides)?]);
    }
    let scenarios = names
        .iter()
        .map(|name| Scenario::load(name, overrides))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, scenario) in scenarios.iter().enumerate() {
        if scenarios[..i].iter().any(|s| s.name() == scenario.name()) {
            bail!(
                "{}: two scenarios are named \"{}\"; give one a different `name`",
                scenario.origin(),
                scenario.name()
            );
        }
    }
    Ok(scenarios)
}

fn settings(args: &RunArgs, scenarios: &[Scenario]) -> anyhow::Result<Settings> {
    let file: SamplingSettings = scenarios[0].sampling().clone();
    let samples = args.samples.or(file.samples).unwrap_or(DEFAULT_SAMPLES);
    if samples == 0 {
        bail!("--samples must be at least 1");
    }
    let percentiles = args
        .percentiles
        .clone()
        .or(file.percentiles)
        .unwrap_or_else(|| DEFAULT_PERCENTILES.to_vec());
    stats::check_percentiles(&percentiles).map_err(|m| anyhow::anyhow!("--percentiles: {m}"))?;
    let confidence = args
        .confidence
        .or(file.confidence)
        .unwrap_or(DEFAULT_CONFIDENCE);
    stats::check_confidence(confidence).map_err(|m| anyhow::anyhow!("--confidence: {m}"))?;
    let method = args.sampler.or(file.method).unwrap_or(Method::Mc);
    let replicates = args
        .replicates
        .or(file.replicates)
        .unwrap_or(DEFAULT_REPLICATES as u32);
    if replicates < 2 {
        bail!("--replicates must be at least 2");
    }
    Ok(Settings {
        method,
        replicates: replicates as usize,
        samples: usize::try_from(samples).context("--samples is too large for this machine")?,
        seed: args.seed.or(file.seed).unwrap_or(DEFAULT_SEED),
        percentiles,
        confidence,
        exceed: args
            .exceed
            .iter()
            .map(|e| parse_exceed(e))
            .collect::<anyhow::Result<_>>()?,
    })
}

fn parse_exceed(text: &str) -> anyhow::Result<(Metric, f64)> {
    let Some((name, value)) = text.split_once('=') else {
        bail!("--exceed {text}: expected METRIC=VALUE, e.g. daily_cost_usd=1e6");
    };
    let metric = Metric::from_name(name.trim()).with_context(|| {
        let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        format!(
            "--exceed {text}: unknown metric \"{name}\"; metrics: {}",
            names.join(", ")
        )
    })?;
    let threshold: f64 = value
        .trim()
        .replace('_', "")
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .with_context(|| format!("--exceed {text}: \"{value}\" is not a finite number"))?;
    Ok((metric, threshold))
}

fn output_dir(args: &RunArgs, scenarios: &[Scenario]) -> PathBuf {
    if let Some(out) = &args.out {
        return out.clone();
    }
    let names: Vec<&str> = scenarios.iter().map(|s| s.name()).collect();
    PathBuf::from("results").join(names.join("+"))
}

fn execute(
    scenarios: &[Scenario],
    settings: Settings,
    out_dir: &std::path::Path,
    plan: &Plan,
) -> anyhow::Result<RunReport> {
    let started = Instant::now();
    let mut out = OutputDir::create(out_dir)?;
    let mut reports = Vec::with_capacity(scenarios.len());
    if plan.save_samples {
        let mut columns: Vec<Input> = scenarios
            .iter()
            .flat_map(|s| s.inputs().iter().map(|r| r.input))
            .collect();
        columns.sort_unstable();
        columns.dedup();
        out.stage("samples.csv", |writer| {
            let mut csv = SamplesCsv::new(writer, columns)?;
            for scenario in scenarios {
                let mut append = |simulation: &_| csv.append(scenario.name(), simulation);
                reports.push(run_one(scenario, &settings, plan, Some(&mut append))?);
            }
            csv.finish()
        })?;
    } else {
        for scenario in scenarios {
            reports.push(run_one(scenario, &settings, plan, None)?);
        }
    }
    let report = RunReport::new(settings, reports, started.elapsed().as_secs_f64());
    for exporter in export::standard_exporters() {
        out.stage(exporter.file_name(), |writer| {
            exporter.write(&report, writer)
        })?;
    }
    out.commit()?;
    Ok(report)
}

fn run_one(
    scenario: &Scenario,
    settings: &Settings,
    plan: &Plan,
    on_samples: Option<report::SampleSink<'_>>,
) -> std::io::Result<ScenarioReport> {
    let expected = if plan.targets.is_empty() {
        settings.samples
    } else {
        precision::FIRST_STEP_SAMPLES.min(plan.max_samples)
    };
    let bar = (plan.progress && (expected >= PROGRESS_MIN_SAMPLES || !plan.targets.is_empty()))
        .then(|| progress_bar(scenario.name(), expected as u64));
    let tick = bar.as_ref().map(|bar| move |n: usize| bar.inc(n as u64));
    let progress = tick.as_ref().map(|f| f as &(dyn Fn(usize) + Sync));
    let result = if plan.targets.is_empty() {
        report::run_scenario_with_progress(scenario, settings, on_samples, progress)
    } else {
        let mut on_step = |samples: usize, worst: f64| {
            if let Some(bar) = &bar {
                bar.set_message(format!("worst half-width {:.0}% of target", worst * 100.0));
                // Met (or NaN): this step was the last; else the next step's size estimate.
                let grow = if worst > 1.0 {
                    (worst * worst * 1.1).clamp(1.0, 4.0)
                } else {
                    1.0
                };
                let next = (samples as f64 * grow) as u64;
                bar.set_length(next.min(plan.max_samples as u64).max(samples as u64));
            }
        };
        let report = precision::run_to_precision(
            scenario,
            settings,
            &plan.targets,
            plan.max_samples,
            progress,
            &mut on_step,
        );
        if let Some(callback) = on_samples {
            let options = crate::engine::Options {
                seed: settings.seed,
                keep_inputs: true,
                ..Default::default()
            };
            callback(&crate::engine::simulate_chunks(
                scenario,
                &options,
                0,
                report.samples_used,
            ))?;
        }
        Ok(report)
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

fn progress_bar(name: &str, samples: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(samples);
    let style = indicatif::ProgressStyle::with_template(
        "{prefix} [{bar:30}] {human_pos}/{human_len} samples, {rate}, ETA {eta} {msg}",
    )
    .expect("valid template")
    .with_key(
        "rate",
        |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
            let _ = write!(out, "{:.1}M samples/s", state.per_sec() / 1e6);
        },
    )
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(name.to_string());
    bar
}
