//! `costbands merge`: the partial results of a sharded run combined into its result files.

use crate::export::partial::PartialJob;
use crate::export::{self, TableOptions};
use crate::request::{merge_job, CommonOptions, MergeOptions, MergeRequest, SweepMergeRequest};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct MergeArgs {
    /// Each shard's partial result: the partial.json a `run --shard` wrote, or its folder
    #[arg(value_name = "PARTIAL", required = true)]
    partials: Vec<String>,
    /// Output folder [default: results/merged]
    #[arg(long, short = 'o')]
    out: Option<PathBuf>,
    /// Replace results already in the output folder (the whole set, or nothing on failure)
    #[arg(long)]
    force: bool,
    /// Worker threads [default: one per core]; results do not depend on it
    #[arg(long, short = 'j', value_parser = super::count::<usize>)]
    threads: Option<usize>,
    /// Print nothing but errors
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Do not write report.html and plots/ (the charts) beside the result files
    #[arg(long)]
    no_report: bool,
}

pub(super) fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let options = MergeOptions {
        common: CommonOptions {
            threads: args.threads,
            out: args.out.clone(),
            force: args.force,
            no_report: args.no_report,
            command: std::env::args_os()
                .map(|word| word.to_string_lossy().into_owned())
                .collect(),
            ..CommonOptions::default()
        },
        partials: args.partials.clone(),
    };
    if merge_job(&options)? == PartialJob::Sweep {
        let request = SweepMergeRequest::new(&options)?;
        request.output().refuse_existing()?;
        let report = request.execute()?;
        if !args.quiet {
            super::print(&export::render_sweep(&report))?;
            say!("wrote {}", request.output().dir.display());
        }
        return Ok(());
    }
    let request = MergeRequest::new(&options)?;
    request.output().refuse_existing()?;
    let report = request.execute()?;
    if !args.quiet {
        super::print(&export::render_table(&report, &TableOptions::default()))?;
        say!("wrote {}", request.output().dir.display());
    }
    Ok(())
}
