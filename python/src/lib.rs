//! The Python package's extension module, `costbands._costbands`: a thin layer over the
//! library's validated requests ([`costbands::request`]) and results. Python values become the
//! options a command line would give ([`convert`]), every job runs with the GIL released on the
//! request's own worker pool and stops on Ctrl-C ([`job`]), and results come back as the
//! library's own files: CSV tables parsed into NumPy columns ([`tables`]), JSON text, the
//! terminal table ([`results`]).
//!
//! The public Python API (`costbands.run`, `Run`, …) lives in `costbands/__init__.py`; this
//! module's functions take its keyword arguments as they are.

mod convert;
mod errors;
mod job;
mod lists;
mod results;
mod tables;

use costbands::request::{
    CompareOptions, CompareRequest, RunOptions, RunRequest, SensitivityOptions, SensitivityRequest,
    SweepOptions, SweepRequest,
};
use pyo3::prelude::*;
use pyo3::types::PyAny;
use results::{JobResult, RunResult, SampleColumns};

pyo3::create_exception!(
    costbands,
    ScenarioError,
    pyo3::exceptions::PyValueError,
    "A scenario or an option that cannot be used; the message names the file (or `<string>`, \
     `<dict>`), the field, what is wrong and how to fix it, as the command line prints it."
);
pyo3::create_exception!(
    costbands,
    OutputError,
    pyo3::exceptions::PyOSError,
    "Result files that cannot be written: the folder holds results (pass force=True), is in \
     use by another job, or the disk refused; nothing was half-written."
);

/// Runs scenarios; see `costbands.run`.
#[pyfunction]
#[pyo3(signature = (
    scenario, *, samples=None, seed=None, set=None, percentiles=None, confidence=None,
    sampler=None, replicates=None, exceed=None, precision=None, max_samples=None, threads=None,
    max_memory=None, keep_samples=false
))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    samples: Option<u64>,
    seed: Option<u64>,
    set: Option<&Bound<'_, PyAny>>,
    percentiles: Option<Vec<f64>>,
    confidence: Option<f64>,
    sampler: Option<String>,
    replicates: Option<u32>,
    exceed: Option<&Bound<'_, PyAny>>,
    precision: Option<&Bound<'_, PyAny>>,
    max_samples: Option<u64>,
    threads: Option<usize>,
    max_memory: Option<&Bound<'_, PyAny>>,
    keep_samples: bool,
) -> PyResult<RunResult> {
    let sources = convert::scenarios(scenario)?;
    let common = convert::common(
        &sources,
        convert::Shared {
            samples,
            seed,
            threads,
            set,
            confidence,
            max_memory,
        },
    )?;
    let options = RunOptions {
        common,
        scenarios: sources.names,
        percentiles: percentiles.clone(),
        exceed: convert::exceed(exceed)?,
        save_samples: keep_samples,
        sampler: sampler.as_deref().map(convert::sampler).transpose()?,
        replicates,
        precision: convert::strings(precision, "precision")?,
        max_samples,
        ..RunOptions::default()
    };
    let request = RunRequest::new(&options).map_err(errors::to_py)?;
    let mut kept = Vec::new();
    let report = job::detached(py, |progress| {
        request.run(progress, &mut |scenario, simulation| {
            if keep_samples {
                kept.push(SampleColumns::new(scenario, simulation));
            }
            Ok(())
        })
    })?
    .map_err(errors::to_py)?;
    RunResult::new(py, request, report, kept, percentiles.unwrap_or_default())
}

/// What drives a metric; see `costbands.sensitivity`.
#[pyfunction]
#[pyo3(signature = (
    scenario, *, methods=None, metrics=None, resamples=None, samples=None, seed=None, set=None,
    confidence=None, threads=None, max_memory=None
))]
#[allow(clippy::too_many_arguments)]
fn sensitivity(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    methods: Option<&Bound<'_, PyAny>>,
    metrics: Option<&Bound<'_, PyAny>>,
    resamples: Option<usize>,
    samples: Option<u64>,
    seed: Option<u64>,
    set: Option<&Bound<'_, PyAny>>,
    confidence: Option<f64>,
    threads: Option<usize>,
    max_memory: Option<&Bound<'_, PyAny>>,
) -> PyResult<JobResult> {
    let sources = convert::scenario(scenario)?;
    let common = convert::common(
        &sources,
        convert::Shared {
            samples,
            seed,
            threads,
            set,
            confidence,
            max_memory,
        },
    )?;
    // Options added to the library later keep their defaults.
    #[allow(clippy::needless_update)]
    let options = SensitivityOptions {
        common,
        scenario: sources.names.into_iter().next(),
        methods: convert::sensitivity_methods(methods)?,
        metrics: convert::strings(metrics, "metrics")?,
        resamples,
        ..SensitivityOptions::default()
    };
    let request = SensitivityRequest::new(&options).map_err(errors::to_py)?;
    let mut warnings = convert::scenario_warnings(std::slice::from_ref(request.scenario()));
    let report = job::detached(py, |_| request.run())?.map_err(errors::to_py)?;
    let origin = request.scenario().origin();
    warnings.extend(report.warnings.iter().map(|w| format!("{origin}: {w}")));
    Ok(JobResult::sensitivity(
        report,
        vec![request.facts()],
        warnings,
    ))
}

