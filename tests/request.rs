//! The library's validated request and engine seam, used as a front end would: settings merged
//! once (caller > scenario file > default), results in memory equal to the files written, and
//! a custom sink seeing exactly the chunks the in-memory columns hold.

use costbands::engine::{self, Chunk, Options, Sink, CHUNK_SIZE};
use costbands::export::{self, Exporter};
use costbands::model::Metric;
use costbands::request::{CommonOptions, RunOptions, RunRequest, ScenarioText, Silent};
use costbands::scenario::Scenario;
use costbands::settings::{DEFAULT_SAMPLES, DEFAULT_SEED};
use std::collections::BTreeMap;
use std::sync::Mutex;

fn options(scenario: &str, common: CommonOptions) -> RunOptions {
    RunOptions {
        common,
        scenarios: vec![scenario.to_string()],
        ..RunOptions::default()
    }
}

#[test]
fn settings_merge_caller_over_file_over_default() {
    // selfhost-70b's file says samples = 100000, seed = 70; goldstein-2022 says nothing.
    let from_file = RunRequest::new(&options("selfhost-70b", CommonOptions::default())).unwrap();
    assert_eq!(from_file.settings().seed, 70);
    let from_caller = RunRequest::new(&options(
        "selfhost-70b",
        CommonOptions {
            seed: Some(5),
            samples: Some(321),
            ..CommonOptions::default()
        },
    ))
    .unwrap();
    assert_eq!(
        (from_caller.settings().seed, from_caller.settings().samples),
        (5, 321)
    );
    let defaults = RunRequest::new(&options("goldstein-2022", CommonOptions::default())).unwrap();
    assert_eq!(
        (defaults.settings().seed, defaults.settings().samples as u64),
        (DEFAULT_SEED, DEFAULT_SAMPLES)
    );
}

#[test]
fn invalid_options_are_typed_errors_naming_the_option() {
    let cases = [
        (
            CommonOptions {
                samples: Some(0),
                ..CommonOptions::default()
            },
            "--samples",
        ),
        (
            CommonOptions {
                confidence: Some(1.5),
                ..CommonOptions::default()
            },
            "--confidence",
        ),
        (
            CommonOptions {
                set: vec!["utilization".to_string()],
                ..CommonOptions::default()
            },
            "--set utilization",
        ),
    ];
    for (common, option) in cases {
        let error = RunRequest::new(&options("chatgpt-class", common)).unwrap_err();
        assert!(
            matches!(error, costbands::Error::Setting(ref e) if e.setting == option),
            "{error}"
        );
    }
}

#[test]
fn results_in_memory_are_the_files_written() {
    let dir = tempfile::tempdir().unwrap();
    let common = CommonOptions {
        samples: Some(5000),
        out: Some(dir.path().join("out")),
        ..CommonOptions::default()
    };
    let request = RunRequest::new(&options("chatgpt-class", common)).unwrap();
    let written = request.execute(&Silent).unwrap();
    let in_memory = request.run(&Silent, &mut |_, _| Ok(())).unwrap();
    assert_eq!(written.scenarios, in_memory.scenarios);
    let mut bands = Vec::new();
    export::BandsCsv.write(&in_memory, &mut bands).unwrap();
    let file = std::fs::read(dir.path().join("out").join(export::BandsCsv.file_name())).unwrap();
    assert_eq!(bands, file);
}

/// Sums of one metric per chunk, and every chunk index seen.
struct ChunkSums {
    sums: Mutex<BTreeMap<u64, (usize, f64)>>,
}

impl Sink for ChunkSums {
    fn accept(&self, chunk: &Chunk<'_>) {
        let sum = chunk.metric(Metric::DailyCostUsd).iter().sum();
        let previous = self
            .sums
            .lock()
            .unwrap()
            .insert(chunk.index, (chunk.len, sum));
        assert!(previous.is_none(), "chunk {} delivered twice", chunk.index);
    }
}

#[test]
fn a_sink_sees_every_chunk_once_with_the_columns_values_at_any_thread_count() {
    let scenario = Scenario::load("chatgpt-class", &[]).unwrap();
    let samples = 3 * CHUNK_SIZE + 100;
    let first_chunk = 2;
    let options = Options {
        seed: 11,
        ..Options::default()
    };
    let columns = engine::simulate_chunks(&scenario, &options, first_chunk, samples);
    let expected: Vec<(u64, (usize, f64))> = columns
        .metric(Metric::DailyCostUsd)
        .chunks(CHUNK_SIZE)
        .enumerate()
        .map(|(k, chunk)| (first_chunk + k as u64, (chunk.len(), chunk.iter().sum())))
        .collect();
    for threads in [1, 2, 3] {
        let sink = ChunkSums {
            sums: Mutex::new(BTreeMap::new()),
        };
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| engine::run(&scenario, &options, first_chunk, samples, &sink));
        let seen: Vec<(u64, (usize, f64))> = sink.sums.into_inner().unwrap().into_iter().collect();
        assert_eq!(seen, expected, "{threads} threads");
    }
}

