//! `compare.csv` and `compare.json`, and the terminal summary of a paired comparison with its
//! one-line verdict per pair.

use super::{human_interval, number, percentile_label, Exporter};
use crate::model::Metric;
use crate::report::compare::{CompareReport, Estimate, PairReport, Pairing};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Writes `compare.csv` with exactly the columns of [`CompareRow`].
pub struct CompareCsv;

/// Writes `compare.json`: the whole comparison with its pairing and provenance.
pub struct CompareJson;

/// One row of `compare.csv`. `statistic` is `p_lower` (P(other < baseline)), `mean_diff`,
/// `diff_pN` (percentile N of other − baseline) or `ratio_pN` (of other ÷ baseline).
#[derive(Debug, Serialize)]
pub struct CompareRow<'a> {
    /// The baseline scenario.
    pub baseline: &'a str,
    /// The scenario compared with it.
    pub scenario: &'a str,
    /// The metric.
    pub metric: &'a str,
    /// The metric's unit (`1` for ratios and probabilities).
    pub unit: &'a str,
    /// Which statistic.
    pub statistic: String,
    /// Its value.
    pub value: String,
    /// Lower end of its confidence interval.
    pub ci_low: String,
    /// Upper end of its confidence interval.
    pub ci_high: String,
}

impl Exporter<CompareReport> for CompareCsv {
    fn file_name(&self) -> &'static str {
        "compare.csv"
    }

    fn write(&self, report: &CompareReport, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        for pair in &report.pairs {
            for metric in &pair.metrics {
                let mut row = |statistic: String, unit: &str, e: Estimate| {
                    writer.serialize(CompareRow {
                        baseline: &pair.baseline,
                        scenario: &pair.scenario,
                        metric: metric.metric,
                        unit,
                        statistic,
                        value: number(e.value),
                        ci_low: number(e.ci_low),
                        ci_high: number(e.ci_high),
                    })
                };
                row("p_lower".into(), "1", metric.p_lower)?;
                row("mean_diff".into(), metric.unit, metric.mean_diff)?;
                for p in &metric.diff {
                    let label = format!("diff_p{}", percentile_label(p.percentile));
                    row(label, metric.unit, estimate(p))?;
                }
                for p in &metric.ratio {
                    let label = format!("ratio_p{}", percentile_label(p.percentile));
                    row(label, "1", estimate(p))?;
                }
            }
        }
        writer.flush()
    }
}

impl Exporter<CompareReport> for CompareJson {
    fn file_name(&self) -> &'static str {
        "compare.json"
    }

    fn write(&self, report: &CompareReport, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        out.write_all(b"\n")
    }
}

fn estimate(p: &crate::stats::PercentileEstimate) -> Estimate {
    Estimate {
        value: p.value,
        ci_low: p.ci_low,
        ci_high: p.ci_high,
    }
}

/// The terminal summary: per pair, how inputs are paired, the headline metrics and a verdict.
pub fn render_compare(report: &CompareReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "paired comparison, {} samples per scenario, seed {}, {:.0}% intervals",
        report.samples,
        report.seed,
        report.confidence * 100.0
    );
    for pair in &report.pairs {
        render_pair(&mut out, pair);
    }
    out
}

fn render_pair(out: &mut String, pair: &PairReport) {
    let _ = writeln!(out, "\n{} vs {} (baseline)", pair.scenario, pair.baseline);
    for (kind, label) in [
        (Pairing::Shared, "shared draws"),
        (Pairing::Coupled, "coupled (same quantile)"),
        (Pairing::Independent, "independent"),
    ] {
        let names: Vec<&str> = pair
            .pairing
            .iter()
            .filter(|p| p.pairing == kind)
            .map(|p| p.input)
            .collect();
        if !names.is_empty() {
            let _ = writeln!(out, "  {label:<24} {}", names.join(", "));
        }
    }
    let _ = writeln!(
        out,
        "  {:<30} {:>22} {:>36} {:>36}",
        "metric", "P(lower)", "median difference", "mean difference"
    );
    for metric in [
        Metric::DailyCostUsd,
        Metric::CostPerQueryUsd,
        Metric::Gpus,
        Metric::EnergyKwhPerDay,
    ] {
        let m = pair.metric(metric);
        let median = m.diff.iter().find(|p| p.percentile == 50.0).map(estimate);
        let _ = writeln!(
            out,
            "  {:<30} {:>22} {:>36} {:>36}",
            m.metric,
            percent(m.p_lower),
            median.map_or("-".to_string(), |e| amount(e, m.unit)),
            amount(m.mean_diff, m.unit)
        );
    }
    let _ = writeln!(out, "  {}", verdict(pair));
}

fn percent(e: Estimate) -> String {
    format!(
        "{:.1}% [{:.1}%, {:.1}%]",
        e.value * 100.0,
        e.ci_low * 100.0,
        e.ci_high * 100.0
    )
}

fn amount(e: Estimate, unit: &str) -> String {
    human_interval(e.value, e.ci_low, e.ci_high, unit)
}

/// "b200 is cheaper than h100 in 97.3% [97.1%, 97.5%] of samples; median daily saving $12.3k
/// [$12.0k, $12.6k]".
pub fn verdict(pair: &PairReport) -> String {
    let cost = pair.metric(Metric::DailyCostUsd);
    let Some(median) = cost.diff.iter().find(|p| p.percentile == 50.0) else {
        return format!(
            "{} is cheaper than {} in {} of samples",
            pair.scenario,
            pair.baseline,
            percent(cost.p_lower)
        );
    };
    let cheaper = cost.p_lower.value > 0.5;
    let (word, change, e) = if cheaper {
        let saving = Estimate {
            value: -median.value,
            ci_low: -median.ci_high,
            ci_high: -median.ci_low,
        };
        ("cheaper than", "median daily saving", saving)
    } else {
        (
            "at least as costly as",
            "median daily extra cost",
            estimate(median),
        )
    };
    let share = if cheaper {
        cost.p_lower
    } else {
        Estimate {
            value: 1.0 - cost.p_lower.value,
            ci_low: 1.0 - cost.p_lower.ci_high,
            ci_high: 1.0 - cost.p_lower.ci_low,
        }
    };
    format!(
        "{} is {word} {} in {} of samples; {change} {}",
        pair.scenario,
        pair.baseline,
        percent(share),
        amount(e, cost.unit)
    )
}
