//! `partial.json`: the partial result of one shard of a streamed run (`run --shard K/N`), which
//! `costbands merge` combines with the other shards' into the run's ordinary result files.
//!
//! The file is a header line, `costbands-partial <format> <sha256>`, then the JSON of a
//! [`Partial`]; the checksum is the SHA-256 of everything after the header line, so a file
//! changed or cut short after it was written is refused. Every float of a summary is stored as
//! its bit pattern (exact, and infinities included); sketch buckets are delta-coded.

use crate::model::Metric;
use crate::report::stream::ScenarioStream;
use crate::stats::exact_sum::ExactSum;
use crate::stats::sketch::Sketch;
use crate::stats::stream::MetricStream;
use crate::stats::{Event, Side};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, Write};

/// The file a shard writes into its output folder.
pub const PARTIAL_FILE: &str = "partial.json";

/// The format of [`Partial`]; a reader refuses any other.
pub const PARTIAL_FORMAT: u32 = 1;

/// The first word of the header line.
const MAGIC: &str = "costbands-partial";

/// One shard's partial result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// `costbands`.
    pub tool: String,
    /// The costbands version that wrote it; merge needs every shard from its own version.
    pub version: String,
    /// This shard's number, from 0.
    pub shard: u64,
    /// The number of shards of the run.
    pub shards: u64,
    /// The chunks this shard ran: `chunks[0] .. chunks[1]`.
    pub chunks: [u64; 2],
    /// The run's settings, the same in every shard.
    pub settings: PartialSettings,
    /// The command line that ran the shard.
    pub command: Vec<String>,
    /// Each scenario of the run, with what this shard counted.
    pub scenarios: Vec<PartialScenario>,
}

/// The settings of a sharded run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialSettings {
    /// Samples of the whole run.
    pub samples: u64,
    /// The run's seed.
    pub seed: u64,
    /// Percentiles reported, in percent.
    pub percentiles: Vec<f64>,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// The events whose probability is reported, in the order asked.
    pub events: Vec<PartialEvent>,
}

/// An event of `--exceed` or `--below`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialEvent {
    /// The metric's name.
    pub metric: String,
    /// `>` or `<`.
    pub event: Side,
    /// The threshold.
    pub threshold: f64,
}

/// One scenario of a sharded run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialScenario {
    /// The scenario's name.
    pub name: String,
    /// Where it came from (a file or a preset).
    pub origin: String,
    /// SHA-256 of its text.
    pub sha256: String,
    /// The scenario as it ran, as TOML that reproduces it on its own.
    pub resolved_scenario: String,
    /// What this shard counted.
    pub stream: StreamFile,
}

/// A [`ScenarioStream`] as stored (the default: nothing counted, no metric).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamFile {
    /// Samples drawn.
    pub drawn: u64,
    /// Samples rejected.
    pub rejected: u64,
    /// Samples clamped.
    pub clamped: u64,
    /// One entry per metric, in the scenario's metric order; `None` for derived metrics.
    pub metrics: Vec<Option<MetricFile>>,
}

/// A [`MetricStream`] as stored: floats as bit patterns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricFile {
    /// Bits of the shift.
    pub shift: u64,
    /// Finite values.
    pub finite: u64,
    /// Non-finite values.
    pub non_finite: u64,
    /// Bits of the minimum.
    pub min: u64,
    /// Bits of the maximum.
    pub max: u64,
    /// Bits of the partials of the scaled sum.
    pub sum: Vec<u64>,
    /// Bits of the partials of the scaled deviations' sum.
    pub deviations: Vec<u64>,
    /// Bits of the partials of the scaled squares' sum.
    pub squares: Vec<u64>,
    /// The count of each event the stream counts.
    pub events: Vec<u64>,
    /// Non-empty buckets, each as the difference from the previous one (the first from 0).
    pub buckets: Vec<u32>,
    /// The count of each bucket.
    pub counts: Vec<u64>,
}

fn bits(sum: &ExactSum) -> Vec<u64> {
    sum.partials().iter().map(|x| x.to_bits()).collect()
}

fn from_bits(bits: &[u64]) -> ExactSum {
    let values: Vec<f64> = bits.iter().map(|b| f64::from_bits(*b)).collect();
    ExactSum::from_partials(&values)
}

impl StreamFile {
    /// The stored form of `stream`.
    pub fn of(stream: &ScenarioStream) -> StreamFile {
        StreamFile {
            drawn: stream.drawn,
            rejected: stream.rejected,
            clamped: stream.clamped,
            metrics: stream
                .metrics
                .iter()
                .map(|m| m.as_ref().map(MetricFile::of))
                .collect(),
        }
    }

