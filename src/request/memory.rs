//! How much memory a job needs, estimated from its settings before anything is allocated, and
//! the limit it must fit in: `--max-memory`, else the memory the system has available
//! (`MemAvailable` in `/proc/meminfo`), else none. Past 128 TiB (the address space of a 64-bit
//! process) no job can allocate, whatever the limit.
//!
//! The estimates count the large allocations, 8 bytes a value: a run's stored metric columns
//! (and input columns when samples are saved), a column of summary scratch per worker thread,
//! and each thread's chunk buffers; a sensitivity analysis adds its second run, ranks, the
//! Sobol design and the bootstrap's per-resample sums (see [`crate::sensitivity`]).

use super::Error;
use crate::engine::CHUNK_SIZE;
use crate::report::CORRELATION_CHECK_SAMPLES;
use crate::scenario::Scenario;
use crate::sensitivity::spearman::TOP_DRIVERS_SAMPLES;
use crate::sensitivity::{Method, Options};
use crate::settings::{Method as Sampler, Settings};

/// Bytes no process can allocate: the user address space of a 64-bit process.
const ADDRESS_SPACE: u128 = 1 << 47;

/// Bytes of one value in a column.
const VALUE: u128 = 8;

/// The most a job may use, and where that figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Limit {
    bytes: u128,
    source: &'static str,
}

impl Limit {
    /// `--max-memory` when given, else the memory available now, else the address space.
    pub(super) fn new(max_memory: Option<u64>) -> Limit {
        match max_memory {
            Some(bytes) => Limit {
                bytes: u128::from(bytes).min(ADDRESS_SPACE),
                source: "--max-memory",
            },
            None => match mem_available() {
                Some(bytes) => Limit {
                    bytes: u128::from(bytes),
                    source: "the memory available now, MemAvailable in /proc/meminfo; --max-memory sets another limit",
                },
                None => Limit {
                    bytes: ADDRESS_SPACE,
                    source: "the address space of a process",
                },
            },
        }
    }

    fn bytes(&self) -> u128 {
        self.bytes
    }
}

/// `MemAvailable` from `/proc/meminfo`, in bytes, where there is one.
fn mem_available() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// The peak resident memory of this process so far (`VmHWM` in `/proc/self/status`), in
/// bytes, where there is one.
pub(super) fn peak_rss() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// The memory of a run as a function of its samples: `fixed + per_sample × samples`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Need {
    fixed: u128,
    per_sample: u128,
}

impl Need {
    /// A run of `scenarios` (one at a time, so the largest counts) with `settings`, on
    /// `threads` worker threads, keeping input columns when `keep_inputs`.
    pub(super) fn run(
        scenarios: &[Scenario],
        settings: &Settings,
        keep_inputs: bool,
        threads: usize,
    ) -> Need {
        let threads = threads as u128;
        let samples = settings.samples as u128;
        let mut need = Need {
            fixed: 0,
            per_sample: 0,
        };
        for scenario in scenarios {
            let stored = stored_metrics(scenario);
            let inputs = scenario.inputs().len() as u128;
            let columns = stored + if keep_inputs { inputs } else { 0 };
            let summary_scratch = threads.min(stored);
            // Threads busy at once, each with a chunk's input and metric buffers; the prefix of
            // the run re-simulated with its inputs for the top drivers and correlation check.
            let busy = threads.min(samples.div_ceil(CHUNK_SIZE as u128));
            let all_metrics = scenario.metrics().len() as u128;
            let chunks = busy * CHUNK_SIZE as u128 * VALUE * (inputs + all_metrics);
            let prefix = samples.min(TOP_DRIVERS_SAMPLES.max(CORRELATION_CHECK_SAMPLES) as u128)
                * VALUE
                * (stored + inputs);
            let replicates = match settings.method {
                Sampler::Mc => 0,
                _ => {
                    settings.replicates as u128
                        * all_metrics
                        * (256 + 48 * settings.percentiles.len() as u128)
                }
            };
            need.per_sample = need.per_sample.max(VALUE * (columns + summary_scratch));
            need.fixed = need.fixed.max(chunks + prefix + replicates);
        }
        need
    }

