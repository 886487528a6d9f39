//! The report of a run: the answer in words, the distribution charts, every band, the top
//! drivers, the inputs and their sources, warnings and provenance; for several scenarios (a
//! batch), a forest plot of the daily cost over all of them first.

use super::parts::{self, count, escape, in_words, paragraph, section};
use super::{page, Document, Figures, ScenarioFacts};
use crate::chart::{self, metric_title, ChartError};
use crate::export::human;
use crate::model::Metric;
use crate::report::{MetricReport, RunReport, ScenarioReport};
use crate::stats::PercentileEstimate;

/// The metrics a single scenario's report charts, in order.
const CHARTED: [Metric; 4] = crate::report::CHARTED_METRICS;

/// The report of `report`, whose scenarios are `facts` (in the same order), run by
/// `command_line` when known.
pub fn run_document(
    report: &RunReport,
    facts: &[ScenarioFacts],
    command_line: Option<&str>,
) -> Result<Document, ChartError> {
    let mut figures = Figures::default();
    let mut body = String::new();
    let batch = report.scenarios.len() > 1;
    if batch {
        body.push_str(&batch_opening(report, &mut figures)?);
    }
    for (index, scenario) in report.scenarios.iter().enumerate() {
        let about = facts.get(index).map_or("", |f| f.about.as_str());
        body.push_str(&scenario_part(
            report,
            scenario,
            about,
            batch,
            &mut figures,
        )?);
    }
    body.push_str(&section("How this was computed"));
    body.push_str(&parts::provenance(&provenance(report, command_line)));
    let title = match report.scenarios.as_slice() {
        [one] => format!("{}: cost estimate", one.name),
        many => format!("{} scenarios: cost estimates", many.len()),
    };
    Ok(Document {
        html: page::page(&title, &body),
        plots: figures.plots,
    })
}

/// The opening of a batch's report: its scenarios and the forest of their daily cost.
fn batch_opening(report: &RunReport, figures: &mut Figures) -> Result<String, ChartError> {
    let names: Vec<&str> = report.scenarios.iter().map(|s| s.name.as_str()).collect();
    let mut out = parts::header(
        "costbands run",
        &format!("{} scenarios", names.len()),
        &names.join(", "),
        "",
    );
    let medians: Vec<(&str, f64)> = report
        .scenarios
        .iter()
        .filter_map(|s| {
            Some((
                s.name.as_str(),
                at(s.metric(Metric::DailyCostUsd), 50.0)?.value,
            ))
        })
        .collect();
    let lowest = medians.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    let highest = medians.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    if let (Some(lo), Some(hi)) = (lowest, highest) {
        out.push_str(&format!(
            "<div class=\"answer\"><p>The median daily cost runs from {} ({}) to {} ({}).</p></div>\n",
            escape(&human(lo.1, "USD/day")),
            escape(lo.0),
            escape(&human(hi.1, "USD/day")),
            escape(hi.0)
        ));
    }
    let forest = chart::forest_of_scenarios(report, Metric::DailyCostUsd);
    let caption = "One row per scenario: its 90% range of the daily cost (P5 to P95), the middle \
                   half (P25 to P75) and the median, with the median's confidence interval.";
    out.push_str(&figures.add("forest-daily_cost_usd", forest, caption)?);
    Ok(out)
}

