//! `costbands run`: sample scenarios, print the bands, write the result files.

use super::shard::ShardArgs;
use super::{Format, SharedArgs};
use crate::export::partial::PARTIAL_FILE;
use crate::export::{self, SamplesFormat, TableOptions};
use crate::report::{RunReport, REJECTED_WARNING_SHARE};
use crate::request::{RunOptions, RunRequest, Shard};
use crate::settings::Method;
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub(super) struct RunArgs {
    /// Scenario files or preset names (see `costbands list presets`)
    #[arg(value_name = "SCENARIO")]
    scenarios: Vec<String>,
    #[command(flatten)]
    shared: SharedArgs,
    /// Percentiles to report, comma-separated [default: 1,5,10,25,50,75,90,95,99]
    #[arg(long, value_delimiter = ',', value_parser = super::percentile)]
    percentiles: Option<Vec<f64>>,
    /// Report P(METRIC > VALUE) with a Wilson interval (repeatable), e.g. daily_cost_usd=1e6
    /// or daily_cost_usd=$1.5M
    #[arg(long, value_name = "METRIC=VALUE")]
    exceed: Vec<String>,
    /// Report P(METRIC < VALUE) with a Wilson interval (repeatable), e.g. daily_cost_usd=5e6
    #[arg(long, value_name = "METRIC=VALUE")]
    below: Vec<String>,
    /// Also write every sample's inputs and metrics: samples.csv (csv, the default) or
    /// samples.parquet (parquet, written as the samples are drawn, with --stream too)
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "csv",
          value_parser = samples_format)]
    save_samples: Option<SamplesFormat>,
    /// Sampling method: mc (Monte Carlo), lhs (Latin hypercube) or sobol (scrambled Sobol)
    /// [default: the file's, else mc]
    #[arg(long, value_parser = parse_method)]
    sampler: Option<Method>,
    /// Independent replicates of an lhs or sobol run, for its confidence intervals
    /// [default: the file's, else 10]
    #[arg(long, value_parser = super::count::<u32>)]
    replicates: Option<u32>,
    /// Run until a confidence interval is this narrow: METRIC:STAT:WIDTH, STAT mean or pN,
    /// WIDTH absolute or a percentage (repeatable), e.g. daily_cost_usd:p95:0.5%
    #[arg(long, value_name = "TARGET")]
    precision: Vec<String>,
    /// Also run every preset
    #[arg(long)]
    all: bool,
    /// Run the valid scenarios when some are invalid; the invalid ones are listed at the end and
    /// the exit status is non-zero
    #[arg(long)]
    keep_going: bool,
    /// Sample cap under --precision [default: 50000000, about 3.2 GB of metric columns, or
    /// what fits in the memory limit]; a whole number such as 1e8 or 100M
    #[arg(long, value_parser = super::count::<u64>)]
    max_samples: Option<u64>,
    /// Summarise samples as they are drawn instead of keeping them: memory independent of
    /// --samples, percentiles within a relative 3.1e-5 (a quantile sketch) [default: only when
    /// an in-memory run would not fit in the memory limit]
    #[arg(long)]
    stream: bool,
    #[command(flatten)]
    shard: ShardArgs,
}

/// Parses the FORMAT of `--save-samples`; a word that is not one (a scenario written after a
/// bare `--save-samples`) is refused with both fixes.
pub(super) fn samples_format(text: &str) -> Result<SamplesFormat, String> {
    SamplesFormat::from_name(text).ok_or_else(|| {
        format!(
            "unknown samples format \"{text}\"; use csv or parquet (a scenario right after a \
             bare --save-samples is read as its format: put the scenario first, or write \
             --save-samples=csv)"
        )
    })
}

pub(super) fn parse_method(text: &str) -> Result<Method, String> {
    Method::parse(text).ok_or_else(|| format!("unknown sampler \"{text}\"; use mc, lhs or sobol"))
}

impl RunArgs {
    fn options(&self) -> anyhow::Result<RunOptions> {
        Ok(RunOptions {
            common: self.shared.common(),
            scenarios: self.scenarios.clone(),
            percentiles: self.percentiles.clone(),
            exceed: self.exceed.clone(),
            below: self.below.clone(),
            save_samples: self.save_samples.is_some(),
            samples_format: self.save_samples.unwrap_or_default(),
            sampler: self.sampler,
            replicates: self.replicates,
            precision: self.precision.clone(),
            max_samples: self.max_samples,
            all: self.all,
            keep_going: self.keep_going,
            rerun: false,
            stream: self.stream,
            shard: self.shard.option()?,
        })
    }
}

pub(super) fn run(args: RunArgs) -> anyhow::Result<()> {
    let show = args.percentiles.clone().unwrap_or_default();
    run_options(&args.options()?, &args.shared, show)
}

/// Runs `options`, prints the report as `shared` asks (the table with the percentiles `show`
/// besides P5, P50 and P95) and fails as the run says.
pub(super) fn run_options(
    options: &RunOptions,
    shared: &SharedArgs,
    show: Vec<f64>,
) -> anyhow::Result<()> {
    let request = RunRequest::new(options)?;
    request.output().refuse_existing()?;
    let quiet = shared.quiet;
    if !quiet {
        request.scenarios().iter().for_each(super::print_warnings);
    }
    // A run streams without being asked when it would not fit in memory: say why.
    if let Some(reason) = request.stream_reason().filter(|r| !r.starts_with("--")) {
        say!("note: {reason}");
    }
    let progress = super::progress::for_job(quiet, request.max_samples());
    if let Some(Shard { shard, shards }) = request.shard() {
        let (chunks, total) = request.execute_shard(progress.as_ref())?;
        if !quiet {
            say!(
                "wrote {}: shard {shard} of {shards}, chunks {}..{} of {total}; merge the \
                 partial results of all {shards} shards with `costbands merge`",
                request.output().dir.join(PARTIAL_FILE).display(),
                chunks.start,
                chunks.end
            );
        }
        return Ok(());
    }
    let report = request.execute(progress.as_ref())?;
    let dir = request.output().dir.display();
    if !quiet {
        print_report(&report, shared.format, show, &request)
            .with_context(|| format!("the results are in {dir}, but printing them failed"))?;
        say!("wrote {dir}");
    }
    request.check_precision(&report)?;
    request.check_failures()?;
    Ok(())
}

fn print_report(
    report: &RunReport,
    format: Format,
    show: Vec<f64>,
    request: &RunRequest,
) -> anyhow::Result<()> {
    match format {
        Format::Table => {
            let options = TableOptions { show };
            super::print(&export::render_table(report, &options))?;
        }
        Format::Json => super::print(&format!("{}\n", serde_json::to_string_pretty(report)?))?,
        Format::Csv => super::print(&super::exported(&export::SummaryCsv, report)?)?,
        Format::Markdown => super::print(&export::render_markdown(report))?,
    }
    for scenario in &report.scenarios {
        if scenario.rejected_share > REJECTED_WARNING_SHARE {
            say!(
                "\nWARNING: {}: {}\n",
                scenario.name,
                scenario.warnings.last().map_or("", String::as_str)
            );
        }
    }
    for scenario in request.scenarios() {
        if let Some(note) = scenario.path_note() {
            say!("note: {}: {note}", scenario.origin());
        }
    }
    Ok(())
}
