//! Forest plots: one row per scenario with its P5–P95 range (thick from P25 to P75) and its
//! median as a dot, the median's value and interval written beside it. For a batch, a
//! metric over its scenarios; for a comparison, each alternative's difference from the
//! baseline, with zero marked.

use super::axis::Axis;
use super::distribution::axis_title;
use super::frame::{self, bold, font, AxisText, Margins, Root, BLUE, INK, MUTED, SKY, VERMILLION};
use super::text;
use super::text::metric_title;
use super::ChartError;
use crate::format::compact;
use crate::model::Metric;
use crate::report::compare::CompareReport;
use crate::report::RunReport;
use crate::stats::PercentileEstimate;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Height of a row, in pixels.
const ROW: u32 = 56;

/// One scenario's row.
struct Row {
    name: String,
    outer: Option<(f64, f64)>,
    inner: Option<(f64, f64)>,
    median: PercentileEstimate,
}

impl Row {
    /// The row of `name` from its percentiles; `None` without a finite median.
    fn of(name: &str, percentiles: &[PercentileEstimate]) -> Option<Row> {
        let at = |level: f64| {
            percentiles
                .iter()
                .find(|p| p.percentile == level && p.value.is_finite())
        };
        let pair = |a: f64, b: f64| Some((at(a)?.value, at(b)?.value));
        Some(Row {
            name: name.to_string(),
            outer: pair(5.0, 95.0),
            inner: pair(25.0, 75.0),
            median: *at(50.0)?,
        })
    }

    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        let (o, i) = (
            self.outer.unwrap_or_default(),
            self.inner.unwrap_or_default(),
        );
        let ranges = [self.outer.map(|_| o), self.inner.map(|_| i)];
        ranges
            .into_iter()
            .flatten()
            .flat_map(|(a, b)| [a, b])
            .chain([self.median.value])
    }
}

/// `metric` over every scenario of a run (a batch); `None` for fewer than two scenarios or
/// without a median of the metric.
pub fn forest_of_scenarios(
    report: &RunReport,
    metric: Metric,
) -> Result<Option<String>, ChartError> {
    let rows: Vec<Row> = report
        .scenarios
        .iter()
        .filter_map(|s| Row::of(&s.name, &s.metric(metric).summary.percentiles))
        .collect();
    if report.scenarios.len() < 2 || rows.is_empty() {
        return Ok(None);
    }
    let name = metric_title(metric);
    let title = format!("{name} across {} scenarios", rows.len());
    draw(&rows, &title, metric.unit(), name, None)
}

/// The difference `other − baseline` of `metric` for every alternative of a comparison, with
/// zero marked; `None` for fewer than two alternatives.
pub fn forest_of_differences(
    report: &CompareReport,
    metric: Metric,
) -> Result<Option<String>, ChartError> {
    let rows: Vec<Row> = report
        .pairs
        .iter()
        .filter_map(|p| Row::of(&p.scenario, &p.metric(metric).diff))
        .collect();
    let Some(first) = report.pairs.first() else {
        return Ok(None);
    };
    if report.pairs.len() < 2 || rows.is_empty() {
        return Ok(None);
    }
    let name = metric_title(metric);
    let title = format!("{name}: each scenario − {}", first.baseline);
    let x_name = format!("{name}, difference from {}", first.baseline);
    draw(&rows, &title, metric.unit(), &x_name, Some(0.0))
}

/// The plot of `rows`, with a line at `zero` when given (then on a linear axis).
fn draw(
    rows: &[Row],
    title: &str,
    unit: &str,
    x_name: &str,
    zero: Option<f64>,
) -> Result<Option<String>, ChartError> {
    let (lo, hi) = rows
        .iter()
        .flat_map(Row::values)
        .chain(zero)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let Some(x) = Axis::new(lo, hi, zero.is_none()).map(|a| a.padded(0.04)) else {
        return Ok(None);
    };
    let subtitle = "line: P5 to P95 · bar: P25 to P75 · dot: P50, with its interval";
    let description = rows
        .iter()
        .map(|r| format!("{}: P50 {}", r.name, median_words(&r.median, unit)))
        .collect::<Vec<_>>()
        .join("; ");
    let height = frame::HEADING as u32 + 14 + ROW * rows.len() as u32 + 62;
    let svg = frame::render(height, title, &description, |root| {
        frame::heading(root, title, subtitle)?;
        draw_rows(root, rows, &x, unit, &axis_title(x_name, unit, &x), zero)
    })?;
    Ok(Some(svg))
}

/// `$4.071M [$4.04M, $4.1M]`.
fn median_words(median: &PercentileEstimate, unit: &str) -> String {
    format!(
        "{} [{}, {}]",
        compact(median.value, unit, 4),
        compact(median.ci_low, unit, 4),
        compact(median.ci_high, unit, 4)
    )
}

/// Each row: its name and median in words on a line, its bar under them across the plot.
fn draw_rows(
    root: &Root,
    rows: &[Row],
    x: &Axis,
    unit: &str,
    x_title: &str,
    zero: Option<f64>,
) -> Result<(), ChartError> {
    let (y, _) = frame::row_axis(rows.len());
    let margins = Margins {
        top: frame::HEADING + 8,
        right: 24,
        bottom: 50,
        left: 24,
    };
    let mut plot = frame::plot_with(root, x.coord(x.ticks()), y.coord(Vec::new()), margins)?;
    let x_label = |t: &f64| x.label(*t, unit);
    let y_label = |_: &f64| String::new();
    let labels = AxisText {
        x_title,
        y_title: "",
        x_label: &x_label,
        y_label: &y_label,
    };
    frame::mesh(&mut plot, &labels)?;
    if let Some(zero) = zero {
        frame::vertical(&mut plot, x.clamped(zero), &y, INK.stroke_width(2), false)?;
    }
    let left = plot.backend_coord(&(x.to(x.lo), 0.0)).0;
    for (i, row) in rows.iter().enumerate() {
        let at = frame::row(i, rows.len()) - 0.16;
        let line = plot.backend_coord(&(x.to(x.lo), at + 0.5)).1;
        let name = text::fit(&row.name, frame::PX_TEXT, 300.0);
        frame::text(
            root,
            &name,
            (left + 6, line),
            &bold(frame::PX_TEXT, INK),
            (HPos::Left, VPos::Center),
        )?;
        let after = left + 18 + text::width(&name, frame::PX_TEXT).ceil() as i32;
        let words = format!("P50 {}", median_words(&row.median, unit));
        let style = font(frame::PX_SMALL, MUTED);
        frame::text(
            root,
            &words,
            (after, line),
            &style,
            (HPos::Left, VPos::Center),
        )?;
        if let Some((a, b)) = row.outer {
            frame::whisker(root, &plot, x, (a, b, at), 10, BLUE)?;
        }
        if let Some((a, b)) = row.inner {
            plot.draw_series(std::iter::once(Rectangle::new(
                [(x.clamped(a), at - 0.14), (x.clamped(b), at + 0.14)],
                SKY.filled(),
            )))?;
        }
        let m = &row.median;
        let centre = plot.backend_coord(&(x.clamped(m.value), at));
        root.draw(&Circle::new(centre, 5, VERMILLION.filled()))?;
        frame::whisker(root, &plot, x, (m.ci_low, m.ci_high, at), 14, INK)?;
    }
    Ok(())
}
