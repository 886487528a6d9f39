//! The `run` job: sample one or more scenarios, summarise every metric, write the result set.

use super::batch::{default_folder, load_scenarios, Batch};
use super::record::refuse_changes;
use super::run_set::{input_columns, metric_columns, stage_run_set, stage_samples};
use super::run_settings::{
    self, check_memory, check_stream, events, may_stream, percentiles, replicates, stream_fits,
    Precision,
};
use super::shard::{self, Shard, ShardOption};
use super::{sample_count, thread_pool, CommonOptions, Error, Output, Progress};
use crate::engine::Simulation;
use crate::export::{self, OutputDir, SamplesCsv, SamplesFormat};
use crate::model::{Input, Metric};
use crate::report::record::Provenance;
use crate::report::{self, RunReport, StreamNote};
use crate::scenario::Scenario;
use crate::settings::{Method, Settings};
use std::time::Instant;

mod one;
mod shard_part;
use one::usable;
mod parquet;

/// Where a run hands its samples as they are drawn: the scenario, the index of the block's
/// first sample and its columns (inputs included), block after block in sample order.
type OnBlock<'a> = dyn FnMut(&Scenario, u64, &Simulation) -> std::io::Result<()> + Send + 'a;

/// What a caller asks of a run, before validation; `None` means the first scenario file's
/// value, else the default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunOptions {
    /// The options every job takes.
    pub common: CommonOptions,
    /// Scenario files or preset names; the default preset when empty.
    pub scenarios: Vec<String>,
    /// Percentiles to report, in percent.
    pub percentiles: Option<Vec<f64>>,
    /// `METRIC=VALUE` thresholds for `P(metric > value)`.
    pub exceed: Vec<String>,
    /// `METRIC=VALUE` thresholds for `P(metric < value)`.
    pub below: Vec<String>,
    /// Keep (and write) every sample's inputs and metrics.
    pub save_samples: bool,
    /// The file `save_samples` writes: samples.csv or samples.parquet (which a streamed run
    /// can write too).
    pub samples_format: SamplesFormat,
    /// Sampling method.
    pub sampler: Option<Method>,
    /// Independent replicates of an LHS or Sobol design.
    pub replicates: Option<u32>,
    /// Precision targets `METRIC:STAT:WIDTH`: run until each interval is this narrow.
    pub precision: Vec<String>,
    /// Sample cap under precision control.
    pub max_samples: Option<u64>,
    /// Add every preset to the scenarios.
    pub all: bool,
    /// Run the valid scenarios when some are invalid (the run still fails, listing them).
    pub keep_going: bool,
    /// Reproduce the run recorded in the one run.json `scenarios` names, exactly: options
    /// that would change its results are refused, and so is a record of another costbands
    /// version. (Without it, a run.json is a source of scenarios and settings like a scenario
    /// file: options override what it records.)
    pub rerun: bool,
    /// Summarise each chunk as it finishes instead of keeping the samples: memory independent
    /// of the number of samples, percentiles from a quantile sketch (see
    /// [`crate::stats::stream`]). A Monte Carlo run that would not fit in the memory limit
    /// streams without being asked.
    pub stream: bool,
    /// Run one shard of the streamed run and write its partial result (`partial.json`) for
    /// `costbands merge`, instead of the result files.
    pub shard: Option<ShardOption>,
}

/// A validated run: it can be carried out as it is.
#[derive(Debug, Clone)]
pub struct RunRequest {
    scenarios: Vec<Scenario>,
    settings: Settings,
    precision: Option<Precision>,
    save_samples: bool,
    samples_format: SamplesFormat,
    threads: Option<usize>,
    output: Output,
    failures: Vec<String>,
    /// The samples each scenario draws, when they come from a record.
    recorded_samples: Option<Vec<usize>>,
    provenance: Provenance,
    /// Why the run streams, when it does.
    stream: Option<String>,
    /// The shard this run is, when it is one.
    shard: Option<Shard>,
}

/// Where a run's settings come from, for messages: `--percentiles`, or the file's field.
fn file_or_option(option: &str, given: bool, origin: &str, field: &str) -> String {
    if given {
        option.to_string()
    } else {
        format!("{origin}: sampling.{field}")
    }
}

