//! The pieces every report page is made of: escaped text, figures, tables of estimates with
//! their intervals, the inputs and where they come from, warnings and provenance.

use super::ScenarioFacts;
use crate::chart::metric_title;
use crate::export::human;
use crate::format::significant;
use crate::model::Metric;
use crate::report::{InputReport, MetricReport};
use crate::scenario::InputOrigin;
use crate::sensitivity::TopDrivers;
use std::fmt::Write as _;

/// `text` with HTML's special characters escaped.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A figure: the chart's SVG inline, and a caption under it.
pub(super) fn figure(svg: &str, caption: &str) -> String {
    let svg = svg.find("<svg").map_or(svg, |at| &svg[at..]);
    format!(
        "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(caption)
    )
}

/// Figures side by side where the page is wide enough.
pub(super) fn charts(figures: &[String]) -> String {
    let figures: String = figures.iter().map(String::as_str).collect();
    if figures.is_empty() {
        return String::new();
    }
    format!("<div class=\"charts\">\n{figures}</div>\n")
}

/// A table of numbers with `caption` above it, header cells `head` (text) and rows of cells
/// (HTML): the first column left-aligned, the others right-aligned.
pub(super) fn table(caption: &str, head: &[&str], rows: &[Vec<String>]) -> String {
    table_of("", caption, head, rows)
}

/// A table of text: every column left-aligned.
pub(super) fn text_table(caption: &str, head: &[&str], rows: &[Vec<String>]) -> String {
    table_of(" class=\"text\"", caption, head, rows)
}

fn table_of(class: &str, caption: &str, head: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    if !caption.is_empty() {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(caption));
    }
    let _ = writeln!(out, "<div class=\"table-wrap\"><table{class}>");
    out.push_str("<thead><tr>");
    for cell in head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(cell));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            if cell.starts_with("<td") {
                out.push_str(cell);
            } else {
                let _ = write!(out, "<td>{cell}</td>");
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// A cell of text that wraps (the table's other cells do not).
pub(super) fn words_cell(html: &str) -> String {
    format!("<td class=\"words\">{html}</td>")
}

/// An interval `[low, high]` in `unit`; an open end (too few samples) as `≤ high` or `≥ low`.
pub(super) fn interval(low: f64, high: f64, unit: &str) -> String {
    match (low.is_finite(), high.is_finite()) {
        (true, true) => format!("[{}, {}]", human(low, unit), human(high, unit)),
        (false, true) => format!("[≤ {}]", human(high, unit)),
        (true, false) => format!("[≥ {}]", human(low, unit)),
        (false, false) => "[open]".to_string(),
    }
}

/// A table cell: the estimate, its interval in small type under it.
pub(super) fn estimate_cell(value: f64, low: f64, high: f64, unit: &str) -> String {
    format!(
        "{}<span class=\"ci\">{}</span>",
        escape(&human(value, unit)),
        escape(&interval(low, high, unit))
    )
}

/// `$4.071M (95% CI $4.037M to $4.101M)`: an estimate and its interval in words.
pub(super) fn in_words(value: f64, low: f64, high: f64, unit: &str, level: f64) -> String {
    let level = significant(level * 100.0, 3);
    let range = match (low.is_finite(), high.is_finite()) {
        (true, true) => format!("{} to {}", human(low, unit), human(high, unit)),
        (false, true) => format!("at most {}", human(high, unit)),
        (true, false) => format!("at least {}", human(low, unit)),
        (false, false) => "open: too few samples".to_string(),
    };
    format!("{} ({level}% CI {range})", human(value, unit))
}

/// A metric's name for people with its unit: `Daily cost (USD/day)`.
pub(super) fn metric_name(name: &'static str, unit: &str) -> String {
    let title = Metric::from_name_or_item(name).map_or(name, metric_title);
    if title.eq_ignore_ascii_case(unit) {
        return title.to_string();
    }
    format!("{title} ({unit})")
}

/// The page's header: what kind of report, the scenario's name, description and the
/// comment that opens its file.
pub(super) fn header(kicker: &str, title: &str, description: &str, about: &str) -> String {
    let mut out = format!(
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n",
        escape(kicker),
        escape(title)
    );
    if !description.is_empty() {
        let _ = writeln!(out, "<p class=\"lead\">{}</p>", escape(description));
    }
    for paragraph in about.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(out, "<p class=\"about\">{}</p>", escape(paragraph));
    }
    out.push_str("</header>\n");
    out
}

/// Every percentile and the mean of every metric, each with its interval; constant metrics
/// in one line under the table.
pub(super) fn bands_table(metrics: &[MetricReport], percentiles: &[f64], level: f64) -> String {
    let mut head: Vec<String> = vec!["metric".to_string()];
    head.extend(percentiles.iter().map(|p| format!("P{p}")));
    head.push("mean".to_string());
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut constant = Vec::new();
    let mut rows = Vec::new();
    for m in metrics {
        let s = &m.summary;
        if s.samples > 0 && s.min == s.max {
            constant.push(format!("{} = {}", m.metric, human(s.min, m.unit)));
            continue;
        }
        let mut row = vec![format!(
            "<td class=\"metric\">{}</td>",
            escape(&metric_name(m.metric, m.unit))
        )];
        row.extend(
            s.percentiles
                .iter()
                .map(|p| estimate_cell(p.value, p.ci_low, p.ci_high, m.unit)),
        );
        row.push(estimate_cell(s.mean, s.mean_ci.low, s.mean_ci.high, m.unit));
        rows.push(row);
    }
    let caption = format!(
        "Each value with its {}% Monte Carlo confidence interval in brackets",
        significant(level * 100.0, 3)
    );
    let mut out = table(&caption, &head, &rows);
    if !constant.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">The same in every sample: {}.</p>",
            escape(&constant.join(", "))
        );
    }
    out
}

