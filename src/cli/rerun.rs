//! `costbands rerun RUN_JSON`: run a recorded run again, exactly as it was recorded.

use super::SharedArgs;
use crate::request::RunOptions;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "A rerun draws every scenario's recorded samples with its recorded \
settings, so its bands.csv, summary.csv and exceedance.csv are those of the record, byte for \
byte, at any thread count. Options that would change the results (--samples, --seed, --set, \
--confidence, ...) are refused: `costbands run RUN_JSON --seed 7` runs the recorded scenarios \
with other settings. The results go to results/<name>-rerun unless --out says otherwise."
)]
pub(super) struct RerunArgs {
    /// The run.json a run wrote, e.g. results/chatgpt-class/run.json
    #[arg(value_name = "RUN_JSON")]
    record: String,
    #[command(flatten)]
    shared: SharedArgs,
    /// Also write every sample's inputs and metrics: samples.csv (csv, the default) or
    /// samples.parquet (parquet)
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "csv",
          value_parser = super::run::samples_format)]
    save_samples: Option<crate::export::SamplesFormat>,
}

pub(super) fn rerun(args: RerunArgs) -> anyhow::Result<()> {
    let options = RunOptions {
        common: args.shared.common(),
        scenarios: vec![args.record.clone()],
        save_samples: args.save_samples.is_some(),
        samples_format: args.save_samples.unwrap_or_default(),
        rerun: true,
        ..RunOptions::default()
    };
    super::run::run_options(&options, &args.shared, Vec::new())
}
