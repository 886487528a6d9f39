//! The report of a sweep: how the answer moves over the swept input, in words; the fan
//! charts of the daily cost and the GPUs; a table per point; the inputs, warnings and
//! provenance.

use super::parts::{self, count, escape, paragraph, section};
use super::{page, Document, Figures, ScenarioFacts};
use crate::chart::{self, metric_title, ChartError};
use crate::export::human;
use crate::model::Metric;
use crate::report::sweep::{SweepPoint, SweepReport};

/// The metrics a sweep's report charts and tabulates.
const SHOWN: [Metric; 2] = [Metric::DailyCostUsd, Metric::Gpus];

/// The report of `report` over the base scenario `facts`, run by `command_line` when known.
pub fn sweep_document(
    report: &SweepReport,
    facts: &ScenarioFacts,
    command_line: Option<&str>,
) -> Result<Document, ChartError> {
    let mut figures = Figures::default();
    let varied = report.varied.join(" and ");
    let title = format!("{}: the cost over {varied}", report.scenario);
    let mut body = parts::header("costbands sweep", &title, &facts.description, &facts.about);
    body.push_str(&answer(report));
    let mut drawn = Vec::new();
    for metric in SHOWN {
        for (index, (key, svg)) in chart::fan(report, metric)?.into_iter().enumerate() {
            let file = match index {
                0 if key.is_empty() => format!("fan-{}", metric.name()),
                _ => format!("fan-{}-{}", metric.name(), index + 1),
            };
            let caption =
                format!(
                "{} at each value of {}{}: the light band holds 90% of outcomes (P5 to P95), the \
                 darker one the middle half; the line is the median, with its confidence \
                 interval at each point.",
                metric_title(metric),
                report.varied[0],
                if key.is_empty() { String::new() } else { format!(" ({key})") }
            );
            drawn.push(figures.add(&file, Ok(Some(svg)), &caption)?);
        }
    }
    body.push_str(&section("Bands over the sweep"));
    body.push_str(&parts::charts(&drawn));
    for metric in SHOWN {
        body.push_str(&section(&format!(
            "{} at every point",
            metric_title(metric)
        )));
        body.push_str(&points_table(report, metric));
    }
    body.push_str(&section("Inputs and where they come from"));
    let mut note = report.method_note.to_string();
    if let Some(first) = note.get(..1) {
        note.replace_range(..1, &first.to_uppercase());
    }
    body.push_str(&paragraph(&format!("{note}.")));
    body.push_str(&parts::inputs_table(&facts.inputs));
    body.push_str(&section("Warnings"));
    body.push_str(&parts::warnings(&facts.warnings));
    body.push_str(&section("How this was computed"));
    body.push_str(&parts::provenance(&provenance(report, facts, command_line)));
    Ok(Document {
        html: page::page(&title, &body),
        plots: figures.plots,
    })
}

/// The median daily cost at the first and last points, in words.
fn answer(report: &SweepReport) -> String {
    let median = |p: &SweepPoint| {
        let m = &p.metrics[Metric::DailyCostUsd.index()];
        let at = m
            .summary
            .percentiles
            .iter()
            .find(|e| e.percentile == 50.0)?;
        Some(parts::in_words(
            at.value,
            at.ci_low,
            at.ci_high,
            m.unit,
            report.settings.confidence,
        ))
    };
    let (Some(first), Some(last)) = (report.points.first(), report.points.last()) else {
        return String::new();
    };
    let (Some(a), Some(b)) = (median(first), median(last)) else {
        return String::new();
    };
    let at = |p: &SweepPoint| {
        report
            .varied
            .iter()
            .zip(&p.values)
            .map(|(n, v)| format!("{n} = {}", readable(n, v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = format!(
        "The median daily cost goes from {a} at {} to {b} at {}, over {} points.",
        at(first),
        at(last),
        report.points.len()
    );
    format!(
        "<div class=\"answer\">\n{}<p class=\"note\">{} samples at every point; inputs a point \
         does not change take the same draws at every point, so the differences between points \
         come from the swept inputs alone.</p>\n</div>\n",
        paragraph(&text),
        count(report.settings.samples)
    )
}

/// A swept value as people read it: `100M` for `100000000` (a value that is not a number,
/// such as a GPU, as it is).
fn readable(input: &str, value: &str) -> String {
    let unit = crate::model::Input::from_name(input).map_or("", |i| i.info().unit);
    match value.parse::<f64>() {
        Ok(number) if number.is_finite() => human(number, unit),
        _ => value.to_string(),
    }
}

/// One row per point: the varied values, P5, P50, P95 and the mean of `metric`.
fn points_table(report: &SweepReport, metric: Metric) -> String {
    let rows: Vec<Vec<String>> = report
        .points
        .iter()
        .map(|p| {
            let m = &p.metrics[metric.index()];
            let mut row: Vec<String> = (report.varied.iter().zip(&p.values))
                .map(|(n, v)| escape(&readable(n, v)))
                .collect();
            for level in [5.0, 50.0, 95.0] {
                row.push(
                    m.summary
                        .percentiles
                        .iter()
                        .find(|e| e.percentile == level)
                        .map_or(String::new(), |e| {
                            parts::estimate_cell(e.value, e.ci_low, e.ci_high, m.unit)
                        }),
                );
            }
            let s = &m.summary;
            row.push(parts::estimate_cell(
                s.mean,
                s.mean_ci.low,
                s.mean_ci.high,
                m.unit,
            ));
            row
        })
        .collect();
    let mut head: Vec<&str> = report.varied.iter().map(String::as_str).collect();
    head.extend(["P5", "P50", "P95", "mean"]);
    let caption = format!(
        "{}, each value with its confidence interval; every percentile is in sweep.csv",
        parts::metric_name(metric.name(), metric.unit())
    );
    parts::table(&caption, &head, &rows)
}

fn provenance(
    report: &SweepReport,
    facts: &ScenarioFacts,
    command_line: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut items = vec![("tool", format!("{} {}", report.tool, report.version))];
    if let Some(line) = command_line {
        items.push(("command line", line.to_string()));
    }
    items.extend([
        ("seed", report.settings.seed.to_string()),
        ("samples per point", count(report.settings.samples)),
        ("sampling method", report.settings.method.name().to_string()),
        ("confidence level", report.settings.confidence.to_string()),
        ("points", report.points.len().to_string()),
        ("threads", report.threads.to_string()),
        ("elapsed", format!("{:.2} s", report.elapsed_s)),
    ]);
    items.extend(parts::scenario_provenance(facts));
    items
}
