//! A run that is one shard (`--shard K/N`): its share of every scenario's chunks, streamed,
//! written as a partial result for `costbands merge`.

use super::{Error, RunRequest};
use crate::export::partial::{write_partial, PARTIAL_FILE};
use crate::export::OutputDir;
use crate::report;
use crate::request::shard::{self, Shard};
use crate::request::{thread_pool, Progress};
use std::ops::Range;

impl RunRequest {
    /// The shard this run is, when it is one (`--shard`): [`RunRequest::execute_shard`]
    /// runs it.
    pub fn shard(&self) -> Option<Shard> {
        self.shard
    }

    /// Runs this shard's chunks of every scenario and writes its partial result
    /// (`partial.json`) into the output folder, through the same locked, staged swap as
    /// every result set. Returns the chunks it ran of the run's.
    ///
    /// # Panics
    /// When the request is not a shard.
    pub fn execute_shard(&self, progress: &dyn Progress) -> Result<(Range<u64>, u64), Error> {
        let shard = self.shard.expect("a shard run");
        let mut out = OutputDir::open(&self.output.dir)?;
        self.output.refuse_existing()?;
        let pool = thread_pool(self.threads)?;
        let total = report::stream::chunk_count(self.settings.samples);
        let chunks = shard.chunks(total);
        let advance = |n: usize| progress.advance(n);
        let mut streams = Vec::with_capacity(self.scenarios.len());
        for scenario in &self.scenarios {
            let samples = ((chunks.end - chunks.start) as usize * crate::engine::CHUNK_SIZE)
                .min(self.settings.samples);
            progress.start(scenario.name(), samples as u64, false);
            streams.push(pool.install(|| {
                report::stream::stream_chunks(
                    scenario,
                    &self.settings,
                    chunks.clone(),
                    Some(&advance),
                )
            }));
            progress.finish();
        }
        let partial = shard::partial(
            shard,
            &self.scenarios,
            &self.settings,
            &streams,
            &self.provenance.command,
        );
        out.stage(PARTIAL_FILE, |writer| write_partial(&partial, writer))?;
        out.commit()?;
        Ok((chunks, total))
    }
}
