//! The distribution of one metric: its histogram with P5, P50, P95 and the mean marked (each
//! with its confidence interval), over its exceedance curve `P(metric > x)`, with the
//! `--exceed` probabilities and their intervals on it.

use super::axis::Axis;
use super::frame::{self, font, AxisText, Margins, Plot, Root, BLUE, INK, MUTED, SKY};
use super::markers::{self, Marker, Panel};
use super::text::{self, metric_title};
use super::ChartError;
use crate::format::compact;
use crate::model::Metric;
use crate::report::MetricReport;
use crate::stats::Exceedance;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Height of the chart, and of its histogram panel (heading included).
const HEIGHT: u32 = 640;
const UPPER: u32 = 372;

/// The distribution chart of `metric` in `scenario`, whose intervals are at `confidence`;
/// `None` when the metric has no histogram (it is constant, or has no finite value).
pub fn distribution(
    metric: &MetricReport,
    scenario: &str,
    confidence: f64,
) -> Result<Option<String>, ChartError> {
    let Some(histogram) = &metric.histogram else {
        return Ok(None);
    };
    let summary = &metric.summary;
    let mean = (summary.mean, summary.mean_ci.low, summary.mean_ci.high);
    let marked = markers::markers(&summary.percentiles, mean);
    let thresholds: Vec<f64> = summary.exceedances.iter().map(|e| e.threshold).collect();
    let Some(x) = markers::value_axis(histogram, &marked, &thresholds, true) else {
        return Ok(None);
    };
    let name = Metric::from_name_or_item(metric.metric).map_or(metric.metric, metric_title);
    let title = format!("{name}: {scenario}");
    let x_title = axis_title(name, metric.unit, &x);
    let description = format!(
        "Histogram and exceedance curve of {} in {scenario}: {}",
        metric.metric,
        markers::described(&marked, metric.unit)
    );
    let svg = frame::render(HEIGHT, &title, &description, |root| {
        frame::heading(root, &title, &markers::reading(summary.samples, confidence))?;
        let (upper, lower) = root.split_vertically(UPPER);
        let panel = Panel {
            x,
            unit: metric.unit,
            histogram,
            markers: &marked,
            bar_color: &|_| SKY,
            x_title: "",
        };
        markers::draw(root, &upper, frame::HEADING, &panel, &|_, _| Ok(()))?;
        exceedance_panel(root, &lower, &panel, name, &summary.exceedances, &x_title)
    })?;
    Ok(Some(svg))
}

/// `Daily cost (USD/day), log scale`.
pub(crate) fn axis_title(name: &str, unit: &str, axis: &Axis) -> String {
    let scale = if axis.log { ", log scale" } else { "" };
    if name.eq_ignore_ascii_case(unit) {
        return format!("{name}{scale}");
    }
    format!("{name} ({unit}){scale}")
}

/// The exceedance curve, the percentiles on it with their intervals, and the `--exceed`
/// probabilities with theirs.
fn exceedance_panel(
    root: &Root,
    area: &Root,
    panel: &Panel,
    name: &str,
    exceedances: &[Exceedance],
    x_title: &str,
) -> Result<(), ChartError> {
    let y = Axis::new(0.0, 1.0, false).ok_or_else(|| ChartError("axis".into()))?;
    let margins = Margins {
        top: 26,
        right: 24,
        bottom: 50,
        left: 62,
    };
    let mut plot = frame::plot(area, &panel.x, &Axis { lo: -0.02, ..y }, margins)?;
    let x_label = |t: &f64| panel.x.label(*t, panel.unit);
    let y_label = |t: &f64| y.label(*t, "%");
    let y_title = format!("P({name} > x)");
    frame::mesh(
        &mut plot,
        &AxisText {
            x_title,
            y_title: &text::fit(&y_title, frame::PX_TEXT, 230.0),
            x_label: &x_label,
            y_label: &y_label,
        },
    )?;
    let curve: Vec<(f64, f64)> = panel
        .histogram
        .exceedance()
        .into_iter()
        .filter(|(edge, _)| panel.x.contains(*edge))
        .map(|(edge, share)| (panel.x.to(edge), share))
        .collect();
    plot.draw_series(AreaSeries::new(curve.clone(), 0.0, SKY.mix(0.18)))?;
    plot.draw_series(LineSeries::new(curve, BLUE.stroke_width(2)))?;
    for marker in panel.markers.iter().filter(|m| m.name.starts_with('P')) {
        percentile_point(root, &plot, panel, marker)?;
    }
    for exceedance in exceedances {
        threshold_point(root, &plot, panel, &y, exceedance)?;
    }
    Ok(())
}

