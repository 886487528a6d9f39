//! The `sweep` job: one scenario at many values of one or more inputs, every point paired with
//! the others by common random numbers (see [`crate::report::sweep`]).

use super::memory::Need;
use super::shard::{self, Shard, ShardOption};
use super::sweep_shard;
use super::{sample_count, thread_pool, Common, CommonOptions, Error, Output, Progress};
use crate::export::partial::PARTIAL_FILE;
use crate::export::sweep_partial::write_sweep_partial;
use crate::export::OutputDir;
use crate::export::{self, html};
use crate::model::Input;
use crate::number::{self, Quantity};
use crate::report;
use crate::report::record::ScenarioText;
use crate::report::sweep::{self, SweepPoint, SweepReport};
use crate::scenario::{Override, Scenario};
use crate::settings::{Method, SettingError, Settings, DEFAULT_PERCENTILES, DEFAULT_REPLICATES};
use crate::stats;
use std::ops::Range;
use std::time::Instant;

/// How the points of a sweep share draws (sweep.json's `method_note`).
pub(super) const METHOD_NOTE: &str =
    "every point is the scenario with --set NAME=VALUE for each varied input, run at the same \
     seed: its samples are those of that run, and inputs a point does not change take the same \
     draws at every point";

/// Most points a sweep may have (the product of the lengths of every `--vary`).
pub const MAX_POINTS: usize = 10_000;

/// What a caller asks of a sweep, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepOptions {
    /// The options every job takes.
    pub common: CommonOptions,
    /// The scenario (a file or preset name); the default preset when `None`.
    pub scenario: Option<String>,
    /// `NAME=VALUES`: a list `a,b,c`, a range `LO..HI:N` or `LO..HI:N:log`; several make a
    /// grid.
    pub vary: Vec<String>,
    /// Percentiles to report, in percent.
    pub percentiles: Option<Vec<f64>>,
    /// Sampling method.
    pub sampler: Option<Method>,
    /// Independent replicates of an LHS or Sobol design.
    pub replicates: Option<u32>,
    /// Run only this shard of the grid's points and write its partial result
    /// (`partial.json`) for `costbands merge`, instead of the result files.
    pub shard: Option<ShardOption>,
}

/// A validated sweep: the base scenario and the scenario of every point.
#[derive(Debug, Clone)]
pub struct SweepRequest {
    base: Scenario,
    varied: Vec<String>,
    points: Vec<(Vec<String>, Scenario)>,
    settings: Settings,
    threads: Option<usize>,
    output: Output,
    command: Vec<String>,
    shard: Option<Shard>,
}

impl SweepRequest {
    /// Parses the varied values, builds and validates the scenario of every point.
    pub fn new(options: &SweepOptions) -> Result<SweepRequest, Error> {
        let overrides = options.common.overrides()?;
        let base = options
            .common
            .load_scenario(options.scenario.as_deref(), &overrides)?;
        let axes = options
            .vary
            .iter()
            .map(|v| parse_vary(v))
            .collect::<Result<Vec<_>, _>>()?;
        if axes.is_empty() {
            return Err(SettingError::new(
                "--vary",
                "give at least one NAME=VALUES, e.g. --vary queries_per_day=1e6,1e7,1e8",
            )
            .into());
        }
        for (i, (name, _)) in axes.iter().enumerate() {
            if axes[..i].iter().any(|(n, _)| n == name) || overrides.iter().any(|o| &o.name == name)
            {
                return Err(SettingError::new(
                    format!("--vary {name}"),
                    "is varied twice, or also given with --set; give each input once",
                )
                .into());
            }
        }
        let count = axes
            .iter()
            .try_fold(1usize, |n, (_, values)| n.checked_mul(values.len()));
        if count.is_none_or(|n| n > MAX_POINTS) {
            return Err(SettingError::new(
                "--vary",
                format!("the grid has more than {MAX_POINTS} points; vary fewer values"),
            )
            .into());
        }
        let (settings, common) = settings(options, &base)?;
        let shard = options
            .shard
            .map(|option| shard::resolve(option, &|name| std::env::var(name).ok()))
            .transpose()?;
        let mut points = Vec::new();
        for values in grid(&axes) {
            let mut point_overrides = overrides.clone();
            for ((name, _), value) in axes.iter().zip(&values) {
                point_overrides.push(Override::parse(&format!("{name}={value}"))?);
            }
            let scenario = options
                .common
                .load_scenario(options.scenario.as_deref(), &point_overrides)
                .and_then(|s| Ok(report::check_settings(&settings, &s).map(|()| s)?))
                .map_err(|e| point_error(&axes, &values, e))?;
            points.push((values, scenario));
        }
        // Every point's columns (of the shard's points) are held until they are summarised.
        let held = match shard {
            Some(shard) => shard.chunks(points.len() as u64).count(),
            None => points.len(),
        };
        let need = Need::run(
            std::slice::from_ref(&base),
            &settings,
            false,
            common.threads_used(),
        )
        .times(held as u64 + 1);
        need.check(
            common.samples,
            &common.samples_setting,
            &options.common.memory_limit(),
        )?;
        let varied: Vec<String> = axes.into_iter().map(|(name, _)| name).collect();
        let output =
            options
                .common
                .output(&format!("{}-sweep-{}", base.name(), varied.join("-")))?;
        Ok(SweepRequest {
            base,
            varied,
            points,
            settings,
            threads: options.common.threads,
            output,
            command: options.common.command.clone(),
            shard,
        })
    }

