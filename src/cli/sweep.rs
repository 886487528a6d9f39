//! `costbands sweep`: one scenario at many values of one or more inputs, with common random
//! numbers.

use super::shard::ShardArgs;
use super::{Format, SharedArgs};
use crate::export;
use crate::export::partial::PARTIAL_FILE;
use crate::request::{Shard, SweepOptions, SweepRequest};
use crate::settings::Method;
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub(super) struct SweepArgs {
    /// Scenario file or preset name [default: the built-in chatgpt-class scenario]
    #[arg(value_name = "SCENARIO")]
    scenario: Option<String>,
    /// NAME=VALUES to vary: a list (1M,10M,100M; for gpu, catalog entries), a range LO..HI:N
    /// (0.3..0.7:5 or 30%..70%:5), or LO..HI:N:log (1M..1B:4:log) (repeatable: several make a
    /// grid)
    #[arg(long, value_name = "NAME=VALUES", required = true)]
    vary: Vec<String>,
    #[command(flatten)]
    shared: SharedArgs,
    /// Percentiles to report, comma-separated [default: the file's, else
    /// 1,5,10,25,50,75,90,95,99]
    #[arg(long, value_delimiter = ',', value_parser = super::percentile)]
    percentiles: Option<Vec<f64>>,
    /// Sampling method: mc, lhs or sobol [default: the file's, else mc]
    #[arg(long, value_parser = super::run::parse_method)]
    sampler: Option<Method>,
    /// Independent replicates of an lhs or sobol sweep [default: the file's, else 10]
    #[arg(long, value_parser = super::count::<u32>)]
    replicates: Option<u32>,
    /// Shard K of N runs its share of the grid's points
    #[command(flatten)]
    shard: ShardArgs,
}

impl SweepArgs {
    fn options(&self) -> anyhow::Result<SweepOptions> {
        Ok(SweepOptions {
            common: self.shared.common(),
            scenario: self.scenario.clone(),
            vary: self.vary.clone(),
            percentiles: self.percentiles.clone(),
            sampler: self.sampler,
            replicates: self.replicates,
            shard: self.shard.option()?,
        })
    }
}

pub(super) fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    if args.shared.format == Format::Markdown {
        return Err(super::markdown_is_for_run());
    }
    let request = SweepRequest::new(&args.options()?)?;
    request.output().refuse_existing()?;
    let quiet = args.shared.quiet;
    if !quiet {
        super::print_warnings(request.scenario());
    }
    let progress = super::progress::for_job(quiet, None);
    if let Some(Shard { shard, shards }) = request.shard() {
        let (points, total) = request.execute_shard(progress.as_ref())?;
        if !quiet {
            say!(
                "wrote {}: shard {shard} of {shards}, points {}..{} of {total}; merge the \
                 partial results of all {shards} shards with `costbands merge`",
                request.output().dir.join(PARTIAL_FILE).display(),
                points.start,
                points.end
            );
        }
        return Ok(());
    }
    let report = request.execute(progress.as_ref())?;
    if !quiet {
        let dir = request.output().dir.display();
        let text = match args.shared.format {
            Format::Table => export::render_sweep(&report),
            Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
            Format::Csv => super::exported(&export::SweepCsv, &report)?,
            Format::Markdown => return Err(super::markdown_is_for_run()),
        };
        super::print(&text)
            .with_context(|| format!("the results are in {dir}, but printing them failed"))?;
        say!("wrote {dir}");
    }
    Ok(())
}
