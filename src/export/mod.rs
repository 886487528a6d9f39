//! Exporters: one file format each, behind [`Exporter`], written as one set by [`OutputDir`].

mod bands;
mod breakdown;
mod compare;
mod exceedance;
pub mod html;
mod human;
mod json;
mod markdown;
mod output;
pub mod partial;
mod samples;
mod samples_parquet;
mod sensitivity;
mod sensitivity_table;
mod summary;
mod sweep;
pub mod sweep_partial;
mod table;

pub use bands::BandsCsv;
pub use breakdown::{BreakdownCsv, BreakdownRow};
pub use compare::{render_compare, verdict, CompareCsv, CompareJson, CompareRow};
pub use exceedance::{ExceedanceCsv, ExceedanceRow};
pub use human::{human, human_interval};
pub use json::RunJson;
pub use markdown::render_markdown;
pub use output::{
    abandon_staged, check_output_path, is_folder_name, OutputDir, OutputError, StagedFile,
    FOLDERS_FILE, LOCK_FILE, STAGING_PREFIX,
};
pub use samples::SamplesCsv;
pub use samples_parquet::{column_name as parquet_column_name, SamplesParquet};
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
use std::path::Path;

/// A file written from a finished run (or, with `Report = SensitivityReport`, a finished
/// sensitivity analysis).
pub trait Exporter<Report: ?Sized = RunReport> {
    /// The file name inside the output folder, e.g. `summary.csv`.
    fn file_name(&self) -> &'static str;
    /// Whether this report gets the file (e.g. `exceedance.csv` only when asked for).
    fn applies(&self, _report: &Report) -> bool {
        true
    }
    /// Writes the report.
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// The exporters every run writes.
pub fn standard_exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(SummaryCsv),
        Box::new(BandsCsv),
        Box::new(BreakdownCsv),
        Box::new(RunJson),
        Box::new(ExceedanceCsv),
    ]
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

/// Every file name a job (run, sensitivity, compare, sweep) may write, from the exporters
/// themselves: the result files. Replacing results (`--force`) removes exactly these, and no
/// other file.
pub fn result_files() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = standard_exporters().iter().map(|e| e.file_name()).collect();
    names.extend(SamplesFormat::ALL.map(SamplesFormat::file_name));
    names.extend(sensitivity_exporters().iter().map(|e| e.file_name()));
    names.extend(compare_exporters().iter().map(|e| e.file_name()));
    names.extend(sweep_exporters().iter().map(|e| e.file_name()));
    names.push(html::PAGE_FILE);
    names.push(partial::PARTIAL_FILE);
    names.extend(result_folders());
    names
}

/// The result folders among [`result_files`]: folders of result files, each swapped in whole
/// (`plots`, the report's charts).
pub fn result_folders() -> [&'static str; 1] {
    [html::PLOTS_FOLDER]
}

/// The file `--save-samples` writes: samples.csv (the default) or samples.parquet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SamplesFormat {
    /// `samples.csv`, written from memory.
    #[default]
    Csv,
    /// `samples.parquet`, written in row groups as the samples are drawn (streaming too).
    Parquet,
}

impl SamplesFormat {
    /// Every format, in the order the help lists them.
    pub const ALL: [SamplesFormat; 2] = [SamplesFormat::Csv, SamplesFormat::Parquet];

    /// `csv` or `parquet`.
    pub fn name(self) -> &'static str {
        match self {
            SamplesFormat::Csv => "csv",
            SamplesFormat::Parquet => "parquet",
        }
    }

    /// The format called `name`.
    pub fn from_name(name: &str) -> Option<SamplesFormat> {
        SamplesFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The file it writes into the output folder (and each scenario's sub-folder).
    pub const fn file_name(self) -> &'static str {
        match self {
            SamplesFormat::Csv => SamplesCsv::FILE_NAME,
            SamplesFormat::Parquet => samples_parquet::FILE_NAME,
        }
    }
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

/// Formats a float for CSV: shortest round-trip representation, `NaN` for missing.
pub(crate) fn number(x: f64) -> String {
    format!("{x}")
}

/// Formats a percentile label: `5`, `97.5`.
pub(crate) fn percentile_label(p: f64) -> String {
    format!("{p}")
}