/// One scenario's part of the report.
fn scenario_part(
    report: &RunReport,
    s: &ScenarioReport,
    about: &str,
    batch: bool,
    figures: &mut Figures,
) -> Result<String, ChartError> {
    let level = report.settings.confidence;
    let mut out = if batch {
        let mut part = section(&s.name);
        if !s.description.is_empty() {
            part.push_str(&format!(
                "<p class=\"lead\">{}</p>\n",
                escape(&s.description)
            ));
        }
        part
    } else {
        parts::header("costbands run", &s.name, &s.description, about)
    };
    out.push_str(&answer(s, level));
    let charted: &[Metric] = if batch { &CHARTED[..1] } else { &CHARTED };
    let mut drawn = Vec::new();
    for metric in charted {
        let m = s.metric(*metric);
        let svg = chart::distribution(m, &s.name, level);
        let file = format!("distribution-{}-{}", s.name, m.metric);
        drawn.push(figures.add(&file, svg, &distribution_caption(m))?);
    }
    let heading = |text: &str| {
        if batch {
            format!("<h3>{}</h3>\n", escape(text))
        } else {
            section(text)
        }
    };
    out.push_str(&heading("Distributions"));
    out.push_str(&parts::charts(&drawn));
    out.push_str(&heading("Every band"));
    out.push_str(&parts::bands_table(
        &s.metrics,
        &report.settings.percentiles,
        level,
    ));
    if !s.breakdown.is_empty() {
        out.push_str(&heading("Where the money goes"));
        out.push_str(&parts::breakdown_table(s, level));
    }
    out.push_str(&heading("What drives the cost"));
    out.push_str(&parts::drivers_table(&s.top_drivers));
    out.push_str(&heading("Inputs and where they come from"));
    out.push_str(&parts::inputs_table(&s.inputs));
    out.push_str(&heading("Warnings"));
    out.push_str(&parts::warnings(&s.warnings));
    Ok(out)
}

/// How to read a distribution chart.
fn distribution_caption(m: &MetricReport) -> String {
    format!(
        "{}: bars are the share of samples at each value; the curve below is the chance of \
         exceeding each value. Dashed lines mark P5 and P95, the solid line the median, the \
         green line the mean; the short bars near the top are their confidence intervals.",
        metric_title(Metric::from_name_or_item(m.metric).unwrap_or(Metric::DailyCostUsd))
    )
}

fn at(m: &MetricReport, level: f64) -> Option<&PercentileEstimate> {
    m.summary
        .percentiles
        .iter()
        .find(|p| p.percentile == level && p.value.is_finite())
}

/// The answer in words: the daily cost's band, median and mean with their intervals, then
/// GPUs, cost and energy per query, then the `--exceed` probabilities.
fn answer(s: &ScenarioReport, level: f64) -> String {
    let cost = s.metric(Metric::DailyCostUsd);
    let mut sentences = Vec::new();
    if let Some(band) = band(cost) {
        sentences.push(format!(
            "With {band}, given the ranges of the inputs below."
        ));
    }
    if let Some(median) = at(cost, 50.0) {
        let sm = &cost.summary;
        let skew = if sm.mean > 1.1 * median.value {
            ": above the median, because a few expensive outcomes pull it up"
        } else {
            ""
        };
        sentences.push(format!(
            "The median is {}; the mean is {}{skew}.",
            in_words(
                median.value,
                median.ci_low,
                median.ci_high,
                cost.unit,
                level
            ),
            in_words(sm.mean, sm.mean_ci.low, sm.mean_ci.high, cost.unit, level),
        ));
    }
    if let Some(sentence) = per_unit(s) {
        sentences.push(sentence);
    }
    for e in &cost.summary.exceedances {
        sentences.push(format!(
            "The chance that the daily cost exceeds {} is {}% ({}% CI {}% to {}%).",
            human(e.threshold, cost.unit),
            percent(e.probability),
            percent(level),
            percent(e.ci_low),
            percent(e.ci_high)
        ));
    }
    let mut out = String::from("<div class=\"answer\">\n");
    for sentence in sentences {
        out.push_str(&paragraph(&sentence));
    }
    out.push_str(&format!(
        "<p class=\"note\">From {} samples. Bracketed ranges are Monte Carlo confidence \
         intervals: more samples narrow them. The P5 to P95 range is the uncertainty of the \
         inputs, which more samples do not remove.</p>\n</div>\n",
        count(s.samples_used)
    ));
    out
}