/// A paired comparison; see `costbands.compare`.
#[pyfunction]
#[pyo3(signature = (
    baseline, others, *, couple=None, independent=false, percentiles=None, samples=None,
    seed=None, set=None, confidence=None, threads=None, max_memory=None
))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    baseline: &Bound<'_, PyAny>,
    others: &Bound<'_, PyAny>,
    couple: Option<&Bound<'_, PyAny>>,
    independent: bool,
    percentiles: Option<Vec<f64>>,
    samples: Option<u64>,
    seed: Option<u64>,
    set: Option<&Bound<'_, PyAny>>,
    confidence: Option<f64>,
    threads: Option<usize>,
    max_memory: Option<&Bound<'_, PyAny>>,
) -> PyResult<JobResult> {
    let sources = convert::compared(baseline, others)?;
    let common = convert::common(
        &sources,
        convert::Shared {
            samples,
            seed,
            threads,
            set,
            confidence,
            max_memory,
        },
    )?;
    let mut names = sources.names.into_iter();
    #[allow(clippy::needless_update)]
    let options = CompareOptions {
        common,
        baseline: names.next().unwrap_or_default(),
        others: names.collect(),
        couple: convert::strings(couple, "couple")?,
        percentiles,
        independent,
        ..CompareOptions::default()
    };
    let request = CompareRequest::new(&options).map_err(errors::to_py)?;
    let mut scenarios = Vec::new();
    for (baseline, other, _) in request.pairs() {
        if scenarios.is_empty() {
            scenarios.push(baseline.clone());
        }
        scenarios.push(other.clone());
    }
    let warnings = convert::scenario_warnings(&scenarios);
    let report = job::detached(py, |progress| request.run(progress))?.map_err(errors::to_py)?;
    Ok(JobResult::compare(report, request.facts(), warnings))
}

/// A scenario at many values of its inputs; see `costbands.sweep`.
#[pyfunction]
#[pyo3(signature = (
    scenario, vary, *, percentiles=None, sampler=None, replicates=None, samples=None, seed=None,
    set=None, confidence=None, threads=None, max_memory=None
))]
#[allow(clippy::too_many_arguments)]
fn sweep(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    vary: &Bound<'_, PyAny>,
    percentiles: Option<Vec<f64>>,
    sampler: Option<String>,
    replicates: Option<u32>,
    samples: Option<u64>,
    seed: Option<u64>,
    set: Option<&Bound<'_, PyAny>>,
    confidence: Option<f64>,
    threads: Option<usize>,
    max_memory: Option<&Bound<'_, PyAny>>,
) -> PyResult<JobResult> {
    let sources = convert::scenario(scenario)?;
    let common = convert::common(
        &sources,
        convert::Shared {
            samples,
            seed,
            threads,
            set,
            confidence,
            max_memory,
        },
    )?;
    #[allow(clippy::needless_update)]
    let options = SweepOptions {
        common,
        scenario: sources.names.into_iter().next(),
        vary: convert::vary(vary)?,
        percentiles,
        sampler: sampler.as_deref().map(convert::sampler).transpose()?,
        replicates,
        ..SweepOptions::default()
    };
    let request = SweepRequest::new(&options).map_err(errors::to_py)?;
    let warnings = convert::scenario_warnings(std::slice::from_ref(request.scenario()));
    let report = job::detached(py, |progress| request.run(progress))?.map_err(errors::to_py)?;
    Ok(JobResult::sweep(report, vec![request.facts()], warnings))
}

/// The extension module.
#[pymodule]
fn _costbands(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("OutputError", py.get_type::<OutputError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(lists::presets, m)?)?;
    m.add_function(wrap_pyfunction!(lists::inputs, m)?)?;
    m.add_function(wrap_pyfunction!(lists::metrics, m)?)?;
    m.add_function(wrap_pyfunction!(lists::explain, m)?)?;
    m.add_function(wrap_pyfunction!(lists::check, m)?)?;
    m.add_class::<RunResult>()?;
    m.add_class::<JobResult>()?;
    m.add_class::<SampleColumns>()?;
    Ok(())
}
