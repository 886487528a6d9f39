//! Python values into the library's options, written as the command line would write them
//! (`--set NAME=VALUE`, `--exceed METRIC=VALUE`, `--vary NAME=VALUES`), so that the library
//! validates them and words its messages exactly as for the command line.
//!
//! A scenario is a preset name, a path, a TOML string or a dict in the file's shape; strings
//! and dicts become [`ScenarioText`]s named `<string>` or `<dict>` (`<dict #2>` for the second
//! of a list), the name every message gives them in place of a file path.

use crate::errors::scenario_error;
use costbands::request::{CommonOptions, ScenarioText};
use costbands::scenario::Scenario;
use costbands::settings::Method;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBool, PyDict, PyInt, PyList, PyString, PyTuple};
use std::path::Path;

/// The scenarios of a job: names (files, presets, or the origin of a text) in order, and the
/// texts those names refer to.
#[derive(Debug, Default)]
pub struct Sources {
    /// What the job's options name, in order.
    pub names: Vec<String>,
    /// Scenarios given as TOML strings or dicts.
    pub texts: Vec<ScenarioText>,
}

impl Sources {
    fn push(&mut self, item: &Bound<'_, PyAny>, position: Option<usize>) -> PyResult<()> {
        let label = |kind: &str| match position {
            Some(i) => (
                format!("<{kind} #{}>", i + 1),
                format!("scenario-{}", i + 1),
            ),
            None => (format!("<{kind}>"), "scenario".to_string()),
        };
        if let Ok(text) = item.cast::<PyString>() {
            let text = text.to_cow()?;
            let text = text.as_ref();
            // TOML has a line break or a `key = value`; a file name may hold `=` but ends in
            // `.toml`, and an existing file is always a file.
            let looks_like_toml =
                text.contains('\n') || (text.contains('=') && !text.ends_with(".toml"));
            let is_toml = looks_like_toml && !Path::new(text).exists();
            if !is_toml {
                self.names.push(text.to_string());
                return Ok(());
            }
            let (origin, stem) = label("string");
            self.add_text(origin, stem, text.to_string());
        } else if let Ok(table) = item.cast::<PyDict>() {
            let (origin, stem) = label("dict");
            let text = dict_to_toml(table, &origin)?;
            self.add_text(origin, stem, text);
        } else if item.hasattr("__fspath__")? {
            let path = item.py().import("os")?.call_method1("fspath", (item,))?;
            let path: String = path.extract().map_err(|_| {
                PyTypeError::new_err("scenario: a path must be text (str), not bytes")
            })?;
            self.names.push(path);
        } else {
            return Err(PyTypeError::new_err(format!(
                "scenario: expected a preset name, a path, a TOML string or a dict (or a list of \
                 them), not {}",
                type_name(item)
            )));
        }
        Ok(())
    }

    fn add_text(&mut self, origin: String, stem: String, text: String) {
        self.names.push(origin.clone());
        self.texts.push(ScenarioText { origin, stem, text });
    }
}

/// The scenarios of a run: `None` (the default preset), one scenario, or a list of them.
pub fn scenarios(value: Option<&Bound<'_, PyAny>>) -> PyResult<Sources> {
    let mut sources = Sources::default();
    let Some(value) = value else {
        return Ok(sources);
    };
    if is_single(value) {
        sources.push(value, None)?;
        return Ok(sources);
    }
    let items = value
        .try_iter()
        .and_then(|items| items.collect::<PyResult<Vec<_>>>());
    let items = items.map_err(|_| {
        PyTypeError::new_err(format!(
            "scenario: expected a preset name, a path, a TOML string or a dict (or a list of \
             them), not {}",
            type_name(value)
        ))
    })?;
    for (i, item) in items.iter().enumerate() {
        sources.push(item, Some(i))?;
    }
    Ok(sources)
}

/// One scenario (sensitivity, sweep, explain): `None` is the default preset.
pub fn scenario(value: Option<&Bound<'_, PyAny>>) -> PyResult<Sources> {
    let mut sources = Sources::default();
    match value {
        None => {}
        Some(value) if is_single(value) => sources.push(value, None)?,
        Some(value) => {
            return Err(PyTypeError::new_err(format!(
                "scenario: this job takes one scenario (a preset name, a path, a TOML string or \
                 a dict), not {}",
                type_name(value)
            )))
        }
    }
    Ok(sources)
}

/// The scenarios of a comparison: the baseline, then the others (one or a list).
pub fn compared(baseline: &Bound<'_, PyAny>, others: &Bound<'_, PyAny>) -> PyResult<Sources> {
    let mut sources = Sources::default();
    sources.push(baseline, Some(0))?;
    if is_single(others) {
        sources.push(others, Some(1))?;
    } else {
        for (i, item) in list_of(others, "others")?.iter().enumerate() {
            sources.push(item, Some(i + 1))?;
        }
    }
    Ok(sources)
}

