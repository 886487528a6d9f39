//! The `run` job's settings beyond the shared ones, read and checked once: streaming, memory,
//! percentiles, replicates, precision targets and `--exceed`/`--below` events.

use super::memory::Need;
use super::run::RunOptions;
use super::{Common, Error};
use crate::export::SamplesFormat;
use crate::model::Metric;
use crate::report::precision::Target;
use crate::scenario::Scenario;
use crate::settings::{
    Method, SettingError, Settings, DEFAULT_MAX_SAMPLES, DEFAULT_PERCENTILES, DEFAULT_REPLICATES,
};
use crate::stats::{self, Event, Side};

/// Precision control: the targets and the sample cap.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Precision {
    pub(super) targets: Vec<Target>,
    pub(super) max_samples: usize,
}

/// Whether the run can stream: Monte Carlo, without precision control or samples.csv
/// (samples.parquet is written as a stream goes).
pub(super) fn may_stream(options: &RunOptions, settings: &Settings) -> bool {
    settings.method == Method::Mc
        && options.precision.is_empty()
        && (!options.save_samples || options.samples_format == SamplesFormat::Parquet)
}

/// Whether the run, streamed, fits in the memory limit.
pub(super) fn stream_fits(
    options: &RunOptions,
    common: &Common,
    scenarios: &[Scenario],
    settings: &Settings,
) -> bool {
    let threads = common.threads_used();
    Need::run(scenarios, settings, false, threads)
        .streamed(scenarios, threads)
        .fits(settings.samples as u64, &options.common.memory_limit())
}

/// Refuses `--stream` with what it cannot do.
pub(super) fn check_stream(options: &RunOptions, settings: &Settings) -> Result<(), Error> {
    let option = match (options.shard.is_some(), options.stream) {
        (true, _) => "--shard",
        (false, true) => "--stream",
        (false, false) => return Ok(()),
    };
    let problem = if settings.method != Method::Mc {
        "needs --sampler mc: the intervals of a Latin hypercube or Sobol run come from \
         replicates whose samples are held in memory; drop --stream or use --sampler mc"
    } else if !options.precision.is_empty() {
        "cannot be combined with --precision, which extends a run held in memory until its \
         intervals are narrow enough; give the samples with --samples instead"
    } else if options.save_samples && options.shard.is_some() {
        "cannot be combined with --save-samples: a shard writes only its partial result; \
         write the samples from a run of its own (--save-samples parquet --stream)"
    } else if options.save_samples && options.samples_format == SamplesFormat::Csv {
        "cannot be combined with --save-samples csv, which writes every sample from memory; \
         write them with --save-samples parquet, which streams, or drop one of them"
    } else {
        return Ok(());
    };
    Err(SettingError::new(
        option,
        problem.replace("drop --stream", &format!("drop {option}")),
    )
    .into())
}

/// Refuses, before anything is allocated, a run that would not fit in the memory limit. Under
/// precision control the default sample cap is a ceiling, not a wish: it is lowered to what
/// fits; a cap given with `--max-samples` is checked like `--samples`.
pub(super) fn check_memory(
    options: &RunOptions,
    common: &Common,
    scenarios: &[Scenario],
    settings: &Settings,
    precision: Option<&mut Precision>,
) -> Result<(), Error> {
    let need = Need::run(
        scenarios,
        settings,
        options.save_samples,
        common.threads_used(),
    );
    let limit = options.common.memory_limit();
    let (samples, setting) = match precision {
        Some(plan) => {
            if options.max_samples.is_none() {
                let fitting = need.fitting(&limit).max(1);
                plan.max_samples = plan.max_samples.min(fitting as usize);
            }
            (plan.max_samples as u64, "--max-samples")
        }
        None => {
            let replicates = match settings.method {
                Method::Mc => 1,
                _ => settings.replicates as u64,
            };
            let drawn = (settings.replicate_size() as u64).saturating_mul(replicates);
            (drawn, common.samples_setting.as_str())
        }
    };
    need.check(samples, setting, &limit)
}

