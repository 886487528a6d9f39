//! The README documents every input and metric with the unit the code uses, and the default
//! scenario it shows is the one the binary runs.

use costbands::model::{Input, Metric};

const README: &str = include_str!("../README.md");

#[test]
fn readme_lists_every_input_with_its_unit() {
    for input in Input::ALL {
        let row = format!("| `{}` | {} |", input.name(), input.info().unit);
        assert!(README.contains(&row), "README.md has no row `{row}`");
    }
}

#[test]
fn readme_lists_every_metric_with_its_unit() {
    for metric in Metric::ALL {
        let row = format!("| `{}` | {} |", metric.name(), metric.unit());
        assert!(README.contains(&row), "README.md has no row `{row}`");
    }
}

#[test]
fn readme_names_the_two_commands() {
    assert!(README.contains("cargo run --release -- run"));
    assert!(README.contains("cargo test"));
}
