//! Precision control: extend a Monte Carlo run in prefix-stable increments until every target
//! confidence-interval half-width is met, or a sample cap is reached.
//!
//! A target reads `METRIC:STAT:WIDTH`, e.g. `daily_cost_usd:p95:0.5%`: STAT is `mean` or `pN`,
//! WIDTH an absolute half-width in the metric's unit or a percentage of the estimate;
//! half-width means `(ci_high − ci_low) / 2`. Since half-widths shrink as `1/√n`, the next
//! sample size is `n · (half-width / target)²` with 10% headroom, at most 4 × n per step.

use super::{summarize_simulation, ScenarioReport};
use crate::engine::{self, Options, Simulation, CHUNK_SIZE};
use crate::format::significant;
use crate::model::Metric;
use crate::number::{self, Quantity};
use crate::settings::{SettingError, Settings};
use serde::Serialize;

/// Samples of the first step of a precision-controlled run.
pub const FIRST_STEP_SAMPLES: usize = 8 * CHUNK_SIZE;

/// A statistic of one metric whose interval must be narrow enough.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Target {
    /// The metric whose interval must be narrow.
    pub metric: Metric,
    /// `None` for the mean, else the percentile.
    pub percentile: Option<f64>,
    /// The target half-width: a fraction of the estimate when `relative`, else in the
    /// metric's unit.
    pub half_width: f64,
    /// Whether `half_width` is relative to the estimate.
    pub relative: bool,
}

/// How a target fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetReport {
    /// The target as written, e.g. `daily_cost_usd:p95:0.5%`.
    pub target: String,
    /// The half-width reached (relative when the target is).
    pub half_width: f64,
    /// The half-width asked for (relative when the target is).
    pub target_half_width: f64,
    /// Whether the target was met.
    pub met: bool,
}

impl TargetReport {
    /// The half-width reached, in the target's own units: a percentage when the target is
    /// relative (`0.42%`), else in the metric's unit.
    pub fn reached(&self) -> String {
        match self.target.ends_with('%') {
            true => format!("{}%", significant(self.half_width * 100.0, 3)),
            false => significant(self.half_width, 3),
        }
    }
}

impl Target {
    /// Parses `METRIC:STAT:WIDTH`.
    pub fn parse(text: &str) -> Result<Target, SettingError> {
        let error = |problem: &str| SettingError::new(format!("--precision {text}"), problem);
        let parts: Vec<&str> = text.split(':').collect();
        let [metric, stat, width] = parts.as_slice() else {
            return Err(error(
                "expected METRIC:STAT:WIDTH, e.g. daily_cost_usd:p95:0.5%",
            ));
        };
        let metric = Metric::from_name_or_item(metric)
            .ok_or_else(|| error(&format!("unknown metric \"{metric}\"")))?;
        let percentile = match *stat {
            "mean" => None,
            p => Some(
                p.strip_prefix('p')
                    .and_then(|v| number::parse(v, Quantity::Percent).ok())
                    .filter(|v| *v > 0.0 && *v < 100.0)
                    .ok_or_else(|| {
                        error("statistic must be mean or pN with 0 < N < 100, e.g. p95")
                    })?,
            ),
        };
        let (width_text, relative) = match width.strip_suffix('%') {
            Some(text) => (text, true),
            None => (*width, false),
        };
        let value = number::parse(width_text, metric.quantity())
            .map_err(|e| e.to_string())
            .and_then(|v| match v > 0.0 {
                true => Ok(v),
                false => Err(format!("\"{width_text}\" is not positive")),
            })
            .map_err(|problem| {
                error(&format!(
                    "width {problem}: the width is a positive number or percentage, e.g. 0.5%, 1000 or 10k"
                ))
            })?;
        Ok(Target {
            metric,
            percentile,
            half_width: if relative { value / 100.0 } else { value },
            relative,
        })
    }

    fn label(&self) -> String {
        let stat = self
            .percentile
            .map_or("mean".to_string(), |p| format!("p{p}"));
        let width = if self.relative {
            format!("{}%", self.half_width * 100.0)
        } else {
            self.half_width.to_string()
        };
        format!("{}:{stat}:{width}", self.metric.name())
    }

