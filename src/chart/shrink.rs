//! What to research next: for each input, the share of the metric's P5–P95 band that pinning
//! it at its median removes, with its bootstrap interval, largest first.

use super::axis::Axis;
use super::frame::{self, font, AxisText, Margins, Root, GREEN, INK};
use super::text::title_of;
use super::ChartError;
use crate::format::significant;
use crate::sensitivity::{Method, SensitivityReport};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Height of a row, in pixels.
const ROW: u32 = 30;

/// One input's shrink, in percent of the band, with its interval.
struct Bar {
    input: String,
    pct: f64,
    low: f64,
    high: f64,
}

/// The band-width shrink chart of `metric` in `report`; `None` when the analysis has no
/// width results for it.
pub fn shrink(report: &SensitivityReport, metric: &str) -> Result<Option<String>, ChartError> {
    let mut bars: Vec<Bar> = report
        .results
        .iter()
        .filter(|e| e.method == Method::Width && e.metric == metric)
        .filter(|e| e.statistic == "shrink_pct" && e.value.is_finite())
        .map(|e| Bar {
            input: e.input.to_string(),
            pct: e.value,
            low: e.ci_low.unwrap_or(e.value),
            high: e.ci_high.unwrap_or(e.value),
        })
        .collect();
    if bars.is_empty() {
        return Ok(None);
    }
    bars.sort_by(|a, b| b.pct.total_cmp(&a.pct));
    let lowest = bars.iter().map(|b| b.low.min(b.pct)).fold(0.0, f64::min);
    let highest = bars.iter().map(|b| b.high.max(b.pct)).fold(1.0, f64::max);
    let Some(x) = Axis::new(lowest, highest * 1.04, false) else {
        return Ok(None);
    };
    let name = title_of(metric).to_lowercase();
    let title = format!("What to research next: {}", report.scenario);
    let subtitle = format!("share of the P5–P95 band of {name} gone when one input is known");
    let description = bars
        .iter()
        .map(|b| format!("{}: {} of the band", b.input, words(b)))
        .collect::<Vec<_>>()
        .join("; ");
    let height = frame::HEADING as u32 + 16 + ROW * bars.len() as u32 + 62;
    let svg = frame::render(height, &title, &description, |root| {
        frame::heading(root, &title, &subtitle)?;
        draw_bars(root, &bars, &x)
    })?;
    Ok(Some(svg))
}

/// `37% (36.2–38)`.
fn words(bar: &Bar) -> String {
    format!(
        "{}% ({}–{})",
        significant(bar.pct, 3),
        significant(bar.low, 3),
        significant(bar.high, 3)
    )
}

fn draw_bars(root: &Root, bars: &[Bar], x: &Axis) -> Result<(), ChartError> {
    let names: Vec<String> = bars.iter().map(|b| b.input.clone()).collect();
    let values: Vec<String> = bars.iter().map(words).collect();
    let (_, y_coord) = frame::row_axis(bars.len());
    let right = frame::names_width(&values, 200.0) + 8;
    let margins = Margins {
        top: frame::HEADING + 8,
        right,
        bottom: 50,
        left: frame::names_width(&names, 210.0),
    };
    let mut plot = frame::plot_with(root, x.coord(x.ticks()), y_coord, margins)?;
    let x_label = |t: &f64| format!("{}%", significant(*t, 3));
    let y_label = |t: &f64| frame::row_name(&names, *t, 210.0);
    frame::mesh(
        &mut plot,
        &AxisText {
            x_title: "% of the P5–P95 band removed",
            y_title: "",
            x_label: &x_label,
            y_label: &y_label,
        },
    )?;
    for (i, bar) in bars.iter().enumerate() {
        let at = frame::row(i, bars.len());
        plot.draw_series(std::iter::once(Rectangle::new(
            [(x.clamped(0.0), at - 0.3), (x.clamped(bar.pct), at + 0.3)],
            GREEN.mix(0.7).filled(),
        )))?;
        frame::whisker(root, &plot, x, (bar.low, bar.high, at), 10, INK)?;
        let y = plot.backend_coord(&(x.clamped(0.0), at)).1;
        let style = font(frame::PX_SMALL, INK);
        let position = (frame::WIDTH as i32 - right + 12, y);
        frame::text(
            root,
            &values[i],
            position,
            &style,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}
