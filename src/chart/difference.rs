//! A paired comparison of one metric: the histogram of `other − baseline` over the pairs,
//! cheaper pairs in one colour and costlier ones in another, zero marked, the percentiles and
//! mean difference with their intervals, and `P(other < baseline)` written on it.

use super::frame::{self, bold, Plot, GREEN, INK, ORANGE};
use super::markers::{self, Panel};
use super::text::metric_title;
use super::ChartError;
use crate::format::significant;
use crate::model::Metric;
use crate::report::compare::PairReport;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Height of the chart.
const HEIGHT: u32 = 470;
/// Where the histogram panel starts: below the heading, the probability and the legend.
const PANEL_TOP: i32 = frame::HEADING + 50;

/// The difference chart of `metric` in `pair`, whose intervals are at `confidence`; `None`
/// when the difference has no histogram (it is the same in every pair, or never finite).
pub fn difference(
    pair: &PairReport,
    metric: Metric,
    confidence: f64,
) -> Result<Option<String>, ChartError> {
    let comparison = pair.metric(metric);
    let Some(histogram) = &comparison.diff_histogram else {
        return Ok(None);
    };
    let mean = &comparison.mean_diff;
    let marked = markers::markers(&comparison.diff, (mean.value, mean.ci_low, mean.ci_high));
    let Some(x) = markers::value_axis(histogram, &marked, &[0.0], false) else {
        return Ok(None);
    };
    let name = metric_title(metric);
    let (baseline, other) = (&pair.baseline, &pair.scenario);
    let title = format!("{name}: {other} − {baseline}, pair by pair");
    let p = &comparison.p_lower;
    let percent = |v: f64| format!("{}%", significant(v * 100.0, 3));
    let chance = format!(
        "P({other} < {baseline}) = {} [{}, {}]",
        percent(p.value),
        percent(p.ci_low),
        percent(p.ci_high)
    );
    let description = format!(
        "Histogram of the paired difference of {} ({other} minus {baseline}); {chance}; {}",
        metric.name(),
        markers::described(&marked, metric.unit())
    );
    let x_title = format!("{name}, {other} − {baseline} ({})", metric.unit());
    let svg = frame::render(HEIGHT, &title, &description, |root| {
        frame::heading(
            root,
            &title,
            &markers::reading(comparison.pairs, confidence),
        )?;
        let style = bold(frame::PX_TEXT, INK);
        let top = (12, frame::HEADING + 4);
        frame::text(root, &chance, top, &style, (HPos::Left, VPos::Top))?;
        let legend_y = frame::HEADING + 36;
        let cheaper = format!("{other} cheaper");
        let after = frame::legend(root, (14, legend_y), GREEN, &cheaper)?;
        let costlier = format!("{other} costlier");
        let after = frame::legend(root, (after, legend_y), ORANGE, &costlier)?;
        frame::legend(root, (after, legend_y), INK, "no difference")?;
        let panel = Panel {
            x,
            unit: metric.unit(),
            histogram,
            markers: &marked,
            bar_color: &|v| if v < 0.0 { GREEN } else { ORANGE },
            x_title: &x_title,
        };
        markers::draw(root, root, PANEL_TOP, &panel, &|_, plot| zero(plot, &panel))
    })?;
    Ok(Some(svg))
}

/// The line at zero (no difference).
fn zero(plot: &mut Plot, panel: &Panel) -> Result<(), ChartError> {
    let y = plot.as_coord_spec().y_spec().range();
    let at = panel.x.clamped(0.0);
    plot.draw_series(std::iter::once(PathElement::new(
        vec![(at, y.start), (at, y.end)],
        INK.stroke_width(2),
    )))?;
    Ok(())
}
