//! `summary.csv`: one row per scenario × metric (with the scenario's samples rejected as
//! physically infeasible and their share of those drawn), one `pN` column per percentile with
//! its interval; an interval end that does not exist at this sample size is `-inf` or `inf`.

use super::{number, percentile_label, Exporter};
use crate::report::RunReport;
use std::io::{self, Write};

/// Writes `summary.csv`.
pub struct SummaryCsv;

impl Exporter for SummaryCsv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn write(&self, report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header: Vec<String> = [
            "scenario",
            "metric",
            "unit",
            "samples",
            "non_finite",
            "rejected",
            "rejected_share",
            "mean",
            "mean_ci_low",
            "mean_ci_high",
            "std_dev",
            "min",
            "max",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for p in &report.settings.percentiles {
            let label = percentile_label(*p);
            header.push(format!("p{label}"));
            header.push(format!("p{label}_ci_low"));
            header.push(format!("p{label}_ci_high"));
        }
        writer.write_record(&header)?;
        for scenario in &report.scenarios {
            for metric in &scenario.metrics {
                let s = &metric.summary;
                let mut row = vec![
                    scenario.name.clone(),
                    metric.metric.to_string(),
                    metric.unit.to_string(),
                    s.samples.to_string(),
                    s.non_finite.to_string(),
                    scenario.rejected.to_string(),
                    number(scenario.rejected_share),
                    number(s.mean),
                    number(s.mean_ci.low),
                    number(s.mean_ci.high),
                    number(s.std_dev),
                    number(s.min),
                    number(s.max),
                ];
                for estimate in &s.percentiles {
                    row.push(number(estimate.value));
                    row.push(number(estimate.ci_low));
                    row.push(number(estimate.ci_high));
                }
                writer.write_record(&row)?;
            }
        }
        writer.flush()
    }
}
