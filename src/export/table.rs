//! The terminal table: for each metric, the chosen percentiles and the mean, each with the
//! half-width `(ci_high − ci_low) / 2` of its confidence interval relative to the estimate —
//! the half-width precision targets use (the intervals themselves are in the CSV and JSON
//! files). An interval open on one side (too few samples for the confidence asked) shows its
//! one finite end instead, `[≤ high]` or `[≥ low]`; open on both sides, `±n/a`; the table
//! then says so once, below it.

use super::human;
use crate::report::{RunReport, ScenarioReport};
use crate::stats;
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

/// One scenario's block: heading, the table, the notes below it, the top drivers.
fn render_scenario(
    out: &mut String,
    report: &RunReport,
    s: &ScenarioReport,
    options: &TableOptions,
) {
    render_heading(out, report, s);
    let (rows, always_zero) = metric_rows(report, s, options);
    write_aligned(out, &rows);
    if !always_zero.is_empty() {
        let _ = writeln!(out, "always 0 in this scenario: {}", always_zero.join(", "));
    }
    render_notes(out, report, s);
    super::breakdown::render_breakdown(out, s, report.settings.confidence * 100.0);
    render_top_drivers(out, s, report.settings.confidence * 100.0);
    out.push('\n');
}

/// The scenario's name and description, how it was sampled, and what was rejected or clamped.
fn render_heading(out: &mut String, report: &RunReport, s: &ScenarioReport) {
    let level = report.settings.confidence * 100.0;
    let samples = s
        .metrics
        .first()
        .map_or(0, |m| m.summary.samples + m.summary.non_finite)
        + s.rejected;
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
    let method = match report.settings.method {
        crate::settings::Method::Mc => "Monte Carlo".to_string(),
        other => format!(
            "{} replicates of {}",
            report.settings.replicates,
            other.name()
        ),
    };
    let _ = writeln!(
        out,
        "{samples} samples ({method}), seed {}, {} path; ± = half-width of each estimate's {level}% confidence interval\n",
        report.settings.seed, s.path
    );
    if s.training != "none" {
        let _ = writeln!(
            out,
            "{}\n",
            match s.include_training {
                true => "training_usd_per_day is included in daily_cost_usd (include_training = true)",
                false => "training_usd_per_day is not included in daily_cost_usd (include_training = true would count it)",
            }
        );
    }
    if s.rejected > 0 || s.clamped > 0 {
        let _ = writeln!(
            out,
            "{} rejected ({:.2}%) as physically infeasible and left out of every statistic; {} clamped into range (on_infeasible = \"{}\")\n",
            s.rejected,
            100.0 * s.rejected_share,
            s.clamped,
            s.on_infeasible
        );
    }
}

/// The table's rows (a header, then one row per metric that is not always 0) and the names of
/// the metrics that are always 0.
fn metric_rows(
    report: &RunReport,
    s: &ScenarioReport,
    options: &TableOptions,
) -> (Vec<Vec<String>>, Vec<&'static str>) {
    let columns = shown(report, options);
    let mut header = vec!["metric".to_string()];
    header.extend(
        columns
            .iter()
            .map(|i| format!("P{}", report.settings.percentiles[*i])),
    );
    header.push("mean".to_string());
    let mut rows = vec![header];
    let mut always_zero = Vec::new();
    for metric in &s.metrics {
        let summary = &metric.summary;
        if summary.min == 0.0 && summary.max == 0.0 {
            always_zero.push(metric.metric);
            continue;
        }
        let mut values = vec![format!("{} ({})", metric.metric, metric.unit)];
        for index in &columns {
            let estimate = &summary.percentiles[*index];
            values.push(with_error(
                estimate.value,
                estimate.ci_low,
                estimate.ci_high,
                metric.unit,
            ));
        }
        values.push(with_error(
            summary.mean,
            summary.mean_ci.low,
            summary.mean_ci.high,
            metric.unit,
        ));
        rows.push(values);
    }
    (rows, always_zero)
}