    /// The achieved half-width (relative if the target is) in `report`.
    fn achieved(&self, report: &ScenarioReport) -> f64 {
        let summary = &report.metric(self.metric).summary;
        let (estimate, low, high) = match self.percentile {
            None => (summary.mean, summary.mean_ci.low, summary.mean_ci.high),
            Some(p) => {
                let e = summary
                    .percentiles
                    .iter()
                    .find(|e| e.percentile == p)
                    .expect("target percentiles are reported");
                (e.value, e.ci_low, e.ci_high)
            }
        };
        let half = (high - low) / 2.0;
        if self.relative {
            half / estimate.abs()
        } else {
            half
        }
    }
}

/// Runs `scenario` until every target is met or `max_samples` are drawn; returns the report
/// and the samples drawn (input columns too when `keep_inputs`). `progress` sees each
/// finished chunk and `on_step`, after each step, the samples so far and the worst ratio of
/// achieved to target half-width.
pub fn run_to_precision(
    scenario: &crate::scenario::Scenario,
    settings: &Settings,
    targets: &[Target],
    max_samples: usize,
    keep_inputs: bool,
    progress: Option<&(dyn Fn(usize) + Sync)>,
    on_step: &mut dyn FnMut(usize, f64),
) -> (ScenarioReport, Simulation) {
    let options = Options {
        seed: settings.seed,
        keep_inputs,
        progress,
        ..Options::default()
    };
    let mut samples = FIRST_STEP_SAMPLES.min(max_samples);
    let mut simulation = engine::simulate_chunks(scenario, &options, 0, samples);
    loop {
        let mut report = summarize_simulation(scenario, settings, &simulation);
        let ratios: Vec<f64> = targets
            .iter()
            .map(|t| t.achieved(&report) / t.half_width)
            .collect();
        let worst = ratios.iter().copied().fold(0.0, f64::max);
        on_step(samples, worst);
        let done = !(worst > 1.0) || samples >= max_samples;
        if done {
            report.precision = targets
                .iter()
                .zip(&ratios)
                .map(|(t, ratio)| TargetReport {
                    target: t.label(),
                    half_width: ratio * t.half_width,
                    target_half_width: t.half_width,
                    met: *ratio <= 1.0,
                })
                .collect();
            return (report, simulation);
        }
        let wanted = (samples as f64 * worst * worst * 1.1).ceil() as usize;
        let next = wanted
            .clamp(samples + CHUNK_SIZE, samples * 4)
            .next_multiple_of(CHUNK_SIZE)
            .min(max_samples);
        let more = engine::simulate_chunks(
            scenario,
            &options,
            (samples / CHUNK_SIZE) as u64,
            next - samples,
        );
        simulation.append(more);
        samples = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unmet_relative_target_reports_a_percentage_regression() {
        let missed = |target: &str, half_width: f64| TargetReport {
            target: target.to_string(),
            half_width,
            target_half_width: 0.001,
            met: false,
        };
        assert_eq!(missed("daily_cost_usd:p95:0.1%", 0.0042).reached(), "0.42%");
        assert_eq!(missed("daily_cost_usd:mean:1000", 1523.4).reached(), "1520");
    }

    #[test]
    fn targets_parse() {
        let t = Target::parse("daily_cost_usd:p95:0.5%").unwrap();
        assert_eq!(
            (t.metric, t.percentile, t.relative),
            (Metric::DailyCostUsd, Some(95.0), true)
        );
        assert!((t.half_width - 0.005).abs() < 1e-15);
        let t = Target::parse("gpus:mean:100").unwrap();
        assert_eq!(
            (t.percentile, t.half_width, t.relative),
            (None, 100.0, false)
        );
        assert_eq!(t.label(), "gpus:mean:100");
        for bad in [
            "gpus:mean",
            "cost:mean:1",
            "gpus:median:1",
            "gpus:p100:1",
            "gpus:mean:-1%",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
