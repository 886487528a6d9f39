//! The report of a paired comparison: the verdict in words for each alternative, the
//! distribution of each paired difference (and a forest plot of them when there are several),
//! every metric's comparison, how each input is paired, the inputs, warnings and provenance.

use super::parts::{self, count, escape, paragraph, section};
use super::{page, Document, Figures, ScenarioFacts};
use crate::chart::{self, ChartError};
use crate::export::verdict;
use crate::format::significant;
use crate::model::Metric;
use crate::report::compare::{CompareReport, Estimate, MetricComparison, PairReport, Pairing};

/// The report of `report`, whose baseline and alternatives are `facts` (baseline first), run
/// by `command_line` when known.
pub fn compare_document(
    report: &CompareReport,
    facts: &[ScenarioFacts],
    command_line: Option<&str>,
) -> Result<Document, ChartError> {
    let mut figures = Figures::default();
    let baseline = report.pairs.first().map_or("", |p| p.baseline.as_str());
    let others: Vec<&str> = report.pairs.iter().map(|p| p.scenario.as_str()).collect();
    let title = match others.as_slice() {
        [one] => format!("Is {one} cheaper than {baseline}?"),
        many => format!("{} alternatives against {baseline}", many.len()),
    };
    let mut body = parts::header("costbands compare", &title, "", "");
    body.push_str(&scenario_list(facts));
    body.push_str("<div class=\"answer\">\n");
    for pair in &report.pairs {
        body.push_str(&paragraph(&format!("{}.", verdict(pair))));
    }
    body.push_str(&format!(
        "<p class=\"note\">{} pairs: both scenarios are sampled at one seed and compared sample \
         by sample, inputs with the same distribution sharing their draws.</p>\n</div>\n",
        count(report.samples)
    ));
    let mut drawn = Vec::new();
    let forest = chart::forest_of_differences(report, Metric::DailyCostUsd);
    let caption = "One row per alternative: the difference from the baseline in daily cost, \
                   P5 to P95, the middle half and the median with its interval; left of zero \
                   is cheaper.";
    drawn.push(figures.add("forest-differences-daily_cost_usd", forest, caption)?);
    for pair in &report.pairs {
        let svg = chart::difference(pair, Metric::DailyCostUsd, report.confidence);
        let caption = format!(
            "The daily cost of {} minus that of {} in each pair of samples: green where {} is \
             cheaper. Lines: P5, P50, P95 and mean of the difference with their intervals.",
            pair.scenario, pair.baseline, pair.scenario
        );
        let file = format!("difference-{}-daily_cost_usd", pair.scenario);
        drawn.push(figures.add(&file, svg, &caption)?);
    }
    body.push_str(&section("Differences"));
    body.push_str(&parts::charts(&drawn));
    for pair in &report.pairs {
        body.push_str(&pair_part(pair, report.confidence));
    }
    for scenario in facts {
        body.push_str(&section(&format!("Inputs of {}", scenario.name)));
        body.push_str(&parts::inputs_table(&scenario.inputs));
    }
    body.push_str(&section("Warnings"));
    let warnings: Vec<String> = facts
        .iter()
        .flat_map(|f| f.warnings.iter().map(move |w| format!("{}: {w}", f.name)))
        .collect();
    body.push_str(&parts::warnings(&warnings));
    body.push_str(&section("How this was computed"));
    body.push_str(&parts::provenance(&provenance(report, facts, command_line)));
    Ok(Document {
        html: page::page(&title, &body),
        plots: figures.plots,
    })
}

/// Each scenario with its description.
fn scenario_list(facts: &[ScenarioFacts]) -> String {
    let items: String = facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let role = if i == 0 { " (baseline)" } else { "" };
            format!(
                "<li><strong>{}</strong>{role}{}</li>\n",
                escape(&f.name),
                if f.description.is_empty() {
                    String::new()
                } else {
                    format!(": {}", escape(&f.description))
                }
            )
        })
        .collect();
    format!("<ul>\n{items}</ul>\n")
}

/// One alternative: every metric's comparison and the pairing of its inputs.
fn pair_part(pair: &PairReport, level: f64) -> String {
    let mut out = section(&format!(
        "{} − {}, metric by metric",
        pair.scenario, pair.baseline
    ));
    let percent = |e: &Estimate| {
        format!(
            "{}%<span class=\"ci\">[{}%, {}%]</span>",
            significant(e.value * 100.0, 3),
            significant(e.ci_low * 100.0, 3),
            significant(e.ci_high * 100.0, 3)
        )
    };
    let rows: Vec<Vec<String>> = pair
        .metrics
        .iter()
        .filter(|m| !unchanged(m))
        .map(|m| {
            let at = |level: f64| {
                m.diff
                    .iter()
                    .find(|p| p.percentile == level)
                    .map_or(String::new(), |p| {
                        parts::estimate_cell(p.value, p.ci_low, p.ci_high, m.unit)
                    })
            };
            vec![
                format!(
                    "<td class=\"name\">{}</td>",
                    escape(&parts::metric_name(m.metric, m.unit))
                ),
                percent(&m.p_lower),
                at(5.0),
                at(50.0),
                at(95.0),
                parts::estimate_cell(
                    m.mean_diff.value,
                    m.mean_diff.ci_low,
                    m.mean_diff.ci_high,
                    m.unit,
                ),
            ]
        })
        .collect();
    let caption = format!(
        "P(lower): the share of pairs in which {} is below {}; the rest: percentiles and mean \
         of the difference, each with its {}% interval",
        pair.scenario,
        pair.baseline,
        significant(level * 100.0, 3)
    );
    let head = [
        "metric",
        "P(lower)",
        "P5 diff",
        "P50 diff",
        "P95 diff",
        "mean diff",
    ];
    out.push_str(&parts::table(&caption, &head, &rows));
    let pairing: Vec<Vec<String>> = pair
        .pairing
        .iter()
        .map(|p| {
            vec![
                format!("<code>{}</code>", escape(p.input)),
                pairing_words(p.pairing).to_string(),
            ]
        })
        .collect();
    let caption = "How each input is paired";
    out.push_str(&parts::text_table(caption, &["input", "pairing"], &pairing));
    out
}

/// Whether the metric is the same in every pair (a difference of exactly zero).
fn unchanged(m: &MetricComparison) -> bool {
    m.diff
        .iter()
        .all(|p| p.value == 0.0 && p.ci_low == 0.0 && p.ci_high == 0.0)
        && m.mean_diff.value == 0.0
}

fn pairing_words(pairing: Pairing) -> &'static str {
    match pairing {
        Pairing::Shared => "same distribution: the same draws in both",
        Pairing::Coupled => "coupled: drawn at the same quantile in both",
        Pairing::Independent => "different distributions: drawn independently",
        Pairing::BaselineOnly => "read by the baseline only",
        Pairing::OtherOnly => "read by the alternative only",
    }
}

fn provenance(
    report: &CompareReport,
    facts: &[ScenarioFacts],
    command_line: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut items = vec![("tool", format!("{} {}", report.tool, report.version))];
    if let Some(line) = command_line {
        items.push(("command line", line.to_string()));
    }
    items.extend([
        ("seed", report.seed.to_string()),
        ("samples (pairs)", count(report.samples)),
        ("method", report.method.to_string()),
        ("confidence level", report.confidence.to_string()),
        ("threads", report.threads.to_string()),
        ("elapsed", format!("{:.2} s", report.elapsed_s)),
    ]);
    for f in facts {
        items.extend(parts::scenario_provenance(f));
    }
    items
}
