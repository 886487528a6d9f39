//! The terminal table: for each metric, the chosen percentiles and the mean, with their
//! confidence intervals on the line below.

use super::human;
use crate::report::{RunReport, ScenarioReport};
use std::fmt::Write;

/// What the table shows.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Percentiles to show (percent); empty means P5, P50 and P95 when reported, else all.
    pub show: Vec<f64>,
}

/// Renders the report as a plain-text table, one block per scenario.
pub fn render_table(report: &RunReport, options: &TableOptions) -> String {
    let mut out = String::new();
    for scenario in &report.scenarios {
        render_scenario(&mut out, report, scenario, options);
    }
    out
}

fn shown(report: &RunReport, options: &TableOptions) -> Vec<usize> {
    let all = &report.settings.percentiles;
    let wanted: Vec<f64> = if options.show.is_empty() {
        let defaults = [5.0, 50.0, 95.0];
        if defaults.iter().all(|p| all.contains(p)) {
            defaults.to_vec()
        } else {
            all.clone()
        }
    } else {
        options.show.clone()
    };
    wanted
        .iter()
        .filter_map(|p| all.iter().position(|q| q == p))
        .collect()
}

fn render_scenario(
    out: &mut String,
    report: &RunReport,
    s: &ScenarioReport,
    options: &TableOptions,
) {
    let level = report.settings.confidence * 100.0;
    let samples = s
        .metrics
        .first()
        .map_or(0, |m| m.summary.samples + m.summary.non_finite);
    let _ = writeln!(
        out,
        "{}{}",
        s.name,
        if s.description.is_empty() {
            String::new()
        } else {
            format!(": {}", s.description)
        }
    );
    let _ = writeln!(
        out,
        "{samples} samples, seed {}, {} path; [ ] = {level}% Monte Carlo confidence interval\n",
        report.settings.seed, s.path
    );
    let columns = shown(report, options);
    let mut header = vec!["metric".to_string()];
    header.extend(
        columns
            .iter()
            .map(|i| format!("P{}", report.settings.percentiles[*i])),
    );
    header.push("mean".to_string());
    let mut rows = vec![header];
    for metric in &s.metrics {
        let summary = &metric.summary;
        let mut values = vec![format!("{} ({})", metric.metric, metric.unit)];
        let mut cis = vec![String::new()];
        for index in &columns {
            let estimate = &summary.percentiles[*index];
            values.push(human(estimate.value, metric.unit));
            cis.push(range(estimate.ci_low, estimate.ci_high, metric.unit));
        }
        values.push(human(summary.mean, metric.unit));
        cis.push(range(
            summary.mean_ci.low,
            summary.mean_ci.high,
            metric.unit,
        ));
        rows.push(values);
        rows.push(cis);
    }
    write_aligned(out, &rows);
    for metric in &s.metrics {
        for e in &metric.summary.exceedances {
            let _ = writeln!(
                out,
                "P({} > {}) = {:.4} [{:.4}, {:.4}]",
                metric.metric,
                human(e.threshold, metric.unit),
                e.probability,
                e.ci_low,
                e.ci_high
            );
        }
        if metric.summary.non_finite > 0 {
            let _ = writeln!(
                out,
                "note: {} of {} samples of {} were not finite and are left out",
                metric.summary.non_finite,
                metric.summary.samples + metric.summary.non_finite,
                metric.metric
            );
        }
    }
    render_top_drivers(out, s, level);
    out.push('\n');
}

fn render_top_drivers(out: &mut String, s: &ScenarioReport, level: f64) {
    let top = &s.top_drivers;
    if top.drivers.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\ntop drivers of {}: Spearman ρ [{level}% CI] over {}",
        top.metric, top.note
    );
    let width = top.drivers.iter().map(|d| d.input.len()).max().unwrap_or(0);
    for d in &top.drivers {
        let _ = writeln!(
            out,
            "  {:<width$}  {:+.3} [{:+.3}, {:+.3}]",
            d.input, d.rho, d.ci_low, d.ci_high
        );
    }
}

fn range(low: f64, high: f64, unit: &str) -> String {
    format!("[{}, {}]", human(low, unit), human(high, unit))
}

fn write_aligned(out: &mut String, rows: &[Vec<String>]) {
    let n_columns = rows[0].len();
    let widths: Vec<usize> = (0..n_columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}
