//! Charts of a job's results, each a pure function from the results to an SVG document,
//! drawn with plotters' SVG backend (no font is read: text is SVG text, laid out by the
//! reader's browser; widths are estimated where labels must not collide, see `text`).
//!
//! - [`distribution`]: a metric's histogram with P5, P50, P95 and the mean marked, each with
//!   its confidence interval, over its exceedance curve `P(metric > x)`.
//! - [`tornado`]: a sensitivity analysis's tornado, inputs sorted by swing.
//! - [`shrink`]: how much of the P5–P95 band pinning each input removes (what to research
//!   next), with intervals.
//! - [`fan`]: a sweep's bands (P5–P95, P25–P75) and median line over the swept input.
//! - [`difference`]: a comparison's paired difference, with zero and `P(other < baseline)`.
//! - [`forest_of_scenarios`], [`forest_of_differences`]: one row per scenario, a P5–P95 bar
//!   and the median with its interval: a metric over the scenarios of a batch, or the
//!   differences of a comparison with several alternatives.
//!
//! Numbers are written as people read them (`$4.071M`, `12.3k`); a value range spanning more
//! than a decade is drawn on a log axis.

mod axis;
mod difference;
mod distribution;
mod fan;
mod forest;
mod frame;
mod markers;
mod shrink;
mod text;
mod tornado;

pub use difference::difference;
pub use distribution::distribution;
pub use fan::{fan, MAX_FANS};
pub use forest::{forest_of_differences, forest_of_scenarios};
pub use shrink::shrink;
pub use tornado::tornado;

/// A chart could not be drawn (the SVG backend failed, which writing to memory does not).
#[derive(Debug, thiserror::Error)]
#[error("drawing a chart failed: {0}")]
pub struct ChartError(String);

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for ChartError
{
    fn from(error: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError(error.to_string())
    }
}

/// A metric's name for people, e.g. `Daily cost` for `daily_cost_usd`.
pub fn metric_title(metric: crate::model::Metric) -> &'static str {
    text::metric_title(metric)
}

#[cfg(test)]
mod tests;
