//! `bands.csv`: tidy (long) percentile bands, one row per scenario × metric × percentile.

use super::Exporter;
use crate::report::RunReport;
use serde::Serialize;
use std::io::{self, Write};

/// Writes `bands.csv` with exactly the columns of [`BandRow`].
pub struct BandsCsv;

/// One row of `bands.csv`.
#[derive(Debug, Serialize)]
pub struct BandRow<'a> {
    pub scenario: &'a str,
    pub metric: &'a str,
    pub unit: &'a str,
    pub percentile: f64,
    pub value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Exporter for BandsCsv {
    fn file_name(&self) -> &'static str {
        "bands.csv"
    }

    fn write(&self, report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        for scenario in &report.scenarios {
            for metric in &scenario.metrics {
                for estimate in &metric.summary.percentiles {
                    writer.serialize(BandRow {
                        scenario: &scenario.name,
                        metric: metric.metric,
                        unit: metric.unit,
                        percentile: estimate.percentile,
                        value: estimate.value,
                        ci_low: estimate.ci_low,
                        ci_high: estimate.ci_high,
                    })?;
                }
            }
        }
        writer.flush()
    }
}
