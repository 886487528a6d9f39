//! report.html and plots/: written by every job (left out with --no-report), replaced whole
//! with the rest of the result set, every chart valid XML that says the numbers the CSV files
//! hold, and the page self-contained.

mod common;

use common::*;
use std::path::Path;

/// Every SVG in `dir/plots`, by file name, each parsed as XML.
fn plots(dir: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(dir.join("plots"))
        .unwrap_or_else(|e| panic!("{}/plots: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let svg = read(&path);
            let doc = roxmltree::Document::parse(&svg)
                .unwrap_or_else(|e| panic!("{name} is not valid XML: {e}"));
            assert_eq!(doc.root_element().tag_name().name(), "svg", "{name}");
            (name, svg)
        })
        .collect();
    found.sort();
    found
}

/// The text of every `<text>` element of `svg`, trimmed.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}

/// A row of bands.csv: `(value, ci_low, ci_high)` of `metric` at `percentile`.
fn band(dir: &Path, metric: &str, percentile: &str) -> (f64, f64, f64) {
    let bands = read(&dir.join("bands.csv"));
    let line = bands
        .lines()
        .find(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            cells.get(1) == Some(&metric) && cells.get(3) == Some(&percentile)
        })
        .unwrap_or_else(|| panic!("no {metric} P{percentile} in bands.csv"));
    let cells: Vec<f64> = line
        .split(',')
        .skip(4)
        .map(|c| c.parse().unwrap())
        .collect();
    (cells[0], cells[1], cells[2])
}

/// The page loads nothing: no script, stylesheet, image, font or frame from anywhere.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href=",
    ] {
        assert!(!lower.contains(forbidden), "report.html has {forbidden}");
    }
    let without_namespace = lower.replace("http://www.w3.org/2000/svg", "");
    assert!(!without_namespace.contains("http://") && !without_namespace.contains("https://"));
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
}

#[test]
fn run_writes_a_report_whose_charts_say_the_numbers_of_bands_csv() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    assert_ok(&costbands_in(
        dir.path(),
        &["run", "small.toml", "--exceed", "daily_cost_usd=1e5"],
    ));
    let out = dir.path().join("results/small");
    let names: Vec<String> = plots(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "distribution-small-cost_per_query_usd.svg",
            "distribution-small-daily_cost_usd.svg",
            "distribution-small-gpus.svg",
            "distribution-small-wh_per_query.svg"
        ]
    );
    let svg = read(&out.join("plots/distribution-small-daily_cost_usd.svg"));
    let labels = texts(&svg);
    for (percentile, name) in [("50", "P50"), ("5", "P5"), ("95", "P95")] {
        let (value, _, _) = band(&out, "daily_cost_usd", percentile);
        let label = format!("{name} {}", costbands::export::human(value, "USD/day"));
        assert!(labels.contains(&label), "no label `{label}` in {labels:?}");
    }
    let (p50, low, high) = band(&out, "daily_cost_usd", "50");
    let human = |v| costbands::export::human(v, "USD/day");
    assert!(svg.contains(&format!(
        "P50 {} [{}, {}]",
        human(p50),
        human(low),
        human(high)
    )));
    assert!(
        labels.iter().any(|l| l.starts_with("P(> $100k) = ")),
        "{labels:?}"
    );
    let html = read(&out.join("report.html"));
    assert_self_contained(&html);
    assert_eq!(html.matches("<svg").count(), 4);
    for expected in [
        "test scenario",
        &format!("The median is {}", human(p50)),
        "Every input the model reads",
        "gpu_hour_usd",
        "uniform",
        "How this was computed",
        "costbands run small.toml --exceed daily_cost_usd=1e5",
        "scenario SHA-256",
    ] {
        assert!(html.contains(expected), "report.html lacks `{expected}`");
    }
}