/// Whether `value` is one scenario rather than a list of them.
fn is_single(value: &Bound<'_, PyAny>) -> bool {
    value.is_instance_of::<PyString>()
        || value.is_instance_of::<PyDict>()
        || value.hasattr("__fspath__").unwrap_or(false)
}

/// The items of a list, tuple or other iterable (a pandas Series, a NumPy array).
fn list_of<'py>(value: &Bound<'py, PyAny>, what: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let iter = value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what}: expected one value or a list of them, not {}",
            type_name(value)
        ))
    })?;
    iter.collect()
}

/// The options every job shares, as Python gave them.
pub struct Shared<'a, 'py> {
    pub samples: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub set: Option<&'a Bound<'py, PyAny>>,
    pub confidence: Option<f64>,
    pub max_memory: Option<&'a Bound<'py, PyAny>>,
}

/// The library's shared options: the scenarios' texts, `set` in `--set` syntax, the memory
/// limit in bytes.
pub fn common(sources: &Sources, shared: Shared<'_, '_>) -> PyResult<CommonOptions> {
    Ok(CommonOptions {
        samples: shared.samples,
        seed: shared.seed,
        threads: shared.threads,
        set: assignments(shared.set, "set")?,
        confidence: shared.confidence,
        max_memory: shared.max_memory.map(max_memory).transpose()?,
        texts: sources.texts.clone(),
        ..CommonOptions::default()
    })
}

/// `--max-memory`: a number of bytes, or a size such as `"4G"`.
fn max_memory(value: &Bound<'_, PyAny>) -> PyResult<u64> {
    if let Ok(bytes) = value.extract::<u64>() {
        return Ok(bytes);
    }
    let text: String = value.extract().map_err(|_| {
        PyTypeError::new_err("max_memory: expected a number of bytes or a size such as \"4G\"")
    })?;
    costbands::settings::parse_bytes(&text)
        .map_err(|problem| scenario_error(format!("max_memory {text:?}: {problem}")))
}

/// `--sampler`.
pub fn sampler(text: &str) -> PyResult<Method> {
    Method::parse(text).ok_or_else(|| {
        scenario_error(format!(
            "sampler: unknown sampler \"{text}\"; use mc, lhs or sobol"
        ))
    })
}

/// Sensitivity methods by name; all four when `None`.
pub fn sensitivity_methods(
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<costbands::sensitivity::Method>> {
    use costbands::sensitivity::Method;
    strings(value, "methods")?
        .iter()
        .map(|name| {
            Method::ALL
                .into_iter()
                .find(|m| m.name() == name.trim())
                .ok_or_else(|| {
                    scenario_error(format!(
                        "methods: unknown method \"{name}\"; use spearman, tornado, sobol or width"
                    ))
                })
        })
        .collect()
}

/// A string or a list of strings (`None`: none).
pub fn strings(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<String>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(vec![text.to_cow()?.into_owned()]);
    }
    list_of(value, what)?
        .iter()
        .map(|item| {
            item.extract::<String>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{what}: expected text (str), not {}",
                    type_name(item)
                ))
            })
        })
        .collect()
}

/// `NAME=VALUE` items from a dict (values as in a scenario file: a number, a string such as
/// `"1 to 3"`, a dict for a distribution) or from strings already in that form.
fn assignments(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<String>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Ok(table) = value.cast::<PyDict>() else {
        return strings(Some(value), what);
    };
    let mut items = Vec::new();
    for (name, item) in table.iter() {
        let name = key(&name, what)?;
        items.push(format!(
            "{name}={}",
            value_text(&item, &format!("{what}[{name:?}]"))?
        ));
    }
    Ok(items)
}

/// `--exceed METRIC=VALUE` items: a dict of metric to threshold (or a list of thresholds), or
/// strings in that form.
pub fn exceed(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Ok(table) = value.cast::<PyDict>() else {
        return strings(Some(value), "exceed");
    };
    let mut items = Vec::new();
    for (metric, thresholds) in table.iter() {
        let metric = key(&metric, "exceed")?;
        let values = if is_scalar(&thresholds) {
            vec![thresholds]
        } else {
            list_of(&thresholds, "exceed")?
        };
        for threshold in values {
            let text = value_text(&threshold, &format!("exceed[{metric:?}]"))?;
            items.push(format!("{metric}={text}"));
        }
    }
    Ok(items)
}

