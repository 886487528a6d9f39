//! What every chart shares: the SVG canvas, the palette, fonts, the heading, a plot with its
//! axes, and the shapes the charts are made of (whiskers, dashed markers, labels).

use super::axis::{Axis, Ticked};
use super::ChartError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The drawing area of a whole chart.
pub(crate) type Root<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// A plot: an area with two axes, in the axes' own spaces.
pub(crate) type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Ticked, Ticked>>;

/// Width of every chart, in pixels (they scale down to a phone's width in the report).
pub(crate) const WIDTH: u32 = 600;
/// Height of the heading (title and one line under it).
pub(crate) const HEADING: i32 = 62;

/// Text sizes, in pixels.
pub(crate) const PX_TITLE: f64 = 19.0;
pub(crate) const PX_TEXT: f64 = 15.0;
pub(crate) const PX_SMALL: f64 = 14.0;

/// The palette (Okabe & Ito's, which colour-blind readers can tell apart), and greys.
pub(crate) const INK: RGBColor = RGBColor(33, 37, 41);
pub(crate) const MUTED: RGBColor = RGBColor(95, 104, 112);
pub(crate) const GRID: RGBColor = RGBColor(226, 230, 234);
pub(crate) const SKY: RGBColor = RGBColor(86, 180, 233);
pub(crate) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(crate) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub(crate) const GREEN: RGBColor = RGBColor(0, 158, 115);
pub(crate) const ORANGE: RGBColor = RGBColor(230, 159, 0);

/// plotters' SVG backend writes a font size of `size / 1.24`; this undoes it.
const SVG_FONT_SCALE: f64 = 1.24;

/// Sans-serif text of `px` pixels in `color`.
pub(crate) fn font(px: f64, color: RGBColor) -> TextStyle<'static> {
    ("sans-serif", px * SVG_FONT_SCALE)
        .into_font()
        .color(&color)
}

/// Bold sans-serif text of `px` pixels.
pub(crate) fn bold(px: f64, color: RGBColor) -> TextStyle<'static> {
    ("sans-serif", px * SVG_FONT_SCALE)
        .into_font()
        .style(FontStyle::Bold)
        .color(&color)
}

/// Draws a chart of `height` pixels and returns its SVG, with `title` and `summary` as its
/// accessible name and description.
pub(crate) fn render(
    height: u32,
    title: &str,
    summary: &str,
    draw: impl FnOnce(&Root) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(accessible(&svg, title, summary))
}

/// `svg` with `role="img"`, a `<title>` and a `<desc>` (what screen readers read, and what
/// a browser shows on hover).
fn accessible(svg: &str, title: &str, summary: &str) -> String {
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    format!(
        "{} role=\"img\"><title>{}</title><desc>{}</desc>{}",
        &svg[..end],
        escape(title),
        escape(summary),
        &svg[end + 1..]
    )
}

/// `text` with XML's special characters escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// Writes `text` at `(x, y)` of `root`, anchored at its `h` side and `v` position.
pub(crate) fn text(
    root: &Root,
    text: &str,
    (x, y): (i32, i32),
    style: &TextStyle,
    (h, v): (HPos, VPos),
) -> Result<(), ChartError> {
    let style = style.pos(Pos::new(h, v));
    root.draw(&Text::new(text.to_string(), (x, y), style))?;
    Ok(())
}

/// The chart's title and a line under it.
pub(crate) fn heading(root: &Root, title: &str, subtitle: &str) -> Result<(), ChartError> {
    let max = f64::from(WIDTH) - 24.0;
    let title = super::text::fit(title, PX_TITLE, max);
    text(
        root,
        &title,
        (12, 10),
        &bold(PX_TITLE, INK),
        (HPos::Left, VPos::Top),
    )?;
    let subtitle = super::text::fit(subtitle, PX_SMALL, max);
    let style = font(PX_SMALL, MUTED);
    text(root, &subtitle, (12, 37), &style, (HPos::Left, VPos::Top))
}

/// Space around a plot's drawing area: label areas left and below, margins above and right.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Margins {
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    pub left: i32,
}

/// A plot on `area` with axes `x` and `y`, ticked at their round values.
pub(crate) fn plot<'a, 'b>(
    area: &'a Root<'b>,
    x: &Axis,
    y: &Axis,
    margins: Margins,
) -> Result<Plot<'a, 'b>, ChartError> {
    plot_with(area, x.coord(x.ticks()), y.coord(y.ticks()), margins)
}

/// A plot on `area` with coordinates `x` and `y` as they are ticked.
pub(crate) fn plot_with<'a, 'b>(
    area: &'a Root<'b>,
    x: Ticked,
    y: Ticked,
    margins: Margins,
) -> Result<Plot<'a, 'b>, ChartError> {
    Ok(ChartBuilder::on(area)
        .margin_top(margins.top)
        .margin_right(margins.right)
        .x_label_area_size(margins.bottom)
        .y_label_area_size(margins.left)
        .build_cartesian_2d(x, y)?)
}

/// A y axis of `n` rows, the first at the top: row `i` is at `n − 1 − i`, ticked at every
/// row (a guide line through each).
pub(crate) fn row_axis(n: usize) -> (Axis, Ticked) {
    let axis = Axis {
        lo: -0.6,
        hi: n as f64 - 0.4,
        log: false,
    };
    let ticks = (0..n).map(|i| i as f64).collect();
    (axis, axis.coord(ticks))
}

