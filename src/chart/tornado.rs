//! The tornado of a sensitivity analysis: for each input, sorted by swing, a bar from the
//! metric with the input at its P10 to the metric with it at its P90 (every other input at
//! its median), around the metric at the medians.

use super::axis::Axis;
use super::distribution::axis_title;
use super::frame::{self, font, AxisText, Margins, Root, BLUE, INK, ORANGE};
use super::text::title_of;
use super::ChartError;
use crate::format::compact;
use crate::sensitivity::{Method, SensitivityReport};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Height of a row, in pixels.
const ROW: u32 = 34;

/// One input's bar.
struct Bar {
    input: String,
    at_p10: f64,
    at_p90: f64,
    swing: f64,
}

/// The tornado of `metric` in `report`; `None` when the analysis has no tornado of it.
pub fn tornado(report: &SensitivityReport, metric: &str) -> Result<Option<String>, ChartError> {
    let Some(base) = report.metrics.iter().find(|m| m.metric == metric) else {
        return Ok(None);
    };
    let bars = bars(report, metric);
    let values = bars.iter().flat_map(|b| [b.at_p10, b.at_p90]);
    let (lo, hi) = values
        .chain([base.at_medians])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let Some(x) = Axis::new(lo, hi, true).map(|a| a.padded(0.24)) else {
        return Ok(None);
    };
    if bars.is_empty() {
        return Ok(None);
    }
    let name = title_of(metric);
    let title = format!("What moves {}: {}", name.to_lowercase(), report.scenario);
    let subtitle = format!(
        "one input at its P10 or P90, the rest at medians: {} (line)",
        compact(base.at_medians, base.unit, 4)
    );
    let description = bars
        .iter()
        .map(|b| {
            format!(
                "{}: {} to {}",
                b.input,
                compact(b.at_p10, base.unit, 4),
                compact(b.at_p90, base.unit, 4)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let height = frame::HEADING as u32 + 40 + ROW * bars.len() as u32 + 62;
    let svg = frame::render(height, &title, &description, |root| {
        frame::heading(root, &title, &subtitle)?;
        let after = frame::legend(root, (14, frame::HEADING + 12), BLUE, "input at its P10")?;
        frame::legend(
            root,
            (after, frame::HEADING + 12),
            ORANGE,
            "input at its P90",
        )?;
        let x_title = axis_title(&name, base.unit, &x);
        draw_bars(root, &bars, &x, base.at_medians, base.unit, &x_title)
    })?;
    Ok(Some(svg))
}

/// The tornado's bars of `metric`, largest swing first.
fn bars(report: &SensitivityReport, metric: &str) -> Vec<Bar> {
    let value = |input: &str, statistic: &str| {
        report
            .results
            .iter()
            .find(|e| {
                e.method == Method::Tornado
                    && e.metric == metric
                    && e.input == input
                    && e.statistic == statistic
            })
            .map(|e| e.value)
    };
    let mut bars: Vec<Bar> = report
        .inputs
        .iter()
        .filter_map(|range| {
            Some(Bar {
                input: range.input.to_string(),
                at_p10: value(range.input, "low")?,
                at_p90: value(range.input, "high")?,
                swing: value(range.input, "swing")?,
            })
        })
        .filter(|b| b.at_p10.is_finite() && b.at_p90.is_finite())
        .collect();
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    bars
}

fn draw_bars(
    root: &Root,
    bars: &[Bar],
    x: &Axis,
    base: f64,
    unit: &str,
    x_title: &str,
) -> Result<(), ChartError> {
    let names: Vec<String> = bars.iter().map(|b| b.input.clone()).collect();
    let (y, y_coord) = frame::row_axis(bars.len());
    let left = frame::names_width(&names, 210.0);
    let margins = Margins {
        top: frame::HEADING + 30,
        right: 20,
        bottom: 50,
        left,
    };
    let mut plot = frame::plot_with(root, x.coord(x.ticks()), y_coord, margins)?;
    let x_label = |t: &f64| x.label(*t, unit);
    let y_label = |t: &f64| frame::row_name(&names, *t, 210.0);
    frame::mesh(
        &mut plot,
        &AxisText {
            x_title,
            y_title: "",
            x_label: &x_label,
            y_label: &y_label,
        },
    )?;
    let centre = x.to(base);
    for (i, bar) in bars.iter().enumerate() {
        let at = frame::row(i, bars.len());
        for (value, color) in [(bar.at_p10, BLUE), (bar.at_p90, ORANGE)] {
            let end = x.clamped(value);
            plot.draw_series(std::iter::once(Rectangle::new(
                [(centre, at - 0.32), (end, at + 0.32)],
                color.mix(0.85).filled(),
            )))?;
        }
        let (low, high) = (bar.at_p10.min(bar.at_p90), bar.at_p10.max(bar.at_p90));
        let style = font(frame::PX_SMALL, INK);
        let left_end = plot.backend_coord(&(x.clamped(low), at));
        let label = compact(low, unit, 3);
        let position = (left_end.0 - 5, left_end.1);
        frame::text(root, &label, position, &style, (HPos::Right, VPos::Center))?;
        let right_end = plot.backend_coord(&(x.clamped(high), at));
        let label = compact(high, unit, 3);
        let position = (right_end.0 + 5, right_end.1);
        frame::text(root, &label, position, &style, (HPos::Left, VPos::Center))?;
    }
    frame::vertical(&mut plot, centre, &y, INK.stroke_width(2), false)
}
