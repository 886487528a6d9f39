//! The terminal view of a sensitivity analysis: per metric, one block per method, inputs in
//! the report's order (most influential first), and the tornado as a text chart.

use super::human;
use crate::sensitivity::{Estimate, Method, MetricBase, SensitivityReport};
use std::fmt::Write;

/// Characters across the tornado chart's axis.
const CHART_WIDTH: usize = 40;

/// Renders `report` as plain text.
pub fn render_sensitivity(report: &SensitivityReport) -> String {
    let mut out = String::new();
    for base in &report.metrics {
        render_metric(&mut out, report, base);
    }
    out
}

fn render_metric(out: &mut String, report: &SensitivityReport, base: &MetricBase) {
    let unit = base.unit;
    let _ = writeln!(
        out,
        "{}: sensitivity of {} ({unit})",
        report.scenario, base.metric
    );
    let _ = write!(
        out,
        "{} samples, seed {}, {} path; [ ] = {}% confidence interval\nat the inputs' medians: {}",
        report.samples,
        report.seed,
        report.path,
        report.confidence * 100.0,
        human(base.at_medians, unit)
    );
    if let Some(width) = base.band_width {
        let _ = write!(out, "; P5–P95 band width: {}", human(width, unit));
    }
    out.push_str("\n\n");
    for method in &report.methods {
        let rows = by_input(report, base.metric, *method);
        if rows.is_empty() {
            continue;
        }
        match method {
            Method::Spearman => spearman(out, &rows),
            Method::Tornado => tornado(out, report, base, &rows),
            Method::Sobol => sobol(out, report, &rows),
            Method::Width => width(out, unit, &rows),
        }
        out.push('\n');
    }
}

/// One input's statistics for one method.
struct InputRows<'a> {
    input: &'a str,
    stats: Vec<&'a Estimate>,
}

impl InputRows<'_> {
    fn get(&self, statistic: &str) -> Option<&Estimate> {
        self.stats
            .iter()
            .copied()
            .find(|e| e.statistic == statistic)
    }

    fn value(&self, statistic: &str) -> f64 {
        self.get(statistic).map_or(f64::NAN, |e| e.value)
    }
}

fn by_input<'a>(report: &'a SensitivityReport, metric: &str, method: Method) -> Vec<InputRows<'a>> {
    let mut rows: Vec<InputRows<'a>> = Vec::new();
    for e in &report.results {
        if e.metric != metric || e.method != method {
            continue;
        }
        match rows.iter_mut().find(|r| r.input == e.input) {
            Some(row) => row.stats.push(e),
            None => rows.push(InputRows {
                input: e.input,
                stats: vec![e],
            }),
        }
    }
    rows
}

fn ci(e: Option<&Estimate>, format: impl Fn(f64) -> String) -> String {
    match e {
        Some(Estimate {
            ci_low: Some(low),
            ci_high: Some(high),
            ..
        }) => format!("[{}, {}]", format(*low), format(*high)),
        _ => String::new(),
    }
}

