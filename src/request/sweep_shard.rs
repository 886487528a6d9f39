//! Shards of a sweep (`sweep --shard K/N`) and their merge. Shard `k` of `n` runs the points
//! `⌊k·P/n⌋ .. ⌊(k+1)·P/n⌋` of a grid of `P` points; a point's samples and summaries do not
//! depend on the other points (every input draws from its own streams), so the merged
//! sweep.csv and sweep_summary.csv are the one-process sweep's, byte for byte.
//!
//! The merge refuses, naming the file and the problem, a run's partial result, partial results
//! of different sweeps (base scenario, varied inputs and grid, seed, samples, settings,
//! costbands version), a shard given twice or missing, and a corrupt file — with the checks
//! and messages of a run's merge ([`super::merge`]).

use super::merge::{every_shard_once, read_file, refuse, same_version, Place};
use super::shard::Shard;
use super::sweep::METHOD_NOTE;
use super::{thread_pool, Error, MergeOptions, Output};
use crate::export::sweep_partial::{
    read_sweep_partial, PointFile, SummaryFile, SweepPartial, SweepPartialSettings,
};
use crate::export::{self, html};
use crate::model::Metric;
use crate::report::metric_reports;
use crate::report::record::ScenarioText;
use crate::report::sweep::{SweepPoint, SweepReport};
use crate::scenario::Scenario;
use crate::settings::{Method, Settings};
use std::ops::Range;
use std::time::Instant;

/// The partial result of `shard` (the points `range` of `grid`) of a sweep over `base`, from
/// the report of its points.
pub(super) fn partial(
    shard: Shard,
    range: &Range<u64>,
    base: &Scenario,
    report: &SweepReport,
    grid: Vec<Vec<String>>,
) -> SweepPartial {
    let settings = &report.settings;
    let text = ScenarioText::new(base, settings);
    SweepPartial {
        tool: "costbands".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        shard: shard.shard,
        shards: shard.shards,
        points: [range.start, range.end],
        settings: SweepPartialSettings {
            samples: settings.samples as u64,
            seed: settings.seed,
            percentiles: settings.percentiles.clone(),
            confidence: settings.confidence,
            method: settings.method.name().into(),
            replicates: settings.replicates as u64,
        },
        command: report.command.clone(),
        scenario: text.name,
        origin: text.origin,
        sha256: base.sha256().into(),
        resolved_scenario: text.resolved_scenario,
        varied: report.varied.clone(),
        grid,
        results: report
            .points
            .iter()
            .map(|point| PointFile {
                rejected: point.rejected as u64,
                metrics: point
                    .metrics
                    .iter()
                    .map(|m| SummaryFile::of(&m.summary))
                    .collect(),
            })
            .collect(),
    }
}

/// A validated merge of a sweep's shards.
#[derive(Debug)]
pub struct SweepMergeRequest {
    base: Scenario,
    first: SweepPartial,
    settings: Settings,
    points: Vec<SweepPoint>,
    output: Output,
    threads: Option<usize>,
    command: Vec<String>,
}

/// Fails when `other` (at `path`) is not a shard of the same sweep as `first` (at
/// `first_path`).
fn same_sweep(
    (first_path, a): (&str, &SweepPartial),
    (path, b): (&str, &SweepPartial),
) -> Result<(), Error> {
    let differs = |what: &str, theirs: String, ours: String| {
        refuse(
            path,
            format!(
                "its {what} ({theirs}) differs from that of {first_path} ({ours}): they are \
                 shards of different sweeps; merge the shards of one sweep"
            ),
        )
    };
    let (x, y) = (&a.settings, &b.settings);
    let checks = [
        (
            "number of shards",
            b.shards.to_string(),
            a.shards.to_string(),
        ),
        ("seed", y.seed.to_string(), x.seed.to_string()),
        ("sample count", y.samples.to_string(), x.samples.to_string()),
        ("settings", format!("{y:?}"), format!("{x:?}")),
        (
            "scenario",
            format!("{} {:.12}", b.scenario, b.sha256),
            format!("{} {:.12}", a.scenario, a.sha256),
        ),
        ("varied inputs", b.varied.join(", "), a.varied.join(", ")),
        (
            "grid",
            format!("{} points", b.grid.len()),
            format!("{} points", a.grid.len()),
        ),
    ];
    for (what, theirs, ours) in checks {
        if theirs != ours {
            return Err(differs(what, theirs, ours));
        }
    }
    if a.resolved_scenario != b.resolved_scenario {
        return Err(refuse(
            path,
            format!(
                "its scenario's resolved text differs from that of {first_path} (another \
                 --set or file): they are shards of different sweeps; merge the shards of one \
                 sweep"
            ),
        ));
    }
    if let Some(k) = (0..a.grid.len()).find(|k| a.grid[*k] != b.grid[*k]) {
        let point = |values: &[String]| {
            let pairs = a.varied.iter().zip(values);
            let pairs: Vec<String> = pairs.map(|(name, v)| format!("{name}={v}")).collect();
            pairs.join(" ")
        };
        return Err(differs(
            &format!("grid's point {k}"),
            point(&b.grid[k]),
            point(&a.grid[k]),
        ));
    }
    Ok(())
}

