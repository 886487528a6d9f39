//! The run as a Markdown table, for pasting into documents: one row per scenario and metric,
//! the median with its interval, the P5–P95 band and the mean with its interval.

use super::{human, human_interval};
use crate::report::RunReport;
use crate::stats::PercentileEstimate;
use std::fmt::Write as _;

/// A Markdown table of every scenario's metrics, with a line saying what the intervals are.
pub fn render_markdown(report: &RunReport) -> String {
    let level = report.settings.confidence * 100.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| scenario | metric | P5 | P50 [{level}% CI] | P95 | mean [{level}% CI] |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for scenario in &report.scenarios {
        for metric in &scenario.metrics {
            let s = &metric.summary;
            let unit = metric.unit;
            let at = |p: f64| s.percentiles.iter().find(|e| e.percentile == p);
            let value = |e: Option<&PercentileEstimate>| {
                e.map_or("–".to_string(), |e| human(e.value, unit))
            };
            let median = at(50.0).map_or("–".to_string(), |e| {
                human_interval(e.value, e.ci_low, e.ci_high, unit)
            });
            let _ = writeln!(
                out,
                "| {} | `{}` ({unit}) | {} | {median} | {} | {} |",
                scenario.name,
                metric.metric,
                value(at(5.0)),
                value(at(95.0)),
                human_interval(s.mean, s.mean_ci.low, s.mean_ci.high, unit),
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{} samples, seed {}; intervals are Monte Carlo confidence intervals of each estimate.",
        report.settings.samples, report.settings.seed
    );
    out
}
