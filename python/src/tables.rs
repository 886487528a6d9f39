//! The library's CSV files as columns for Python: each exporter writes its file into memory,
//! exactly as the command line writes it, and the file is read back column by column. So a
//! table has exactly the file's columns, in its order, and every number is the file's number
//! (CSV floats are written in their shortest round-trip form, so they read back bit for bit).

use costbands::export::Exporter;
use numpy::PyArray1;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Columns that hold names, never numbers, even when a name looks like one.
const TEXT_COLUMNS: &[&str] = &[
    "scenario",
    "baseline",
    "metric",
    "unit",
    "input",
    "method",
    "statistic",
];

/// Columns that count (samples, sample indices): integers.
const COUNT_COLUMNS: &[&str] = &["samples", "non_finite", "rejected", "sample"];

/// The file `name` of one of `exporters` for `report`, as bytes; `None` when the report gets
/// no such file (e.g. `exceedance.csv` without thresholds).
pub fn exported<R: ?Sized>(
    exporters: Vec<Box<dyn Exporter<R>>>,
    report: &R,
    name: &str,
) -> PyResult<Option<Vec<u8>>> {
    let Some(exporter) = exporters.iter().find(|e| e.file_name() == name) else {
        return Err(PyRuntimeError::new_err(format!(
            "no result file named {name}"
        )));
    };
    if !exporter.applies(report) {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    exporter
        .write(report, &mut bytes)
        .map_err(|e| PyRuntimeError::new_err(format!("cannot write {name} in memory: {e}")))?;
    Ok(Some(bytes))
}

/// A CSV file as a dict of columns, in the file's order: counts as `int64` arrays, other
/// numeric columns as `float64` arrays (an empty cell is NaN), names and text as lists of str.
pub fn columns<'py>(py: Python<'py>, csv_bytes: &[u8]) -> PyResult<Bound<'py, PyDict>> {
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let error = |e: csv::Error| PyRuntimeError::new_err(format!("cannot read a result file: {e}"));
    let header: Vec<String> = reader
        .headers()
        .map_err(error)?
        .iter()
        .map(str::to_string)
        .collect();
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    for record in reader.records() {
        let record = record.map_err(error)?;
        for (column, cell) in cells.iter_mut().zip(record.iter()) {
            column.push(cell.to_string());
        }
    }
    let table = PyDict::new(py);
    for (name, column) in header.iter().zip(cells) {
        table.set_item(name, column_value(py, name, column)?)?;
    }
    Ok(table)
}

fn column_value<'py>(
    py: Python<'py>,
    name: &str,
    column: Vec<String>,
) -> PyResult<Bound<'py, PyAny>> {
    if !TEXT_COLUMNS.contains(&name) {
        if COUNT_COLUMNS.contains(&name) {
            if let Ok(counts) = column.iter().map(|c| c.parse::<i64>()).collect() {
                return Ok(PyArray1::<i64>::from_vec(py, counts).into_any());
            }
        }
        let number = |c: &String| match c.as_str() {
            "" => Ok(f64::NAN),
            c => c.parse::<f64>(),
        };
        if let Ok(numbers) = column.iter().map(number).collect() {
            return Ok(PyArray1::<f64>::from_vec(py, numbers).into_any());
        }
    }
    Ok(PyList::new(py, column)?.into_any())
}