/// The sweep's settings as `partial` (at `path`) records them.
fn settings(path: &str, partial: &SweepPartial) -> Result<Settings, Error> {
    let s = &partial.settings;
    let corrupt = |what: &str| refuse(path, format!("corrupt: {what}; run its shard again"));
    Ok(Settings {
        samples: usize::try_from(s.samples).map_err(|_| corrupt("its sample count"))?,
        seed: s.seed,
        percentiles: s.percentiles.clone(),
        confidence: s.confidence,
        events: Vec::new(),
        method: Method::parse(&s.method).ok_or_else(|| corrupt("its sampling method"))?,
        replicates: usize::try_from(s.replicates).map_err(|_| corrupt("its replicates"))?,
    })
}

/// The points of `partial` (at `path`), checked against its range of the grid.
fn points(
    path: &str,
    partial: &SweepPartial,
    settings: &Settings,
    metrics: &[Metric],
) -> Result<Vec<SweepPoint>, Error> {
    let [start, end] = partial.points;
    let corrupt = |what: String| refuse(path, format!("corrupt: {what}; run its shard again"));
    if end.checked_sub(start) != Some(partial.results.len() as u64) {
        return Err(corrupt(format!(
            "it holds {} points for its points {start}..{end}",
            partial.results.len()
        )));
    }
    partial
        .results
        .iter()
        .zip(&partial.grid[start as usize..end as usize])
        .enumerate()
        .map(|(k, (point, values))| {
            if point.metrics.len() != metrics.len() {
                return Err(corrupt(format!(
                    "point {}: not one summary per metric",
                    start + k as u64
                )));
            }
            let summaries = point
                .metrics
                .iter()
                .map(|m| m.read(&settings.percentiles))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| corrupt(format!("point {}: {e}", start + k as u64)))?;
            Ok(SweepPoint {
                values: values.clone(),
                rejected: usize::try_from(point.rejected).unwrap_or(usize::MAX),
                metrics: metric_reports(metrics, summaries),
            })
        })
        .collect()
}

impl SweepMergeRequest {
    /// Reads and checks every partial result of a sweep and puts their points in grid order.
    pub fn new(options: &MergeOptions) -> Result<SweepMergeRequest, Error> {
        let mut parts: Vec<(String, SweepPartial)> = Vec::with_capacity(options.partials.len());
        for arg in &options.partials {
            let (path, bytes) = read_file(arg)?;
            let partial = read_sweep_partial(&bytes).map_err(|e| refuse(&path, e))?;
            same_version(&path, &partial.version)?;
            if let Some((first_path, first)) = parts.first() {
                same_sweep((first_path, first), (&path, &partial))?;
            }
            parts.push((path, partial));
        }
        let (first_path, first) = parts.first().ok_or_else(|| {
            crate::settings::SettingError::new(
                "merge",
                "give the partial result (partial.json, or its folder) of every shard",
            )
        })?;
        let places: Vec<Place<'_>> = parts
            .iter()
            .map(|(path, p)| Place {
                path,
                shard: p.shard,
                shards: p.shards,
                range: p.points,
            })
            .collect();
        every_shard_once(&places, first.grid.len() as u64, "points")?;
        let settings = settings(first_path, first)?;
        let grid_points = first.grid.len();
        parts.sort_by_key(|(_, p)| p.shard);
        let base = {
            let (first_path, first) = &parts[0];
            Scenario::from_toml(
                &first.resolved_scenario,
                &first.origin,
                &first.scenario,
                &[],
            )
            .map_err(|e| refuse(first_path, format!("corrupt: its scenario: {e}")))?
        };
        let mut all = Vec::with_capacity(grid_points);
        for (path, partial) in &parts {
            all.extend(points(path, partial, &settings, base.metrics())?);
        }
        let (_, first) = parts.swap_remove(0);
        Ok(SweepMergeRequest {
            base,
            first,
            settings,
            points: all,
            output: options.common.output("merged")?,
            threads: options.common.threads,
            command: options.common.command.clone(),
        })
    }

    /// Where the result files go.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Writes the sweep's result files, as the one-process sweep writes them.
    pub fn execute(&self) -> Result<SweepReport, Error> {
        let started = Instant::now();
        let threads = thread_pool(self.threads)?.current_num_threads();
        let facts = html::ScenarioFacts::of(&self.base);
        let first = &self.first;
        let report = SweepReport {
            tool: "costbands",
            version: env!("CARGO_PKG_VERSION"),
            job: "sweep",
            command: self.command.clone(),
            scenario: first.scenario.clone(),
            origin: first.origin.clone(),
            resolved_scenario: first.resolved_scenario.clone(),
            settings: self.settings.clone(),
            threads,
            varied: first.varied.clone(),
            method_note: METHOD_NOTE,
            elapsed_s: started.elapsed().as_secs_f64(),
            points: self.points.clone(),
        };
        self.output.write(
            export::sweep_exporters(),
            || Ok(report),
            |report, line| html::sweep_document(report, &facts, line),
        )
    }
}
