//! The fan chart of a sweep: over the first swept input, the P5–P95 and P25–P75 bands of a
//! metric and its median line, the median's interval at every point (swept values that are
//! not numbers, such as GPUs, get a box each instead of a band). A grid (several swept
//! inputs) gets one chart per combination of the other inputs' values.

use super::axis::{tick_label, Axis};
use super::distribution::axis_title;
use super::frame::{self, font, AxisText, Margins, Plot, Root, INK, MUTED, SKY, VERMILLION};
use super::text::{fit, input_unit, metric_title};
use super::ChartError;
use crate::format::compact;
use crate::model::Metric;
use crate::report::sweep::{SweepPoint, SweepReport};
use crate::stats::PercentileEstimate;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Height of the chart.
const HEIGHT: u32 = 440;
/// Charts of a grid drawn at most.
pub const MAX_FANS: usize = 12;

/// One point of the fan: its place on the x axis and the metric's percentiles there.
struct Point<'r> {
    x: f64,
    percentiles: &'r [PercentileEstimate],
}

/// The fan charts of `metric` over the first swept input of `report`: one for a sweep of one
/// input, one per combination of the other inputs' values for a grid (at most
/// [`MAX_FANS`]), each with the combination as its name (empty for a single sweep). Empty
/// when the sweep reports no median.
pub fn fan(report: &SweepReport, metric: Metric) -> Result<Vec<(String, String)>, ChartError> {
    let mut groups: Vec<(String, Vec<&SweepPoint>)> = Vec::new();
    for point in &report.points {
        let others: Vec<String> = report.varied[1..]
            .iter()
            .zip(&point.values[1..])
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let key = others.join(", ");
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, points)) => points.push(point),
            None => groups.push((key, vec![point])),
        }
    }
    let mut charts = Vec::new();
    for (key, points) in groups.into_iter().take(MAX_FANS) {
        if let Some(svg) = one_fan(report, metric, &key, &points)? {
            charts.push((key, svg));
        }
    }
    Ok(charts)
}

