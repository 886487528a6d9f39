//! `--save-samples parquet`: samples.parquet read back with the parquet crate's own reader
//! holds every value of samples.csv bit for bit (the CSV's numbers are shortest round-trip
//! text), with typed columns of the CSV's names; the file is byte-identical at 1 and 2
//! threads, in memory and streamed; batches, refusals, `--force` and interruption behave as
//! for samples.csv.

mod common;

use common::{assert_ok, costbands_in, stderr, write, SMALL};
use parquet::basic::{Repetition, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::path::Path;

/// A scenario on the throughput path: no `active_params_b` or `mfu`, which SMALL reads.
const THROUGHPUT: &str = r#"
name = "thru"
gpu = "h100-sxm"

[inputs]
queries_per_day = "1M to 3M"
output_tokens_per_query = 500
output_tokens_per_gpu_s = "1000 to 3000"
input_tokens_per_query = 300
utilization = 0.5
gpus_per_server = 8
gpu_hour_usd = 2
power_draw_fraction = 0.7
electricity_usd_per_kwh = 0.1
"#;

/// Runs `costbands run` with `args` in `dir`, quietly.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.push("-q");
    costbands_in(dir, &all)
}

fn reader(path: &Path) -> SerializedFileReader<std::fs::File> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SerializedFileReader::new(file).unwrap()
}

/// The columns of samples.parquet: name, physical type and whether nullable.
fn schema(path: &Path) -> Vec<(String, Physical, bool)> {
    let reader = reader(path);
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    schema
        .columns()
        .iter()
        .map(|c| {
            let nullable = c.self_type().get_basic_info().repetition() == Repetition::OPTIONAL;
            (c.name().to_string(), c.physical_type(), nullable)
        })
        .collect()
}

/// Every row of samples.parquet as text cells the way samples.csv writes them (`{}` of the
/// double; an empty cell for null), checking each double's text reads back to its bits.
fn rows_as_csv(path: &Path) -> Vec<Vec<String>> {
    let reader = reader(path);
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, field)| match field {
                    Field::Str(text) => text.clone(),
                    Field::Long(n) => n.to_string(),
                    Field::Null => String::new(),
                    Field::Double(x) => {
                        let text = format!("{x}");
                        let back: f64 = text.parse().unwrap();
                        assert!(back.to_bits() == x.to_bits() || x.is_nan(), "{text}");
                        text
                    }
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The CSV's header with the parquet's one renaming: an input named like a metric.
fn parquet_names(csv_header: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut names: Vec<String> = csv_header.to_vec();
    // The first of two equal names is the input's column.
    for i in 0..names.len() {
        if csv_header[i + 1..].contains(&csv_header[i]) && seen.insert(csv_header[i].clone()) {
            names[i] = format!("{}_input", csv_header[i]);
        }
    }
    names
}

#[test]
fn parquet_holds_the_csv_values_bit_for_bit_in_typed_columns() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // More than one row group (131,072 samples each), the last one partial.
    let n = "140000";
    let base = ["chatgpt-2025", "-n", n, "--seed", "9"];
    let csv_args = [&base[..], &["--save-samples", "--out", "csv"]].concat();
    assert_ok(&run(dir, &csv_args));
    let pq_args = [&base[..], &["--save-samples", "parquet", "--out", "pq"]].concat();
    assert_ok(&run(dir, &pq_args));
    let (header, csv) = csv_rows(&dir.join("csv/samples.csv"));
    let path = dir.join("pq/samples.parquet");
    assert!(!dir.join("pq/samples.csv").exists());
    let columns = schema(&path);
    let names: Vec<String> = columns.iter().map(|(name, _, _)| name.clone()).collect();
    assert_eq!(names, parquet_names(&header));
    assert!(
        names.contains(&"other_opex_usd_per_day_input".to_string()),
        "{names:?}"
    );
    assert_eq!(columns[0].1, Physical::BYTE_ARRAY);
    assert_eq!(columns[1].1, Physical::INT64);
    assert!(columns[2..]
        .iter()
        .all(|(_, ty, nullable)| *ty == Physical::DOUBLE && !nullable));
    let reader = reader(&path);
    assert_eq!(reader.metadata().file_metadata().num_rows(), 140_000);
    assert_eq!(reader.metadata().num_row_groups(), 2);
    let rows = rows_as_csv(&path);
    assert_eq!(rows.len(), csv.len());
    for (k, (parquet_row, csv_row)) in rows.iter().zip(&csv).enumerate() {
        assert_eq!(parquet_row, csv_row, "sample {k}");
    }
}

