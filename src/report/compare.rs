//! Paired comparison of scenarios with common random numbers.
//!
//! Every scenario is run at the same seed and sample count, so sample `k` of each is a pair.
//! Pairing is decided per input ([`pair_inputs`]): an input whose resolved distribution is
//! identical in both scenarios draws from the same stream in both (common random numbers, the
//! same value in every pair); an input whose distribution differs draws from a stream of the
//! other scenario's own (independent), unless it is coupled, in which case both draw it by
//! inverse CDF from the same uniform (the same quantile level: comonotonic).
//!
//! For each metric, over the pairs where both values are finite: percentiles of the difference
//! `other − baseline` and of the ratio `other ÷ baseline` with distribution-free
//! order-statistic intervals, the mean difference with a Student-t interval (the paired t
//! interval), and `P(other < baseline)` with a Wilson score interval; ties count as not lower.

use super::record::ScenarioText;
use crate::engine::{self, Options, Simulation};
use crate::model::{Input, Metric};
use crate::scenario::{Draw, Scenario};
use crate::settings::Settings;
use crate::stats::{self, interval, Histogram, PercentileDefinition, PercentileEstimate};
use serde::Serialize;

/// Stream offset of an independent input of the `k`-th other scenario (`k ≥ 1`): beyond every
/// input's own stream and the correlation stream.
const INDEPENDENT_STREAM: u64 = 1 << 40;

/// How one input is paired between the baseline and another scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pairing {
    /// The same distribution in both: the same draws (common random numbers).
    Shared,
    /// Different distributions, drawn at the same quantile level in both.
    Coupled,
    /// Different distributions, drawn independently.
    Independent,
    /// Read by the baseline only.
    BaselineOnly,
    /// Read by the other scenario only.
    OtherOnly,
}

/// The pairing of one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputPairing {
    /// The input.
    pub input: &'static str,
    /// How it is paired.
    pub pairing: Pairing,
}

/// An estimate with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimate.
    pub value: f64,
    /// Lower end of its interval.
    pub ci_low: f64,
    /// Upper end of its interval.
    pub ci_high: f64,
}

/// The paired comparison of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricComparison {
    /// The metric.
    pub metric: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Pairs in which both values are finite.
    pub pairs: usize,
    /// `P(other < baseline)`, Wilson interval.
    pub p_lower: Estimate,
    /// Mean of `other − baseline`, paired Student-t interval.
    pub mean_diff: Estimate,
    /// Percentiles of `other − baseline`.
    pub diff: Vec<PercentileEstimate>,
    /// Percentiles of `other ÷ baseline` (pairs with a zero baseline are left out).
    pub ratio: Vec<PercentileEstimate>,
    /// `other − baseline` in fixed, equal-width bins, for charts (not in `compare.json`);
    /// `None` when the difference is constant.
    #[serde(skip)]
    pub diff_histogram: Option<Histogram>,
}

/// One other scenario against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairReport {
    /// The baseline's name.
    pub baseline: String,
    /// The other scenario's name.
    pub scenario: String,
    /// How every input is paired.
    pub pairing: Vec<InputPairing>,
    /// One comparison per metric both scenarios have: the built-in ones in [`Metric::ALL`]
    /// order, then the baseline's line items that the other scenario has too.
    pub metrics: Vec<MetricComparison>,
}

impl PairReport {
    /// The comparison of `metric`.
    pub fn metric(&self, metric: Metric) -> &MetricComparison {
        match metric.cost_item() {
            None => &self.metrics[metric.index()],
            Some(_) => self
                .metrics
                .iter()
                .find(|m| m.metric == metric.name())
                .unwrap_or_else(|| panic!("no comparison of {}", metric.name())),
        }
    }
}

/// How inputs with identical distributions are paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Common {
    /// They share draws (common random numbers): the default.
    #[default]
    Shared,
    /// Every input is independent, as two separate runs would be (for measuring what common
    /// random numbers gain).
    Independent,
}

/// Decides the pairing of every input of `other` (the `k`-th other scenario, `k ≥ 1`) against
/// `baseline` and returns both scenarios with their draws set accordingly. `couple` lists the
/// inputs to couple when their distributions differ.
pub fn pair_inputs(
    baseline: &Scenario,
    other: &Scenario,
    k: u64,
    couple: &[Input],
    common: Common,
) -> (Scenario, Scenario, Vec<InputPairing>) {
    let (mut base, mut paired) = (baseline.clone(), other.clone());
    let same_correlation = baseline.correlation() == other.correlation();
    let mut pairing = Vec::new();
    for name in input_names(baseline, other) {
        let (a, b) = (baseline.input_named(name), other.input_named(name));
        let kind = match (a, b) {
            (None, None) => continue,
            (Some(_), None) => Pairing::BaselineOnly,
            (None, Some(_)) => Pairing::OtherOnly,
            (Some(a), Some(b)) => {
                let (a_input, b_input) = (a.input, b.input);
                let identical = a.dist.kind() == b.dist.kind()
                    && a.dist.truncation() == b.dist.truncation()
                    && (same_correlation || !in_correlation(baseline, other, name));
                if identical && common == Common::Shared {
                    Pairing::Shared
                } else if couple.iter().any(|c| c.name() == name) {
                    let draw = Draw {
                        stream: a_input.stream(),
                        by_quantile: true,
                    };
                    base = base.with_draw(a_input, draw);
                    paired = paired.with_draw(b_input, draw);
                    Pairing::Coupled
                } else {
                    let draw = Draw {
                        stream: INDEPENDENT_STREAM * k + b_input.stream(),
                        by_quantile: false,
                    };
                    paired = paired.with_draw(b_input, draw);
                    Pairing::Independent
                }
            }
        };
        pairing.push(InputPairing {
            input: a.or(b).map_or(name, |r| r.input.name()),
            pairing: kind,
        });
    }
    (base, paired, pairing)
}