impl RunRequest {
    /// Loads the scenarios, merges the settings (`options` > the first scenario file > the
    /// defaults) and validates everything.
    pub fn new(options: &RunOptions) -> Result<RunRequest, Error> {
        if options.rerun {
            refuse_changes(options)?;
        }
        let Batch {
            scenarios,
            failures,
            record,
        } = load_scenarios(options)?;
        let (file, origin) = match &record {
            Some(record) => (record.sampling.clone(), record.path.clone()),
            None => (
                scenarios[0].sampling().clone(),
                scenarios[0].origin().to_string(),
            ),
        };
        let common = options.common.merge(&file, &origin)?;
        let percentiles_setting = file_or_option(
            "--percentiles",
            options.percentiles.is_some(),
            &origin,
            "percentiles",
        );
        let mut settings = Settings {
            samples: sample_count(&common, 1, "")?,
            seed: common.seed,
            percentiles: percentiles(options, file.percentiles.as_ref(), &percentiles_setting)?,
            confidence: common.confidence,
            events: match (
                &record,
                options.exceed.is_empty() && options.below.is_empty(),
            ) {
                (Some(record), true) => record.events.clone(),
                _ => events(options)?,
            },
            method: options.sampler.or(file.method).unwrap_or(Method::Mc),
            replicates: replicates(options.replicates.or(file.replicates))?,
        };
        let mut precision = run_settings::precision(options, &settings)?;
        for target in precision.iter().flat_map(|p| &p.targets) {
            if let Some(p) = target.percentile {
                if !settings.percentiles.contains(&p) {
                    settings.percentiles.push(p);
                }
            }
        }
        let recorded_samples = record
            .as_ref()
            .filter(|_| options.common.samples.is_none() && precision.is_none())
            .map(|record| record.samples_used.clone());
        if let Some(most) = recorded_samples.iter().flatten().max() {
            settings.samples = *most;
        }
        for scenario in &scenarios {
            report::check_settings(&settings, scenario)?;
            super::run_settings::check_precision_metrics(precision.as_ref(), scenario)?;
        }
        let folder = match &record {
            Some(_) => format!("{}-rerun", default_folder(&scenarios)),
            None => default_folder(&scenarios),
        };
        let output = options.common.output(&folder)?;
        let shard = options
            .shard
            .map(|option| shard::resolve(option, &|name| std::env::var(name).ok()))
            .transpose()?;
        // A recorded run that streamed streams again, so that it gives the same numbers.
        let streaming = RunOptions {
            stream: options.stream || record.as_ref().is_some_and(|r| r.streamed),
            ..options.clone()
        };
        let options = &streaming;
        check_stream(options, &settings)?;
        let checked = match options.stream || shard.is_some() {
            // A streaming run's memory does not grow with its samples.
            true => Ok(()),
            false => check_memory(options, &common, &scenarios, &settings, precision.as_mut()),
        };
        let stream = match checked {
            Ok(()) if shard.is_some() => {
                let Shard { shard, shards } = shard.expect("a shard");
                Some(format!("--shard {shard}/{shards}"))
            }
            Ok(()) if options.stream => Some("--stream".to_string()),
            Ok(()) => None,
            Err(Error::Memory {
                needed,
                limit,
                limit_source,
                ..
            }) if may_stream(options, &settings)
                && stream_fits(options, &common, &scenarios, &settings) =>
            {
                Some(format!(
                    "held in memory, this run would need about {}, more than the limit of {} \
                 ({limit_source}), so it streams: percentiles from a quantile sketch within \
                 a relative {:.2e} (pass --stream to choose this yourself)",
                    super::memory::format_bytes(needed),
                    super::memory::format_bytes(limit),
                    crate::stats::sketch::RELATIVE_ERROR,
                ))
            }
            Err(Error::Memory {
                job,
                needed,
                detail,
                limit,
                limit_source,
                fix,
            }) if csv_samples_block_streaming(options, &settings) => {
                return Err(Error::Memory {
                    job,
                    needed,
                    detail,
                    limit,
                    limit_source,
                    fix: format!(
                        "{fix}; or write the samples with --save-samples parquet, which streams \
                         them in bounded memory (samples.csv is written from memory)"
                    ),
                })
            }
            Err(error) => return Err(error),
        };
        let provenance = Provenance {
            command: options.common.command.clone(),
            rerun_of: record.as_ref().map(|r| r.path.clone()),
            samples_requested: match (&precision, &recorded_samples, &record) {
                (Some(_), _, _) => None,
                (None, Some(_), Some(record)) => record.samples_requested,
                _ => Some(settings.samples),
            },
            max_samples: precision.as_ref().map(|p| p.max_samples),
        };
        Ok(RunRequest {
            scenarios,
            settings,
            precision,
            save_samples: options.save_samples,
            samples_format: options.samples_format,
            threads: common.threads,
            output,
            failures,
            recorded_samples,
            provenance,
            stream,
            shard,
        })
    }