#[test]
fn parquet_is_byte_identical_at_any_thread_count_in_memory_and_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let base = ["chatgpt-class", "-n", "300001", "--seed", "4"];
    let mut files = Vec::new();
    for (extra, out) in [
        (&["-j", "1"][..], "mem1"),
        (&["-j", "2"][..], "mem2"),
        (&["-j", "1", "--stream"][..], "stream1"),
        (&["-j", "2", "--stream"][..], "stream2"),
    ] {
        let args = [
            &base[..],
            extra,
            &["--save-samples", "parquet", "--out", out],
        ]
        .concat();
        assert_ok(&run(dir, &args));
        files.push((
            out,
            std::fs::read(dir.join(out).join("samples.parquet")).unwrap(),
        ));
    }
    for (out, bytes) in &files[1..] {
        assert!(bytes == &files[0].1, "{out} differs from {}", files[0].0);
    }
    let reader = reader(&dir.join("stream2/samples.parquet"));
    assert_eq!(reader.metadata().file_metadata().num_rows(), 300_001);
    assert_eq!(reader.metadata().num_row_groups(), 3);
}

#[test]
fn a_batch_gets_nullable_columns_and_each_scenario_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    write(dir, "small.toml", SMALL);
    write(dir, "thru.toml", THROUGHPUT);
    let scenarios = ["small.toml", "thru.toml", "-n", "3000"];
    let csv_args = [&scenarios[..], &["--save-samples", "--out", "csv"]].concat();
    assert_ok(&run(dir, &csv_args));
    let pq_args = [
        &scenarios[..],
        &["--save-samples=parquet", "--out", "pq", "--stream"],
    ]
    .concat();
    assert_ok(&run(dir, &pq_args));
    for sub in ["", "small", "thru"] {
        let (header, csv) = csv_rows(&dir.join("csv").join(sub).join("samples.csv"));
        let path = dir.join("pq").join(sub).join("samples.parquet");
        let names: Vec<String> = schema(&path).into_iter().map(|c| c.0).collect();
        assert_eq!(names, parquet_names(&header), "{sub}");
        assert_eq!(rows_as_csv(&path), csv, "{sub}");
    }
    // An input only one scenario reads is nullable in the batch's file, and only there.
    let nullable = |path: &Path| {
        schema(path)
            .into_iter()
            .filter(|c| c.2)
            .map(|c| c.0)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        nullable(&dir.join("pq/samples.parquet")),
        [
            "active_params_b",
            "peak_tflops",
            "mfu",
            "output_tokens_per_gpu_s"
        ]
    );
    assert!(nullable(&dir.join("pq/small/samples.parquet")).is_empty());
    assert!(nullable(&dir.join("pq/thru/samples.parquet")).is_empty());
}

#[test]
fn bad_formats_and_impossible_combinations_are_refused_writing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &["--save-samples", "xml"],
            &["unknown samples format \"xml\"", "csv or parquet"],
        ),
        (
            &["--save-samples", "chatgpt-class"],
            &["put the scenario first"],
        ),
        (
            &["--stream", "--save-samples"],
            &["--stream", "--save-samples parquet"],
        ),
        (
            &["--shard", "0/2", "--save-samples", "parquet"],
            &["--shard", "partial result"],
        ),
    ];
    for (extra, problems) in cases {
        let args = [&["chatgpt-class", "-n", "1000", "--out", "o"][..], extra].concat();
        let output = run(dir, &args);
        assert_ne!(output.status.code(), Some(0), "{args:?}");
        let message = stderr(&output);
        for problem in problems {
            assert!(message.contains(problem), "{args:?}: {message}");
        }
        assert!(!dir.join("o").exists(), "{args:?} wrote results");
    }
}

