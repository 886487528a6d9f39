//! What the command line's `list`, `explain` and `check` show, as Python values.

use crate::{convert, errors};
use costbands::model::{Input, InputDefault, Metric, Row};
use costbands::request::{RunOptions, RunRequest};
use costbands::scenario::{Scenario, PRESETS};
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict, PyList};

/// Every preset: columns name and description.
#[pyfunction]
pub fn presets(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let description = |text: &str| {
        toml::from_str::<toml::Table>(text)
            .ok()
            .and_then(|t| t.get("description")?.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    columns(
        py,
        &[
            ("name", PRESETS.iter().map(|p| p.name.to_string()).collect()),
            (
                "description",
                PRESETS.iter().map(|p| description(p.text)).collect(),
            ),
        ],
    )
}

/// Every model input: columns name, unit, meaning, domain and default.
#[pyfunction]
pub fn inputs(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let infos: Vec<_> = Input::ALL.iter().map(|i| i.info()).collect();
    let default = |d: &InputDefault| match d {
        InputDefault::Required => "needed by its path".to_string(),
        InputDefault::Value(value) => format!("{value}"),
        InputDefault::SameAs(other) => format!("same as {}", other.name()),
        InputDefault::Derived(how) => format!("absent: {how}"),
    };
    columns(
        py,
        &[
            ("name", infos.iter().map(|i| i.name.to_string()).collect()),
            ("unit", infos.iter().map(|i| i.unit.to_string()).collect()),
            (
                "meaning",
                infos.iter().map(|i| i.meaning.to_string()).collect(),
            ),
            (
                "domain",
                infos
                    .iter()
                    .map(|i| i.domain.describe().to_string())
                    .collect(),
            ),
            (
                "default",
                infos.iter().map(|i| default(&i.default)).collect(),
            ),
        ],
    )
}

/// Every metric: columns name, unit and meaning.
#[pyfunction]
pub fn metrics(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let all = Metric::ALL;
    columns(
        py,
        &[
            ("name", all.iter().map(|m| m.name().to_string()).collect()),
            ("unit", all.iter().map(|m| m.unit().to_string()).collect()),
            (
                "meaning",
                all.iter().map(|m| m.meaning().to_string()).collect(),
            ),
        ],
    )
}

/// The model's arithmetic with every input at its median, as `costbands explain` shows it:
/// one dict per input (section `inputs`), then one per step of the model (section, label,
/// value, formula, metrics); and the notes the command line prints below it.
#[pyfunction]
#[pyo3(signature = (scenario=None, *, set=None))]
pub fn explain<'py>(
    py: Python<'py>,
    scenario: Option<&Bound<'py, PyAny>>,
    set: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyList>, Vec<String>)> {
    let scenario = load(scenario, set)?;
    let model = scenario.model();
    let steps = PyList::empty(py);
    let mut row: Row = [f64::NAN; costbands::model::ROW_LEN];
    for resolved in scenario.inputs() {
        let median = resolved.dist.median();
        row[resolved.input.index()] = median;
        let origin = format!("{:?}", resolved.origin).to_lowercase();
        let info = resolved.input.info();
        steps.append(step(
            py,
            "inputs",
            info.name,
            median,
            &format!(
                "median of {} ({}, {origin})",
                resolved.dist.describe(),
                info.unit
            ),
            &[],
        )?)?;
    }
    let explanation = model.explain(&row);
    for s in &explanation.steps {
        let section = serde_json::to_value(s.section)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let metrics: Vec<&str> = s.metrics.iter().map(|m| m.name()).collect();
        steps.append(step(py, &section, s.label, s.value, &s.formula, &metrics)?)?;
    }
    let mut notes = Vec::new();
    match explanation.status {
        costbands::model::Feasibility::Feasible => {}
        costbands::model::Feasibility::Clamped => notes.push(format!(
            "{}: at the medians the sample is infeasible and was clamped into range \
             (on_infeasible = \"clamp\")",
            scenario.origin()
        )),
        costbands::model::Feasibility::Rejected => notes.push(format!(
            "{}: at the medians the sample is INFEASIBLE and a run would reject it (every \
             metric NaN); the steps show why",
            scenario.origin()
        )),
    }
    Ok((steps, notes))
}

fn step<'py>(
    py: Python<'py>,
    section: &str,
    label: &str,
    value: f64,
    formula: &str,
    metrics: &[&str],
) -> PyResult<Bound<'py, PyDict>> {
    let step = PyDict::new(py);
    step.set_item("section", section)?;
    step.set_item("label", label)?;
    step.set_item("value", value)?;
    step.set_item("formula", formula)?;
    step.set_item("metrics", PyList::new(py, metrics)?)?;
    Ok(step)
}

/// One scenario, loaded and validated as `explain` loads it (no run settings).
fn load(scenario: Option<&Bound<'_, PyAny>>, set: Option<&Bound<'_, PyAny>>) -> PyResult<Scenario> {
    let sources = convert::scenario(scenario)?;
    let options = convert::common(
        &sources,
        convert::Shared {
            samples: None,
            seed: None,
            threads: None,
            set,
            confidence: None,
            max_memory: None,
        },
    )?;
    let overrides = options
        .set
        .iter()
        .map(|item| costbands::scenario::Override::parse(item))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| errors::to_py(e.into()))?;
    let loaded = match (sources.texts.first(), sources.names.first()) {
        (Some(t), _) => Scenario::from_toml(&t.text, &t.origin, &t.stem, &overrides),
        (None, Some(name)) => Scenario::load(name, &overrides),
        (None, None) => Scenario::default_scenario(&overrides),
    };
    loaded.map_err(|e| errors::to_py(e.into()))
}

/// Validates scenarios as a run of them would (their `[sampling]` settings too), without
/// running them: one dict per scenario (name, path, inputs, uncertain, warnings).
#[pyfunction]
#[pyo3(signature = (scenario, *, set=None))]
pub fn check<'py>(
    py: Python<'py>,
    scenario: &Bound<'py, PyAny>,
    set: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let sources = convert::scenarios(Some(scenario))?;
    let common = convert::common(
        &sources,
        convert::Shared {
            samples: None,
            seed: None,
            threads: None,
            set,
            confidence: None,
            max_memory: None,
        },
    )?;
    let options = RunOptions {
        common,
        scenarios: sources.names,
        ..RunOptions::default()
    };
    let request = RunRequest::new(&options).map_err(errors::to_py)?;
    let checked = PyList::empty(py);
    for scenario in request.scenarios() {
        let entry = PyDict::new(py);
        entry.set_item("scenario", scenario.origin())?;
        entry.set_item("name", scenario.name())?;
        entry.set_item("path", scenario.path().name())?;
        entry.set_item("inputs", scenario.inputs().len())?;
        entry.set_item("uncertain", scenario.uncertain_inputs().count())?;
        entry.set_item("warnings", scenario.warnings().to_vec())?;
        checked.append(entry)?;
    }
    Ok(checked)
}

/// A dict of text columns.
fn columns<'py>(py: Python<'py>, columns: &[(&str, Vec<String>)]) -> PyResult<Bound<'py, PyDict>> {
    let table = PyDict::new(py);
    for (name, values) in columns {
        table.set_item(*name, PyList::new(py, values)?)?;
    }
    Ok(table)
}