fn in_correlation(a: &Scenario, b: &Scenario, name: &str) -> bool {
    [a, b].iter().any(|s| {
        s.correlation()
            .is_some_and(|c| c.inputs.iter().any(|i| i.name() == name))
    })
}

/// The names of every built-in input, then of each line item's rate of `a`, then of `b`'s
/// not in `a`.
fn input_names<'a>(a: &'a Scenario, b: &'a Scenario) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Input::ALL.iter().map(|i| i.name()).collect();
    for resolved in a.inputs().iter().chain(b.inputs()) {
        let name = resolved.input.name();
        if resolved.input.cost_item().is_some() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Runs `baseline` and `other` (as returned by [`pair_inputs`]) by Monte Carlo with the
/// seed, sample count, percentiles and confidence of `settings`, and compares every metric.
pub fn compare(
    baseline: &Scenario,
    other: &Scenario,
    pairing: Vec<InputPairing>,
    settings: &Settings,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> PairReport {
    let options = Options {
        seed: settings.seed,
        progress,
        ..Options::default()
    };
    let base_run = engine::simulate_chunks(baseline, &options, 0, settings.samples);
    let other_run = engine::simulate_chunks(other, &options, 0, settings.samples);
    PairReport {
        baseline: baseline.name().to_string(),
        scenario: other.name().to_string(),
        pairing,
        metrics: baseline
            .metrics()
            .iter()
            .filter_map(|metric| Some((*metric, other.metric_named(metric.name())?)))
            .map(|(a, b)| compare_metric((a, b), &base_run, &other_run, settings))
            .collect(),
    }
}

/// Compares `metrics.0` of the baseline with `metrics.1` of the other scenario (the same
/// metric; a line item's may sit at another index in each).
fn compare_metric(
    metrics: (Metric, Metric),
    base: &Simulation,
    other: &Simulation,
    settings: &Settings,
) -> MetricComparison {
    let metric = metrics.0;
    let (a, b) = (base.metric(metrics.0), other.metric(metrics.1));
    let finite: Vec<(f64, f64)> = a
        .iter()
        .zip(b.iter())
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (*x, *y))
        .collect();
    let diff: Vec<f64> = finite.iter().map(|(x, y)| y - x).collect();
    let ratio: Vec<f64> = finite
        .iter()
        .filter(|(x, _)| *x != 0.0)
        .map(|(x, y)| y / x)
        .collect();
    let level = settings.confidence;
    // The difference of whole-valued metrics is whole-valued: read it as the metric is read.
    let definition = if metric.whole_valued() {
        PercentileDefinition::InverseCdf
    } else {
        PercentileDefinition::Interpolated
    };
    let diff_summary = stats::summarize_as(&diff, &settings.percentiles, level, &[], definition);
    let ratio_summary = stats::summarize(&ratio, &settings.percentiles, level, &[]);
    let lower = finite.iter().filter(|(x, y)| y < x).count();
    let wilson = interval::wilson(lower, finite.len(), level);
    MetricComparison {
        metric: metric.name(),
        unit: metric.unit(),
        pairs: finite.len(),
        p_lower: Estimate {
            value: lower as f64 / finite.len() as f64,
            ci_low: wilson.low,
            ci_high: wilson.high,
        },
        mean_diff: Estimate {
            value: diff_summary.mean,
            ci_low: diff_summary.mean_ci.low,
            ci_high: diff_summary.mean_ci.high,
        },
        diff_histogram: Histogram::of_summarized(&diff, &diff_summary, false),
        diff: diff_summary.percentiles,
        ratio: ratio_summary.percentiles,
    }
}

/// A whole comparison: provenance and one report per other scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareReport {
    /// `costbands`.
    pub tool: &'static str,
    /// The version that made it.
    pub version: &'static str,
    /// `compare`: the job, for a reader of the file.
    pub job: &'static str,
    /// The command line that asked for the comparison, as given (empty from a library call).
    pub command: Vec<String>,
    /// Samples of every scenario (pairs).
    pub samples: usize,
    /// The seed every scenario ran with.
    pub seed: u64,
    /// Percentiles reported, in percent.
    pub percentiles: Vec<f64>,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// Worker threads (results do not depend on them).
    pub threads: usize,
    /// How inputs are paired and how each statistic is computed.
    pub method: &'static str,
    /// Wall-clock seconds.
    pub elapsed_s: f64,
    /// One report per other scenario, in the order given.
    pub pairs: Vec<PairReport>,
    /// The baseline, then every other scenario, as compared: each one's resolved text.
    pub scenarios: Vec<ScenarioText>,
}

impl CompareReport {
    /// Wraps pair reports with the run's provenance.
    pub fn new(
        settings: &Settings,
        pairs: Vec<PairReport>,
        elapsed_s: f64,
        threads: usize,
        command: Vec<String>,
        scenarios: Vec<ScenarioText>,
    ) -> Self {
        CompareReport {
            tool: "costbands",
            version: env!("CARGO_PKG_VERSION"),
            job: "compare",
            command,
            samples: settings.samples,
            seed: settings.seed,
            percentiles: settings.percentiles.clone(),
            confidence: settings.confidence,
            threads,
            method: "paired Monte Carlo at one seed: identical input distributions share draws \
                     (common random numbers), differing ones are independent unless coupled \
                     (same quantile level); difference and ratio percentiles with binomial-rank \
                     intervals, mean difference with a paired Student-t interval, \
                     P(other < baseline) with a Wilson score interval, ties not lower",
            elapsed_s,
            pairs,
            scenarios,
        }
    }
}
