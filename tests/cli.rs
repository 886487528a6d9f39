//! The command line, end to end: files written, formats, options, and determinism.

mod common;

use common::*;
use costbands::model::{Metric, N_METRICS};

const BANDS_HEADER: &str = "scenario,metric,unit,percentile,value,ci_low,ci_high";

#[test]
fn run_writes_summary_bands_and_run_json() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    let output = costbands_in(dir.path(), &["run", "small.toml"]);
    assert_ok(&output);
    let out = dir.path().join("results/small");
    let bands = read(&out.join("bands.csv"));
    let mut lines = bands.lines();
    assert_eq!(lines.next(), Some(BANDS_HEADER));
    assert_eq!(
        lines.count(),
        N_METRICS * 9,
        "every metric × 9 default percentiles"
    );
    assert!(bands.contains("\nsmall,daily_cost_usd,USD/day,50,"));
    let summary = read(&out.join("summary.csv"));
    let header = summary.lines().next().unwrap();
    assert!(header.starts_with(
        "scenario,metric,unit,samples,non_finite,rejected,rejected_share,mean,mean_ci_low,mean_ci_high,std_dev,min,max,p1,"
    ));
    assert!(header.contains(",p50,p50_ci_low,p50_ci_high,"));
    assert_eq!(summary.lines().count(), 1 + N_METRICS);
    let run: serde_json::Value = serde_json::from_str(&read(&out.join("run.json"))).unwrap();
    assert_eq!(run["seed"], 11);
    assert_eq!(run["samples_requested"], 5000);
    assert_eq!(run["scenarios"][0]["samples_used"], 5000);
    assert_eq!(run["chunk_size"], 16384);
    assert_eq!(run["scenarios"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(run["scenarios"][0]["path"], "flops");
    let inputs = run["scenarios"][0]["inputs"].as_array().unwrap();
    let pue = inputs.iter().find(|i| i["name"] == "pue").unwrap();
    assert_eq!(pue["distribution"]["dist"], "normal");
    assert_eq!(pue["truncate"]["lo"], 1.0);
    assert!(run["scenarios"][0]["metrics"][0]["non_finite"].is_number());
    assert!(!out.join("samples.csv").exists());
    let table = stdout(&output);
    assert!(
        table.contains("daily_cost_usd (USD/day)") && table.contains("P50"),
        "{table}"
    );
}

#[test]
fn default_scenario_runs_with_no_file() {
    let (dir, output) = costbands(&["run", "--samples", "3000"]);
    assert_ok(&output);
    assert!(dir.path().join("results/chatgpt-class/bands.csv").exists());
    assert!(stdout(&output).contains("chatgpt-class"));
}

fn run_outputs(threads: &str) -> (String, String, serde_json::Value) {
    let (dir, output) = costbands(&[
        "run",
        "chatgpt-class",
        "--samples",
        "50000",
        "--threads",
        threads,
        "--out",
        "o",
    ]);
    assert_ok(&output);
    let out = dir.path().join("o");
    let mut run: serde_json::Value = serde_json::from_str(&read(&out.join("run.json"))).unwrap();
    let object = run.as_object_mut().unwrap();
    assert!(object.remove("elapsed_s").is_some());
    // The command line differs by its --threads.
    assert!(object.remove("command").is_some());
    assert_eq!(
        object.remove("threads").unwrap(),
        threads.parse::<u64>().unwrap()
    );
    (
        read(&out.join("summary.csv")),
        read(&out.join("bands.csv")),
        run,
    )
}

#[test]
fn output_is_byte_identical_at_1_2_and_8_threads() {
    let one = run_outputs("1");
    assert_eq!(one, run_outputs("2"));
    assert_eq!(one, run_outputs("8"));
}

#[test]
fn seed_changes_the_result_and_same_seed_repeats_it() {
    let bands = |seed: &str| {
        let (dir, output) = costbands(&["run", "--samples", "4000", "--seed", seed, "-q"]);
        assert_ok(&output);
        read(&dir.path().join("results/chatgpt-class/bands.csv"))
    };
    assert_eq!(bands("5"), bands("5"));
    assert_ne!(bands("5"), bands("6"));
}

#[test]
fn existing_results_are_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    assert_ok(&costbands_in(dir.path(), &["run", "small.toml", "-q"]));
    let bands = dir.path().join("results/small/bands.csv");
    std::fs::write(&bands, "old").unwrap();
    let output = costbands_in(dir.path(), &["run", "small.toml", "--seed", "99"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("already holds results") && message.contains("--force"),
        "{message}"
    );
    assert_eq!(read(&bands), "old");
    assert_ok(&costbands_in(
        dir.path(),
        &["run", "small.toml", "--force", "-q"],
    ));
    assert!(read(&bands).starts_with(BANDS_HEADER));
}

#[test]
fn save_samples_writes_every_input_and_metric_in_sample_order() {
    let (dir, output) = costbands(&[
        "run",
        "chatgpt-class",
        "--samples",
        "20000",
        "--save-samples",
        "--out",
        "o",
        "-q",
    ]);
    assert_ok(&output);
    let samples = read(&dir.path().join("o/samples.csv"));
    let mut lines = samples.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[..2], &["scenario", "sample"]);
    assert!(header.contains(&"utilization") && header.contains(&"gpu_hour_usd"));
    assert!(header.contains(&"wh_per_query"));
    // The built-in metrics, then the default scenario's line items (rate columns among the
    // inputs, one metric each at the end).
    assert!(header.contains(&"costs.staff"));
    assert_eq!(
        &header[header.len() - 4..],
        &[
            Metric::ALL[N_METRICS - 1].name(),
            "cost_software_licences_usd_per_day",
            "cost_staff_usd_per_day",
            "cost_network_storage_usd_per_day",
        ]
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 20000);
    assert!(rows[19999].starts_with("chatgpt-class,19999,"));
    // The saved daily cost column reproduces the reported mean.
    let column = header.iter().position(|h| *h == "daily_cost_usd").unwrap();
    let values: Vec<f64> = rows
        .iter()
        .map(|r| r.split(',').nth(column).unwrap().parse().unwrap())
        .collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let summary = read(&dir.path().join("o/summary.csv"));
    let mean_column = summary
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "mean")
        .unwrap();
    let row = summary
        .lines()
        .find(|l| l.contains(",daily_cost_usd,"))
        .unwrap();
    let reported: f64 = row.split(',').nth(mean_column).unwrap().parse().unwrap();
    assert!(
        ((mean - reported) / reported).abs() < 1e-9,
        "{mean} vs {reported}"
    );
}