    /// The need of the same run streamed (`--stream`): the chunk buffers and re-simulated
    /// prefix of the in-memory run, and per stored metric one quantile sketch per busy thread,
    /// one being filled and the total (a 512 KiB table each and, allowed for, 1 MiB of
    /// buckets), whatever the samples.
    pub(super) fn streamed(self, scenarios: &[Scenario], threads: usize) -> Need {
        let stored = scenarios.iter().map(stored_metrics).max().unwrap_or(0);
        let sketches = stored * (threads as u128 + 2) * (3 << 19);
        Need {
            fixed: self.fixed.saturating_add(sketches),
            per_sample: 0,
        }
    }

    /// Bytes for `samples` samples.
    /// The need of a job holding `copies` runs' columns at once (a comparison, a sweep).
    pub(super) fn times(self, copies: u64) -> Need {
        Need {
            fixed: self.fixed,
            per_sample: self.per_sample.saturating_mul(u128::from(copies)),
        }
    }

    pub(super) fn bytes(&self, samples: u64) -> u128 {
        self.fixed
            .saturating_add(self.per_sample.saturating_mul(u128::from(samples)))
    }

    /// The most samples that fit in `limit` (0 when none do).
    pub(super) fn fitting(&self, limit: &Limit) -> u64 {
        let room = limit.bytes().saturating_sub(self.fixed);
        u64::try_from(room / self.per_sample.max(1)).unwrap_or(u64::MAX)
    }

    /// Whether `samples` fit in `limit`.
    pub(super) fn fits(&self, samples: u64, limit: &Limit) -> bool {
        self.bytes(samples) <= limit.bytes()
    }

    /// Fails when `samples` (from `setting`) do not fit in `limit`.
    pub(super) fn check(&self, samples: u64, setting: &str, limit: &Limit) -> Result<(), Error> {
        let needed = self.bytes(samples);
        if needed <= limit.bytes() {
            return Ok(());
        }
        let fitting = self.fitting(limit);
        let fix = if fitting == 0 {
            format!(
                "its buffers alone take {}, so raise the limit",
                format_bytes(self.fixed)
            )
        } else {
            format!("use fewer samples: at most about {fitting} fit ({setting})")
        };
        Err(Error::Memory {
            job: "this run",
            needed,
            detail: format!(" for {samples} samples ({} bytes each)", self.per_sample),
            limit: limit.bytes(),
            limit_source: limit.source,
            fix,
        })
    }
}

/// Metric columns a run of `scenario` stores (derived metrics are computed from others).
fn stored_metrics(scenario: &Scenario) -> u128 {
    let derived = scenario.derived_metrics();
    scenario
        .metrics()
        .iter()
        .filter(|m| derived[m.index()].is_none())
        .count() as u128
}