    /// Why the run streams its samples instead of keeping them (`--stream`, or the memory an
    /// in-memory run would need), when it does.
    pub fn stream_reason(&self) -> Option<&str> {
        self.stream.as_deref()
    }

    /// Fails, listing them, when scenarios were left out as invalid (`keep_going`).
    pub fn check_failures(&self) -> Result<(), Error> {
        if self.failures.is_empty() {
            return Ok(());
        }
        Err(Error::Invalid {
            failures: self.failures.clone(),
        })
    }

    /// The scenarios, in the order they run.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    /// The merged, validated settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Where the result files go.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// The sample cap under precision control, if the run has precision targets.
    pub fn max_samples(&self) -> Option<usize> {
        self.precision.as_ref().map(|p| p.max_samples)
    }

    /// Runs every scenario on the request's own worker pool. `on_samples` receives each
    /// scenario's raw columns (input columns included when samples are saved) before the
    /// next scenario runs, to write or keep.
    pub fn run(
        &self,
        progress: &dyn Progress,
        on_samples: &mut dyn FnMut(&Scenario, Simulation) -> std::io::Result<()>,
    ) -> Result<RunReport, Error> {
        self.run_with(progress, on_samples, None)
    }

    /// [`RunRequest::run`], also handing every scenario's samples to `on_block` when given:
    /// block by block as a streamed run draws them, else all at once.
    fn run_with(
        &self,
        progress: &dyn Progress,
        on_samples: &mut dyn FnMut(&Scenario, Simulation) -> std::io::Result<()>,
        mut on_block: Option<&mut OnBlock<'_>>,
    ) -> Result<RunReport, Error> {
        let pool = thread_pool(self.threads)?;
        let started = Instant::now();
        let mut reports = Vec::with_capacity(self.scenarios.len());
        let samples_path = |source| export::ExportError {
            path: self
                .output
                .dir
                .join(self.samples_format.file_name())
                .display()
                .to_string(),
            source,
        };
        for (index, scenario) in self.scenarios.iter().enumerate() {
            let block = on_block.as_deref_mut();
            let (report, simulation) = pool
                .install(|| self.run_one(index, progress, block))
                .map_err(samples_path)?;
            on_samples(scenario, simulation).map_err(|source| export::ExportError {
                path: self
                    .output
                    .dir
                    .join(SamplesCsv::FILE_NAME)
                    .display()
                    .to_string(),
                source,
            })?;
            usable(&report)?;
            reports.push(report);
        }
        let elapsed_s = started.elapsed().as_secs_f64();
        let threads = pool.current_num_threads();
        let report = RunReport::new(
            self.settings.clone(),
            reports,
            elapsed_s,
            threads,
            self.provenance.clone(),
        );
        Ok(match &self.stream {
            Some(reason) => {
                report.streamed(StreamNote::new(reason.clone(), super::memory::peak_rss()))
            }
            None => report,
        })
    }

    /// Runs every scenario and writes the result set into the output folder, which it locks
    /// for the duration: every file is staged, and the set is swapped in whole only when all
    /// were written (see [`OutputDir`]). Refuses, writing nothing, when the folder holds
    /// results and replacing them was not asked for. A batch of several scenarios also gets
    /// one sub-folder per scenario, named after it, holding that scenario's own result files.
    pub fn execute(&self, progress: &dyn Progress) -> Result<RunReport, Error> {
        let mut out = OutputDir::open(&self.output.dir)?;
        self.output.refuse_existing()?;
        let report = match (self.save_samples, self.samples_format) {
            (false, _) => self.run(progress, &mut |_, _| Ok(()))?,
            (true, SamplesFormat::Csv) => self.run_saving_samples(&mut out, progress)?,
            (true, SamplesFormat::Parquet) => self.run_saving_parquet(&mut out, progress)?,
        };
        self.stage_reports(&self.output, &mut out, &report)?;
        out.commit()?;
        Ok(report)
    }

