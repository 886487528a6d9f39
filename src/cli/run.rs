//! `costbands run`: sample scenarios, print the bands, write the result files.

use crate::export::{self, OutputDir, SamplesCsv, TableOptions};
use crate::model::{Input, Metric};
use crate::report::{self, RunReport, Settings};
use crate::scenario::{SamplingSettings, Scenario};
use crate::stats::{self, DEFAULT_CONFIDENCE, DEFAULT_PERCENTILES};
use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Instant;

/// Samples per run when neither the command line nor the file says.
pub const DEFAULT_SAMPLES: u64 = 100_000;

/// Seed when neither the command line nor the file says.
pub const DEFAULT_SEED: u64 = 42;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Format {
    Table,
    Json,
}

pub(super) fn run(args: RunArgs) -> anyhow::Result<()> {
    let overrides = super::overrides(&args.set)?;
    let scenarios = load_scenarios(&args.scenarios, &overrides)?;
    let settings = settings(&args, &scenarios)?;
    let out_dir = output_dir(&args, &scenarios);
    let existing = OutputDir::existing_results(&out_dir);
    if !existing.is_empty() && !args.force {
        bail!(
            "{} already holds results ({}); pass --force to replace them or --out DIR to write elsewhere",
            out_dir.display(),
            file_names(&existing)
        );
    }
    if !args.quiet {
        for scenario in &scenarios {
            for warning in scenario.warnings() {
                eprintln!("warning: {}: {warning}", scenario.origin());
            }
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let report = pool.install(|| execute(&scenarios, settings, &out_dir, args.save_samples))?;
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
        eprintln!("wrote {}", out_dir.display());
    }
    Ok(())
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
    Ok(Settings {
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

pub(super) fn file_names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn execute(
    scenarios: &[Scenario],
    settings: Settings,
    out_dir: &std::path::Path,
    save_samples: bool,
) -> anyhow::Result<RunReport> {
    let started = Instant::now();
    let mut out = OutputDir::create(out_dir)?;
    let mut reports = Vec::with_capacity(scenarios.len());
    if save_samples {
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
                reports.push(report::run_scenario(
                    scenario,
                    &settings,
                    Some(&mut append),
                )?);
            }
            csv.finish()
        })?;
    } else {
        for scenario in scenarios {
            reports.push(report::run_scenario(scenario, &settings, None)?);
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