/// A percentile on the curve: a dot at `(value, 1 − level)` with its interval, and the chance
/// of exceeding it in words for the tails.
fn percentile_point(
    root: &Root,
    plot: &Plot,
    panel: &Panel,
    marker: &Marker,
) -> Result<(), ChartError> {
    let level: f64 = marker.name[1..].parse().unwrap_or(50.0);
    let at = 1.0 - level / 100.0;
    frame::whisker(
        root,
        plot,
        &panel.x,
        (marker.low, marker.high, at),
        10,
        marker.color,
    )?;
    let centre = plot.backend_coord(&(panel.x.clamped(marker.value), at));
    root.draw(&Circle::new(centre, 4, marker.color.filled()))?;
    let chance = crate::format::significant(100.0 - level, 3);
    let words = format!(
        "{chance}% chance above {}",
        compact(marker.value, panel.unit, 4)
    );
    // Right of the point and above the curve, which only falls from there: clear of it once
    // above the curve's height where the words begin.
    let width = text::width(&words, frame::PX_SMALL) as i32;
    let right_edge = frame::WIDTH as i32 - 26;
    let x = (centre.0 + 10).min(right_edge - width);
    let curve_top = curve_height_at(plot, panel, x);
    let y = (centre.1 - 8).min(curve_top - 6);
    let style = font(frame::PX_SMALL, INK);
    frame::text(root, &words, (x, y), &style, (HPos::Left, VPos::Bottom))
}

/// The pixel height of the exceedance curve at pixel column `x` of `plot`.
fn curve_height_at(plot: &Plot, panel: &Panel, x: i32) -> i32 {
    let (a, b) = (panel.x.to(panel.x.lo), panel.x.to(panel.x.hi));
    let (left, right) = (
        plot.backend_coord(&(a, 0.0)).0,
        plot.backend_coord(&(b, 0.0)).0,
    );
    let share = f64::from(x - left) / f64::from((right - left).max(1));
    let value = panel.x.from(a + share.clamp(0.0, 1.0) * (b - a));
    let above = panel
        .histogram
        .exceedance()
        .into_iter()
        .take_while(|(edge, _)| *edge <= value)
        .last()
        .map_or(1.0, |(_, p)| p);
    plot.backend_coord(&(a, above)).1
}

/// An `--exceed` probability: a dot at `(threshold, probability)` with its interval.
fn threshold_point(
    root: &Root,
    plot: &Plot,
    panel: &Panel,
    y: &Axis,
    exceedance: &Exceedance,
) -> Result<(), ChartError> {
    if !panel.x.contains(exceedance.threshold) || !exceedance.probability.is_finite() {
        return Ok(());
    }
    let at = panel.x.to(exceedance.threshold);
    let interval = (exceedance.ci_low, exceedance.ci_high, at);
    frame::vertical_whisker(root, plot, y, interval, 10, MUTED)?;
    let centre = plot.backend_coord(&(at, exceedance.probability));
    root.draw(&Circle::new(centre, 4, MUTED.filled()))?;
    let words = format!(
        "P(> {}) = {}%",
        compact(exceedance.threshold, panel.unit, 4),
        crate::format::significant(exceedance.probability * 100.0, 3)
    );
    // Below and left of the point, under the curve: clear of the percentiles' words above it.
    let style = font(frame::PX_SMALL, MUTED);
    frame::text(
        root,
        &words,
        (centre.0 - 8, centre.1 + 8),
        &style,
        (HPos::Right, VPos::Top),
    )
}
