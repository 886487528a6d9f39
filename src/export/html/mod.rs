//! `report.html`, the report a manager reads, and `plots/*.svg`, its charts as files: one
//! self-contained page (inline SVG and CSS, no script, no font file, no network request) per
//! job, with the question, the answer in words with its intervals, the charts, the full
//! tables, the inputs and where they come from, warnings and provenance. It prints on A4 or
//! Letter and reads on a phone.
//!
//! Each job's page is built from its report: [`run_document`], [`sensitivity_document`],
//! [`compare_document`], [`sweep_document`]; [`stage_document`] writes it with its plots.

mod compare;
mod page;
mod parts;
mod run;
mod sensitivity;
mod sweep;

pub use compare::compare_document;
pub use run::run_document;
pub use sensitivity::sensitivity_document;
pub use sweep::sweep_document;

use super::{ExportError, OutputDir};
use crate::chart::ChartError;
use crate::report::InputReport;

/// The report's file name.
pub const PAGE_FILE: &str = "report.html";

/// The folder of the report's charts as SVG files.
pub const PLOTS_FOLDER: &str = "plots";

/// A chart: its file name in `plots/`, and its SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// E.g. `distribution-chatgpt-class-daily_cost_usd.svg`.
    pub file: String,
    /// The SVG document.
    pub svg: String,
}

/// A job's report page and the charts in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The whole HTML page.
    pub html: String,
    /// Every chart of the page, in page order.
    pub plots: Vec<Plot>,
}

/// What a report says about a scenario beyond a job's own results: where it comes from and
/// its inputs (a run's report has this for every scenario; other jobs take it from here).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioFacts {
    /// The scenario's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// The comment that opens its file.
    pub about: String,
    /// A file path or `preset NAME`.
    pub origin: String,
    /// SHA-256 of its text.
    pub sha256: String,
    /// Its inputs as resolved, with the file's comments on them.
    pub inputs: Vec<InputReport>,
    /// Its warnings.
    pub warnings: Vec<String>,
}

impl ScenarioFacts {
    /// The facts of `scenario`.
    pub fn of(scenario: &crate::scenario::Scenario) -> ScenarioFacts {
        ScenarioFacts {
            name: scenario.name().to_string(),
            description: scenario.description().to_string(),
            about: scenario.about().to_string(),
            origin: scenario.origin().to_string(),
            sha256: scenario.sha256().to_string(),
            inputs: crate::report::input_reports(scenario),
            warnings: scenario.warnings().to_vec(),
        }
    }
}

/// Stages `report.html` and every chart in `plots/` into `out`.
pub fn stage_document(out: &mut OutputDir, document: &Document) -> Result<(), ExportError> {
    out.stage(PAGE_FILE, |w| w.write_all(document.html.as_bytes()))?;
    for plot in &document.plots {
        out.stage_in_result_folder(PLOTS_FOLDER, &plot.file, |w| {
            w.write_all(plot.svg.as_bytes())
        })?;
    }
    Ok(())
}

/// Collects the charts of a page as they are drawn, and gives the figure for the page.
#[derive(Debug, Default)]
struct Figures {
    plots: Vec<Plot>,
}

impl Figures {
    /// Keeps `svg` (if drawn) as `plots/<file>.svg` and returns its figure, with `caption`
    /// under it; nothing when the chart was not drawn.
    fn add(
        &mut self,
        file: &str,
        svg: Result<Option<String>, ChartError>,
        caption: &str,
    ) -> Result<String, ChartError> {
        let Some(svg) = svg? else {
            return Ok(String::new());
        };
        let figure = parts::figure(&svg, caption);
        self.plots.push(Plot {
            file: format!("{}.svg", safe_file(file)),
            svg,
        });
        Ok(figure)
    }
}

/// `text` as a file name: letters, digits, `-`, `_` and `.` kept, anything else `_`.
fn safe_file(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
