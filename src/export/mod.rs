//! Exporters: one file format each, behind [`Exporter`], written atomically by [`OutputDir`].

mod bands;
mod compare;
mod human;
mod json;
mod samples;
mod sensitivity;
mod sensitivity_table;
mod summary;
mod sweep;
mod table;

pub use bands::BandsCsv;
pub use compare::{render_compare, verdict, CompareCsv, CompareJson, CompareRow};
pub use human::human;
pub use json::RunJson;
pub use samples::SamplesCsv;
pub use sensitivity::{SensitivityCsv, SensitivityJson, SensitivityRow, SENSITIVITY_HEADER};
pub use sensitivity_table::render_sensitivity;
pub use summary::SummaryCsv;
pub use sweep::{render_sweep, SweepCsv, SweepJson, SweepSummaryCsv};
pub use table::{render_table, TableOptions};

use crate::report::compare::CompareReport;
use crate::report::sweep::SweepReport;
use crate::report::RunReport;
use crate::sensitivity::SensitivityReport;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// A file written from a finished run (or, with `Report = SensitivityReport`, a finished
/// sensitivity analysis).
pub trait Exporter<Report: ?Sized = RunReport> {
    /// The file name inside the output folder, e.g. `summary.csv`.
    fn file_name(&self) -> &'static str;
    /// Writes the report.
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// The exporters every run writes.
pub fn standard_exporters() -> Vec<Box<dyn Exporter>> {
    vec![Box::new(SummaryCsv), Box::new(BandsCsv), Box::new(RunJson)]
}

/// The exporters every sensitivity analysis writes.
pub fn sensitivity_exporters() -> Vec<Box<dyn Exporter<SensitivityReport>>> {
    vec![Box::new(SensitivityCsv), Box::new(SensitivityJson)]
}

/// The exporters every comparison writes.
pub fn compare_exporters() -> Vec<Box<dyn Exporter<CompareReport>>> {
    vec![Box::new(CompareCsv), Box::new(CompareJson)]
}

/// The exporters every sweep writes.
pub fn sweep_exporters() -> Vec<Box<dyn Exporter<SweepReport>>> {
    vec![
        Box::new(SweepCsv),
        Box::new(SweepSummaryCsv),
        Box::new(SweepJson),
    ]
}

/// Every file name a job (run, sensitivity, compare, sweep) may write, from the exporters themselves
/// (used to refuse overwriting without `--force`).
pub fn result_files() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = standard_exporters().iter().map(|e| e.file_name()).collect();
    names.push(SamplesCsv::FILE_NAME);
    names.extend(sensitivity_exporters().iter().map(|e| e.file_name()));
    names.extend(compare_exporters().iter().map(|e| e.file_name()));
    names.extend(sweep_exporters().iter().map(|e| e.file_name()));
    names
}

/// An output folder whose files are staged as temporary files and renamed into place only
/// when every one was written: a failed run leaves the folder as it was.
pub struct OutputDir {
    dir: PathBuf,
    staged: Vec<(NamedTempFile, &'static str)>,
}

/// An I/O error with the path it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct ExportError {
    /// The file or folder.
    pub path: String,
    /// What the operating system said.
    #[source]
    pub source: io::Error,
}

fn at(path: &Path, source: io::Error) -> ExportError {
    ExportError {
        path: path.display().to_string(),
        source,
    }
}

impl OutputDir {
    /// Existing result files in `dir` that a run would replace.
    pub fn existing_results(dir: &Path) -> Vec<PathBuf> {
        result_files()
            .into_iter()
            .map(|name| dir.join(name))
            .filter(|path| path.exists())
            .collect()
    }

    /// Creates `dir` (and parents) and stages files in it.
    pub fn create(dir: &Path) -> Result<OutputDir, ExportError> {
        std::fs::create_dir_all(dir).map_err(|e| at(dir, e))?;
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
        })
    }

    /// Stages `name`, written by `write` into a temporary file in the folder.
    pub fn stage(
        &mut self,
        name: &'static str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), ExportError> {
        let target = self.dir.join(name);
        let mut file = NamedTempFile::new_in(&self.dir).map_err(|e| at(&target, e))?;
        {
            let mut buffered = io::BufWriter::new(file.as_file_mut());
            write(&mut buffered).map_err(|e| at(&target, e))?;
            buffered.flush().map_err(|e| at(&target, e))?;
        }
        self.staged.push((file, name));
        Ok(())
    }

    /// Renames every staged file into place; returns their paths.
    pub fn commit(self) -> Result<Vec<PathBuf>, ExportError> {
        let mut written = Vec::new();
        for (file, name) in self.staged {
            let target = self.dir.join(name);
            file.persist(&target).map_err(|e| at(&target, e.error))?;
            written.push(target);
        }
        Ok(written)
    }
}

/// Formats a float for CSV: shortest round-trip representation, `NaN` for missing, `-inf` and
/// `inf` for an open interval end.
pub(crate) fn number(x: f64) -> String {
    format!("{x}")
}

/// Formats a percentile label: `5`, `97.5`.
pub(crate) fn percentile_label(p: f64) -> String {
    format!("{p}")
}
