//! A finished job's results, held in Rust and read from Python: its files (as tables or text),
//! its terminal table, its warnings, its samples as NumPy arrays over the engine's own
//! columns, and saving its result set into a folder exactly as the command line writes it.

use crate::{convert, errors, tables};
use costbands::engine::Simulation;
use costbands::export::html::{self, ScenarioFacts};
use costbands::export::{self, Exporter, OutputDir, SamplesFormat, TableOptions};
use costbands::model::Metric;
use costbands::report::compare::CompareReport;
use costbands::report::sweep::SweepReport;
use costbands::report::{RunReport, REJECTED_WARNING_SHARE};
use costbands::request::{Output, RunRequest};
use costbands::scenario::Scenario;
use costbands::sensitivity::SensitivityReport;
use numpy::ndarray::ArrayView1;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};

/// One scenario's samples: the engine's columns, owned here and lent to NumPy without a copy.
#[pyclass(frozen, module = "costbands._costbands")]
pub struct SampleColumns {
    scenario: String,
    simulation: Simulation,
    /// Metrics that are a constant or a fixed multiple of another in this scenario: the engine
    /// stores no column for them, so their values are computed once, here.
    derived: Vec<(Metric, Vec<f64>)>,
}

impl SampleColumns {
    /// Keeps `simulation`, the samples of `scenario`.
    pub fn new(scenario: &Scenario, simulation: Simulation) -> SampleColumns {
        let derived = simulation
            .metric_set
            .iter()
            .copied()
            .filter(|m| simulation.derived[m.index()].is_some())
            .map(|m| (m, simulation.metric(m).into_owned()))
            .collect();
        SampleColumns {
            scenario: scenario.name().to_string(),
            simulation,
            derived,
        }
    }

    fn metric(&self, metric: Metric) -> &[f64] {
        match self.derived.iter().find(|(m, _)| *m == metric) {
            Some((_, column)) => column,
            None => &self.simulation.metrics[metric.index()],
        }
    }
}

#[pymethods]
impl SampleColumns {
    /// The scenario's name.
    #[getter]
    fn scenario(&self) -> &str {
        &self.scenario
    }

    /// Every input column (in stream order), then every metric column, as read-only float64
    /// arrays whose memory is this object's (each array's `base`). A name that is both an
    /// input and a metric (`other_opex_usd_per_day`) is the metric's column: the same values
    /// but on rejected samples, where every metric is NaN.
    fn arrays<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        let this = slf.get();
        let arrays = PyDict::new(slf.py());
        for (input, column) in this.simulation.inputs.iter().flatten() {
            if Metric::from_name(input.name()).is_none() {
                arrays.set_item(input.name(), view(slf, column)?)?;
            }
        }
        for &metric in &this.simulation.metric_set {
            arrays.set_item(metric.name(), view(slf, this.metric(metric))?)?;
        }
        Ok(arrays)
    }
}

/// A read-only NumPy array over `column`, one of `owner`'s columns, with `owner` as its base.
fn view<'py>(
    owner: &Bound<'py, SampleColumns>,
    column: &[f64],
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let data = ArrayView1::from(column);
    // SAFETY: `column` belongs to `owner`, a frozen object whose columns are never changed,
    // moved or freed while it lives; the array holds `owner` as its base, so it outlives the
    // array. The array is made read-only below, so NumPy never writes into it either.
    let array = unsafe { PyArray1::borrow_from_array(&data, owner.clone().into_any()) };
    let flags = PyDict::new(owner.py());
    flags.set_item("write", false)?;
    array.call_method("setflags", (), Some(&flags))?;
    Ok(array)
}

/// A finished run.
#[pyclass(frozen, module = "costbands._costbands")]
pub struct RunResult {
    request: RunRequest,
    report: RunReport,
    samples: Vec<Py<SampleColumns>>,
    /// The percentiles the table shows (as `--percentiles` chooses them on the command line).
    show: Vec<f64>,
}

impl RunResult {
    /// The result of `request`; `samples` holds each scenario's columns when they were kept.
    pub fn new(
        py: Python<'_>,
        request: RunRequest,
        report: RunReport,
        samples: Vec<SampleColumns>,
        show: Vec<f64>,
    ) -> PyResult<RunResult> {
        let samples = samples
            .into_iter()
            .map(|s| Py::new(py, s))
            .collect::<PyResult<_>>()?;
        Ok(RunResult {
            request,
            report,
            samples,
            show,
        })
    }