    /// The shard this sweep is, when it is one (`--shard`): [`SweepRequest::execute_shard`]
    /// runs it.
    pub fn shard(&self) -> Option<Shard> {
        self.shard
    }

    /// The base scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.base
    }

    /// Where the result files go.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Samples every point on the request's own worker pool.
    pub fn run(&self, progress: &dyn Progress) -> Result<SweepReport, Error> {
        self.run_points(progress, 0..self.points.len())
    }

    /// Samples the points `range` of the grid: a report of those points alone. Each point's
    /// results do not depend on the others (see [`crate::report::sweep`]).
    fn run_points(
        &self,
        progress: &dyn Progress,
        range: Range<usize>,
    ) -> Result<SweepReport, Error> {
        let pool = thread_pool(self.threads)?;
        let started = Instant::now();
        let chosen = &self.points[range];
        let scenarios: Vec<Scenario> = chosen.iter().map(|(_, s)| s.clone()).collect();
        progress.start(self.base.name(), self.settings.samples as u64, false);
        let advance = |n: usize| progress.advance(n);
        let results =
            pool.install(|| sweep::sweep(&self.base, &scenarios, &self.settings, Some(&advance)));
        progress.finish();
        let points = chosen
            .iter()
            .zip(results)
            .map(|((values, _), (summaries, rejected))| SweepPoint {
                values: values.clone(),
                rejected,
                metrics: report::metric_reports(self.base.metrics(), summaries),
            })
            .collect();
        let base = ScenarioText::new(&self.base, &self.settings);
        Ok(SweepReport {
            tool: "costbands",
            version: env!("CARGO_PKG_VERSION"),
            job: "sweep",
            command: self.command.clone(),
            scenario: base.name,
            origin: base.origin,
            resolved_scenario: base.resolved_scenario,
            settings: self.settings.clone(),
            threads: pool.current_num_threads(),
            varied: self.varied.clone(),
            method_note: METHOD_NOTE,
            elapsed_s: started.elapsed().as_secs_f64(),
            points,
        })
    }

    /// What the report says about the swept scenario beyond the results.
    pub fn facts(&self) -> html::ScenarioFacts {
        html::ScenarioFacts::of(&self.base)
    }

    /// Runs this shard's points and writes its partial result (`partial.json`) into the output
    /// folder, through the same locked, staged swap as every result set. Returns the points it
    /// ran of the grid's.
    ///
    /// # Panics
    /// When the request is not a shard.
    pub fn execute_shard(&self, progress: &dyn Progress) -> Result<(Range<u64>, u64), Error> {
        let shard = self.shard.expect("a shard sweep");
        let mut out = OutputDir::open(&self.output.dir)?;
        self.output.refuse_existing()?;
        let total = self.points.len() as u64;
        let range = shard.chunks(total);
        let report = self.run_points(progress, range.start as usize..range.end as usize)?;
        let grid = self
            .points
            .iter()
            .map(|(values, _)| values.clone())
            .collect();
        let partial = sweep_shard::partial(shard, &range, &self.base, &report, grid);
        out.stage(PARTIAL_FILE, |writer| write_sweep_partial(&partial, writer))?;
        out.commit()?;
        Ok((range, total))
    }

    /// Samples every point and writes the result files into the output folder, all or none.
    pub fn execute(&self, progress: &dyn Progress) -> Result<SweepReport, Error> {
        let facts = self.facts();
        self.output.write(
            export::sweep_exporters(),
            || self.run(progress),
            |report, line| html::sweep_document(report, &facts, line),
        )
    }
}