    /// Writes the result set of a finished run into `output`, exactly as [`RunRequest::execute`]
    /// writes it (a batch's sub-folders included): for a front end that ran the job with
    /// [`RunRequest::run`] and saves it later. `samples` are the scenarios' kept columns, in
    /// run order, or empty for no samples.csv. Returns the paths written.
    pub fn save(
        &self,
        output: &Output,
        report: &RunReport,
        samples: &[(&str, &Simulation)],
    ) -> Result<Vec<std::path::PathBuf>, Error> {
        self.save_as(output, report, samples, self.samples_format)
    }

    /// [`RunRequest::save`], the samples written as `format` (samples.csv or
    /// samples.parquet).
    pub fn save_as(
        &self,
        output: &Output,
        report: &RunReport,
        samples: &[(&str, &Simulation)],
        format: SamplesFormat,
    ) -> Result<Vec<std::path::PathBuf>, Error> {
        let mut out = OutputDir::open(&output.dir)?;
        output.refuse_existing()?;
        if !samples.is_empty() && format == SamplesFormat::Parquet {
            self.stage_parquet(&mut out, samples)?;
        } else if !samples.is_empty() {
            out.stage(SamplesCsv::FILE_NAME, |writer| {
                let mut csv = SamplesCsv::new(writer, self.sample_columns())?;
                for (scenario, simulation) in samples {
                    csv.append(scenario, simulation)?;
                }
                csv.finish()
            })?;
            if self.scenarios.len() > 1 {
                for (scenario, (_, simulation)) in self.scenarios.iter().zip(samples) {
                    stage_samples(&mut out, scenario, simulation)?;
                }
            }
        }
        self.stage_reports(output, &mut out, report)?;
        Ok(out.commit()?)
    }

    /// Stages the standard files of `report`, its `report.html` and `plots/` (unless
    /// `output` leaves them out) and, in a batch, each scenario's own files in its
    /// sub-folder.
    fn stage_reports(
        &self,
        output: &Output,
        out: &mut OutputDir,
        report: &RunReport,
    ) -> Result<(), Error> {
        stage_run_set(output, out, report, &self.scenarios)
    }

    /// Runs every scenario, streaming its samples into samples.csv (and, in a batch, into
    /// the scenario's own sub-folder) as each finishes.
    fn run_saving_samples(
        &self,
        out: &mut OutputDir,
        progress: &dyn Progress,
    ) -> Result<RunReport, Error> {
        let batch = self.scenarios.len() > 1;
        let mut file = out.create(None, SamplesCsv::FILE_NAME)?;
        let path = file.path().display().to_string();
        let at = |source| export::ExportError {
            path: path.clone(),
            source,
        };
        let mut csv = SamplesCsv::new(&mut file, self.sample_columns()).map_err(at)?;
        let mut failed: Option<export::ExportError> = None;
        let result = self.run(progress, &mut |scenario, simulation| {
            csv.append(scenario.name(), &simulation)?;
            if batch {
                if let Err(error) = stage_samples(out, scenario, &simulation) {
                    let stop = std::io::Error::other(error.to_string());
                    failed = Some(error);
                    return Err(stop);
                }
            }
            Ok(())
        });
        if let Some(error) = failed {
            return Err(error.into());
        }
        let report = result?;
        csv.finish().map_err(at)?;
        file.finish()?;
        Ok(report)
    }

    /// Fails when a precision target of `report` was not met.
    pub fn check_precision(&self, report: &RunReport) -> Result<(), Error> {
        let Some(precision) = &self.precision else {
            return Ok(());
        };
        let missed: Vec<String> = report
            .scenarios
            .iter()
            .flat_map(|s| {
                s.precision
                    .iter()
                    .filter(|t| !t.met)
                    .map(move |t| format!("{}: {} (reached {})", s.name, t.target, t.reached()))
            })
            .collect();
        if missed.is_empty() {
            return Ok(());
        }
        Err(Error::PrecisionNotMet {
            max_samples: precision.max_samples,
            missed,
        })
    }

    /// Every input any scenario reads, in stream order: the input columns of samples.csv.
    fn sample_columns(&self) -> (Vec<Input>, Vec<Metric>) {
        (
            input_columns(&self.scenarios),
            metric_columns(&self.scenarios),
        )
    }
}

/// Whether the run could stream but for `--save-samples csv`, which writes from memory.
fn csv_samples_block_streaming(options: &RunOptions, settings: &Settings) -> bool {
    options.save_samples
        && options.samples_format == SamplesFormat::Csv
        && settings.method == Method::Mc
        && options.precision.is_empty()
}
