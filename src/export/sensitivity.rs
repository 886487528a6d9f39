//! `sensitivity.csv` (tidy: one row per scenario × metric × input × method × statistic) and
//! `sensitivity.json` (the whole analysis with provenance).

use super::{number, Exporter};
use crate::sensitivity::SensitivityReport;
use serde::Serialize;
use std::io::{self, Write};

/// The header of `sensitivity.csv`.
pub const SENSITIVITY_HEADER: &str = "scenario,metric,input,method,statistic,value,ci_low,ci_high";

/// Writes `sensitivity.csv` with exactly the columns of [`SensitivityRow`].
pub struct SensitivityCsv;

/// One row of `sensitivity.csv`. The interval cells are empty where a statistic has none (the
/// tornado is exact); numbers are formatted as in every CSV the tool writes.
#[derive(Debug, Serialize)]
pub struct SensitivityRow<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The metric analysed, e.g. `daily_cost_usd`.
    pub metric: &'a str,
    /// The uncertain input the row is about.
    pub input: &'a str,
    /// `spearman`, `tornado`, `sobol` or `width`.
    pub method: &'a str,
    /// Which number of the method: `rho`; `low`, `high`, `swing`; `first_order`, `total`;
    /// `shrink`, `shrink_pct`, `pinned_width`.
    pub statistic: &'a str,
    /// The statistic's value, formatted.
    pub value: String,
    /// Lower end of its confidence interval; empty when it has none.
    pub ci_low: String,
    /// Upper end of its confidence interval; empty when it has none.
    pub ci_high: String,
}

impl Exporter<SensitivityReport> for SensitivityCsv {
    fn file_name(&self) -> &'static str {
        "sensitivity.csv"
    }

    fn write(&self, report: &SensitivityReport, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        writer.write_record(SENSITIVITY_HEADER.split(','))?;
        let optional = |x: Option<f64>| x.map_or(String::new(), number);
        for e in &report.results {
            writer.serialize(SensitivityRow {
                scenario: &e.scenario,
                metric: e.metric,
                input: e.input,
                method: e.method.name(),
                statistic: e.statistic,
                value: number(e.value),
                ci_low: optional(e.ci_low),
                ci_high: optional(e.ci_high),
            })?;
        }
        writer.flush()
    }
}

/// Writes `sensitivity.json`: the report as `--format json` prints it.
pub struct SensitivityJson;

impl Exporter<SensitivityReport> for SensitivityJson {
    fn file_name(&self) -> &'static str {
        "sensitivity.json"
    }

    fn write(&self, report: &SensitivityReport, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        out.write_all(b"\n")
    }
}
