//! The files of a run's result set: the standard files of the whole run and, in a batch, of
//! each scenario in its own sub-folder; samples.csv per scenario.

use super::{Error, Output};
use crate::engine::Simulation;
use crate::export::html::ScenarioFacts;
use crate::export::{self, OutputDir, SamplesCsv};
use crate::model::{Input, Metric};
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

/// Stages the standard files of `report` (a run of `scenarios`), its `report.html` and
/// `plots/` (unless `output` leaves them out) and, in a batch, each scenario's own files in
/// its sub-folder.
pub(super) fn stage_run_set(
    output: &Output,
    out: &mut OutputDir,
    report: &RunReport,
    scenarios: &[Scenario],
) -> Result<(), Error> {
    stage_report(out, None, report)?;
    let facts: Vec<ScenarioFacts> = scenarios.iter().map(ScenarioFacts::of).collect();
    output.stage_report(out, |line| export::html::run_document(report, &facts, line))?;
    if scenarios.len() > 1 {
        for index in 0..report.scenarios.len() {
            let own = report.for_scenario(index);
            stage_report(out, Some(&own.scenarios[0].name), &own)?;
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
    let scenarios = std::slice::from_ref(scenario);
    let columns = (input_columns(scenarios), metric_columns(scenarios));
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
    let all = || {
        scenarios
            .iter()
            .flat_map(|s| s.inputs().iter().map(|r| r.input))
    };
    let mut columns: Vec<Input> = all().filter(|i| i.cost_item().is_none()).collect();
    columns.sort_unstable();
    columns.dedup();
    for item in all().filter(|i| i.cost_item().is_some()) {
        if !columns.iter().any(|c| c.name() == item.name()) {
            columns.push(item);
        }
    }
    columns
}

/// The metric columns of a samples file of `scenarios`: every built-in metric, then each line
/// item's, by name, in the order the scenarios first list them.
pub(super) fn metric_columns(scenarios: &[Scenario]) -> Vec<Metric> {
    let mut columns: Vec<Metric> = Metric::ALL.to_vec();
    for metric in scenarios.iter().flat_map(|s| s.metrics().iter().copied()) {
        if !columns.iter().any(|c| c.name() == metric.name()) {
            columns.push(metric);
        }
    }
    columns
}