    fn write(
        &self,
        dir: &Path,
        force: bool,
        report: bool,
        format: SamplesFormat,
    ) -> Result<Vec<PathBuf>, costbands::Error> {
        let samples: Vec<_> = self.samples.iter().map(|s| s.get()).collect();
        let samples: Vec<(&str, &_)> = samples
            .iter()
            .map(|s| (s.scenario.as_str(), &s.simulation))
            .collect();
        self.request
            .save_as(&output(dir, force, report), &self.report, &samples, format)
    }
}

#[pymethods]
impl RunResult {
    /// The result file `name` (`summary.csv`, `bands.csv`, `breakdown.csv`, `exceedance.csv`) as
    /// columns, or
    /// `None` when the run has no such file.
    fn table<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
        tables::exported(export::standard_exporters(), &self.report, name)?
            .map(|bytes| tables::columns(py, &bytes))
            .transpose()
    }

    /// `run.json`, as the command line writes it.
    fn manifest(&self) -> PyResult<String> {
        json(export::standard_exporters(), &self.report, "run.json")
    }

    /// The top drivers of each scenario as columns: scenario, metric, input, rho, ci_low,
    /// ci_high.
    fn drivers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let mut text: [Vec<&str>; 3] = Default::default();
        let mut numbers: [Vec<f64>; 3] = Default::default();
        for scenario in &self.report.scenarios {
            let top = &scenario.top_drivers;
            for driver in &top.drivers {
                text[0].push(&scenario.name);
                text[1].push(top.metric);
                text[2].push(driver.input);
                numbers[0].push(driver.rho);
                numbers[1].push(driver.ci_low);
                numbers[2].push(driver.ci_high);
            }
        }
        let table = PyDict::new(py);
        for (name, column) in ["scenario", "metric", "input"].into_iter().zip(text) {
            table.set_item(name, PyList::new(py, column)?)?;
        }
        for (name, column) in ["rho", "ci_low", "ci_high"].into_iter().zip(numbers) {
            table.set_item(name, PyArray1::from_vec(py, column))?;
        }
        Ok(table)
    }

    /// The terminal table, then the notes the command line prints below it.
    fn text(&self) -> String {
        let options = TableOptions {
            show: self.show.clone(),
        };
        let mut text = export::render_table(&self.report, &options);
        for scenario in self.request.scenarios() {
            if let Some(note) = scenario.path_note() {
                text.push_str(&format!("note: {}: {note}\n", scenario.origin()));
            }
        }
        text
    }

    /// What the command line prints as warnings: the scenarios' own, a large share of
    /// rejected samples, unmet precision targets.
    fn warnings(&self) -> Vec<String> {
        let mut warnings = convert::scenario_warnings(self.request.scenarios());
        for scenario in &self.report.scenarios {
            if scenario.rejected_share > REJECTED_WARNING_SHARE {
                if let Some(last) = scenario.warnings.last() {
                    warnings.push(format!("{}: {last}", scenario.name));
                }
            }
        }
        if let Err(error) = self.request.check_precision(&self.report) {
            warnings.push(errors::message(&error));
        }
        warnings
    }

    /// The names of the scenarios, in run order.
    fn scenarios(&self) -> Vec<String> {
        self.report
            .scenarios
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// Each scenario's samples, when they were kept.
    fn samples(&self, py: Python<'_>) -> Vec<Py<SampleColumns>> {
        self.samples.iter().map(|s| s.clone_ref(py)).collect()
    }

    /// Writes the result set into `folder` as `costbands run --out folder` does (the samples
    /// too when they were kept, as samples.csv or, with `samples_format="parquet"`,
    /// samples.parquet; report.html and plots/ unless `report` is false); returns the paths
    /// written.
    #[pyo3(signature = (folder, force=false, report=true, samples_format="csv"))]
    fn save(
        &self,
        py: Python<'_>,
        folder: PathBuf,
        force: bool,
        report: bool,
        samples_format: &str,
    ) -> PyResult<Vec<PathBuf>> {
        let format = SamplesFormat::from_name(samples_format).ok_or_else(|| {
            errors::scenario_error(format!(
                "samples_format=\"{samples_format}\": use \"csv\" or \"parquet\""
            ))
        })?;
        py.detach(|| self.write(&folder, force, report, format))
            .map_err(errors::saving)
    }
}

/// The report of a sensitivity analysis, a comparison or a sweep.
enum Report {
    Sensitivity(SensitivityReport),
    Compare(CompareReport),
    Sweep(SweepReport),
}

/// A finished sensitivity analysis, comparison or sweep.
#[pyclass(frozen, module = "costbands._costbands")]
pub struct JobResult {
    report: Report,
    /// What the report page says about each scenario beyond the results.
    facts: Vec<ScenarioFacts>,
    warnings: Vec<String>,
}