/// The position of row `i` of `n` on a [`row_axis`].
pub(crate) fn row(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// The name of the row at position `t` of a [`row_axis`] of `names`, fitted into `max_px`.
pub(crate) fn row_name(names: &[String], t: f64, max_px: f64) -> String {
    let n = names.len();
    let i = n as f64 - 1.0 - t.round();
    if i < 0.0 || i >= n as f64 {
        return String::new();
    }
    super::text::fit(&names[i as usize], PX_SMALL, max_px)
}

/// The width of a label area that holds the longest of `names` (at most `max`).
pub(crate) fn names_width(names: &[String], max: f64) -> i32 {
    let widest = names
        .iter()
        .map(|n| super::text::width(n, PX_SMALL))
        .fold(0.0, f64::max);
    (widest.min(max) + 14.0).ceil() as i32
}

/// What the axes of a plot say: their titles and how their ticks are labelled.
pub(crate) struct AxisText<'t> {
    /// Under the x axis, e.g. `Daily cost (USD/day), log scale`.
    pub x_title: &'t str,
    /// Beside the y axis.
    pub y_title: &'t str,
    /// Tick label of the x axis at a position of its space.
    pub x_label: &'t dyn Fn(&f64) -> String,
    /// Tick label of the y axis at a position of its space.
    pub y_label: &'t dyn Fn(&f64) -> String,
}

/// Draws the grid, axes, tick labels and axis titles of `plot`.
pub(crate) fn mesh(plot: &mut Plot, labels: &AxisText) -> Result<(), ChartError> {
    plot.configure_mesh()
        .x_label_formatter(labels.x_label)
        .y_label_formatter(labels.y_label)
        .x_desc(labels.x_title)
        .y_desc(labels.y_title)
        .label_style(font(PX_SMALL, MUTED))
        .axis_desc_style(font(PX_TEXT, INK))
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(MUTED)
        .set_all_tick_mark_size(4)
        .draw()?;
    Ok(())
}

/// A confidence interval of the x axis drawn on `root` at height `at` of `plot`'s y axis:
/// from `low` to `high` (values), with end caps `cap` pixels tall; an open end (±∞) ends at
/// the edge of the axis without a cap. At least 3 pixels wide, so that a narrow interval
/// still reads as one.
pub(crate) fn whisker(
    root: &Root,
    plot: &Plot,
    x: &Axis,
    (low, high, at): (f64, f64, f64),
    cap: i32,
    color: RGBColor,
) -> Result<(), ChartError> {
    let pa = plot.backend_coord(&(x.clamped(low), at));
    let pb = plot.backend_coord(&(x.clamped(high), at));
    let (pa, pb) = if pb.0 - pa.0 < 3 {
        let mid = (pa.0 + pb.0) / 2;
        ((mid - 1, pa.1), (mid + 2, pb.1))
    } else {
        (pa, pb)
    };
    let line = ShapeStyle::from(&color).stroke_width(2);
    root.draw(&PathElement::new(vec![pa, pb], line))?;
    for (end, closed) in [(pa, low.is_finite()), (pb, high.is_finite())] {
        if closed {
            let tick = vec![(end.0, end.1 - cap / 2), (end.0, end.1 + cap / 2)];
            root.draw(&PathElement::new(tick, line))?;
        }
    }
    Ok(())
}

/// The same as [`whisker`] for an interval of the y axis at `at` of the x axis.
pub(crate) fn vertical_whisker(
    root: &Root,
    plot: &Plot,
    y: &Axis,
    (low, high, at): (f64, f64, f64),
    cap: i32,
    color: RGBColor,
) -> Result<(), ChartError> {
    let pa = plot.backend_coord(&(at, y.clamped(low)));
    let pb = plot.backend_coord(&(at, y.clamped(high)));
    let line = ShapeStyle::from(&color).stroke_width(2);
    root.draw(&PathElement::new(vec![pa, pb], line))?;
    for (end, closed) in [(pa, low.is_finite()), (pb, high.is_finite())] {
        if closed {
            let tick = vec![(end.0 - cap / 2, end.1), (end.0 + cap / 2, end.1)];
            root.draw(&PathElement::new(tick, line))?;
        }
    }
    Ok(())
}

/// A vertical line on `plot` at `x` (axis space) over the whole y range, solid or dashed.
pub(crate) fn vertical(
    plot: &mut Plot,
    x: f64,
    y: &Axis,
    style: ShapeStyle,
    dashed: bool,
) -> Result<(), ChartError> {
    let (y0, y1) = (y.to(y.lo), y.to(y.hi));
    if dashed {
        plot.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
            vec![(x, y0), (x, y1)],
            6,
            4,
            style,
        )))?;
    } else {
        plot.draw_series(std::iter::once(PathElement::new(
            vec![(x, y0), (x, y1)],
            style,
        )))?;
    }
    Ok(())
}

/// A small legend swatch and its text at `(x, y)` of `root`; returns the x after it.
pub(crate) fn legend(
    root: &Root,
    (x, y): (i32, i32),
    color: RGBColor,
    label: &str,
) -> Result<i32, ChartError> {
    root.draw(&Rectangle::new(
        [(x, y - 6), (x + 14, y + 6)],
        ShapeStyle::from(&color).filled(),
    ))?;
    let style = font(PX_SMALL, INK);
    text(root, label, (x + 20, y), &style, (HPos::Left, VPos::Center))?;
    Ok(x + 20 + super::text::width(label, PX_SMALL).ceil() as i32 + 16)
}