/// `At the median it takes 66.5k GPUs (P5 to P95: 12.3k to 361.8k), a query costs $0.001626
/// ($0.000298 to $0.008948) and uses 0.6071 Wh (0.11 to 3.389).`
fn per_unit(s: &ScenarioReport) -> Option<String> {
    let clauses: Vec<String> = [
        (Metric::Gpus, "it takes ", " GPUs"),
        (Metric::CostPerQueryUsd, "a query costs ", ""),
        (Metric::WhPerQuery, "uses ", " Wh"),
    ]
    .iter()
    .enumerate()
    .filter_map(|(index, (metric, verb, what))| {
        let m = s.metric(*metric);
        let median = at(m, 50.0)?;
        let range = outer(m).map_or(String::new(), |(lo, hi)| {
            let lead = if index == 0 { "P5 to P95: " } else { "" };
            format!(
                " ({lead}{} to {})",
                human(lo.value, m.unit),
                human(hi.value, m.unit)
            )
        });
        Some(format!(
            "{verb}{}{what}{range}",
            human(median.value, m.unit)
        ))
    })
    .collect();
    let (last, first) = clauses.split_last()?;
    let joined = if first.is_empty() {
        last.clone()
    } else {
        format!("{} and {last}", first.join(", "))
    };
    Some(format!("At the median {joined}."))
}

fn percent(share: f64) -> String {
    crate::format::significant(share * 100.0, 3)
}

/// P5 and P95 when reported.
fn outer(m: &MetricReport) -> Option<(&PercentileEstimate, &PercentileEstimate)> {
    Some((at(m, 5.0)?, at(m, 95.0)?))
}

/// `90% probability the daily cost is between $719.7k and $23.06M (P5 to P95)`: P5 to P95
/// when reported, else the lowest and highest percentiles reported.
fn band(m: &MetricReport) -> Option<String> {
    let finite = m.summary.percentiles.iter().filter(|p| p.value.is_finite());
    let lowest = finite
        .clone()
        .min_by(|a, b| a.percentile.total_cmp(&b.percentile));
    let highest = finite.max_by(|a, b| a.percentile.total_cmp(&b.percentile));
    let (lo, hi) = outer(m).or(lowest.zip(highest))?;
    if !(lo.percentile < hi.percentile) {
        return None;
    }
    let share = crate::format::significant(hi.percentile - lo.percentile, 3);
    Some(format!(
        "{share}% probability the daily cost is between {} and {} (P{} to P{})",
        human(lo.value, m.unit),
        human(hi.value, m.unit),
        lo.percentile,
        hi.percentile
    ))
}

/// The run's provenance, one `(what, value)` per line.
fn provenance(report: &RunReport, command_line: Option<&str>) -> Vec<(&'static str, String)> {
    let settings = &report.settings;
    let mut items = vec![("tool", format!("{} {}", report.tool, report.version))];
    if let Some(line) = command_line {
        items.push(("command line", line.to_string()));
    }
    let method = match settings.method {
        crate::settings::Method::Mc => "mc (Monte Carlo)".to_string(),
        other => format!("{} ({} replicates)", other.name(), settings.replicates),
    };
    items.extend([
        ("seed", settings.seed.to_string()),
        ("samples asked for", count(settings.samples)),
        ("sampling method", method),
        ("confidence level", settings.confidence.to_string()),
        ("percentiles", report.percentile_definition.to_string()),
        (
            "percentile intervals",
            report.percentile_ci_method.to_string(),
        ),
        ("mean interval", report.mean_ci_method.to_string()),
        ("threads", report.threads.to_string()),
        ("elapsed", format!("{:.2} s", report.elapsed_s)),
    ]);
    for s in &report.scenarios {
        items.push(("scenario", format!("{} ({})", s.name, s.origin)));
        items.push(("samples drawn", count(s.samples_used)));
        items.push(("scenario SHA-256", s.sha256.clone()));
    }
    items
}