/// `--vary NAME=VALUES` items from a dict of input to values: a list of values, a range string
/// (`"0.3..0.7:5"`, `"1e6..1e9:4:log"`), a comma-separated string, or one distribution (a
/// dict); or strings already in `NAME=VALUES` form.
pub fn vary(value: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let Ok(table) = value.cast::<PyDict>() else {
        return strings(Some(value), "vary");
    };
    let mut items = Vec::new();
    for (name, values) in table.iter() {
        let name = key(&name, "vary")?;
        let place = format!("vary[{name:?}]");
        let text = if is_scalar(&values) || values.is_instance_of::<PyDict>() {
            value_text(&values, &place)?
        } else {
            list_of(&values, &place)?
                .iter()
                .map(|v| value_text(v, &place))
                .collect::<PyResult<Vec<_>>>()?
                .join(",")
        };
        items.push(format!("{name}={text}"));
    }
    Ok(items)
}

/// A dict key: a string.
fn key(name: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    name.extract::<String>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what}: keys must be names (str), not {}",
            type_name(name)
        ))
    })
}

/// Whether `value` is one value (a number, a string, a NumPy scalar), not a collection.
fn is_scalar(value: &Bound<'_, PyAny>) -> bool {
    value.is_instance_of::<PyString>() || !value.hasattr("__iter__").unwrap_or(false)
}

/// One value as the command line takes it: a string as it is (file syntax, e.g. `1 to 3` or
/// `{ dist = "beta", mean = 0.3, sd = 0.05 }`), anything else as its TOML value.
fn value_text(value: &Bound<'_, PyAny>, place: &str) -> PyResult<String> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    let toml = to_toml(value, place).map_err(scenario_error)?;
    Ok(match toml {
        toml::Value::Float(x) => format!("{x}"),
        other => other.to_string(),
    })
}

/// A dict in the scenario file's shape, as TOML text.
fn dict_to_toml(table: &Bound<'_, PyDict>, origin: &str) -> PyResult<String> {
    let value =
        to_toml(table.as_any(), "").map_err(|e| scenario_error(format!("{origin}: {e}")))?;
    let toml::Value::Table(table) = value else {
        unreachable!("a dict converts to a table")
    };
    toml::to_string(&table)
        .map_err(|e| scenario_error(format!("{origin}: cannot be written as TOML: {e}")))
}

/// A Python value as a TOML value; `place` names it in errors (`inputs.mfu`).
fn to_toml(value: &Bound<'_, PyAny>, place: &str) -> Result<toml::Value, String> {
    let at = |inner: &str| match place {
        "" => inner.to_string(),
        _ => format!("{place}.{inner}"),
    };
    let field = if place.is_empty() {
        "the scenario"
    } else {
        place
    };
    if value.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(
            value.is_truthy().map_err(|e| e.to_string())?,
        ));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(toml::Value::String(
            text.to_cow().map_err(|e| e.to_string())?.into_owned(),
        ));
    }
    if value.is_instance_of::<PyInt>() || value.hasattr("__index__").unwrap_or(false) {
        return value
            .extract::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| {
                format!(
                    "{field}: {value} is beyond a 64-bit integer; write it as a float, e.g. 1e20"
                )
            });
    }
    if let Ok(x) = value.extract::<f64>() {
        return Ok(toml::Value::Float(x));
    }
    if let Ok(table) = value.cast::<PyDict>() {
        let mut out = toml::Table::new();
        for (name, item) in table.iter() {
            let name: String = name.extract().map_err(|_| {
                format!(
                    "{field}: keys must be names (str), not {}",
                    type_name(&name)
                )
            })?;
            let converted = to_toml(&item, &at(&name))?;
            out.insert(name, converted);
        }
        return Ok(toml::Value::Table(out));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items: Vec<toml::Value> = value
            .try_iter()
            .map_err(|e| e.to_string())?
            .enumerate()
            .map(|(i, item)| to_toml(&item.map_err(|e| e.to_string())?, &format!("{field}[{i}]")))
            .collect::<Result<_, _>>()?;
        return Ok(toml::Value::Array(items));
    }
    if value.hasattr("tolist").unwrap_or(false) {
        let plain = value.call_method0("tolist").map_err(|e| e.to_string())?;
        if !plain.is(value) {
            return to_toml(&plain, place);
        }
    }
    if value.is_none() {
        return Err(format!(
            "{field}: None has no value in a scenario file; leave the key out to use the default"
        ));
    }
    Err(format!(
        "{field}: a {} cannot be written in a scenario file; use a number, a string, a list or \
         a dict",
        type_name(value)
    ))
}

/// The scenarios' own warnings, as the command line prints them (`origin: warning`).
pub fn scenario_warnings(scenarios: &[Scenario]) -> Vec<String> {
    scenarios
        .iter()
        .flat_map(|s| {
            s.warnings()
                .iter()
                .map(move |w| format!("{}: {w}", s.origin()))
        })
        .collect()
}

/// The Python type's name, for messages.
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "value".to_string())
}
