//! `exceedance.csv` (with `--exceed` or `--below`): every `P(metric > threshold)` and
//! `P(metric < threshold)` with its interval.

use super::{number, Exporter};
use crate::report::RunReport;
use serde::Serialize;
use std::io::{self, Write};

/// Writes `exceedance.csv` with exactly the columns of [`ExceedanceRow`], when the run was
/// asked for event probabilities.
pub struct ExceedanceCsv;

/// One row of `exceedance.csv`: one scenario, metric and threshold.
#[derive(Debug, Serialize)]
pub struct ExceedanceRow<'a> {
    /// The scenario.
    pub scenario: &'a str,
    /// The metric.
    pub metric: &'a str,
    /// The metric's unit (of the threshold).
    pub unit: &'a str,
    /// `>` for `P(metric > threshold)` (`--exceed`), `<` for `P(metric < threshold)`
    /// (`--below`); both strict.
    pub event: &'static str,
    /// The threshold.
    pub threshold: String,
    /// The event's probability among the finite samples.
    pub probability: String,
    /// Lower end of its interval (Wilson score; replicates for designs).
    pub ci_low: String,
    /// Upper end of its interval.
    pub ci_high: String,
}

impl Exporter for ExceedanceCsv {
    fn file_name(&self) -> &'static str {
        "exceedance.csv"
    }

    fn applies(&self, report: &RunReport) -> bool {
        !report.settings.events.is_empty()
    }

    fn write(&self, report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        for scenario in &report.scenarios {
            for metric in &scenario.metrics {
                for e in &metric.summary.exceedances {
                    writer.serialize(ExceedanceRow {
                        scenario: &scenario.name,
                        metric: metric.metric,
                        unit: metric.unit,
                        event: e.event.symbol(),
                        threshold: number(e.threshold),
                        probability: number(e.probability),
                        ci_low: number(e.ci_low),
                        ci_high: number(e.ci_high),
                    })?;
                }
            }
        }
        writer.flush()
    }
}
