//! Shards of a streamed run (`run --shard K/N`): which shard this process is (given, or read
//! from a cluster's job-array variables), which chunks it runs, and its partial result.
//!
//! Shard `k` of `n` runs the chunks `⌊k·C/n⌋ .. ⌊(k+1)·C/n⌋` of a run of `C` chunks. Every
//! chunk draws from its own streams, so the shards together draw exactly the one-process run's
//! samples, and `costbands merge` combines their summaries exactly.

use super::Error;
use crate::export::partial::{Partial, PartialEvent, PartialScenario, PartialSettings, StreamFile};
use crate::report::record::sampling_used;
use crate::report::stream::ScenarioStream;
use crate::scenario::Scenario;
use crate::settings::{SettingError, Settings};
use std::ops::Range;

/// Which shard a run is, as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardOption {
    /// `--shard K/N`.
    Index {
        /// K, from 0.
        shard: u64,
        /// N.
        shards: u64,
    },
    /// `--shard auto`: from `SLURM_ARRAY_TASK_ID` (less `SLURM_ARRAY_TASK_MIN`) of
    /// `SLURM_ARRAY_TASK_COUNT`, or a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`;
    /// `shards` (`--shards N`) gives or checks the number of shards.
    Auto {
        /// `--shards N`.
        shards: Option<u64>,
    },
}

impl ShardOption {
    /// Parses `K/N` or `auto`.
    pub fn parse(text: &str) -> Result<ShardOption, String> {
        if text == "auto" {
            return Ok(ShardOption::Auto { shards: None });
        }
        let usage = || {
            format!(
                "\"{text}\": expected K/N (shard K of N, K from 0 to N-1, e.g. 0/3) or auto \
                 (from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)"
            )
        };
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let shard: u64 = k.trim().parse().map_err(|_| usage())?;
        let shards: u64 = n.trim().parse().map_err(|_| usage())?;
        Ok(ShardOption::Index { shard, shards })
    }
}

/// A validated shard: `shard` of `shards`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 0.
    pub shard: u64,
    /// The number of shards.
    pub shards: u64,
}

impl Shard {
    /// The chunks this shard runs, of a run of `chunks` chunks.
    pub fn chunks(&self, chunks: u64) -> Range<u64> {
        let at = |k: u64| (u128::from(k) * u128::from(chunks) / u128::from(self.shards)) as u64;
        at(self.shard)..at(self.shard + 1)
    }
}

/// Resolves `option` (with `env` reading the environment) into a shard.
pub fn resolve(option: ShardOption, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, Error> {
    let error = |problem: String| -> Error { SettingError::new("--shard", problem).into() };
    let number = |name: &str| -> Result<Option<u64>, Error> {
        match env(name) {
            None => Ok(None),
            Some(text) => text.trim().parse().map(Some).map_err(|_| {
                error(format!(
                    "{name}={text} in the environment is not a whole number"
                ))
            }),
        }
    };
    let (shard, shards) = match option {
        ShardOption::Index { shard, shards } => (shard, shards),
        ShardOption::Auto { shards } => {
            if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
                let first = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
                let count = number("SLURM_ARRAY_TASK_COUNT")?;
                let shards = match (shards, count) {
                    (Some(given), Some(count)) if given != count => {
                        return Err(error(format!(
                            "--shards {given}, but the Slurm job array has \
                             SLURM_ARRAY_TASK_COUNT={count} tasks; give one task per shard"
                        )))
                    }
                    (Some(n), _) | (None, Some(n)) => n,
                    (None, None) => {
                        return Err(error(
                            "SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT; give \
                             the number of shards with --shards N"
                                .into(),
                        ))
                    }
                };
                let shard = id.checked_sub(first).ok_or_else(|| {
                    error(format!(
                        "SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={first}"
                    ))
                })?;
                (shard, shards)
            } else if let Some(index) = number("JOB_COMPLETION_INDEX")? {
                let shards = shards.ok_or_else(|| {
                    error(
                        "JOB_COMPLETION_INDEX is set, but a Kubernetes Indexed Job does not \
                         tell the number of shards: give --shards N (the Job's completions)"
                            .into(),
                    )
                })?;
                (index, shards)
            } else {
                return Err(error(
                    "auto reads SLURM_ARRAY_TASK_ID (a Slurm job array) or \
                     JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), and neither is set; \
                     give the shard as --shard K/N"
                        .into(),
                ));
            }
        }
    };
    if shards == 0 || shard >= shards {
        return Err(error(format!(
            "shard {shard} of {shards}: shards are numbered 0 to N-1 and N is at least 1 (for \
             N shards, a Slurm job array of exactly N tasks, e.g. --array=0-{})",
            shards.max(1) - 1
        )));
    }
    Ok(Shard { shard, shards })
}

