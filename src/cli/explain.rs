//! `costbands explain`: the model's chain, step by step, with every input at its median.

use crate::model::ROW_LEN;
use crate::model::{Feasibility, Path, Price, Provisioning, Row, Section, Step};
use crate::scenario::Scenario;
use clap::Args;
use std::fmt::Write;

#[derive(Debug, Args)]
pub(super) struct ExplainArgs {
    /// Scenario file or preset name [default: the built-in chatgpt-class scenario]
    #[arg(value_name = "FILE")]
    file: Option<String>,
    /// Override an input: NAME=VALUE (repeatable)
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
}

pub(super) fn explain(args: ExplainArgs) -> anyhow::Result<()> {
    let overrides = super::overrides(&args.set)?;
    let scenario = match &args.file {
        Some(file) => Scenario::load(file, &overrides)?,
        None => Scenario::default_scenario(&overrides)?,
    };
    super::print(&render(&scenario))?;
    Ok(())
}

/// The explanation text for `scenario`: its inputs at their medians, then the model's own
/// steps on that row ([`Model::explain`](crate::model::Model::explain)), section by section.
pub fn render(scenario: &Scenario) -> String {
    let model = scenario.model();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} path{}{}, every input at its median\n\ninputs",
        scenario.name(),
        model.path.name(),
        match model.provisioning {
            Provisioning::Peak => ", fleet sized for the busiest hour",
            _ => "",
        },
        match model.price {
            Price::Owned => ", owned GPUs",
            Price::Rental => "",
        }
    );
    let row = median_row(&mut out, scenario);
    let explanation = model.explain(&row);
    let mut section = None;
    // At least 28 wide, wider for a long line item's name, so that the values align.
    let width = explanation
        .steps
        .iter()
        .map(|step| step.label.chars().count())
        .fold(28, usize::max);
    for step in &explanation.steps {
        if section != Some(step.section) {
            section = Some(step.section);
            let _ = writeln!(out, "\n{}", heading(step.section, model.path));
        }
        line(&mut out, step, width);
    }
    out.push_str(match explanation.status {
        Feasibility::Feasible => "",
        Feasibility::Clamped => "\nnote: at the medians the sample is infeasible and was clamped into range (on_infeasible = \"clamp\").\n",
        Feasibility::Rejected => "\nnote: at the medians the sample is INFEASIBLE and `costbands run` would reject it (every metric NaN); the figures above show why.\n",
    });
    if let Some(note) = scenario.path_note() {
        let _ = writeln!(out, "\nnote: {note}.");
    }
    out.push_str(
        "\nThe result of the medians is not the median of the result: `costbands run` gives the bands.\n",
    );
    out
}

/// Every input of `scenario` at its median, each listed in `out` with its distribution.
fn median_row(out: &mut String, scenario: &Scenario) -> Row {
    let mut row: Row = [f64::NAN; ROW_LEN];
    let width = scenario
        .inputs()
        .iter()
        .map(|r| r.input.name().chars().count())
        .fold(25, usize::max);
    let unit_width = scenario
        .inputs()
        .iter()
        .map(|r| r.input.info().unit.chars().count())
        .fold(13, usize::max);
    for resolved in scenario.inputs() {
        let median = resolved.dist.median();
        row[resolved.input.index()] = median;
        let info = resolved.input.info();
        let origin = format!("{:?}", resolved.origin).to_lowercase();
        let _ = writeln!(
            out,
            "  {:<width$} = {:<12} {:<unit_width$} {origin}: {}",
            info.name,
            fmt(median),
            info.unit,
            resolved.dist.describe()
        );
    }
    row
}

/// The heading of a section of steps.
fn heading(section: Section, path: Path) -> String {
    match section {
        Section::Demand => "demand".to_string(),
        Section::Busy => format!("busy GPU time ({} path)", path.name()),
        Section::Fleet => "fleet".to_string(),
        Section::Training => "training, spread over the serving life".to_string(),
        Section::Cost => "cost".to_string(),
        Section::CarbonAndWater => "carbon and water".to_string(),
    }
}

/// One step: label (`width` wide), value, formula.
fn line(out: &mut String, step: &Step, width: usize) {
    let _ = writeln!(
        out,
        "  {:<width$} = {:<14} {}",
        step.label,
        fmt(step.value),
        step.formula
    );
}

/// 6 significant digits, plain (scientific beyond [1e-3, 1e7)).
fn fmt(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e7 || x.abs() < 1e-3) {
        format!("{x:.5e}")
    } else {
        crate::format::significant(x, 6)
    }
}