#[test]
fn percentiles_confidence_exceed_and_json_format() {
    let (dir, output) = costbands(&[
        "run",
        "--samples",
        "20000",
        "--percentiles",
        "5,50,97.5",
        "--confidence",
        "0.9",
        "--exceed",
        "daily_cost_usd=5e6",
        "--format",
        "json",
        "--out",
        "o",
    ]);
    assert_ok(&output);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["confidence"], 0.9);
    let cost = &report["scenarios"][0]["metrics"][0];
    assert_eq!(cost["metric"], "daily_cost_usd");
    let exceed = &cost["exceedances"][0];
    let p = exceed["probability"].as_f64().unwrap();
    assert!(p > 0.0 && p < 1.0);
    assert!(exceed["ci_low"].as_f64().unwrap() < p && p < exceed["ci_high"].as_f64().unwrap());
    let bands = read(&dir.path().join("o/bands.csv"));
    assert!(bands.contains(",97.5,"), "{bands}");
    // Every built-in metric and the default scenario's 3 line items, at 3 percentiles each.
    assert_eq!(bands.lines().count(), 1 + (N_METRICS + 3) * 3);
}

#[test]
fn set_overrides_an_input() {
    let median_gpus = |extra: &[&str]| {
        let mut args = vec!["run", "semianalysis-2023", "--samples", "100", "--out", "o"];
        args.extend_from_slice(&["--format", "json"]);
        args.extend_from_slice(extra);
        let (_dir, output) = costbands(&args);
        assert_ok(&output);
        let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        report["scenarios"][0]["metrics"][3]["percentiles"][4]["value"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(median_gpus(&[]), 28_936.0);
    assert_eq!(median_gpus(&["--set", "utilization=1.0"]), 14_472.0);
}

#[test]
fn several_scenarios_share_one_output_folder() {
    let (dir, output) = costbands(&[
        "run",
        "goldstein-2022",
        "epoch-2025",
        "--samples",
        "100",
        "-q",
    ]);
    assert_ok(&output);
    let bands = read(
        &dir.path()
            .join("results/goldstein-2022-and-1-more/bands.csv"),
    );
    assert!(bands.contains("\ngoldstein-2022,") && bands.contains("\nepoch-2025,"));
}

/// The lines of a tidy CSV that belong to `scenario`, with the header.
fn rows_of(csv: &str, scenario: &str) -> String {
    let mut lines = csv.lines();
    let mut kept = vec![lines.next().unwrap()];
    kept.extend(lines.filter(|l| l.starts_with(&format!("{scenario},"))));
    kept.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn a_batch_folder_holds_one_sub_folder_per_scenario_as_its_own_run_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let common = [
        "-n",
        "3000",
        "--exceed",
        "daily_cost_usd=1e5",
        "--save-samples",
        "-q",
    ];
    // One seed for all: alone, each file's [sampling] would choose its own.
    let mut batch = vec![
        "run",
        "goldstein-2022-uncertain",
        "epoch-2025-uncertain",
        "--seed",
        "5",
    ];
    batch.extend(common);
    assert_ok(&costbands_in(dir.path(), &batch));
    let folder = dir
        .path()
        .join("results/goldstein-2022-uncertain-and-1-more");
    for name in ["goldstein-2022-uncertain", "epoch-2025-uncertain"] {
        let own = folder.join(name);
        let mut files: Vec<String> = std::fs::read_dir(&own)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(
            files,
            [
                "bands.csv",
                "breakdown.csv",
                "exceedance.csv",
                "run.json",
                "samples.csv",
                "summary.csv"
            ]
        );
        // The sub-folder is the scenario's share of the combined files ...
        for file in ["bands.csv", "summary.csv", "exceedance.csv"] {
            let combined = read(&folder.join(file));
            assert_eq!(
                read(&own.join(file)),
                rows_of(&combined, name),
                "{name}/{file}"
            );
        }
        // ... and exactly what a run of that scenario alone writes.
        let alone = format!("alone-{name}");
        let mut args = vec!["run", name, "--out", &alone, "--seed", "5"];
        args.extend(common);
        assert_ok(&costbands_in(dir.path(), &args));
        for file in ["bands.csv", "summary.csv", "exceedance.csv", "samples.csv"] {
            assert_eq!(
                read(&own.join(file)),
                read(&dir.path().join(&alone).join(file)),
                "{name}/{file}"
            );
        }
        let run: serde_json::Value = serde_json::from_str(&read(&own.join("run.json"))).unwrap();
        assert_eq!(run["scenarios"].as_array().unwrap().len(), 1);
        assert_eq!(run["scenarios"][0]["name"], name);
    }
    // A failed --force leaves the whole old set, sub-folders included.
    let old_bands = read(&folder.join("goldstein-2022-uncertain/bands.csv"));
    std::fs::write(folder.join("epoch-2025-uncertain/notes.txt"), "mine").unwrap();
    let mut again = vec![
        "run",
        "goldstein-2022-uncertain",
        "epoch-2025-uncertain",
        "--force",
        "--seed",
        "9",
    ];
    again.extend(common);
    let output = costbands_in(dir.path(), &again);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("epoch-2025-uncertain/notes.txt")
            && message.contains("not a costbands result"),
        "{message}"
    );
    assert_eq!(
        read(&folder.join("goldstein-2022-uncertain/bands.csv")),
        old_bands
    );
    assert_eq!(read(&folder.join("epoch-2025-uncertain/notes.txt")), "mine");
    // Without the stray file the new set replaces the old one whole.
    std::fs::remove_file(folder.join("epoch-2025-uncertain/notes.txt")).unwrap();
    assert_ok(&costbands_in(dir.path(), &again));
    assert!(read(&folder.join("goldstein-2022-uncertain/bands.csv")) != old_bands);
}

#[test]
fn batch_names_that_would_share_a_sub_folder_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "one.toml",
        &SMALL.replace("name = \"small\"", "name = \"twin\""),
    );
    write(
        dir.path(),
        "two.toml",
        &SMALL.replace("name = \"small\"", "name = \"Twin\""),
    );
    write(
        dir.path(),
        "file.toml",
        &SMALL.replace("name = \"small\"", "name = \"run.json\""),
    );
    for (args, needle) in [
        (
            vec!["run", "one.toml", "two.toml"],
            "two.toml: two scenarios are named \"twin\" (the other is one.toml)",
        ),
        (
            vec!["run", "one.toml", "one.toml"],
            "two scenarios are named \"twin\"",
        ),
        (
            vec!["run", "one.toml", "file.toml"],
            "file.toml: the name \"run.json\" is that of a result file",
        ),
    ] {
        let output = costbands_in(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains(needle),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!dir.path().join("results").exists());
    }
    // Alone, such a name is fine: a single run writes no sub-folder.
    assert_ok(&costbands_in(dir.path(), &["run", "file.toml", "-q"]));
}

