//! The `merge` job: the partial results of every shard of a streamed run (`run --shard K/N`)
//! combined into the run's ordinary result files. Counts and exact sums combine exactly, so
//! the merged summary.csv and bands.csv are byte-identical to those of the one-process
//! `run --stream` of the same scenarios, seed and samples.
//!
//! Refused, naming the file and the problem: a file that is not a partial result, or is
//! corrupt (checksum), or from another costbands version; partials of different scenarios,
//! seeds, sample counts or settings; a shard given twice; a shard missing.

use super::run_set::stage_run_set;
use super::{thread_pool, CommonOptions, Error, Output};
use crate::export::partial::{read_partial, Partial, PartialJob, StreamFile, PARTIAL_FILE};
use crate::export::OutputDir;
use crate::report::record::Provenance;
use crate::report::stream::{chunk_count, report_stream, shifts, ScenarioStream};
use crate::report::{RunReport, StreamNote};
use crate::scenario::Scenario;
use crate::settings::{Method, Settings, DEFAULT_REPLICATES};
use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// The largest partial result read.
const MAX_PARTIAL_BYTES: u64 = 4 << 30;

/// What a caller asks of a merge.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeOptions {
    /// The options every job takes (the output folder, threads, report; samples, seed and
    /// `--set` come from the partial results and may not be given).
    pub common: CommonOptions,
    /// Each shard's partial result: its `partial.json` or the folder holding it.
    pub partials: Vec<String>,
}

/// A validated merge.
#[derive(Debug)]
pub struct MergeRequest {
    scenarios: Vec<Scenario>,
    recorded: Vec<(String, String)>,
    settings: Settings,
    streams: Vec<ScenarioStream>,
    shards: u64,
    output: Output,
    threads: Option<usize>,
    command: Vec<String>,
}

/// A refusal of the partial result at `path`, saying `problem`.
pub(super) fn refuse(path: &str, problem: impl Into<String>) -> Error {
    Error::Record {
        path: path.to_string(),
        problem: problem.into(),
    }
}

/// Reads the partial result `arg` names (a file, or a folder holding `partial.json`).
fn read(arg: &str) -> Result<(String, Partial), Error> {
    let (name, bytes) = read_file(arg)?;
    let partial = read_partial(&bytes).map_err(|e| refuse(&name, e))?;
    same_version(&name, &partial.version)?;
    Ok((name, partial))
}

/// The job whose shards `options` merge: that of the first partial result (a run's when it is
/// none: reading it as a run's says what is wrong).
pub fn merge_job(options: &MergeOptions) -> Result<PartialJob, Error> {
    let Some(first) = options.partials.first() else {
        return Ok(PartialJob::Run);
    };
    let (_, bytes) = read_file(first)?;
    Ok(PartialJob::of(&bytes).unwrap_or(PartialJob::Run))
}

/// The path and bytes of the partial result `arg` names (a file, or a folder holding
/// `partial.json`).
pub(super) fn read_file(arg: &str) -> Result<(String, Vec<u8>), Error> {
    let path = Path::new(arg);
    let path = if path.is_dir() {
        path.join(PARTIAL_FILE)
    } else {
        path.to_path_buf()
    };
    let name = path.display().to_string();
    let file = std::fs::File::open(&path).map_err(|e| refuse(&name, cannot_open(&e)))?;
    let mut bytes = Vec::new();
    file.take(MAX_PARTIAL_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(&name, e.to_string()))?;
    Ok((name, bytes))
}

/// Fails unless `version` (of the partial result at `name`) is this costbands'.
pub(super) fn same_version(name: &str, version: &str) -> Result<(), Error> {
    let ours = env!("CARGO_PKG_VERSION");
    if version != ours {
        return Err(refuse(
            name,
            format!(
                "written by costbands {version}, and this is costbands {ours}; run every shard \
                 and the merge with one costbands version"
            ),
        ));
    }
    Ok(())
}

/// Why a partial result cannot be opened, and what to do about it.
fn cannot_open(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file: give each shard's output folder (which \
             holds its partial.json, written by `costbands run --shard K/N --out FOLDER`) or \
             the partial.json itself"
            .to_string(),
        _ => format!("cannot be read ({error})"),
    }
}