#[test]
fn a_scenario_given_as_text_runs_as_its_file_does_and_is_named_by_its_origin() {
    let text = Scenario::load("goldstein-2022", &[]).unwrap();
    let preset = costbands::scenario::PRESETS
        .iter()
        .find(|p| p.name == "goldstein-2022")
        .unwrap();
    let common = |texts| CommonOptions {
        samples: Some(2000),
        texts,
        ..CommonOptions::default()
    };
    let given = ScenarioText {
        origin: "<string>".to_string(),
        stem: "scenario".to_string(),
        text: preset.text.to_string(),
    };
    let from_text = RunRequest::new(&options("<string>", common(vec![given.clone()]))).unwrap();
    assert_eq!(from_text.scenarios()[0].origin(), "<string>");
    assert_eq!(from_text.scenarios()[0].name(), text.name());
    let from_preset = RunRequest::new(&options("goldstein-2022", common(vec![]))).unwrap();
    let (a, b) = (
        from_text.run(&Silent, &mut |_, _| Ok(())).unwrap(),
        from_preset.run(&Silent, &mut |_, _| Ok(())).unwrap(),
    );
    assert_eq!(a.scenarios[0].metrics, b.scenarios[0].metrics);

    let bad = ScenarioText {
        text: "[inputs]\nutilization = { dist = \"beta\", mean = 1.3, sd = 0.1 }\n".to_string(),
        ..given
    };
    let error = RunRequest::new(&options("<string>", common(vec![bad]))).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("<string>: inputs.utilization:"),
        "{error}"
    );
}

#[test]
fn on_samples_receives_each_scenarios_columns_to_keep() {
    let common = CommonOptions {
        samples: Some(1000),
        ..CommonOptions::default()
    };
    let mut run = options("goldstein-2022", common);
    run.save_samples = true;
    let request = RunRequest::new(&run).unwrap();
    let mut kept = Vec::new();
    let report = request
        .run(&Silent, &mut |scenario, simulation| {
            kept.push((scenario.name().to_string(), simulation));
            Ok(())
        })
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].0, report.scenarios[0].name);
    assert_eq!(kept[0].1.len(), 1000);
    assert!(kept[0].1.inputs.is_some());
}

/// Counts the chunks a run hands over.
struct ChunkCount(std::sync::atomic::AtomicUsize);

impl Sink for ChunkCount {
    fn accept(&self, _chunk: &Chunk<'_>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn progress_is_called_before_each_chunk_and_unwinding_from_it_stops_the_run() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let scenario = Scenario::load("chatgpt-class", &[]).unwrap();
    let chunks = 40;
    let samples = chunks * CHUNK_SIZE;
    let (starts, drawn) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let count = |n: usize| {
        match n {
            0 => starts.fetch_add(1, Ordering::Relaxed),
            n => drawn.fetch_add(n, Ordering::Relaxed),
        };
    };
    let options = Options {
        progress: Some(&count),
        ..Options::default()
    };
    let sink = ChunkCount(AtomicUsize::new(0));
    engine::run(&scenario, &options, 0, samples, &sink);
    assert_eq!(starts.load(Ordering::Relaxed), chunks);
    assert_eq!(drawn.load(Ordering::Relaxed), samples);

    // A front end stops the run after three chunks: no chunk starts afterwards, on any thread.
    for threads in [1, 2] {
        let started = AtomicUsize::new(0);
        let stop = |n: usize| {
            if n == 0 && started.fetch_add(1, Ordering::Relaxed) >= 3 {
                std::panic::resume_unwind(Box::new("stopped"));
            }
        };
        let options = Options {
            progress: Some(&stop),
            ..Options::default()
        };
        let sink = ChunkCount(AtomicUsize::new(0));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| engine::run(&scenario, &options, 0, samples, &sink))
        }));
        let payload = outcome.unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"stopped"));
        assert_eq!(sink.0.load(Ordering::Relaxed), 3, "{threads} threads");
    }
}
