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

/// The README's "Numbers" table row that starts with `written`.
fn numbers_row(written: &str) -> &'static str {
    let section = &README[README.find("### Numbers").expect("a Numbers section")..];
    let start = section
        .find(&format!("\n| `{written}`"))
        .unwrap_or_else(|| panic!("no Numbers row for `{written}`"));
    let row = &section[start + 1..];
    &row[..row.find('\n').unwrap_or(row.len())]
}

#[test]
fn readme_numbers_table_names_every_input_by_what_it_accepts() {
    use costbands::number::Quantity;
    for input in Input::ALL {
        let name = format!("`{}`", input.name());
        let quantity = input.info().quantity();
        for (row, listed) in [
            ("40%", quantity == Quantity::Fraction),
            ("$2.5", quantity == Quantity::Usd),
            ("300k", matches!(quantity, Quantity::Scaled(_))),
        ] {
            assert_eq!(
                numbers_row(row).contains(&name),
                listed,
                "README.md's Numbers row `{row}` and {name}"
            );
        }
    }
}