#[test]
fn no_report_writes_neither_page_nor_plots_and_force_removes_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL);
    assert_ok(&costbands_in(dir.path(), &["run", "small.toml", "-q"]));
    let out = dir.path().join("results/small");
    assert!(out.join("report.html").is_file() && out.join("plots").is_dir());
    let refused = costbands_in(dir.path(), &["run", "small.toml", "-q", "--no-report"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("report.html") && stderr(&refused).contains("plots"));
    let replaced = costbands_in(
        dir.path(),
        &["run", "small.toml", "-q", "--no-report", "--force"],
    );
    assert_ok(&replaced);
    assert!(out.join("bands.csv").is_file());
    assert!(
        !out.join("report.html").exists(),
        "a stale report beside new results"
    );
    assert!(
        !out.join("plots").exists(),
        "stale plots beside new results"
    );
}

#[test]
fn a_scenario_file_comment_is_the_source_of_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL.replace(
        "gpu_hour_usd = {",
        "# Rental quotes from three clouds, May 2025.\ngpu_hour_usd = {",
    );
    write(dir.path(), "small.toml", &text);
    let args = ["run", "small.toml", "-q", "-n", "2000", "--set", "mfu=0.3"];
    assert_ok(&costbands_in(dir.path(), &args));
    let html = read(&dir.path().join("results/small/report.html"));
    assert!(html.contains("scenario file: Rental quotes from three clouds, May 2025."));
    assert!(
        html.contains("--set on the command line"),
        "mfu came from --set"
    );
}

#[test]
fn every_job_draws_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let jobs: [(&[&str], &str, &[&str]); 4] = [
        (
            &["sensitivity", "-n", "4000"],
            "s",
            &["shrink-daily_cost_usd.svg", "tornado-daily_cost_usd.svg"],
        ),
        (
            &[
                "compare",
                "chatgpt-class",
                "chatgpt-2025",
                "selfhost-70b",
                "-n",
                "5000",
            ],
            "c",
            &[
                "difference-chatgpt-2025-daily_cost_usd.svg",
                "difference-selfhost-70b-daily_cost_usd.svg",
                "forest-differences-daily_cost_usd.svg",
            ],
        ),
        (
            &[
                "sweep",
                "--vary",
                "queries_per_day=1e8..1e10:3:log",
                "-n",
                "5000",
            ],
            "w",
            &["fan-daily_cost_usd.svg", "fan-gpus.svg"],
        ),
        (
            &[
                "run",
                "goldstein-2022",
                "epoch-2025-uncertain",
                "-n",
                "5000",
            ],
            "b",
            &[
                "distribution-epoch-2025-uncertain-daily_cost_usd.svg",
                "forest-daily_cost_usd.svg",
            ],
        ),
    ];
    for (args, out, expected) in jobs {
        let mut all = args.to_vec();
        all.extend(["-q", "--out", out]);
        assert_ok(&costbands_in(d, &all));
        let names: Vec<String> = plots(&d.join(out)).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, expected, "{args:?}");
        let html = read(&d.join(out).join("report.html"));
        assert_self_contained(&html);
        assert_eq!(html.matches("<svg").count(), expected.len(), "{args:?}");
    }
    // The sweep's fan says the median of sweep.csv at every point.
    let fan = read(&d.join("w/plots/fan-daily_cost_usd.svg"));
    let sweep = read(&d.join("w/sweep.csv"));
    for line in sweep
        .lines()
        .filter(|l| l.contains(",daily_cost_usd,USD/day,50,"))
    {
        let value: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
        assert!(fan.contains(&format!(
            "P50 {}",
            costbands::export::human(value, "USD/day")
        )));
    }
    // The difference chart writes P(other < baseline) as compare.csv has it.
    let svg = read(&d.join("c/plots/difference-chatgpt-2025-daily_cost_usd.svg"));
    let compare = read(&d.join("c/compare.csv"));
    let row = compare
        .lines()
        .find(|l| l.contains("chatgpt-2025,daily_cost_usd,1,p_lower,"))
        .unwrap();
    let p: f64 = row.split(',').nth(5).unwrap().parse().unwrap();
    let percent = costbands::format::significant(p * 100.0, 3);
    let claim = format!("P(chatgpt-2025 &lt; chatgpt-class) = {percent}%");
    assert!(svg.contains(&claim), "no `{claim}`");
}