impl JobResult {
    /// A sensitivity analysis, its scenario's facts and its warnings.
    pub fn sensitivity(
        report: SensitivityReport,
        facts: Vec<ScenarioFacts>,
        warnings: Vec<String>,
    ) -> JobResult {
        JobResult {
            report: Report::Sensitivity(report),
            facts,
            warnings,
        }
    }

    /// A comparison, its scenarios' facts (the baseline first) and its warnings.
    pub fn compare(
        report: CompareReport,
        facts: Vec<ScenarioFacts>,
        warnings: Vec<String>,
    ) -> JobResult {
        JobResult {
            report: Report::Compare(report),
            facts,
            warnings,
        }
    }

    /// A sweep, its scenario's facts and its warnings.
    pub fn sweep(
        report: SweepReport,
        facts: Vec<ScenarioFacts>,
        warnings: Vec<String>,
    ) -> JobResult {
        JobResult {
            report: Report::Sweep(report),
            facts,
            warnings,
        }
    }

    fn file(&self, name: &str) -> PyResult<Option<Vec<u8>>> {
        match &self.report {
            Report::Sensitivity(r) => tables::exported(export::sensitivity_exporters(), r, name),
            Report::Compare(r) => tables::exported(export::compare_exporters(), r, name),
            Report::Sweep(r) => tables::exported(export::sweep_exporters(), r, name),
        }
    }

    fn write(
        &self,
        dir: &Path,
        force: bool,
        report: bool,
    ) -> Result<Vec<PathBuf>, costbands::Error> {
        let mut out = OutputDir::open(dir)?;
        output(dir, force, report).refuse_existing()?;
        match &self.report {
            Report::Sensitivity(r) => stage(&mut out, export::sensitivity_exporters(), r)?,
            Report::Compare(r) => stage(&mut out, export::compare_exporters(), r)?,
            Report::Sweep(r) => stage(&mut out, export::sweep_exporters(), r)?,
        }
        if report {
            html::stage_document(&mut out, &self.document()?)?;
        }
        Ok(out.commit()?)
    }

    /// The report page and its charts.
    fn document(&self) -> Result<html::Document, costbands::Error> {
        let first = self.facts.first().cloned().unwrap_or_default();
        let document = match &self.report {
            Report::Sensitivity(r) => html::sensitivity_document(r, &first, None),
            Report::Compare(r) => html::compare_document(r, &self.facts, None),
            Report::Sweep(r) => html::sweep_document(r, &first, None),
        };
        Ok(document?)
    }
}

#[pymethods]
impl JobResult {
    /// The result file `name` (a CSV file) as columns, or `None` when the job has no such file.
    fn table<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.file(name)?
            .map(|bytes| tables::columns(py, &bytes))
            .transpose()
    }

    /// The result file `name` (a JSON file) as text.
    fn manifest(&self, name: &str) -> PyResult<String> {
        let bytes = self.file(name)?.unwrap_or_default();
        String::from_utf8(bytes)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
    }

    /// The table the command line prints.
    fn text(&self) -> String {
        match &self.report {
            Report::Sensitivity(r) => export::render_sensitivity(r),
            Report::Compare(r) => export::render_compare(r),
            Report::Sweep(r) => export::render_sweep(r),
        }
    }

    /// What the command line prints as warnings.
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Writes the result set into `folder` as the command line's `--out folder` does; returns
    /// the paths written.
    #[pyo3(signature = (folder, force=false, report=true))]
    fn save(
        &self,
        py: Python<'_>,
        folder: PathBuf,
        force: bool,
        report: bool,
    ) -> PyResult<Vec<PathBuf>> {
        py.detach(|| self.write(&folder, force, report))
            .map_err(errors::saving)
    }
}

/// The output folder `dir`, replacing results there only when `force` is set, with
/// report.html and plots/ when `report` is set.
fn output(dir: &Path, force: bool, report: bool) -> Output {
    Output {
        dir: dir.to_path_buf(),
        force,
        report,
        command_line: None,
    }
}

/// Stages every file of `exporters` that applies to `report`.
fn stage<R>(
    out: &mut OutputDir,
    exporters: Vec<Box<dyn Exporter<R>>>,
    report: &R,
) -> Result<(), costbands::Error> {
    for exporter in exporters.into_iter().filter(|e| e.applies(report)) {
        out.stage(exporter.file_name(), |writer| {
            exporter.write(report, writer)
        })?;
    }
    Ok(())
}

/// The JSON file `name` of `exporters` for `report`, as text.
fn json<R>(exporters: Vec<Box<dyn Exporter<R>>>, report: &R, name: &str) -> PyResult<String> {
    let bytes = tables::exported(exporters, report, name)?.unwrap_or_default();
    String::from_utf8(bytes).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
}