/// The fan over `points` (one combination of the other inputs, named `key`).
fn one_fan(
    report: &SweepReport,
    metric: Metric,
    key: &str,
    points: &[&SweepPoint],
) -> Result<Option<String>, ChartError> {
    let Some(varied) = report.varied.first() else {
        return Ok(None);
    };
    let numbers: Option<Vec<f64>> = points
        .iter()
        .map(|p| p.values[0].parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect();
    let categories: Vec<String> = points.iter().map(|p| p.values[0].clone()).collect();
    let places: Vec<f64> = match &numbers {
        Some(values) => values.clone(),
        None => (0..points.len()).map(|i| i as f64).collect(),
    };
    let fan: Vec<Point> = places
        .iter()
        .zip(points)
        .map(|(x, p)| Point {
            x: *x,
            percentiles: &p.metrics[metric.index()].summary.percentiles,
        })
        .filter(|p| at(p.percentiles, 50.0).is_some())
        .collect();
    if fan.is_empty() {
        return Ok(None);
    }
    let (lo, hi) = span(fan.iter().map(|p| p.x));
    let x = match &numbers {
        Some(_) => Axis::new(lo, hi, true).map(|a| a.padded(0.04)),
        None => Axis::new(-0.5, points.len() as f64 - 0.5, false),
    };
    let (vlo, vhi) = span(fan.iter().flat_map(|p| {
        p.percentiles
            .iter()
            .filter(|e| [5.0, 25.0, 50.0, 75.0, 95.0].contains(&e.percentile))
            .map(|e| e.value)
    }));
    let (Some(x), Some(y)) = (x, Axis::new(vlo, vhi, true).map(|a| a.padded(0.05))) else {
        return Ok(None);
    };
    let name = metric_title(metric);
    let title = format!("{name} over {varied}: {}", report.scenario);
    let reading = if numbers.is_some() {
        "bands: P5–P95, P25–P75 · line: P50 with its interval"
    } else {
        "boxes: P5–P95, P25–P75 · dot: P50 with its interval"
    };
    let subtitle = if key.is_empty() {
        reading.to_string()
    } else {
        format!("{key} · {reading}")
    };
    let unit = input_unit(varied);
    let x_title = if numbers.is_some() {
        axis_title(varied, if unit.is_empty() { "-" } else { unit }, &x)
    } else {
        varied.clone()
    };
    let description = fan
        .iter()
        .zip(&categories)
        .filter_map(|(p, value)| {
            let m = at(p.percentiles, 50.0)?;
            Some(format!(
                "{varied}={value}: P50 {}",
                compact(m.value, metric.unit(), 4)
            ))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let view = View {
        x,
        y,
        unit: metric.unit(),
        x_unit: unit,
        categories: numbers.is_none().then_some(&categories),
    };
    let svg = frame::render(HEIGHT, &title, &description, |root| {
        frame::heading(root, &title, &subtitle)?;
        let y_title = if name == metric.unit() {
            name.to_string()
        } else {
            format!("{name} ({})", metric.unit())
        };
        draw(root, &fan, &view, &x_title, &y_title)
    })?;
    Ok(Some(svg))
}

/// The axes of a fan and how to label them.
struct View<'v> {
    x: Axis,
    y: Axis,
    unit: &'v str,
    x_unit: &'v str,
    /// The swept values when they are not numbers (catalog GPUs, distributions).
    categories: Option<&'v Vec<String>>,
}

fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

fn at(percentiles: &[PercentileEstimate], level: f64) -> Option<&PercentileEstimate> {
    percentiles
        .iter()
        .find(|p| p.percentile == level && p.value.is_finite())
}

fn draw(
    root: &Root,
    fan: &[Point],
    view: &View,
    x_title: &str,
    y_title: &str,
) -> Result<(), ChartError> {
    let margins = Margins {
        top: frame::HEADING + 10,
        right: 54,
        bottom: 52,
        left: 74,
    };
    let (x, y) = (&view.x, &view.y);
    let x_ticks = match view.categories {
        Some(c) => (0..c.len()).map(|i| i as f64).collect(),
        None => x.ticks(),
    };
    let mut plot = frame::plot_with(root, x.coord(x_ticks), y.coord(y.ticks()), margins)?;
    // A category's label may take its share of the axis.
    let share = view.categories.map_or(1, |c| c.len().max(1)) as f64;
    let room = ((f64::from(frame::WIDTH) - 140.0) / share - 10.0).max(40.0);
    let x_label = |t: &f64| match view.categories {
        Some(c) => fit(
            c.get(t.round() as usize).map_or("", |s| s),
            frame::PX_SMALL,
            room,
        ),
        None => tick_label(x.from(*t), view.x_unit),
    };
    let y_label = |t: &f64| y.label(*t, view.unit);
    let labels = AxisText {
        x_title,
        y_title,
        x_label: &x_label,
        y_label: &y_label,
    };
    frame::mesh(&mut plot, &labels)?;
    // Catalog entries or distributions have nothing between them: a box each, no band.
    let separate = view.categories.is_some();
    for (low, high, opacity) in [(5.0, 95.0, 0.25), (25.0, 75.0, 0.5)] {
        if separate {
            boxes(&mut plot, fan, view, (low, high), opacity)?;
        } else {
            band(&mut plot, fan, view, (low, high), opacity)?;
        }
    }
    let median: Vec<(f64, f64, &PercentileEstimate)> = fan
        .iter()
        .filter_map(|p| {
            let m = at(p.percentiles, 50.0)?;
            Some((x.clamped(p.x), y.clamped(m.value), m))
        })
        .collect();
    if !separate {
        let line = median.iter().map(|(px, py, _)| (*px, *py));
        plot.draw_series(LineSeries::new(line, VERMILLION.stroke_width(3)))?;
    }
    for (px, _, m) in &median {
        let centre = plot.backend_coord(&(*px, y.clamped(m.value)));
        let radius = if separate { 5 } else { 3 };
        root.draw(&Circle::new(centre, radius, VERMILLION.filled()))?;
        frame::vertical_whisker(root, &plot, y, (m.ci_low, m.ci_high, *px), 8, INK)?;
    }
    end_labels(root, &plot, fan, view)
}

/// A box from percentile `low` to `high` at every point that has both.
fn boxes(
    plot: &mut Plot,
    fan: &[Point],
    view: &View,
    (low, high): (f64, f64),
    opacity: f64,
) -> Result<(), ChartError> {
    plot.draw_series(fan.iter().filter_map(|p| {
        let (a, b) = (at(p.percentiles, low)?, at(p.percentiles, high)?);
        let (x0, x1) = (view.x.clamped(p.x - 0.2), view.x.clamped(p.x + 0.2));
        let (y0, y1) = (view.y.clamped(a.value), view.y.clamped(b.value));
        Some(Rectangle::new(
            [(x0, y0), (x1, y1)],
            SKY.mix(opacity).filled(),
        ))
    }))?;
    Ok(())
}

/// The band between percentiles `low` and `high` where a point has both.
fn band(
    plot: &mut Plot,
    fan: &[Point],
    view: &View,
    (low, high): (f64, f64),
    opacity: f64,
) -> Result<(), ChartError> {
    let edges: Vec<(f64, f64, f64)> = fan
        .iter()
        .filter_map(|p| {
            let (a, b) = (at(p.percentiles, low)?, at(p.percentiles, high)?);
            Some((
                view.x.clamped(p.x),
                view.y.clamped(a.value),
                view.y.clamped(b.value),
            ))
        })
        .collect();
    if edges.is_empty() {
        return Ok(());
    }
    let outline: Vec<(f64, f64)> = edges
        .iter()
        .map(|(x, _, top)| (*x, *top))
        .chain(edges.iter().rev().map(|(x, bottom, _)| (*x, *bottom)))
        .collect();
    plot.draw_series(std::iter::once(Polygon::new(
        outline,
        SKY.mix(opacity).filled(),
    )))?;
    Ok(())
}

/// `P95`, `P75`, … beside the last point, where the bands end.
fn end_labels(root: &Root, plot: &Plot, fan: &[Point], view: &View) -> Result<(), ChartError> {
    let Some(last) = fan.last() else {
        return Ok(());
    };
    let mut taken: Vec<i32> = Vec::new();
    for level in [50.0, 5.0, 95.0, 25.0, 75.0] {
        let Some(p) = at(last.percentiles, level) else {
            continue;
        };
        let beside = if view.categories.is_some() { 0.2 } else { 0.0 };
        let spot = plot.backend_coord(&(view.x.clamped(last.x + beside), view.y.clamped(p.value)));
        if taken.iter().any(|y| (y - spot.1).abs() < 15) {
            continue;
        }
        taken.push(spot.1);
        let color = if level == 50.0 { VERMILLION } else { MUTED };
        let style = font(frame::PX_SMALL, color);
        let label = format!("P{level}");
        frame::text(
            root,
            &label,
            (spot.0 + 8, spot.1),
            &style,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}
