//! `costbands sensitivity`: what drives a metric — Spearman, tornado, Sobol, width shrink.

use super::run::{Format, DEFAULT_SAMPLES, DEFAULT_SEED};
use crate::export::{self, OutputDir};
use crate::model::Metric;
use crate::scenario::Scenario;
use crate::sensitivity::{self, sobol::DEFAULT_RESAMPLES, Method, Options, SensitivityReport};
use crate::stats::{self, DEFAULT_CONFIDENCE};
use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct SensitivityArgs {
    /// Scenario file or preset name [default: the built-in chatgpt-class scenario]
    #[arg(value_name = "FILE")]
    file: Option<String>,
    /// Methods, comma-separated
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "spearman,tornado,sobol,width"
    )]
    method: Vec<MethodArg>,
    /// Metrics to analyse, comma-separated, or `all`
    #[arg(long, value_delimiter = ',', default_value = "daily_cost_usd")]
    metric: Vec<String>,
    /// Monte Carlo samples (Sobol: rows of each of its matrices A and B) [default: the file's,
    /// else 100000]
    #[arg(long, short = 'n')]
    samples: Option<u64>,
    /// Random seed [default: the file's, else 42]
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: one per core]; results do not depend on it
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Output folder [default: results/<scenario name>-sensitivity]
    #[arg(long, short = 'o')]
    out: Option<PathBuf>,
    /// Override an input: NAME=VALUE, in file syntax (repeatable), e.g. --set utilization=0.4
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    /// Confidence level of every interval [default: the file's, else 0.95]
    #[arg(long)]
    confidence: Option<f64>,
    /// Bootstrap resamples for the Sobol and width intervals
    #[arg(long, default_value_t = DEFAULT_RESAMPLES)]
    resamples: usize,
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
enum MethodArg {
    /// Spearman rank correlation of each input with the metric
    Spearman,
    /// The metric with each input at its P10 and P90, the others at their medians
    Tornado,
    /// First-order and total-effect Sobol indices
    Sobol,
    /// Shrink of the P5–P95 band when each input is pinned at its median
    Width,
}

impl From<MethodArg> for Method {
    fn from(arg: MethodArg) -> Method {
        match arg {
            MethodArg::Spearman => Method::Spearman,
            MethodArg::Tornado => Method::Tornado,
            MethodArg::Sobol => Method::Sobol,
            MethodArg::Width => Method::Width,
        }
    }
}

pub(super) fn sensitivity(args: SensitivityArgs) -> anyhow::Result<()> {
    let overrides = super::overrides(&args.set)?;
    let scenario = match &args.file {
        Some(file) => Scenario::load(file, &overrides)?,
        None => Scenario::default_scenario(&overrides)?,
    };
    let options = options(&args, &scenario)?;
    let out_dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("results").join(format!("{}-sensitivity", scenario.name()))
    });
    super::refuse_existing_results(&out_dir, args.force)?;
    if !args.quiet {
        for warning in scenario.warnings() {
            eprintln!("warning: {}: {warning}", scenario.origin());
        }
    }
    let pool = super::thread_pool(args.threads)?;
    let report = pool.install(|| sensitivity::analyze(&scenario, &options))?;
    write_results(&report, &out_dir)?;
    if !args.quiet {
        for warning in &report.warnings {
            eprintln!("warning: {}: {warning}", scenario.origin());
        }
        match args.format {
            Format::Table => print!("{}", export::render_sensitivity(&report)),
            Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        }
        eprintln!("wrote {}", out_dir.display());
    }
    Ok(())
}

fn options(args: &SensitivityArgs, scenario: &Scenario) -> anyhow::Result<Options> {
    let file = scenario.sampling();
    let samples = args.samples.or(file.samples).unwrap_or(DEFAULT_SAMPLES);
    if samples < 4 {
        bail!("--samples must be at least 4 for a sensitivity analysis");
    }
    let confidence = args
        .confidence
        .or(file.confidence)
        .unwrap_or(DEFAULT_CONFIDENCE);
    stats::check_confidence(confidence).map_err(|m| anyhow::anyhow!("--confidence: {m}"))?;
    if args.resamples < 2 {
        bail!("--resamples must be at least 2, e.g. 200");
    }
    Ok(Options {
        samples: usize::try_from(samples).context("--samples is too large for this machine")?,
        seed: args.seed.or(file.seed).unwrap_or(DEFAULT_SEED),
        confidence,
        methods: args.method.iter().map(|m| Method::from(*m)).collect(),
        metrics: metrics(&args.metric)?,
        resamples: args.resamples,
        correlated_inputs: scenario.correlation().is_some(),
    })
}

fn metrics(names: &[String]) -> anyhow::Result<Vec<Metric>> {
    if names.iter().any(|n| n.trim() == "all") {
        return Ok(Metric::ALL.to_vec());
    }
    let mut metrics = Vec::new();
    for name in names {
        let metric = Metric::from_name(name.trim()).with_context(|| {
            let known: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
            format!(
                "--metric: unknown metric \"{name}\"; metrics: {}, or all",
                known.join(", ")
            )
        })?;
        if !metrics.contains(&metric) {
            metrics.push(metric);
        }
    }
    Ok(metrics)
}

fn write_results(report: &SensitivityReport, out_dir: &std::path::Path) -> anyhow::Result<()> {
    let mut out = OutputDir::create(out_dir)?;
    for exporter in export::sensitivity_exporters() {
        out.stage(exporter.file_name(), |writer| {
            exporter.write(report, writer)
        })?;
    }
    out.commit()?;
    Ok(())
}