fn settings(options: &SweepOptions, base: &Scenario) -> Result<(Settings, Common), Error> {
    let file = base.sampling();
    let common = options.common.merge(file, base.origin())?;
    let percentiles = options
        .percentiles
        .clone()
        .or_else(|| file.percentiles.clone())
        .unwrap_or_else(|| DEFAULT_PERCENTILES.to_vec());
    stats::check_percentiles(&percentiles)
        .map_err(|e| SettingError::new("--percentiles", e.to_string()))?;
    let replicates = options
        .replicates
        .or(file.replicates)
        .map_or(DEFAULT_REPLICATES, |r| r as usize);
    if replicates < 2 {
        return Err(SettingError::new("--replicates", "must be at least 2").into());
    }
    let settings = Settings {
        samples: sample_count(&common, 1, "")?,
        seed: common.seed,
        percentiles,
        confidence: common.confidence,
        events: Vec::new(),
        method: options.sampler.or(file.method).unwrap_or(Method::Mc),
        replicates,
    };
    Ok((settings, common))
}

/// An error of one point, naming the point's values: the fix is in `--vary`.
fn point_error(axes: &[(String, Vec<String>)], values: &[String], error: Error) -> Error {
    let point: Vec<String> = axes
        .iter()
        .zip(values)
        .map(|((name, _), value)| format!("{name}={value}"))
        .collect();
    SettingError::new(
        format!("--vary point {}", point.join(" ")),
        error.to_string(),
    )
    .into()
}

/// Parses `NAME=VALUES` into the name and the values, each in `--set` syntax.
pub fn parse_vary(text: &str) -> Result<(String, Vec<String>), SettingError> {
    let error = |problem: &str| SettingError::new(format!("--vary {text}"), problem);
    let Some((name, values)) = text.split_once('=') else {
        return Err(error(
            "expected NAME=VALUES, e.g. queries_per_day=1e6,1e7 or utilization=0.3..0.7:5",
        ));
    };
    let values = values.trim();
    let name = name.trim();
    let quantity = match Input::from_name(name) {
        Some(input) => input.info().quantity(),
        // A line item's rate: USD, or a fraction for the two `fraction_of_*` units, which
        // take plain numbers too.
        None if name.starts_with("costs.") => Quantity::Usd,
        None => Quantity::Amount,
    };
    let list =
        if let Some((range, count)) = values.split_once(':').filter(|_| values.contains("..")) {
            range_values(range, count, quantity).map_err(|p| error(&p))?
        } else if values.starts_with('{') {
            vec![values.to_string()]
        } else {
            values
                .split(',')
                .map(|v| plain(v.trim(), quantity))
                .collect()
        };
    if list.iter().any(String::is_empty) {
        return Err(error("a value is empty"));
    }
    Ok((name.trim().to_string(), list))
}

/// A list value as the point records it: a number written with a suffix, `$`, `%` or `_`
/// (`1M`, `40%`) as its plain value (`1000000`, `0.4`), so that result columns stay numeric;
/// anything else (`1e7`, `"1 to 2"`, a GPU id, a value that cannot be read) as written.
fn plain(value: &str, quantity: Quantity) -> String {
    if value.parse::<f64>().is_ok() {
        return value.to_string();
    }
    match number::parse(value, quantity) {
        Ok(x) => x.to_string(),
        Err(_) => value.to_string(),
    }
}

