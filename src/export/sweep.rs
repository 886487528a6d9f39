//! `sweep.csv`, `sweep_summary.csv` and `sweep.json`, and the terminal table of a sweep.

use super::{human, human_interval, number, percentile_label, Exporter};
use crate::model::Metric;
use crate::report::sweep::SweepReport;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Writes `sweep.csv`: tidy, `scenario`, one column per varied input, then `metric, unit,
/// percentile, value, ci_low, ci_high`; one row per point × metric × percentile.
pub struct SweepCsv;

/// Writes `sweep_summary.csv`: `scenario`, one column per varied input, then `metric, unit,
/// samples, non_finite, rejected, mean, mean_ci_low, mean_ci_high, std_dev`; one row per
/// point × metric.
pub struct SweepSummaryCsv;

/// Writes `sweep.json`: the whole sweep with its settings.
pub struct SweepJson;

fn header(report: &SweepReport, tail: &[&str]) -> Vec<String> {
    let mut header = vec!["scenario".to_string()];
    header.extend(report.varied.iter().cloned());
    header.extend(tail.iter().map(|s| s.to_string()));
    header
}

impl Exporter<SweepReport> for SweepCsv {
    fn file_name(&self) -> &'static str {
        "sweep.csv"
    }

    fn write(&self, report: &SweepReport, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        let tail = ["metric", "unit", "percentile", "value", "ci_low", "ci_high"];
        writer.write_record(header(report, &tail))?;
        for point in &report.points {
            for metric in &point.metrics {
                for p in &metric.summary.percentiles {
                    let mut row = vec![report.scenario.clone()];
                    row.extend(point.values.iter().cloned());
                    row.extend([
                        metric.metric.to_string(),
                        metric.unit.to_string(),
                        percentile_label(p.percentile),
                        number(p.value),
                        number(p.ci_low),
                        number(p.ci_high),
                    ]);
                    writer.write_record(row)?;
                }
            }
        }
        writer.flush()
    }
}

impl Exporter<SweepReport> for SweepSummaryCsv {
    fn file_name(&self) -> &'static str {
        "sweep_summary.csv"
    }

    fn write(&self, report: &SweepReport, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        let tail = [
            "metric",
            "unit",
            "samples",
            "non_finite",
            "rejected",
            "mean",
            "mean_ci_low",
            "mean_ci_high",
            "std_dev",
        ];
        writer.write_record(header(report, &tail))?;
        for point in &report.points {
            for metric in &point.metrics {
                let s = &metric.summary;
                let mut row = vec![report.scenario.clone()];
                row.extend(point.values.iter().cloned());
                row.extend([
                    metric.metric.to_string(),
                    metric.unit.to_string(),
                    s.samples.to_string(),
                    s.non_finite.to_string(),
                    point.rejected.to_string(),
                    number(s.mean),
                    number(s.mean_ci.low),
                    number(s.mean_ci.high),
                    number(s.std_dev),
                ]);
                writer.write_record(row)?;
            }
        }
        writer.flush()
    }
}

impl Exporter<SweepReport> for SweepJson {
    fn file_name(&self) -> &'static str {
        "sweep.json"
    }

    fn write(&self, report: &SweepReport, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        out.write_all(b"\n")
    }
}

/// The terminal table: the daily cost at every point, P5, P50 with its interval, P95 and the
/// mean.
pub fn render_sweep(report: &SweepReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: daily_cost_usd at {} points, {} samples each, seed {} (common random numbers)",
        report.scenario,
        report.points.len(),
        report.settings.samples,
        report.settings.seed
    );
    let names = report.varied.join(", ");
    let _ = writeln!(
        out,
        "  {names:<28} {:>10} {:>32} {:>10} {:>10}",
        "P5", "P50 [interval]", "P95", "mean"
    );
    for point in &report.points {
        let cost = &point.metrics[Metric::DailyCostUsd.index()];
        let unit = cost.unit;
        let at = |p: f64| cost.summary.percentiles.iter().find(|e| e.percentile == p);
        let show = |p: f64| at(p).map_or("-".to_string(), |e| human(e.value, unit));
        let median = at(50.0).map_or("-".to_string(), |e| {
            human_interval(e.value, e.ci_low, e.ci_high, unit)
        });
        let _ = writeln!(
            out,
            "  {:<28} {:>10} {:>32} {:>10} {:>10}",
            point.values.join(", "),
            show(5.0),
            median,
            show(95.0),
            human(cost.summary.mean, unit)
        );
    }
    out
}
