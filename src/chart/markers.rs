//! A histogram panel with the percentiles and the mean marked: a line at each, its
//! confidence interval as a whisker near the top, and its value written above the plot (on
//! as many rows as keep the labels apart). Shared by the distribution and difference charts.

use super::axis::Axis;
use super::frame::{self, font, AxisText, Margins, Plot, Root, BLUE, GREEN, VERMILLION};
use super::text;
use super::ChartError;
use crate::format::compact;
use crate::stats::{Histogram, PercentileEstimate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Display bins of a histogram panel.
const BARS: usize = 48;
/// Height of a row of marker labels.
const LABEL_ROW: i32 = 19;

/// A marked value with its confidence interval.
#[derive(Debug, Clone)]
pub(crate) struct Marker {
    /// `P5`, `P50`, `mean`, …
    pub name: String,
    /// The estimate.
    pub value: f64,
    /// Its interval.
    pub low: f64,
    /// Its interval.
    pub high: f64,
    /// Its colour.
    pub color: RGBColor,
    /// Whether its line is dashed.
    pub dashed: bool,
}

impl Marker {
    /// `P50 $4.071M`: the name and the value as the terminal table writes it.
    pub fn label(&self, unit: &str) -> String {
        format!("{} {}", self.name, compact(self.value, unit, 4))
    }
}

/// The markers of P50, P5, P95 (those reported) and the mean, in that order (the order
/// labels claim rows in).
pub(crate) fn markers(percentiles: &[PercentileEstimate], mean: (f64, f64, f64)) -> Vec<Marker> {
    let at = |level: f64| percentiles.iter().find(|p| p.percentile == level);
    let mut found: Vec<Marker> = [
        (50.0, VERMILLION, false),
        (5.0, BLUE, true),
        (95.0, BLUE, true),
    ]
    .into_iter()
    .filter_map(|(level, color, dashed)| {
        let p = at(level)?;
        Some(Marker {
            name: format!("P{level}"),
            value: p.value,
            low: p.ci_low,
            high: p.ci_high,
            color,
            dashed,
        })
    })
    .collect();
    found.push(Marker {
        name: "mean".to_string(),
        value: mean.0,
        low: mean.1,
        high: mean.2,
        color: GREEN,
        dashed: true,
    });
    found.retain(|m| m.value.is_finite());
    found
}

/// The value below which a `share` of the histogram's values lie, read from its bins.
pub(crate) fn quantile(histogram: &Histogram, share: f64) -> Option<f64> {
    let total = histogram.total() as f64;
    let mut seen = histogram.below as f64;
    for (i, count) in histogram.counts.iter().enumerate() {
        let next = seen + *count as f64;
        if next >= share * total && *count > 0 {
            let within = ((share * total - seen) / *count as f64).clamp(0.0, 1.0);
            let (a, b) = (histogram.edges[i], histogram.edges[i + 1]);
            return Some(a + within * (b - a));
        }
        seen = next;
    }
    histogram.edges.last().copied()
}

/// The x axis of a histogram panel: from its 0.5% to its 99.5% point, widened to show every
/// marker's value and `also`.
pub(crate) fn value_axis(
    histogram: &Histogram,
    markers: &[Marker],
    also: &[f64],
    allow_log: bool,
) -> Option<Axis> {
    let mut lo = quantile(histogram, 0.005)?;
    let mut hi = quantile(histogram, 0.995)?;
    for v in markers.iter().map(|m| m.value).chain(also.iter().copied()) {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    Some(Axis::new(lo, hi, allow_log)?.padded(0.03))
}

/// What a histogram panel shows.
pub(crate) struct Panel<'p> {
    /// Its x axis.
    pub x: Axis,
    /// The unit of the values.
    pub unit: &'p str,
    /// The histogram.
    pub histogram: &'p Histogram,
    /// The marked values.
    pub markers: &'p [Marker],
    /// The colour of the bar centred at a value.
    pub bar_color: &'p dyn Fn(f64) -> RGBColor,
    /// The title under the x axis.
    pub x_title: &'p str,
}

/// Rows of marker labels above the plot, and each label's row and centre.
fn label_rows(panel: &Panel, margins: Margins) -> Vec<(usize, f64)> {
    let (x0, x1) = (
        margins.left as f64,
        f64::from(frame::WIDTH) - margins.right as f64,
    );
    let (a, b) = (panel.x.to(panel.x.lo), panel.x.to(panel.x.hi));
    let to_px = |v: f64| x0 + (panel.x.clamped(v) - a) / (b - a) * (x1 - x0);
    let labels: Vec<(f64, f64)> = panel
        .markers
        .iter()
        .map(|m| {
            (
                to_px(m.value),
                text::width(&m.label(panel.unit), frame::PX_TEXT),
            )
        })
        .collect();
    text::rows(&labels, 8.0, f64::from(frame::WIDTH) - 8.0, 10.0)
}

/// Draws the panel on `area` (whose top `top` pixels are left free); `extra` draws on the
/// plot afterwards.
pub(crate) fn draw(
    root: &Root,
    area: &Root,
    top: i32,
    panel: &Panel,
    extra: &dyn Fn(&Root, &mut Plot) -> Result<(), ChartError>,
) -> Result<(), ChartError> {
    let mut margins = Margins {
        top: 0,
        right: 24,
        bottom: 46,
        left: 62,
    };
    let placed = label_rows(panel, margins);
    let rows = placed.iter().map(|(row, _)| row + 1).max().unwrap_or(0) as i32;
    margins.top = top + rows * LABEL_ROW + 8;
    let shares = panel
        .histogram
        .rebin(panel.x.lo, panel.x.hi, BARS, |v| panel.x.to(v));
    let peak = shares.iter().copied().fold(0.0, f64::max).max(1e-9);
    let y = Axis::new(0.0, peak * 1.18, false).ok_or_else(|| ChartError("no bars".into()))?;
    let mut plot = frame::plot(area, &panel.x, &y, margins)?;
    let x_label = |t: &f64| panel.x.label(*t, panel.unit);
    let y_label = |t: &f64| y.label(*t, "%");
    frame::mesh(
        &mut plot,
        &AxisText {
            x_title: panel.x_title,
            y_title: "share of samples",
            x_label: &x_label,
            y_label: &y_label,
        },
    )?;
    let (a, b) = (panel.x.to(panel.x.lo), panel.x.to(panel.x.hi));
    let step = (b - a) / BARS as f64;
    plot.draw_series(shares.iter().enumerate().map(|(i, share)| {
        let (l, r) = (a + i as f64 * step, a + (i + 1) as f64 * step);
        let color = (panel.bar_color)(panel.x.from((l + r) / 2.0));
        Rectangle::new([(l, 0.0), (r, *share)], color.mix(0.55).filled())
    }))?;
    let label_bottom = area.get_base_pixel().1 + margins.top - 6;
    draw_markers(root, &mut plot, panel, &y, &placed, label_bottom)?;
    extra(root, &mut plot)
}

/// Each marker's line, whisker and label (labels in rows ending at `label_bottom`).
fn draw_markers(
    root: &Root,
    plot: &mut Plot,
    panel: &Panel,
    y: &Axis,
    placed: &[(usize, f64)],
    label_bottom: i32,
) -> Result<(), ChartError> {
    let rows = placed.iter().map(|(row, _)| row + 1).max().unwrap_or(0);
    for (index, (marker, (row, centre))) in panel.markers.iter().zip(placed).enumerate() {
        let x = panel.x.clamped(marker.value);
        let width = if marker.name == "P50" { 3 } else { 2 };
        let style = ShapeStyle::from(&marker.color).stroke_width(width);
        frame::vertical(plot, x, y, style, marker.dashed)?;
        // Whiskers at staggered heights, so that close markers' intervals stay apart.
        let at = y.hi * (0.95 - 0.05 * index as f64);
        let interval = (marker.low, marker.high, at);
        frame::whisker(root, plot, &panel.x, interval, 10, marker.color)?;
        let baseline = label_bottom - ((rows - 1 - row) as i32) * LABEL_ROW;
        let style = font(frame::PX_TEXT, marker.color);
        let label = marker.label(panel.unit);
        let position = (centre.round() as i32, baseline);
        frame::text(root, &label, position, &style, (HPos::Center, VPos::Bottom))?;
    }
    Ok(())
}

/// The line under a chart's title that says how to read the markers.
pub(crate) fn reading(samples: usize, confidence: f64) -> String {
    format!(
        "{} samples · P5, P50, P95 and mean, each with its {}% interval",
        crate::format::thousands(samples),
        crate::format::significant(confidence * 100.0, 3)
    )
}

/// The markers in words, for the chart's description.
pub(crate) fn described(markers: &[Marker], unit: &str) -> String {
    markers
        .iter()
        .map(|m| {
            format!(
                "{} [{}, {}]",
                m.label(unit),
                compact(m.low, unit, 4),
                compact(m.high, unit, 4)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