/// Fails when `other` is not a shard of the same run as `first`.
fn same_run(first: &(String, Partial), other: &(String, Partial)) -> Result<(), Error> {
    let ((first_path, a), (path, b)) = (first, other);
    let differs = |what: &str, theirs: String, ours: String| {
        refuse(
            path,
            format!(
                "its {what} ({theirs}) differs from that of {first_path} ({ours}): they are \
                 shards of different runs; merge the shards of one run"
            ),
        )
    };
    if a.shards != b.shards {
        return Err(differs(
            "number of shards",
            b.shards.to_string(),
            a.shards.to_string(),
        ));
    }
    let (x, y) = (&a.settings, &b.settings);
    if x.seed != y.seed {
        return Err(differs("seed", y.seed.to_string(), x.seed.to_string()));
    }
    if x.samples != y.samples {
        return Err(differs(
            "sample count",
            y.samples.to_string(),
            x.samples.to_string(),
        ));
    }
    if x != y {
        return Err(differs(
            "settings (percentiles, confidence or events)",
            format!("{y:?}"),
            format!("{x:?}"),
        ));
    }
    let names = |p: &Partial| {
        p.scenarios
            .iter()
            .map(|s| format!("{} {}", s.name, &s.sha256[..s.sha256.len().min(12)]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let same_scenarios = a.scenarios.len() == b.scenarios.len()
        && a.scenarios.iter().zip(&b.scenarios).all(|(s, t)| {
            s.name == t.name && s.sha256 == t.sha256 && s.resolved_scenario == t.resolved_scenario
        });
    if !same_scenarios {
        return Err(differs("scenarios", names(b), names(a)));
    }
    Ok(())
}

/// Where a partial result says its shard lies in its job.
pub(super) struct Place<'a> {
    /// The partial result's path.
    pub(super) path: &'a str,
    /// Its shard, from 0.
    pub(super) shard: u64,
    /// The number of shards.
    pub(super) shards: u64,
    /// The items (chunks, points) it says it ran.
    pub(super) range: [u64; 2],
}

/// Fails unless `parts` hold every shard of their job exactly once, each with its share of
/// the job's `items` (`unit`: chunks, points).
pub(super) fn every_shard_once(parts: &[Place<'_>], items: u64, unit: &str) -> Result<(), Error> {
    let shards = parts[0].shards;
    if shards > parts.len() as u64 {
        let have: std::collections::BTreeSet<u64> = parts.iter().map(|p| p.shard).collect();
        let missing: Vec<String> = (0..shards)
            .filter(|k| !have.contains(k))
            .take(20)
            .map(|k| k.to_string())
            .collect();
        return Err(refuse(
            parts[0].path,
            format!(
                "shard{} {} of its {shards} missing: give the partial result of every shard",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
        ));
    }
    let mut seen: Vec<Option<&str>> = vec![None; shards as usize];
    for partial in parts {
        let path = partial.path;
        if partial.shard >= shards {
            return Err(refuse(
                path,
                format!("shard {} of {shards}: corrupt", partial.shard),
            ));
        }
        let slot = &mut seen[partial.shard as usize];
        if let Some(other) = slot {
            return Err(refuse(
                path,
                format!(
                    "shard {} of {shards} again (also {other}): give each shard once",
                    partial.shard
                ),
            ));
        }
        *slot = Some(path);
        let expected = super::shard::Shard {
            shard: partial.shard,
            shards,
        }
        .chunks(items);
        if partial.range != [expected.start, expected.end] {
            return Err(refuse(
                path,
                format!("corrupt: its {unit} are not its shard's; run its shard again"),
            ));
        }
    }
    Ok(())
}

/// The settings and scenarios of the run `partial` (read from `path`) is a shard of, and each
/// scenario's stream before any chunk.
fn load_run(
    path: &str,
    partial: &Partial,
    threads: Option<usize>,
) -> Result<(Settings, Vec<Scenario>, Vec<ScenarioStream>), Error> {
    let settings = Settings {
        samples: usize::try_from(partial.settings.samples)
            .map_err(|_| refuse(path, "its sample count is too large for this machine"))?,
        seed: partial.settings.seed,
        percentiles: partial.settings.percentiles.clone(),
        confidence: partial.settings.confidence,
        events: partial
            .settings
            .events()
            .map_err(|e| refuse(path, format!("corrupt: {e}")))?,
        method: Method::Mc,
        replicates: DEFAULT_REPLICATES,
    };
    let pool = thread_pool(threads)?;
    let mut scenarios = Vec::new();
    let mut empties = Vec::new();
    for recorded in &partial.scenarios {
        let scenario = Scenario::from_toml(
            &recorded.resolved_scenario,
            &recorded.origin,
            &recorded.name,
            &[],
        )?;
        empties.push(pool.install(|| {
            ScenarioStream::empty(&scenario, &settings, &shifts(&scenario, &settings))
        }));
        scenarios.push(scenario);
    }
    Ok((settings, scenarios, empties))
}

impl MergeRequest {
    /// Reads and checks every partial result, loads the run's scenarios from them and
    /// combines what the shards counted.
    pub fn new(options: &MergeOptions) -> Result<MergeRequest, Error> {
        if options.partials.is_empty() {
            return Err(crate::settings::SettingError::new(
                "merge",
                "give the partial result (partial.json, or its folder) of every shard",
            )
            .into());
        }
        // One partial result in memory at a time: each is checked against the first and its
        // counts added to the totals before the next is read.
        let mut parts: Vec<(String, Partial)> = Vec::with_capacity(options.partials.len());
        let mut run: Option<(Settings, Vec<Scenario>, Vec<ScenarioStream>)> = None;
        let mut streams: Vec<ScenarioStream> = Vec::new();
        for arg in &options.partials {
            let (path, mut partial) = read(arg)?;
            let files: Vec<StreamFile> = partial
                .scenarios
                .iter_mut()
                .map(|s| std::mem::take(&mut s.stream))
                .collect();
            match parts.first() {
                None => {
                    let loaded = load_run(&path, &partial, options.common.threads)?;
                    streams = loaded.2.clone();
                    run = Some(loaded);
                }
                Some(first) => same_run(first, &(path.clone(), partial.clone()))?,
            }
            let (_, scenarios, empties) = run.as_ref().expect("loaded from the first");
            for ((file, empty), (total, scenario)) in files
                .iter()
                .zip(empties)
                .zip(streams.iter_mut().zip(scenarios))
            {
                let stream = file.read(empty, scenario.metrics()).map_err(|e| {
                    refuse(&path, format!("corrupt: scenario {}: {e}", scenario.name()))
                })?;
                total.merge(&stream);
            }
            parts.push((path, partial));
        }
        let places: Vec<Place<'_>> = parts
            .iter()
            .map(|(path, p)| Place {
                path,
                shard: p.shard,
                shards: p.shards,
                range: p.chunks,
            })
            .collect();
        let chunks = chunk_count(parts[0].1.settings.samples as usize);
        every_shard_once(&places, chunks, "chunks")?;
        let (first_path, first) = &parts[0];
        let (settings, scenarios, _) = run.expect("at least one partial result");
        for (total, scenario) in streams.iter().zip(&scenarios) {
            if total.drawn != first.settings.samples {
                return Err(refuse(
                    first_path,
                    format!(
                        "corrupt: the shards drew {} samples of scenario {}, not {}",
                        total.drawn,
                        scenario.name(),
                        first.settings.samples
                    ),
                ));
            }
        }
        Ok(MergeRequest {
            recorded: first
                .scenarios
                .iter()
                .map(|s| (s.origin.clone(), s.sha256.clone()))
                .collect(),
            scenarios,
            settings,
            streams,
            shards: first.shards,
            output: options.common.output("merged")?,
            threads: options.common.threads,
            command: options.common.command.clone(),
        })
    }

    /// Where the result files go.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Reports the merged run and writes its result set as a run writes it.
    pub fn execute(&self) -> Result<RunReport, Error> {
        let mut out = OutputDir::open(&self.output.dir)?;
        self.output.refuse_existing()?;
        let started = Instant::now();
        let pool = thread_pool(self.threads)?;
        let reports = pool.install(|| {
            self.scenarios
                .iter()
                .zip(&self.streams)
                .zip(&self.recorded)
                .map(|((scenario, stream), (origin, sha256))| {
                    let mut report = report_stream(scenario, &self.settings, stream);
                    report.origin = origin.clone();
                    report.sha256 = sha256.clone();
                    report
                })
                .collect::<Vec<_>>()
        });
        let provenance = Provenance {
            command: self.command.clone(),
            rerun_of: None,
            samples_requested: Some(self.settings.samples),
            max_samples: None,
        };
        let report = RunReport::new(
            self.settings.clone(),
            reports,
            started.elapsed().as_secs_f64(),
            pool.current_num_threads(),
            provenance,
        )
        .streamed(StreamNote::new(
            format!("merged from the partial results of {} shards", self.shards),
            super::memory::peak_rss(),
        ));
        stage_run_set(&self.output, &mut out, &report, &self.scenarios)?;
        out.commit()?;
        Ok(report)
    }
}
