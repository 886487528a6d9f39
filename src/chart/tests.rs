//! Charts from hostile results: constant, tiny, huge, mixed-sign and open-ended samples
//! draw valid SVG (or nothing), never panic.

use super::distribution;
use crate::report::MetricReport;
use crate::stats::{self, Histogram};

fn metric(values: &[f64]) -> MetricReport {
    let summary = stats::summarize(
        values,
        &[1.0, 5.0, 50.0, 95.0, 99.0],
        0.95,
        &[stats::Event::above(1e3)],
    );
    let histogram = Histogram::of_summarized(values, &summary, true);
    MetricReport {
        metric: "daily_cost_usd",
        unit: "USD/day",
        summary,
        histogram,
    }
}

/// The SVG parses as XML and every `<text>` is inside the canvas horizontally.
fn check(svg: &str) {
    let doc = roxmltree::Document::parse(svg).expect("valid XML");
    let width: f64 = doc
        .root_element()
        .attribute("width")
        .unwrap()
        .parse()
        .unwrap();
    for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let x: f64 = text.attribute("x").unwrap().parse().unwrap();
        assert!((0.0..=width).contains(&x), "text at x = {x}");
    }
}

fn lognormal(n: usize, spread: f64) -> Vec<f64> {
    (1..=n)
        .map(|i| {
            let u = i as f64 / (n + 1) as f64;
            // A smooth, skewed shape: exp of a spread-out symmetric variable.
            (spread * (u - 0.5) * (1.0 + 4.0 * (u - 0.5).powi(2))).exp() * 1e6
        })
        .collect()
}

#[test]
fn a_skewed_metric_gets_markers_labelled_as_the_table_writes_them() {
    let m = metric(&lognormal(20_000, 6.0));
    let svg = distribution(&m, "test", 0.95).unwrap().expect("drawn");
    check(&svg);
    let p50 = m.summary.percentiles[2].value;
    assert!(svg.contains(&format!(
        "P50 {}",
        crate::format::compact(p50, "USD/day", 4)
    )));
    assert!(
        svg.contains("log scale"),
        "a range over a decade is drawn on a log axis"
    );
}

#[test]
fn nothing_to_draw_is_none_not_a_panic() {
    assert_eq!(distribution(&metric(&[5.0; 100]), "c", 0.95).unwrap(), None);
    assert_eq!(
        distribution(&metric(&[f64::NAN; 10]), "n", 0.95).unwrap(),
        None
    );
    assert_eq!(distribution(&metric(&[]), "e", 0.95).unwrap(), None);
}

#[test]
fn hostile_samples_draw_valid_charts() {
    let cases: Vec<Vec<f64>> = vec![
        vec![1.0, 2.0, 3.0],
        vec![1e-300, 1.0, 1e300],
        (0..1000).map(|i| i as f64 - 500.0).collect(),
        (0..1000)
            .map(|i| if i % 2 == 0 { f64::INFINITY } else { i as f64 })
            .collect(),
        (0..1000).map(|i| (i % 7) as f64 * 1e308).collect(),
    ];
    for values in cases {
        if let Some(svg) = distribution(&metric(&values), "x", 0.95).unwrap() {
            check(&svg);
        }
    }
}
