//! Where the money goes: `breakdown.csv` (one row per scenario × part of the daily cost) and the
//! terminal table's block of the same figures.

use super::{human, number, Exporter};
use crate::report::{RunReport, ScenarioReport};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Writes `breakdown.csv` with exactly the columns of `BreakdownRow`.
pub struct BreakdownCsv;

/// One row of `breakdown.csv`: a part of the daily cost in USD/day (its median, mean and the
/// mean's interval) and its share of the mean daily cost as a fraction, with an interval.
#[derive(Debug, Serialize)]
pub struct BreakdownRow<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The part's metric, e.g. `energy_cost_usd_per_day`.
    pub component: &'a str,
    /// The part's median, USD/day.
    pub usd_per_day_p50: String,
    /// The part's mean, USD/day.
    pub mean: String,
    /// Lower end of the mean's confidence interval, USD/day.
    pub mean_ci_low: String,
    /// Upper end of the mean's confidence interval, USD/day.
    pub mean_ci_high: String,
    /// `E[part] ÷ E[daily_cost_usd]`, a fraction.
    pub share_of_mean: String,
    /// Lower end of the share's confidence interval, a fraction.
    pub share_ci_low: String,
    /// Upper end of the share's confidence interval, a fraction.
    pub share_ci_high: String,
}

impl Exporter for BreakdownCsv {
    fn file_name(&self) -> &'static str {
        "breakdown.csv"
    }

    /// Not for a streamed or merged run, which keeps no samples to pair each part with the
    /// total.
    fn applies(&self, report: &RunReport) -> bool {
        report.scenarios.iter().any(|s| !s.breakdown.is_empty())
    }

    fn write(&self, report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        for scenario in &report.scenarios {
            for part in &scenario.breakdown {
                writer.serialize(BreakdownRow {
                    scenario: &scenario.name,
                    component: part.metric,
                    usd_per_day_p50: number(part.usd_per_day_p50),
                    mean: number(part.mean),
                    mean_ci_low: number(part.mean_ci.low),
                    mean_ci_high: number(part.mean_ci.high),
                    share_of_mean: number(part.share_of_mean),
                    share_ci_low: number(part.share_ci.low),
                    share_ci_high: number(part.share_ci.high),
                })?;
            }
        }
        writer.flush()
    }
}

/// The terminal table's block: each part's median, mean and share of the mean daily cost.
pub(super) fn render_breakdown(out: &mut String, s: &ScenarioReport, level: f64) {
    if s.breakdown.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "where the money goes: share of the mean daily cost [{level}% CI]{}",
        match s.training {
            "none" => "",
            _ if s.include_training => " (training included)",
            _ => " (training not included)",
        }
    );
    let percent = |x: f64| format!("{:.2}%", 100.0 * x);
    let rows: Vec<[String; 4]> = s
        .breakdown
        .iter()
        .map(|part| {
            [
                part.metric.to_string(),
                format!("P50 {}", human(part.usd_per_day_p50, "USD/day")),
                format!("mean {}", human(part.mean, "USD/day")),
                format!(
                    "{} [{}, {}]",
                    percent(part.share_of_mean),
                    percent(part.share_ci.low),
                    percent(part.share_ci.high)
                ),
            ]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    for [name, p50, mean, share] in rows {
        let _ = writeln!(out, "  {name:<w0$}  {p50:<w1$}  {mean:<w2$}  {share}");
    }
}
