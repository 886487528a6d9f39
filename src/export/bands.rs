//! `bands.csv`: tidy (long) percentile bands, one row per scenario × metric × percentile.

use super::{number, percentile_label, Exporter};
use crate::report::RunReport;
use serde::Serialize;
use std::io::{self, Write};

/// Writes `bands.csv` with exactly the columns of `BandRow`.
pub struct BandsCsv;

/// One row of `bands.csv`; numbers are formatted as in every CSV the tool writes (shortest
/// round-trip form, so the percentile reads `5`, `50`, `97.5`). An interval end that does not
/// exist at this sample size (see [`crate::stats::order`]) is `-inf` or `inf`.
#[derive(Debug, Serialize)]
pub struct BandRow<'a> {
    pub scenario: &'a str,
    pub metric: &'a str,
    pub unit: &'a str,
    pub percentile: String,
    pub value: String,
    pub ci_low: String,
    pub ci_high: String,
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
                        percentile: percentile_label(estimate.percentile),
                        value: number(estimate.value),
                        ci_low: number(estimate.ci_low),
                        ci_high: number(estimate.ci_high),
                    })?;
                }
            }
        }
        writer.flush()
    }
}
