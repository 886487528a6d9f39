//! The report of a sensitivity analysis: which input to research first, in words; the
//! tornado and the band-width shrink of every metric analysed; every estimate in tables; the
//! inputs; warnings and provenance.

use super::parts::{self, count, escape, paragraph, section};
use super::{page, Document, Figures, ScenarioFacts};
use crate::chart::{self, ChartError};
use crate::export::human;
use crate::format::significant;
use crate::sensitivity::{Estimate, Method, SensitivityReport};

/// The report of `report` on the scenario `facts`, run by `command_line` when known.
pub fn sensitivity_document(
    report: &SensitivityReport,
    facts: &ScenarioFacts,
    command_line: Option<&str>,
) -> Result<Document, ChartError> {
    let mut figures = Figures::default();
    let mut body = parts::header(
        "costbands sensitivity",
        &format!("What drives {}", report.scenario),
        &report.description,
        &facts.about,
    );
    body.push_str(&answer(report));
    for base in &report.metrics {
        let metric = base.metric;
        let mut drawn = Vec::new();
        let caption = "Each bar: the metric with one input at its P10 (blue) and at its P90 \
                       (orange), every other input at its median; the line is all at medians.";
        let tornado = chart::tornado(report, metric);
        drawn.push(figures.add(&format!("tornado-{metric}"), tornado, caption)?);
        let caption = "Each bar: the share of the P5–P95 band that goes when the input is \
                       pinned at its median (same seed, so only that input changes), with its \
                       bootstrap interval. Research the top ones first.";
        let shrink = chart::shrink(report, metric);
        drawn.push(figures.add(&format!("shrink-{metric}"), shrink, caption)?);
        body.push_str(&section(&parts::metric_name(metric, base.unit)));
        body.push_str(&parts::charts(&drawn));
        for method in &report.methods {
            body.push_str(&method_table(report, metric, *method));
        }
    }
    body.push_str(&section("Inputs and where they come from"));
    body.push_str(&parts::inputs_table(&facts.inputs));
    body.push_str(&section("Warnings"));
    let warnings: Vec<String> = facts
        .warnings
        .iter()
        .chain(&report.warnings)
        .cloned()
        .collect();
    body.push_str(&parts::warnings(&warnings));
    body.push_str(&section("How this was computed"));
    body.push_str(&parts::provenance(&provenance(report, facts, command_line)));
    let title = format!("{}: what drives the result", report.scenario);
    Ok(Document {
        html: page::page(&title, &body),
        plots: figures.plots,
    })
}

fn value<'r>(
    report: &'r SensitivityReport,
    method: Method,
    metric: &str,
    statistic: &str,
) -> Vec<&'r Estimate> {
    report
        .results
        .iter()
        .filter(|e| e.method == method && e.metric == metric && e.statistic == statistic)
        .collect()
}

/// What to research first, in words: the largest swing and the largest shrink.
fn answer(report: &SensitivityReport) -> String {
    let mut sentences = Vec::new();
    for base in &report.metrics {
        let metric = base.metric;
        let swings = value(report, Method::Tornado, metric, "swing");
        if let Some(top) = swings.iter().max_by(|a, b| a.value.total_cmp(&b.value)) {
            let at = |statistic| {
                value(report, Method::Tornado, metric, statistic)
                    .into_iter()
                    .find(|e| e.input == top.input)
                    .map_or(f64::NAN, |e| e.value)
            };
            sentences.push(format!(
                "{}: the largest swing comes from {}: with it at its P10 the result is {}, at \
                 its P90 {} (every other input at its median, which gives {}).",
                parts::metric_name(metric, base.unit),
                top.input,
                human(at("low"), base.unit),
                human(at("high"), base.unit),
                human(base.at_medians, base.unit)
            ));
        }
        let shrinks = value(report, Method::Width, metric, "shrink_pct");
        if let Some(top) = shrinks.iter().max_by(|a, b| a.value.total_cmp(&b.value)) {
            sentences.push(format!(
                "Knowing {} exactly would remove {}% of the P5–P95 band ({}% CI {}% to {}%): \
                 research it first.",
                top.input,
                significant(top.value, 3),
                significant(report.confidence * 100.0, 3),
                significant(top.ci_low.unwrap_or(f64::NAN), 3),
                significant(top.ci_high.unwrap_or(f64::NAN), 3)
            ));
        }
    }
    if sentences.is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"answer\">\n");
    for sentence in sentences {
        out.push_str(&paragraph(&sentence));
    }
    out.push_str("</div>\n");
    out
}

