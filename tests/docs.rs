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

#[test]
fn readme_scenario_example_is_valid() {
    let section = &README[README.find("## Scenario files").expect("section")..];
    let start = section.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let text = &section[start..start + section[start..].find("```").expect("closed block")];
    let scenario = costbands::scenario::Scenario::from_toml(text, "README.md", "example", &[])
        .unwrap_or_else(|e| panic!("the README's example scenario is invalid: {e}"));
    assert!(scenario.correlation().is_some());
    assert!(scenario.warnings().is_empty(), "{:?}", scenario.warnings());
}

#[test]
fn readme_names_every_result_file_the_exporters_write() {
    for name in costbands::export::result_files() {
        assert!(
            README.contains(&format!("`{name}`")),
            "README.md never names `{name}`"
        );
    }
}
