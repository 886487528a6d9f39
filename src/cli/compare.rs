//! `costbands compare`: a baseline against other scenarios, sample by sample, with common
//! random numbers.

use super::{Format, SharedArgs};
use crate::export;
use crate::request::{CompareOptions, CompareRequest};
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub(super) struct CompareArgs {
    /// The baseline scenario (file or preset name)
    #[arg(value_name = "BASELINE")]
    baseline: String,
    /// Scenarios compared with the baseline
    #[arg(value_name = "OTHER", required = true)]
    others: Vec<String>,
    #[command(flatten)]
    shared: SharedArgs,
    /// Draw this input at the same quantile level in both scenarios where its distributions
    /// differ (repeatable); differing inputs are otherwise independent
    #[arg(long, value_name = "INPUT")]
    couple: Vec<String>,
    /// Draw every input independently, even where both scenarios share its distribution (as two
    /// separate runs would): shows what common random numbers gain
    #[arg(long)]
    independent: bool,
    /// Percentiles of the difference and ratio, comma-separated [default: the file's, else
    /// 1,5,10,25,50,75,90,95,99]
    #[arg(long, value_delimiter = ',', value_parser = super::percentile)]
    percentiles: Option<Vec<f64>>,
}

impl CompareArgs {
    fn options(&self) -> CompareOptions {
        CompareOptions {
            common: self.shared.common(),
            baseline: self.baseline.clone(),
            others: self.others.clone(),
            couple: self.couple.clone(),
            percentiles: self.percentiles.clone(),
            independent: self.independent,
        }
    }
}

pub(super) fn compare(args: CompareArgs) -> anyhow::Result<()> {
    if args.shared.format == Format::Markdown {
        return Err(super::markdown_is_for_run());
    }
    let request = CompareRequest::new(&args.options())?;
    request.output().refuse_existing()?;
    let quiet = args.shared.quiet;
    if !quiet {
        for (baseline, other, _) in request.pairs() {
            super::print_warnings(baseline);
            super::print_warnings(other);
        }
    }
    let progress = super::progress::for_job(quiet, None);
    let report = request.execute(progress.as_ref())?;
    if !quiet {
        let dir = request.output().dir.display();
        let text = match args.shared.format {
            Format::Table => export::render_compare(&report),
            Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
            Format::Csv => super::exported(&export::CompareCsv, &report)?,
            Format::Markdown => return Err(super::markdown_is_for_run()),
        };
        super::print(&text)
            .with_context(|| format!("the results are in {dir}, but printing them failed"))?;
        say!("wrote {dir}");
    }
    Ok(())
}