/// The partial result of `shard` of a run of `scenarios` with `settings`, from the streams of
/// its chunks (one per scenario, in order).
pub fn partial(
    shard: Shard,
    scenarios: &[Scenario],
    settings: &Settings,
    streams: &[ScenarioStream],
    command: &[String],
) -> Partial {
    let chunks = shard.chunks(crate::report::stream::chunk_count(settings.samples));
    Partial {
        tool: "costbands".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        shard: shard.shard,
        shards: shard.shards,
        chunks: [chunks.start, chunks.end],
        settings: PartialSettings {
            samples: settings.samples as u64,
            seed: settings.seed,
            percentiles: settings.percentiles.clone(),
            confidence: settings.confidence,
            events: settings
                .events
                .iter()
                .map(|(metric, event)| PartialEvent {
                    metric: metric.name().into(),
                    event: event.side,
                    threshold: event.threshold,
                })
                .collect(),
        },
        command: command.to_vec(),
        scenarios: scenarios
            .iter()
            .zip(streams)
            .map(|(scenario, stream)| PartialScenario {
                name: scenario.name().into(),
                origin: scenario.origin().into(),
                sha256: scenario.sha256().into(),
                resolved_scenario: scenario
                    .resolved_text(&sampling_used(settings, settings.samples)),
                stream: StreamFile::of(stream),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn shards_split_the_chunks_without_gap_or_overlap() {
        for chunks in [0, 1, 2, 7, 61, 1000] {
            for shards in 1..9 {
                let mut next = 0;
                for shard in 0..shards {
                    let range = Shard { shard, shards }.chunks(chunks);
                    assert_eq!(range.start, next);
                    next = range.end;
                }
                assert_eq!(next, chunks);
            }
        }
    }

    #[test]
    fn auto_reads_slurm_and_kubernetes_variables() {
        let auto = |shards| ShardOption::Auto { shards };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert_eq!(
            resolve(auto(None), &slurm).unwrap(),
            Shard {
                shard: 2,
                shards: 3
            }
        );
        let from_one = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert_eq!(
            resolve(auto(None), &from_one).unwrap(),
            Shard {
                shard: 2,
                shards: 3
            }
        );
        let message = resolve(auto(Some(4)), &slurm).unwrap_err().to_string();
        assert!(message.contains("SLURM_ARRAY_TASK_COUNT=3"), "{message}");
        let k8s = env(&[("JOB_COMPLETION_INDEX", "1")]);
        assert_eq!(
            resolve(auto(Some(2)), &k8s).unwrap(),
            Shard {
                shard: 1,
                shards: 2
            }
        );
        let message = resolve(auto(None), &k8s).unwrap_err().to_string();
        assert!(message.contains("--shards N"), "{message}");
        let message = resolve(auto(None), &env(&[])).unwrap_err().to_string();
        assert!(message.contains("neither is set"), "{message}");
        let message = resolve(auto(Some(2)), &env(&[("JOB_COMPLETION_INDEX", "x")]))
            .unwrap_err()
            .to_string();
        assert!(message.contains("not a whole number"), "{message}");
    }

    #[test]
    fn shard_numbers_are_checked() {
        assert!(ShardOption::parse("3").is_err());
        assert!(ShardOption::parse("a/3").is_err());
        let none = env(&[]);
        for (k, n) in [(3, 3), (0, 0), (5, 2)] {
            let option = ShardOption::parse(&format!("{k}/{n}")).unwrap();
            let message = resolve(option, &none).unwrap_err().to_string();
            assert!(message.contains("numbered 0 to N-1"), "{message}");
        }
        let option = ShardOption::parse("1/3").unwrap();
        assert_eq!(
            resolve(option, &none).unwrap(),
            Shard {
                shard: 1,
                shards: 3
            }
        );
    }
}