/// The lines below the table: open intervals, precision targets, rank correlations,
/// exceedance probabilities and left-out samples.
fn render_notes(out: &mut String, report: &RunReport, s: &ScenarioReport) {
    let summaries = s.metrics.iter().map(|m| &m.summary);
    if let Some(warning) = stats::open_interval_warning(summaries, report.settings.confidence) {
        let _ = writeln!(
            out,
            "note: [≤ x] and [≥ x] give the one finite end of an interval open on the other side, \
             ±n/a one open on both; {warning}"
        );
    }
    for target in &s.precision {
        let _ = writeln!(
            out,
            "precision {}: {} (half-width {:.4} for a target of {:.4})",
            target.target,
            if target.met { "met" } else { "NOT met" },
            target.half_width,
            target.target_half_width
        );
    }
    if let Some(c) = &s.correlations {
        let mut pairs = Vec::new();
        for i in 0..c.inputs.len() {
            for j in i + 1..c.inputs.len() {
                pairs.push(format!(
                    "{}~{} {:+.2} (achieved {:+.3})",
                    c.inputs[i], c.inputs[j], c.target[i][j], c.achieved[i][j]
                ));
            }
        }
        let _ = writeln!(out, "rank correlations: {}", pairs.join(", "));
    }
    for metric in &s.metrics {
        for e in &metric.summary.exceedances {
            let _ = writeln!(
                out,
                "P({} {} {}) = {:.4} [{:.4}, {:.4}]",
                metric.metric,
                e.event.symbol(),
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
}

/// `$4.071M ±0.8%`: the estimate and the half-width of its interval, relative to it;
/// `$4.071M [≤ $4.3M]` or `[≥ …]` when the interval is open on the other side, `±n/a` when
/// open on both.
fn with_error(value: f64, low: f64, high: f64, unit: &str) -> String {
    let error = match (low == f64::NEG_INFINITY, high == f64::INFINITY) {
        (true, true) => "±n/a".to_string(),
        (true, false) => format!("[≤ {}]", human(high, unit)),
        (false, true) => format!("[≥ {}]", human(low, unit)),
        (false, false) => relative_half_width((high - low) / 2.0, value, unit),
    };
    format!("{} {error}", human(value, unit))
}

/// `±0.8%`: `half` relative to `value`, to two significant digits at most; absolute when
/// `value` is 0.
fn relative_half_width(half: f64, value: f64, unit: &str) -> String {
    let relative = half / value.abs();
    if !relative.is_finite() {
        format!("±{}", human(half, unit))
    } else if relative >= 0.095 {
        format!("±{:.0}%", relative * 100.0)
    } else if relative >= 0.0095 {
        format!("±{:.1}%", relative * 100.0)
    } else {
        format!("±{:.2}%", relative * 100.0)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_minus_is_the_half_width_not_the_larger_side_regression() {
        // H100 GPUs at P5: estimate 128, interval [128, 136]. The table showed ±6.2% (the
        // larger side); the half-width its header promises is 4, i.e. 3.1%.
        assert_eq!(with_error(128.0, 128.0, 136.0, "GPUs"), "128 ±3.1%");
        assert_eq!(with_error(100.0, 99.0, 101.0, "GPUs"), "100 ±1.0%");
        assert_eq!(with_error(0.0, -1.0, 1.0, "GPUs"), "0 ±1");
    }

    #[test]
    fn open_ends_show_the_finite_end_or_n_a() {
        let inf = f64::INFINITY;
        assert_eq!(with_error(128.0, -inf, 136.0, "GPUs"), "128 [≤ 136]");
        assert_eq!(with_error(128.0, 120.0, inf, "GPUs"), "128 [≥ 120]");
        assert_eq!(with_error(128.0, -inf, inf, "GPUs"), "128 ±n/a");
    }
}