fn spearman(out: &mut String, rows: &[InputRows<'_>]) {
    out.push_str("Spearman rank correlation ρ\n");
    let signed = |x: f64| format!("{x:+.3}");
    let mut table = vec![vec!["input".to_string(), "ρ".into(), "interval".into()]];
    for row in rows {
        let rho = row.get("rho");
        table.push(vec![
            row.input.to_string(),
            signed(row.value("rho")),
            ci(rho, signed),
        ]);
    }
    aligned(out, &table);
}

fn tornado(
    out: &mut String,
    report: &SensitivityReport,
    base: &MetricBase,
    rows: &[InputRows<'_>],
) {
    let unit = base.unit;
    let _ = writeln!(
        out,
        "Tornado: one input at its P10, then its P90, the others at their medians (| = {})",
        human(base.at_medians, unit)
    );
    let ends = rows
        .iter()
        .flat_map(|r| [r.value("low"), r.value("high")])
        .chain([base.at_medians])
        .filter(|x| x.is_finite());
    let (lo, hi) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    let mut table = vec![["input", "P10", "P90", "at P10", "at P90", "swing"]
        .map(String::from)
        .to_vec()];
    table[0].push(String::new());
    for row in rows {
        let range = report.inputs.iter().find(|i| i.input == row.input);
        let input_value = |pick: fn(&crate::sensitivity::InputRange) -> f64| {
            range.map_or(String::new(), |r| human(pick(r), ""))
        };
        let (low, high) = (row.value("low"), row.value("high"));
        table.push(vec![
            row.input.to_string(),
            input_value(|r| r.p10),
            input_value(|r| r.p90),
            human(low, unit),
            human(high, unit),
            human(row.value("swing"), unit),
            bar(low, high, base.at_medians, lo, hi),
        ]);
    }
    aligned_with_bars(out, &table, true);
}

/// A bar from `low` to `high` on the axis `[lo, hi]`, `|` at `centre`.
fn bar(low: f64, high: f64, centre: f64, lo: f64, hi: f64) -> String {
    let span = hi - lo;
    if !(span > 0.0) || !low.is_finite() || !high.is_finite() {
        return String::new();
    }
    let position = |x: f64| (((x - lo) / span) * (CHART_WIDTH - 1) as f64).round() as usize;
    let (from, to) = (position(low.min(high)), position(low.max(high)));
    let mut cells = vec![' '; CHART_WIDTH];
    for cell in &mut cells[from..=to] {
        *cell = '#';
    }
    if centre.is_finite() {
        cells[position(centre).min(CHART_WIDTH - 1)] = '|';
    }
    cells.into_iter().collect::<String>().trim_end().to_string()
}

fn sobol(out: &mut String, report: &SensitivityReport, rows: &[InputRows<'_>]) {
    match &report.sobol {
        Some(design) => {
            let _ = writeln!(
                out,
                "Sobol indices (N = {}, {} model runs, {} bootstrap resamples)",
                design.base_samples, design.evaluations, report.resamples
            );
        }
        None => out.push_str("Sobol indices\n"),
    }
    // Three decimals, without a sign on estimates that round to zero.
    let fixed = |x: f64| format!("{x:.3}").replace("-0.000", "0.000");
    let mut table = vec![[
        "input",
        "first order",
        "interval",
        "total effect",
        "interval",
    ]
    .map(String::from)
    .to_vec()];
    for row in rows {
        table.push(vec![
            row.input.to_string(),
            fixed(row.value("first_order")),
            ci(row.get("first_order"), fixed),
            fixed(row.value("total")),
            ci(row.get("total"), fixed),
        ]);
    }
    aligned(out, &table);
}

fn width(out: &mut String, unit: &str, rows: &[InputRows<'_>]) {
    out.push_str(
        "Value of information: P5–P95 band width shrink when one input is pinned at its median\n",
    );
    let money = |x: f64| human(x, unit);
    let percent = |x: f64| format!("{x:.1}%");
    let mut table = vec![["input", "shrink", "interval", "shrink %", "interval"]
        .map(String::from)
        .to_vec()];
    for row in rows {
        table.push(vec![
            row.input.to_string(),
            money(row.value("shrink")),
            ci(row.get("shrink"), money),
            percent(row.value("shrink_pct")),
            ci(row.get("shrink_pct"), percent),
        ]);
    }
    aligned(out, &table);
}

/// Writes rows indented, the first column left-aligned, the others right-aligned.
fn aligned(out: &mut String, rows: &[Vec<String>]) {
    aligned_with_bars(out, rows, false);
}

/// As [`aligned`]; with `bars`, the last column (a chart) is left-aligned.
fn aligned_with_bars(out: &mut String, rows: &[Vec<String>], bars: bool) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |cell| cell.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::from(" ");
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c] - cell.chars().count());
            line.push_str("  ");
            if c == 0 || (bars && c + 1 == columns) {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}