    /// The stream stored, checked against `empty` (the stream of the run before any chunk:
    /// the stored metrics, their shifts and events); `Err` says what does not fit.
    pub fn read(
        &self,
        empty: &ScenarioStream,
        metrics: &[Metric],
    ) -> Result<ScenarioStream, String> {
        if self.metrics.len() != metrics.len() || empty.metrics.len() != metrics.len() {
            return Err(format!(
                "{} metrics where the scenario has {}",
                self.metrics.len(),
                metrics.len()
            ));
        }
        if self.rejected > self.drawn || self.clamped > self.drawn {
            return Err("more samples rejected or clamped than drawn".into());
        }
        let mut stream = empty.clone();
        stream.drawn = self.drawn;
        stream.rejected = self.rejected;
        stream.clamped = self.clamped;
        for ((slot, stored), metric) in stream.metrics.iter_mut().zip(&self.metrics).zip(metrics) {
            let name = metric.name();
            match (slot, stored) {
                (None, None) => {}
                (Some(slot), Some(stored)) => {
                    stored
                        .read_into(slot, self.drawn)
                        .map_err(|e| format!("metric {name}: {e}"))?;
                }
                _ => {
                    return Err(format!(
                        "metric {name}: stored where the scenario derives it, or the reverse"
                    ))
                }
            }
        }
        Ok(stream)
    }
}

impl MetricFile {
    fn of(stream: &MetricStream) -> MetricFile {
        let mut previous = 0;
        let (mut buckets, mut counts) = (Vec::new(), Vec::new());
        for bucket in stream.sketch.buckets() {
            buckets.push(bucket.bucket - previous);
            counts.push(bucket.count);
            previous = bucket.bucket;
        }
        MetricFile {
            shift: stream.shift.to_bits(),
            finite: stream.finite,
            non_finite: stream.non_finite,
            min: stream.min.to_bits(),
            max: stream.max.to_bits(),
            sum: bits(&stream.sum),
            deviations: bits(&stream.deviations),
            squares: bits(&stream.squares),
            events: stream.events.iter().map(|(_, c)| *c).collect(),
            buckets,
            counts,
        }
    }

    /// Fills `slot` (an empty stream with the run's shift and events) from the file.
    fn read_into(&self, slot: &mut MetricStream, drawn: u64) -> Result<(), String> {
        if self.shift != slot.shift.to_bits() {
            return Err("its shift differs from the run's".into());
        }
        if self.finite.checked_add(self.non_finite) != Some(drawn) {
            return Err(
                "its finite and non-finite counts do not add up to the samples drawn".into(),
            );
        }
        if self.events.len() != slot.events.len() || self.events.iter().any(|c| *c > self.finite) {
            return Err("its event counts do not fit the run's events".into());
        }
        let (min, max) = (f64::from_bits(self.min), f64::from_bits(self.max));
        let extremes_fit = match self.finite {
            0 => min == f64::INFINITY && max == f64::NEG_INFINITY,
            _ => min.is_finite() && max.is_finite() && min <= max,
        };
        if !extremes_fit {
            return Err("its minimum and maximum do not fit its counts".into());
        }
        let sums = [&self.sum, &self.deviations, &self.squares].map(|b| from_bits(b));
        if !sums.iter().all(ExactSum::is_finite) {
            return Err("a sum is not a finite number".into());
        }
        if self.buckets.len() != self.counts.len() {
            return Err("its buckets and counts differ in number".into());
        }
        let mut sketch = Sketch::default();
        let mut bucket = 0u32;
        let mut total = 0u64;
        for (i, (step, count)) in self.buckets.iter().zip(&self.counts).enumerate() {
            bucket = bucket
                .checked_add(*step)
                .filter(|b| (i == 0 || *step > 0) && Sketch::is_valid_bucket(*b))
                .ok_or("its buckets are not increasing valid buckets")?;
            if *count == 0 {
                return Err("an empty bucket is stored".into());
            }
            total = total
                .checked_add(*count)
                .ok_or("its bucket counts overflow")?;
            sketch.add_to_bucket(bucket, *count);
        }
        if total != self.finite {
            return Err("its bucket counts do not add up to its finite values".into());
        }
        let [sum, deviations, squares] = sums;
        slot.finite = self.finite;
        slot.non_finite = self.non_finite;
        slot.min = min;
        slot.max = max;
        slot.sum = sum;
        slot.deviations = deviations;
        slot.squares = squares;
        for ((_, count), stored) in slot.events.iter_mut().zip(&self.events) {
            *count = *stored;
        }
        slot.sketch = sketch;
        Ok(())
    }
}