pub(super) fn percentiles(
    options: &RunOptions,
    file: Option<&Vec<f64>>,
    setting: &str,
) -> Result<Vec<f64>, Error> {
    let percentiles = options
        .percentiles
        .clone()
        .or_else(|| file.cloned())
        .unwrap_or_else(|| DEFAULT_PERCENTILES.to_vec());
    stats::check_percentiles(&percentiles)
        .map_err(|e| SettingError::new(setting, e.to_string()))?;
    for (i, p) in percentiles.iter().enumerate() {
        if percentiles[..i].contains(p) {
            return Err(SettingError::new(
                setting,
                format!("{p} is listed twice; list each percentile once"),
            )
            .into());
        }
    }
    Ok(percentiles)
}

pub(super) fn replicates(asked: Option<u32>) -> Result<usize, Error> {
    let replicates = asked.map_or(DEFAULT_REPLICATES, |r| r as usize);
    if replicates < 2 {
        return Err(SettingError::new("--replicates", "must be at least 2").into());
    }
    Ok(replicates)
}

pub(super) fn precision(
    options: &RunOptions,
    settings: &Settings,
) -> Result<Option<Precision>, Error> {
    if options.precision.is_empty() {
        if options.max_samples.is_some() {
            return Err(SettingError::new(
                "--max-samples",
                "caps the samples of a --precision run, and there is no --precision target; \
                 give one (e.g. --precision daily_cost_usd:p95:1%) or set the samples with --samples",
            )
            .into());
        }
        return Ok(None);
    }
    let targets = options
        .precision
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<Vec<_>, _>>()?;
    if settings.method != Method::Mc {
        return Err(SettingError::new("--precision", "needs --sampler mc: it extends a run in prefix-stable increments, which only Monte Carlo has").into());
    }
    if options.common.samples.is_some() {
        return Err(SettingError::new(
            "--precision",
            "chooses the number of samples itself: drop --samples (cap it with --max-samples)",
        )
        .into());
    }
    let max = options.max_samples.unwrap_or(DEFAULT_MAX_SAMPLES);
    if max == 0 {
        return Err(SettingError::new("--max-samples", "must be at least 1").into());
    }
    let max_samples = usize::try_from(max)
        .map_err(|_| SettingError::new("--max-samples", "is too large for this machine"))?;
    Ok(Some(Precision {
        targets,
        max_samples,
    }))
}

/// The `--exceed` events, then the `--below` ones, in the order given.
pub(super) fn events(options: &RunOptions) -> Result<Vec<(Metric, Event)>, SettingError> {
    let above = options.exceed.iter().map(|e| parse_event(e, Side::Above));
    let below = options.below.iter().map(|e| parse_event(e, Side::Below));
    above.chain(below).collect()
}

/// Parses `METRIC=VALUE` of `--exceed` (`side` above) or `--below`.
pub(super) fn parse_event(text: &str, side: Side) -> Result<(Metric, Event), SettingError> {
    let option = match side {
        Side::Above => "--exceed",
        Side::Below => "--below",
    };
    let error = |problem: String| SettingError::new(format!("{option} {text}"), problem);
    let Some((name, value)) = text.split_once('=') else {
        return Err(error(
            "expected METRIC=VALUE, e.g. daily_cost_usd=1e6 or daily_cost_usd=$1.5M".to_string(),
        ));
    };
    let metric = Metric::from_name_or_item(name.trim()).ok_or_else(|| {
        let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        error(format!(
            "unknown metric \"{name}\"; metrics: {}, and cost_<item>_usd_per_day for each line item",
            names.join(", ")
        ))
    })?;
    let threshold =
        crate::number::parse(value, metric.quantity()).map_err(|e| error(e.to_string()))?;
    Ok((metric, Event { side, threshold }))
}

/// Fails when a `--precision` target names a line item `scenario` does not have.
pub(super) fn check_precision_metrics(
    precision: Option<&Precision>,
    scenario: &Scenario,
) -> Result<(), SettingError> {
    for target in precision.iter().flat_map(|p| &p.targets) {
        if scenario.metric_named(target.metric.name()).is_none() {
            return Err(SettingError::new(
                format!("--precision {}", target.metric.name()),
                format!(
                    "scenario {} has no line item of that name; its metrics: {}",
                    scenario.name(),
                    crate::report::metric_names(scenario)
                ),
            ));
        }
    }
    Ok(())
}