/// Bytes a sensitivity analysis of `scenario` with `options` needs on `threads` threads.
pub(super) fn sensitivity_bytes(scenario: &Scenario, options: &Options, threads: usize) -> u128 {
    let has = |method| options.methods.contains(&method);
    let n = options.samples as u128;
    let draws = options.resamples as u128;
    let sets = draws + 1;
    let stored = stored_metrics(scenario);
    let inputs = scenario.inputs().len() as u128;
    let uncertain = scenario.uncertain_inputs().count() as u128;
    let metrics = options.metrics.len() as u128;
    let keep_inputs = has(Method::Spearman) || has(Method::Sobol);
    let runs = has(Method::Spearman) || has(Method::Sobol) || has(Method::Width);
    let terms = [
        // The run (matrix A of Sobol) and each thread's chunk buffers.
        runs as u128 * n * VALUE * (stored + keep_inputs as u128 * inputs),
        threads as u128 * CHUNK_SIZE as u128 * VALUE * (inputs + scenario.metrics().len() as u128),
        // Spearman: the ranks of every uncertain input and of the metric.
        has(Method::Spearman) as u128 * n * VALUE * (uncertain + 2 * metrics),
        // Sobol: matrix B, the model values of the design, the bootstrap's per-chunk sums.
        (has(Method::Sobol) && uncertain > 0) as u128
            * (n * VALUE * (stored + inputs + (uncertain + 2) * metrics + 2)
                + n.div_ceil(CHUNK_SIZE as u128)
                    * sets
                    * VALUE
                    * (1 + metrics * (2 + 2 * uncertain))
                + sets * (VALUE * metrics * (1 + 2 * uncertain) + 72)),
        // Width: a pinned rerun, the sorted columns, the widths of every resample.
        has(Method::Width) as u128
            * (n * VALUE * stored + n * 28 * metrics + draws * (VALUE * (2 * metrics + 3) + 48)),
    ];
    terms.iter().fold(0u128, |sum, t| sum.saturating_add(*t))
}

/// Fails when a sensitivity analysis needing `needed` bytes does not fit in `limit`.
pub(super) fn check_sensitivity(
    needed: u128,
    options: &Options,
    limit: &Limit,
) -> Result<(), Error> {
    if needed <= limit.bytes() {
        return Ok(());
    }
    Err(Error::Memory {
        job: "this sensitivity analysis",
        needed,
        detail: format!(
            " for {} samples and {} resamples",
            options.samples, options.resamples
        ),
        limit: limit.bytes(),
        limit_source: limit.source,
        fix:
            "use fewer samples (--samples) or resamples (--resamples), or fewer methods or metrics"
                .to_string(),
    })
}

/// `bytes` in binary units, three significant digits: `1.50 GiB`, `80.0 TiB`.
pub fn format_bytes(bytes: u128) -> String {
    const UNITS: [&str; 7] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    match unit {
        0 => format!("{bytes} bytes"),
        _ if value >= 100.0 => format!("{value:.0} {}", UNITS[unit]),
        _ if value >= 10.0 => format!("{value:.1} {}", UNITS[unit]),
        _ => format!("{value:.2} {}", UNITS[unit]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_in_binary_units() {
        assert_eq!(format_bytes(512), "512 bytes");
        assert_eq!(format_bytes(1536), "1.50 KiB");
        assert_eq!(format_bytes(4 << 30), "4.00 GiB");
        assert_eq!(format_bytes(80 << 40), "80.0 TiB");
        assert_eq!(format_bytes(u128::MAX), format_bytes(u128::MAX));
    }

    #[test]
    fn a_run_scales_with_its_samples_and_fits_or_not() {
        let scenario = Scenario::default_scenario(&[]).unwrap();
        let settings = Settings::default();
        let need = Need::run(std::slice::from_ref(&scenario), &settings, false, 2);
        let kept = Need::run(std::slice::from_ref(&scenario), &settings, true, 2);
        assert!(kept.per_sample > need.per_sample);
        assert!(need.bytes(2_000_000) > need.bytes(1_000_000));
        assert_eq!(
            need.bytes(u64::MAX),
            need.bytes(u64::MAX - 1).max(need.bytes(u64::MAX))
        );
        let limit = Limit::new(Some(1 << 30));
        let fitting = need.fitting(&limit);
        assert!(need.bytes(fitting) <= 1 << 30 && need.bytes(fitting + 1) > 1 << 30);
        assert!(need.check(fitting, "--samples", &limit).is_ok());
        let error = need.check(fitting + 1, "--samples", &limit).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("1.00 GiB (--max-memory)"), "{message}");
        assert!(
            message.contains(&format!("at most about {fitting} fit")),
            "{message}"
        );
    }
}
