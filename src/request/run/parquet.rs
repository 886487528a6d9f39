//! `--save-samples parquet`: samples.parquet staged as the run draws its samples (block by
//! block when it streams), with, in a batch, each scenario's own samples.parquet in its
//! sub-folder, as samples.csv is written.

use super::{Error, RunRequest};
use crate::engine::Simulation;
use crate::export::{self, ExportError, OutputDir, SamplesParquet, StagedFile};
use crate::model::{Input, Metric};
use crate::report::RunReport;
use crate::request::run_set::{input_columns, metric_columns};
use crate::request::Progress;
use crate::scenario::Scenario;
use std::io;

/// The file name.
const FILE_NAME: &str = export::SamplesFormat::Parquet.file_name();

/// A samples.parquet being staged, and where it will be (for messages).
struct Staged {
    writer: SamplesParquet<StagedFile>,
    path: String,
}

impl Staged {
    /// Starts `folder/samples.parquet` (the top of the result set when `None`) for the
    /// samples of `scenarios`.
    fn create(
        out: &mut OutputDir,
        folder: Option<&str>,
        scenarios: &[Scenario],
    ) -> Result<Staged, ExportError> {
        let file = out.create(folder, FILE_NAME)?;
        let path = file.path().display().to_string();
        let writer = SamplesParquet::new(file, columns(scenarios), metrics(scenarios)).map_err(
            |source| ExportError {
                path: path.clone(),
                source,
            },
        )?;
        Ok(Staged { writer, path })
    }

    fn error(&self, source: io::Error) -> ExportError {
        ExportError {
            path: self.path.clone(),
            source,
        }
    }

    /// Writes the footer and flushes the file: it is part of the set from now on.
    fn finish(self) -> Result<(), ExportError> {
        let path = self.path;
        let file = self.writer.finish().map_err(|source| ExportError {
            path: path.clone(),
            source,
        })?;
        file.finish()
    }
}

/// The input columns of samples.parquet for `scenarios`, each with whether every scenario
/// reads it (else it is nullable).
fn columns(scenarios: &[Scenario]) -> Vec<(Input, bool)> {
    input_columns(scenarios)
        .into_iter()
        .map(|input| {
            let everywhere = scenarios
                .iter()
                .all(|s| s.input_named(input.name()).is_some());
            (input, everywhere)
        })
        .collect()
}

/// The metric columns of `scenarios`' samples file, each with whether every scenario has it
/// (a line item only some have is nullable).
fn metrics(scenarios: &[Scenario]) -> Vec<(Metric, bool)> {
    metric_columns(scenarios)
        .into_iter()
        .map(|metric| {
            let everywhere = scenarios
                .iter()
                .all(|s| s.metric_named(metric.name()).is_some());
            (metric, everywhere)
        })
        .collect()
}

impl RunRequest {
    /// Runs every scenario, writing its samples into samples.parquet (and, in a batch, into
    /// the scenario's own sub-folder) as they are drawn.
    pub(super) fn run_saving_parquet(
        &self,
        out: &mut OutputDir,
        progress: &dyn Progress,
    ) -> Result<RunReport, Error> {
        let batch = self.scenarios.len() > 1;
        let mut top = Staged::create(out, None, &self.scenarios)?;
        let mut own: Option<(String, Staged)> = None;
        let mut failed: Option<ExportError> = None;
        let mut on_block = |scenario: &Scenario, first: u64, block: &_| {
            let written = write_block(&mut top, &mut own, out, batch, (scenario, first, block));
            written.map_err(|error| {
                let stop = io::Error::other(error.to_string());
                failed = Some(error);
                stop
            })
        };
        let result = self.run_with(progress, &mut |_, _| Ok(()), Some(&mut on_block));
        if let Some(error) = failed {
            return Err(error.into());
        }
        let report = result?;
        if let Some((_, staged)) = own {
            staged.finish()?;
        }
        top.finish()?;
        Ok(report)
    }

    /// Stages samples.parquet (and, in a batch, each scenario's own) from the scenarios' kept
    /// columns `samples`, in run order.
    pub(super) fn stage_parquet(
        &self,
        out: &mut OutputDir,
        samples: &[(&str, &Simulation)],
    ) -> Result<(), Error> {
        let batch = self.scenarios.len() > 1;
        let mut top = Staged::create(out, None, &self.scenarios)?;
        let mut own: Option<(String, Staged)> = None;
        for (scenario, (_, simulation)) in self.scenarios.iter().zip(samples) {
            write_block(&mut top, &mut own, out, batch, (scenario, 0, simulation))?;
        }
        if let Some((_, staged)) = own {
            staged.finish()?;
        }
        Ok(top.finish()?)
    }
}

/// Appends `block` (samples `first ..` of `scenario`) to samples.parquet and, in a batch, to
/// the scenario's own file, which it starts when the scenario's first block comes.
fn write_block(
    top: &mut Staged,
    own: &mut Option<(String, Staged)>,
    out: &mut OutputDir,
    batch: bool,
    (scenario, first, block): (&Scenario, u64, &Simulation),
) -> Result<(), ExportError> {
    let name = scenario.name();
    top.writer
        .append(name, first, block)
        .map_err(|e| top.error(e))?;
    if !batch {
        return Ok(());
    }
    if own.as_ref().is_none_or(|(current, _)| current != name) {
        if let Some((_, finished)) = own.take() {
            finished.finish()?;
        }
        let staged = Staged::create(out, Some(name), std::slice::from_ref(scenario))?;
        *own = Some((name.to_string(), staged));
    }
    let (_, staged) = own.as_mut().expect("started above");
    staged
        .writer
        .append(name, first, block)
        .map_err(|e| staged.error(e))
}