/// One method's estimates of `metric`: a row per input, a column per statistic.
fn method_table(report: &SensitivityReport, metric: &str, method: Method) -> String {
    let rows: Vec<&Estimate> = report
        .results
        .iter()
        .filter(|e| e.method == method && e.metric == metric)
        .collect();
    let mut statistics: Vec<&str> = Vec::new();
    let mut inputs: Vec<&str> = Vec::new();
    for e in &rows {
        if !statistics.contains(&e.statistic) {
            statistics.push(e.statistic);
        }
        if !inputs.contains(&e.input) {
            inputs.push(e.input);
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    let unit = report
        .metrics
        .iter()
        .find(|m| m.metric == metric)
        .map_or("", |m| m.unit);
    let cells: Vec<Vec<String>> = inputs
        .iter()
        .map(|input| {
            let mut row = vec![format!("<code>{}</code>", escape(input))];
            for statistic in &statistics {
                let e = rows
                    .iter()
                    .find(|e| e.input == *input && e.statistic == *statistic);
                row.push(e.map_or(String::new(), |e| cell(e, unit)));
            }
            row
        })
        .collect();
    let mut head = vec!["input"];
    head.extend(statistics.iter().copied());
    let caption = format!("{}: {}", method.name(), definition(report, method));
    parts::table(&caption, &head, &cells)
}

/// An estimate in its own unit: ρ and Sobol indices as numbers, `shrink_pct` in percent,
/// the rest in the metric's unit.
fn cell(e: &Estimate, unit: &str) -> String {
    let show = |v: f64| match (e.method, e.statistic) {
        (Method::Spearman, _) => format!("{v:+.3}"),
        (Method::Sobol, _) => format!("{v:.3}"),
        (_, "shrink_pct") => format!("{}%", significant(v, 3)),
        _ => human(v, unit),
    };
    match (e.ci_low, e.ci_high) {
        (Some(lo), Some(hi)) => format!(
            "{}<span class=\"ci\">[{}, {}]</span>",
            escape(&show(e.value)),
            escape(&show(lo)),
            escape(&show(hi))
        ),
        _ => escape(&show(e.value)),
    }
}

fn definition(report: &SensitivityReport, method: Method) -> &'static str {
    match method {
        Method::Spearman => report.definitions.spearman,
        Method::Tornado => report.definitions.tornado,
        Method::Sobol => report.definitions.sobol,
        Method::Width => report.definitions.width,
    }
}

fn provenance(
    report: &SensitivityReport,
    facts: &ScenarioFacts,
    command_line: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut items = vec![("tool", format!("{} {}", report.tool, report.version))];
    if let Some(line) = command_line {
        items.push(("command line", line.to_string()));
    }
    let methods: Vec<&str> = report.methods.iter().map(|m| m.name()).collect();
    items.extend([
        ("seed", report.seed.to_string()),
        ("samples", count(report.samples)),
        ("methods", methods.join(", ")),
        ("bootstrap resamples", report.resamples.to_string()),
        ("confidence level", report.confidence.to_string()),
        ("threads", report.threads.to_string()),
        ("elapsed", format!("{:.2} s", report.elapsed_s)),
    ]);
    if let Some(design) = &report.sobol {
        items.push((
            "Sobol design",
            format!(
                "N = {}, {} model runs, {} rows dropped, B seed {}",
                design.base_samples, design.evaluations, design.rows_dropped, design.b_seed
            ),
        ));
    }
    items.extend(parts::scenario_provenance(facts));
    items
}
