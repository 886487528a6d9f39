//! `partial.json` of a sweep shard (`sweep --shard K/N`): the summaries of its share of the
//! grid's points, which `costbands merge` puts together, in grid order, into the sweep's
//! ordinary files.
//!
//! The file has the header line of every partial result (see [`super::partial`]), with its
//! own first word, so that a merge tells a sweep's shards from a run's. Every float of a
//! summary is stored as its bit pattern: the merged files are the one-process sweep's, byte for
//! byte.

use super::partial::{read_checked, write_checked, PartialJob};
use crate::stats::{Interval, PercentileEstimate, Summary};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// The first word of the header line.
pub(crate) const MAGIC: &str = "costbands-sweep-partial";

/// One sweep shard's partial result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPartial {
    /// `costbands`.
    pub tool: String,
    /// The costbands version that wrote it; merge needs every shard from its own version.
    pub version: String,
    /// This shard's number, from 0.
    pub shard: u64,
    /// The number of shards of the sweep.
    pub shards: u64,
    /// The points of the grid this shard ran: `points[0] .. points[1]`.
    pub points: [u64; 2],
    /// The sweep's settings, the same in every shard.
    pub settings: SweepPartialSettings,
    /// The command line that ran the shard.
    pub command: Vec<String>,
    /// The base scenario's name.
    pub scenario: String,
    /// Where it came from: a file path or `preset NAME`.
    pub origin: String,
    /// SHA-256 of the base scenario's text.
    pub sha256: String,
    /// The base scenario as swept, as TOML that reproduces it on its own.
    pub resolved_scenario: String,
    /// The varied inputs, in grid order.
    pub varied: Vec<String>,
    /// The values of every point of the whole grid, in grid order.
    pub grid: Vec<Vec<String>>,
    /// This shard's points, in grid order.
    pub results: Vec<PointFile>,
}

/// The settings of a sharded sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPartialSettings {
    /// Samples per point.
    pub samples: u64,
    /// The sweep's seed.
    pub seed: u64,
    /// Percentiles reported, in percent.
    pub percentiles: Vec<f64>,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// The sampling method's name (`mc`, `lhs`, `sobol`).
    pub method: String,
    /// Replicates of a design.
    pub replicates: u64,
}

/// One point's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointFile {
    /// Samples rejected as physically impossible.
    pub rejected: u64,
    /// One summary per metric, in the swept scenario's metric order.
    pub metrics: Vec<SummaryFile>,
}

/// A [`Summary`] without events, its floats as bit patterns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryFile {
    /// Finite samples.
    pub samples: u64,
    /// Non-finite samples.
    pub non_finite: u64,
    /// Bits of the mean, its interval's ends, the standard deviation, the minimum and the
    /// maximum, then of each percentile's value and interval ends, in the settings' order.
    pub floats: Vec<u64>,
}

/// Floats of a summary before its percentiles.
const HEAD_FLOATS: usize = 6;

impl SummaryFile {
    /// The stored form of `summary`, which has no events (a sweep asks for none).
    pub fn of(summary: &Summary) -> SummaryFile {
        debug_assert!(summary.exceedances.is_empty(), "a sweep has no events");
        let mut floats = vec![
            summary.mean,
            summary.mean_ci.low,
            summary.mean_ci.high,
            summary.std_dev,
            summary.min,
            summary.max,
        ];
        for p in &summary.percentiles {
            floats.extend([p.value, p.ci_low, p.ci_high]);
        }
        SummaryFile {
            samples: summary.samples as u64,
            non_finite: summary.non_finite as u64,
            floats: floats.into_iter().map(f64::to_bits).collect(),
        }
    }

    /// The summary stored, with `percentiles` (the sweep's, in percent); `Err` says what does
    /// not fit.
    pub fn read(&self, percentiles: &[f64]) -> Result<Summary, String> {
        if self.floats.len() != HEAD_FLOATS + 3 * percentiles.len() {
            return Err(format!(
                "{} numbers in a summary, where {} percentiles make {}",
                self.floats.len(),
                percentiles.len(),
                HEAD_FLOATS + 3 * percentiles.len()
            ));
        }
        let count = |n: u64| usize::try_from(n).map_err(|_| "a count is too large".to_string());
        let x: Vec<f64> = self.floats.iter().map(|b| f64::from_bits(*b)).collect();
        Ok(Summary {
            samples: count(self.samples)?,
            non_finite: count(self.non_finite)?,
            mean: x[0],
            mean_ci: Interval {
                low: x[1],
                high: x[2],
            },
            std_dev: x[3],
            min: x[4],
            max: x[5],
            percentiles: percentiles
                .iter()
                .zip(x[HEAD_FLOATS..].chunks_exact(3))
                .map(|(p, v)| PercentileEstimate {
                    percentile: *p,
                    value: v[0],
                    ci_low: v[1],
                    ci_high: v[2],
                })
                .collect(),
            exceedances: Vec::new(),
        })
    }
}

/// Writes `partial` with its header line.
pub fn write_sweep_partial(partial: &SweepPartial, out: &mut dyn Write) -> io::Result<()> {
    write_checked(MAGIC, partial, out)
}

/// Reads a sweep's partial result from the bytes of its file; `Err` says what is wrong and
/// what to do.
pub fn read_sweep_partial(bytes: &[u8]) -> Result<SweepPartial, String> {
    let partial: SweepPartial = read_checked(bytes, PartialJob::Sweep)?;
    if partial.tool != "costbands" {
        return Err("not a costbands partial result".into());
    }
    Ok(partial)
}
