//! The files of a run's result set: the standard files of the whole run and, in a batch, of
//! each scenario in its own sub-folder; samples.csv per scenario.

use super::Error;
use crate::engine::Simulation;
use crate::export::{self, OutputDir, SamplesCsv};
use crate::model::Input;
use crate::report::RunReport;
use crate::scenario::Scenario;

/// Stages the standard result files of `report`, in the sub-folder `folder` when given.
pub(super) fn stage_report(
    out: &mut OutputDir,
    folder: Option<&str>,
    report: &RunReport,
) -> Result<(), Error> {
    for exporter in export::standard_exporters()
        .into_iter()
        .filter(|e| e.applies(report))
    {
        let write = |writer: &mut dyn std::io::Write| exporter.write(report, writer);
        match folder {
            Some(folder) => out.stage_in(folder, exporter.file_name(), write)?,
            None => out.stage(exporter.file_name(), write)?,
        }
    }
    Ok(())
}

/// Stages `scenario`'s own samples.csv in its sub-folder: the columns of its own inputs, as
/// a run of it alone writes them.
pub(super) fn stage_samples(
    out: &mut OutputDir,
    scenario: &Scenario,
    simulation: &Simulation,
) -> Result<(), export::ExportError> {
    let mut file = out.create(Some(scenario.name()), SamplesCsv::FILE_NAME)?;
    let columns = input_columns(std::slice::from_ref(scenario));
    let written = SamplesCsv::new(&mut file, columns).and_then(|mut csv| {
        csv.append(scenario.name(), simulation)?;
        csv.finish()
    });
    match written {
        Ok(()) => file.finish(),
        Err(error) => Err(file.error(error)),
    }
}

/// Every input `scenarios` read, in stream order: the input columns of samples.csv.
pub(super) fn input_columns(scenarios: &[Scenario]) -> Vec<Input> {
    let mut columns: Vec<Input> = scenarios
        .iter()
        .flat_map(|s| s.inputs().iter().map(|r| r.input))
        .collect();
    columns.sort_unstable();
    columns.dedup();
    columns
}