/// Where an input's distribution came from, in words.
fn origin_words(origin: InputOrigin) -> &'static str {
    match origin {
        InputOrigin::File => "scenario file",
        InputOrigin::Set => "--set on the command line",
        InputOrigin::Gpu => "GPU catalog",
        InputOrigin::Default => "default",
        InputOrigin::Pinned => "pinned",
    }
}

/// The inputs: each distribution as resolved, where it came from and the file's comment.
pub(super) fn inputs_table(inputs: &[InputReport]) -> String {
    let rows: Vec<Vec<String>> = inputs
        .iter()
        .map(|i| {
            let source = match &i.note {
                Some(note) => format!("{}: {}", origin_words(i.origin), note),
                None => origin_words(i.origin).to_string(),
            };
            vec![
                format!("<td class=\"name\"><code>{}</code></td>", escape(i.name)),
                escape(i.unit),
                words_cell(&escape(&i.describe)),
                words_cell(&escape(&source)),
            ]
        })
        .collect();
    text_table(
        "Every input the model reads, as resolved for this job",
        &["input", "unit", "distribution", "source"],
        &rows,
    )
}

/// The top drivers of a run: Spearman's ρ with its interval.
pub(super) fn drivers_table(top: &TopDrivers) -> String {
    if top.drivers.is_empty() {
        return "<p>No input is uncertain: nothing drives the result.</p>\n".to_string();
    }
    let rows: Vec<Vec<String>> = top
        .drivers
        .iter()
        .map(|d| {
            vec![
                format!("<code>{}</code>", escape(d.input)),
                format!("{:+.3}", d.rho),
                format!("[{:+.3}, {:+.3}]", d.ci_low, d.ci_high),
            ]
        })
        .collect();
    let caption = format!(
        "Inputs most rank-correlated with {}: Spearman ρ over {} samples{}",
        top.metric,
        top.samples,
        if top.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", top.note)
        }
    );
    table(&caption, &["input", "ρ", "interval"], &rows)
}

/// Where the money goes: each part of the daily cost, its median and mean, and its share of
/// the mean daily cost with the share's interval.
pub(super) fn breakdown_table(s: &crate::report::ScenarioReport, level: f64) -> String {
    let percent = |x: f64| format!("{:.2}%", 100.0 * x);
    let rows: Vec<Vec<String>> = s
        .breakdown
        .iter()
        .map(|part| {
            vec![
                format!("<code>{}</code>", escape(part.metric)),
                escape(&human(part.usd_per_day_p50, "USD/day")),
                escape(&human(part.mean, "USD/day")),
                percent(part.share_of_mean),
                format!(
                    "[{}, {}]",
                    percent(part.share_ci.low),
                    percent(part.share_ci.high)
                ),
            ]
        })
        .collect();
    let training = match s.training {
        "none" => "",
        _ if s.include_training => "; training is included",
        _ => "; training is reported apart and not included",
    };
    let caption = format!(
        "Parts of the daily cost: share of the mean daily cost (E[part] ÷ E[daily cost]) with its \
         {}% interval{training}",
        significant(100.0 * level, 3)
    );
    table(
        &caption,
        &["part", "P50", "mean", "share", "interval"],
        &rows,
    )
}

/// The warnings, or a line saying there are none.
pub(super) fn warnings(list: &[String]) -> String {
    if list.is_empty() {
        return "<p>None.</p>\n".to_string();
    }
    let items: String = list
        .iter()
        .map(|w| format!("<li>{}</li>\n", escape(w)))
        .collect();
    format!("<ul class=\"warnings\">\n{items}</ul>\n")
}

/// Provenance as a list of `(what, value)`, values in code type.
pub(super) fn provenance(items: &[(&str, String)]) -> String {
    let mut out = String::from("<dl class=\"provenance\">\n");
    for (what, value) in items {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd><code>{}</code></dd>",
            escape(what),
            escape(value)
        );
    }
    out.push_str("</dl>\n");
    out
}

/// The provenance of a scenario: where it comes from and its text's hash.
pub(super) fn scenario_provenance(facts: &ScenarioFacts) -> Vec<(&'static str, String)> {
    vec![
        ("scenario", format!("{} ({})", facts.name, facts.origin)),
        ("scenario SHA-256", facts.sha256.clone()),
    ]
}

/// `h2` with `text`.
pub(super) fn section(text: &str) -> String {
    format!("<h2>{}</h2>\n", escape(text))
}

/// A paragraph of `text`.
pub(super) fn paragraph(text: &str) -> String {
    format!("<p>{}</p>\n", escape(text))
}

/// `100,000`.
pub(super) fn count(n: usize) -> String {
    crate::format::thousands(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_counts_are_grouped() {
        assert_eq!(escape("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
        assert_eq!(count(100_000), "100,000");
    }

    #[test]
    fn open_intervals_say_which_end_exists() {
        assert_eq!(interval(f64::NEG_INFINITY, 2.0, "GPUs"), "[≤ 2]");
        assert_eq!(interval(1.0, f64::INFINITY, "USD"), "[≥ $1]");
        assert_eq!(
            in_words(4.0e6, 3.9e6, 4.1e6, "USD/day", 0.95),
            "$4M (95% CI $3.9M to $4.1M)"
        );
    }
}