/// `LO..HI` with `N[:log]` evenly spaced values (geometrically with `log`), ends included,
/// each to twelve significant digits. LO and HI are read as `quantity` (`30%..70%` for a
/// fraction).
fn range_values(range: &str, spec: &str, quantity: Quantity) -> Result<Vec<String>, String> {
    let (lo, hi) = range.split_once("..").ok_or("expected LO..HI:N")?;
    let number = |end: &str, t: &str| {
        number::parse(t, quantity).map_err(|e| {
            format!("{end}: {e}; LO and HI are numbers, e.g. 0.3..0.7:5 or 1M..1B:4:log")
        })
    };
    let (lo, hi) = (number("LO", lo)?, number("HI", hi)?);
    let (count, log) = match spec.split_once(':') {
        Some((n, "log")) => (n, true),
        Some(_) => return Err("the range's scale must be `log`, e.g. 1e6..1e9:4:log".into()),
        None => (spec, false),
    };
    let count = number::parse_count(count)
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n >= 2)
        .ok_or(format!(
            "N = \"{}\" must be a whole number of at least 2",
            count.trim()
        ))?;
    if log && !(lo > 0.0 && hi > 0.0) {
        return Err("a log range needs LO and HI above 0".into());
    }
    Ok((0..count)
        .map(|i| {
            let t = i as f64 / (count - 1) as f64;
            let x = if log {
                lo * (hi / lo).powf(t)
            } else {
                lo + t * (hi - lo)
            };
            // Twelve significant digits: 1e6..1e8:3:log is 1000000, 10000000, 100000000.
            crate::format::significant(x, 12)
        })
        .collect())
}

/// Every combination of the axes' values, the last axis varying fastest.
fn grid(axes: &[(String, Vec<String>)]) -> Vec<Vec<String>> {
    axes.iter().fold(vec![Vec::new()], |rows, (_, values)| {
        rows.iter()
            .flat_map(|row| {
                values.iter().map(move |v| {
                    let mut next = row.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_values_parse_as_lists_and_ranges() {
        assert_eq!(
            parse_vary("gpu=h100-sxm, b200").unwrap(),
            (
                "gpu".to_string(),
                vec!["h100-sxm".to_string(), "b200".to_string()]
            )
        );
        assert_eq!(
            parse_vary("utilization=0.3..0.7:3").unwrap().1,
            ["0.3", "0.5", "0.7"]
        );
        assert_eq!(
            parse_vary("queries_per_day=1e6..1e8:3:log").unwrap().1,
            ["1000000", "10000000", "100000000"]
        );
        assert_eq!(
            parse_vary("queries_per_day=1M..1B:4:log").unwrap().1,
            ["1000000", "10000000", "100000000", "1000000000"]
        );
        assert_eq!(
            parse_vary("utilization=30%..70%:3").unwrap().1,
            ["0.3", "0.5", "0.7"]
        );
        assert_eq!(parse_vary("utilization=0.1..1:1e1").unwrap().1.len(), 10);
        // List values written with a suffix, `$` or `%` are recorded as plain numbers.
        assert_eq!(
            parse_vary("queries_per_day=1M, 10M, 1e8, 2_000, 1m")
                .unwrap()
                .1,
            ["1000000", "10000000", "1e8", "2000", "1m"]
        );
        assert_eq!(parse_vary("utilization=40%,0.5").unwrap().1, ["0.4", "0.5"]);
        assert_eq!(parse_vary("gpu_hour_usd=$2,$2.5").unwrap().1, ["2", "2.5"]);
        let error = parse_vary("queries_per_day=30%..70%:3").unwrap_err();
        assert!(
            error.to_string().contains("LO: \"30%\" has a `%`"),
            "{error}"
        );
        let error = parse_vary("queries_per_day=1m..1B:3").unwrap_err();
        assert!(error.to_string().contains("milli"), "{error}");
        let error = parse_vary("utilization=0.1..0.9:2.5").unwrap_err();
        assert!(error.to_string().contains("N = \"2.5\""), "{error}");
        for bad in [
            "utilization",
            "utilization=0.3..0.7:1",
            "x=1..2:3:ln",
            "x=a..2:3",
            "x=1,,2",
        ] {
            assert!(parse_vary(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_grid_varies_the_last_axis_fastest() {
        let axes = vec![
            ("a".to_string(), vec!["1".to_string(), "2".to_string()]),
            ("b".to_string(), vec!["x".to_string(), "y".to_string()]),
        ];
        assert_eq!(
            grid(&axes),
            [["1", "x"], ["1", "y"], ["2", "x"], ["2", "y"]]
        );
    }
}