#[test]
fn existing_results_are_kept_without_force_and_replaced_whole_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let args = [
        "chatgpt-class",
        "-n",
        "2000",
        "--out",
        "o",
        "--save-samples",
    ];
    assert_ok(&run(dir, &args));
    let before = std::fs::read(dir.join("o/samples.csv")).unwrap();
    let parquet = [&args[..], &["parquet"]].concat();
    let output = run(dir, &parquet);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(std::fs::read(dir.join("o/samples.csv")).unwrap(), before);
    assert!(!dir.join("o/samples.parquet").exists());
    assert_ok(&run(dir, &[&parquet[..], &["--force"]].concat()));
    assert!(dir.join("o/samples.parquet").is_file());
    assert!(!dir.join("o/samples.csv").exists(), "a stale samples.csv");
}

#[cfg(unix)]
#[test]
fn an_interrupted_streamed_write_leaves_nothing() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let child = Command::new(env!("CARGO_BIN_EXE_costbands"))
        .current_dir(dir)
        .args([
            "run",
            "chatgpt-class",
            "-n",
            "1e9",
            "--stream",
            "-j",
            "1",
            "-q",
        ])
        .args(["--save-samples", "parquet", "--out", "o"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the staged samples.parquet has row groups in it.
    let started = Instant::now();
    let staged_bytes = || {
        std::fs::read_dir(dir.join("o"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".costbands-staging-")
            })
            .filter_map(|e| std::fs::metadata(e.path().join("samples.parquet")).ok())
            .map(|m| m.len())
            .max()
            .unwrap_or(0)
    };
    while staged_bytes() < 1 << 20 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "nothing staged"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(!dir.join("o").exists(), "the interrupted run left files");
}

#[test]
fn a_run_too_large_for_memory_streams_into_the_same_parquet_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let base = [
        "chatgpt-class",
        "-n",
        "1e6",
        "--seed",
        "2",
        "-j",
        "2",
        "--no-report",
    ];
    let save = ["--save-samples", "parquet"];
    assert_ok(&run(dir, &[&base[..], &save, &["--out", "mem"]].concat()));
    let limited = [&base[..], &save, &["--max-memory", "150M", "--out", "auto"]].concat();
    let mut args = vec!["run"];
    args.extend_from_slice(&limited);
    let output = costbands_in(dir, &args);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("so it streams"),
        "{}",
        stderr(&output)
    );
    assert!(
        std::fs::read(dir.join("mem/samples.parquet")).unwrap()
            == std::fs::read(dir.join("auto/samples.parquet")).unwrap()
    );
}

#[test]
fn a_batch_with_different_line_items_gets_their_metrics_as_nullable_columns() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let with = |name: &str, item: &str| {
        format!(
            "{SMALL}\n[[costs]]\nname = \"{item}\"\nper = \"gpu_year\"\nusd = \"1000 to 3000\"\n"
        )
        .replace("name = \"small\"", &format!("name = \"{name}\""))
    };
    write(dir, "a.toml", &with("a", "staff"));
    write(dir, "b.toml", &with("b", "licences"));
    let scenarios = ["a.toml", "b.toml", "-n", "3000"];
    assert_ok(&run(
        dir,
        &[&scenarios[..], &["--save-samples", "--out", "csv"]].concat(),
    ));
    assert_ok(&run(
        dir,
        &[&scenarios[..], &["--save-samples=parquet", "--out", "pq"]].concat(),
    ));
    let (header, csv) = csv_rows(&dir.join("csv/samples.csv"));
    let path = dir.join("pq/samples.parquet");
    let names: Vec<String> = schema(&path).into_iter().map(|c| c.0).collect();
    assert_eq!(names, parquet_names(&header));
    assert_eq!(rows_as_csv(&path), csv);
    let nullable: Vec<String> = schema(&path)
        .into_iter()
        .filter(|c| c.2)
        .map(|c| c.0)
        .collect();
    assert_eq!(
        nullable,
        [
            "costs.staff",
            "costs.licences",
            "cost_staff_usd_per_day",
            "cost_licences_usd_per_day"
        ]
    );
}

#[test]
fn a_csv_samples_run_too_large_for_memory_points_to_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &[
            "chatgpt-class",
            "-n",
            "2e7",
            "--max-memory",
            "200M",
            "--save-samples",
            "--out",
            "out",
        ],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("--save-samples parquet"), "{message}");
    assert!(!dir.path().join("out").exists());
}
