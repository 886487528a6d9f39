//! `--shard K/N|auto` and `--shards N`, the options of a job split over a cluster's job array
//! (`run`, `sweep`).

use crate::request::ShardOption;
use clap::Args;

#[derive(Debug, Args)]
pub(super) struct ShardArgs {
    /// Run only shard K of N (K from 0) and write its partial result, partial.json, for
    /// `costbands merge`; auto reads SLURM_ARRAY_TASK_ID (Slurm job array) or
    /// JOB_COMPLETION_INDEX (Kubernetes Indexed Job, with --shards)
    #[arg(long, value_name = "K/N|auto", value_parser = ShardOption::parse)]
    shard: Option<ShardOption>,
    /// The number of shards, with --shard auto (a Slurm array's SLURM_ARRAY_TASK_COUNT by
    /// default)
    #[arg(long, value_name = "N", value_parser = super::count::<u64>, requires = "shard")]
    shards: Option<u64>,
}

impl ShardArgs {
    /// The shard asked for, `--shards` given to `auto`; refuses `--shards` with `--shard K/N`.
    pub(super) fn option(&self) -> anyhow::Result<Option<ShardOption>> {
        if let (Some(ShardOption::Index { .. }), Some(_)) = (self.shard, self.shards) {
            anyhow::bail!(
                "--shards N goes with --shard auto; --shard K/N gives the number of shards itself"
            );
        }
        Ok(self.shard.map(|shard| match shard {
            ShardOption::Auto { .. } => ShardOption::Auto {
                shards: self.shards,
            },
            index => index,
        }))
    }
}