impl PartialSettings {
    /// The events as the run's settings hold them; `Err` names an unknown metric.
    pub fn events(&self) -> Result<Vec<(Metric, Event)>, String> {
        self.events
            .iter()
            .map(|e| {
                let metric = Metric::from_name_or_item(&e.metric)
                    .ok_or_else(|| format!("unknown metric \"{}\" in its events", e.metric))?;
                Ok((
                    metric,
                    Event {
                        side: e.event,
                        threshold: e.threshold,
                    },
                ))
            })
            .collect()
    }
}

/// Writes `partial` with its header line.
pub fn write_partial(partial: &Partial, out: &mut dyn Write) -> io::Result<()> {
    write_checked(MAGIC, partial, out)
}

/// Writes `value` as JSON after the header line `magic format sha256`.
pub(crate) fn write_checked(
    magic: &str,
    value: &impl Serialize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let body = serde_json::to_vec(value).map_err(io::Error::other)?;
    let digest = hex(&Sha256::digest(&body));
    writeln!(out, "{magic} {PARTIAL_FORMAT} {digest}")?;
    out.write_all(&body)?;
    out.write_all(b"\n")
}

/// The job whose shard wrote a partial result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartialJob {
    /// `costbands run --shard`.
    Run,
    /// `costbands sweep --shard`.
    Sweep,
}

impl PartialJob {
    fn magic(self) -> &'static str {
        match self {
            PartialJob::Run => MAGIC,
            PartialJob::Sweep => super::sweep_partial::MAGIC,
        }
    }

    /// `run` or `sweep`.
    pub fn name(self) -> &'static str {
        match self {
            PartialJob::Run => "run",
            PartialJob::Sweep => "sweep",
        }
    }

    fn command(self) -> String {
        format!("costbands {} --shard", self.name())
    }

    /// The job of the partial result in `bytes`, from its header line; `None` for anything
    /// else.
    pub fn of(bytes: &[u8]) -> Option<PartialJob> {
        let line = bytes.split(|b| *b == b'\n').next()?;
        let magic = line.split(|b| *b == b' ').next()?;
        [PartialJob::Run, PartialJob::Sweep]
            .into_iter()
            .find(|job| job.magic().as_bytes() == magic)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a partial result from the bytes of its file; `Err` says what is wrong and what to do.
pub fn read_partial(bytes: &[u8]) -> Result<Partial, String> {
    let partial: Partial = read_checked(bytes, PartialJob::Run)?;
    if partial.tool != "costbands" {
        return Err(not_partial(PartialJob::Run));
    }
    Ok(partial)
}

fn not_partial(job: PartialJob) -> String {
    format!(
        "not a costbands partial result (it does not start with \"{}\"); give the \
         {PARTIAL_FILE} a `{}` wrote, or its folder",
        job.magic(),
        job.command()
    )
}

/// Reads the JSON body of a partial result of `job` from the bytes of its file, checking its
/// header line and checksum; `Err` says what is wrong and what to do.
pub(crate) fn read_checked<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    job: PartialJob,
) -> Result<T, String> {
    let not_partial = || not_partial(job);
    match PartialJob::of(bytes) {
        Some(other) if other != job => {
            return Err(format!(
                "the partial result of a {}, where the first is of a {}: merge the partial \
                 results of one job (each from `{}`)",
                other.name(),
                job.name(),
                job.command()
            ))
        }
        _ => {}
    }
    let newline = bytes
        .iter()
        .position(|b| *b == b'\n')
        .ok_or_else(not_partial)?;
    let header = std::str::from_utf8(&bytes[..newline]).map_err(|_| not_partial())?;
    let words: Vec<&str> = header.split(' ').collect();
    let [magic, format, digest] = words[..] else {
        return Err(not_partial());
    };
    if magic != job.magic() {
        return Err(not_partial());
    }
    if format != PARTIAL_FORMAT.to_string() {
        return Err(format!(
            "partial result format {format}, and this costbands reads format {PARTIAL_FORMAT}; \
             run every shard and the merge with one costbands version"
        ));
    }
    let body = &bytes[newline + 1..];
    let body = body.strip_suffix(b"\n").unwrap_or(body);
    if hex(&Sha256::digest(body)) != digest {
        return Err(
            "corrupt: its checksum does not match its contents (changed or cut short after it \
             was written); run its shard again"
                .into(),
        );
    }
    serde_json::from_slice(body).map_err(|e| format!("corrupt: {e}; run its shard again"))
}