#[test]
fn check_explain_and_list() {
    let (_dir, output) = costbands(&["check", "chatgpt-class", "semianalysis-2023"]);
    assert_ok(&output);
    assert!(stdout(&output).contains("ok: chatgpt-class"));
    let (_dir, output) = costbands(&["explain", "semianalysis-2023"]);
    assert_ok(&output);
    let text = stdout(&output);
    for needle in ["busy GPU-s/day", "28936", "694464", "FLOP/token"] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
    let (_dir, output) = costbands(&["list"]);
    assert_ok(&output);
    let text = stdout(&output);
    for needle in [
        "h100-sxm",
        "chatgpt-class",
        "gpu_hour_usd",
        "wh_per_query",
        "pert",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
}

#[test]
fn a_run_with_nothing_usable_fails_even_quietly_and_writes_nothing_regression() {
    let cases: [&[&str]; 2] = [
        &["run", "-n", "200", "-q", "--set", "queries_per_day=1e308"],
        &[
            "run",
            "selfhost-70b",
            "-n",
            "200",
            "-q",
            "--set",
            "gpus_per_replica=1",
            "--set",
            "batch_size=4096",
        ],
    ];
    let reasons = [
        "not a finite number in any of the 200 samples",
        "every one of the 200 samples was rejected",
    ];
    for (args, reason) in cases.iter().zip(reasons) {
        let (dir, output) = costbands(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains("nothing usable") && message.contains(reason),
            "{message}"
        );
        assert_eq!(message.lines().count(), 1, "{message}");
        // At most the (empty) default parent folder `results/` is left.
        let results = dir.path().join("results");
        let left = std::fs::read_dir(&results).map_or(0, |entries| entries.count());
        assert_eq!(left, 0, "{args:?} left something in results/");
    }
}

#[test]
fn the_flops_path_says_what_it_leaves_out_in_run_and_explain_regression() {
    let (_dir, run) = costbands(&["run", "-n", "2000"]);
    assert_ok(&run);
    let explain = costbands(&["explain"]).1;
    for text in [stderr(&run), stdout(&explain)] {
        assert!(
            text.contains("the flops path counts compute") && text.contains("batch_size"),
            "{text}"
        );
    }
    let (_dir, roofline) = costbands(&["run", "selfhost-70b", "-n", "2000"]);
    assert!(!stderr(&roofline).contains("the flops path"));
}

#[test]
fn exceedance_probabilities_are_written_to_their_own_csv_only_when_asked_for() {
    let (dir, output) = costbands(&[
        "run",
        "-n",
        "5000",
        "--out",
        "o",
        "--exceed",
        "daily_cost_usd=1e7",
        "--exceed",
        "gpus=1e5",
        "--below",
        "daily_cost_usd=1e7",
    ]);
    assert_ok(&output);
    let csv = read(&dir.path().join("o/exceedance.csv"));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,metric,unit,event,threshold,probability,ci_low,ci_high")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3);
    // Per metric, in the order asked: the --exceed events, then the --below ones.
    assert_eq!(
        &rows[0][..5],
        [
            "chatgpt-class",
            "daily_cost_usd",
            "USD/day",
            ">",
            "10000000"
        ]
    );
    assert_eq!(
        &rows[1][..5],
        [
            "chatgpt-class",
            "daily_cost_usd",
            "USD/day",
            "<",
            "10000000"
        ]
    );
    assert_eq!(
        &rows[2][..5],
        ["chatgpt-class", "gpus", "GPUs", ">", "100000"]
    );
    // A continuous metric: P(> x) + P(< x) = 1.
    let p = |row: &[&str]| row[5].parse::<f64>().unwrap();
    assert!((p(&rows[0]) + p(&rows[1]) - 1.0).abs() < 1e-12);
    // The same numbers as run.json, and the table prints both events.
    let json: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    let events = &json["scenarios"][0]["metrics"][0]["exceedances"];
    assert_eq!(events[0]["event"], ">");
    assert_eq!(events[1]["event"], "<");
    assert_eq!(p(&rows[0]), events[0]["probability"].as_f64().unwrap());
    assert_eq!(p(&rows[1]), events[1]["probability"].as_f64().unwrap());
    let table = stdout(&output);
    assert!(
        table.contains("P(daily_cost_usd > $10M) = ")
            && table.contains("P(daily_cost_usd < $10M) = "),
        "{table}"
    );
    let (dir, output) = costbands(&["run", "-n", "2000", "-q", "--out", "o"]);
    assert_ok(&output);
    assert!(!dir.path().join("o/exceedance.csv").exists());
}

#[test]
fn format_csv_and_markdown_print_what_pipelines_and_documents_need() {
    let (dir, output) = costbands(&["run", "-n", "3000", "--out", "o", "--format", "csv"]);
    assert_ok(&output);
    assert_eq!(stdout(&output), read(&dir.path().join("o/summary.csv")));
    let (_dir, output) = costbands(&["run", "-n", "3000", "--format", "markdown"]);
    assert_ok(&output);
    let text = stdout(&output);
    assert!(
        text.starts_with("| scenario | metric | P5 | P50 [95% CI] | P95 | mean [95% CI] |\n|---|")
    );
    assert!(
        text.contains("| chatgpt-class | `daily_cost_usd` (USD/day) | $"),
        "{text}"
    );
    let (dir, output) = costbands(&[
        "sweep",
        "--vary",
        "utilization=0.3,0.5",
        "-n",
        "200",
        "--format",
        "markdown",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("only `run` prints Markdown"));
    assert!(
        !dir.path().join("results").exists(),
        "a refused job wrote nothing"
    );
}

#[test]
fn batches_expand_folders_report_every_invalid_file_and_keep_going_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("batch");
    std::fs::create_dir(&folder).unwrap();
    for name in ["goldstein-2022.toml", "hardware.toml"] {
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("distributions")
                .join(name),
            folder.join(name),
        )
        .unwrap();
    }
    write(
        &folder,
        "bad1.toml",
        "name = \"bad1\"\n[inputs]\nutilization = 1.5\n",
    );
    write(&folder, "bad2.toml", "name = \"bad2\"\n[inputs\n");
    // Every invalid file is reported, nothing runs, nothing is written.
    let output = costbands_in(
        dir.path(),
        &["run", "batch", "semianalysis-2023", "-n", "500", "-q"],
    );
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("2 of the scenarios are invalid"),
        "{message}"
    );
    assert!(
        message.contains("bad1.toml") && message.contains("bad2.toml"),
        "{message}"
    );
    assert!(!dir.path().join("results").exists());
    // --keep-going runs the valid ones (the catalog is not a scenario), then fails listing the rest.
    let output = costbands_in(
        dir.path(),
        &[
            "run",
            "batch",
            "semianalysis-2023",
            "-n",
            "500",
            "-q",
            "--keep-going",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("bad2.toml"));
    let bands = read(
        &dir.path()
            .join("results/goldstein-2022-and-1-more/bands.csv"),
    );
    let mut names: Vec<&str> = bands
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    names.dedup();
    assert_eq!(names, ["goldstein-2022", "semianalysis-2023"]);
}

#[test]
fn all_runs_every_preset_into_one_short_folder() {
    let (dir, output) = costbands(&["run", "--all", "-n", "300", "-q"]);
    assert_ok(&output);
    let presets = costbands::scenario::PRESETS;
    let folder = dir.path().join(format!(
        "results/{}-and-{}-more",
        presets[0].name,
        presets.len() - 1
    ));
    let bands = read(&folder.join("bands.csv"));
    let mut names: Vec<&str> = bands
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    names.dedup();
    assert_eq!(names, presets.iter().map(|p| p.name).collect::<Vec<_>>());
}
