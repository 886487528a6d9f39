//! `run.json`: the whole report with provenance (settings, resolved inputs, hashes, timing).

use super::Exporter;
use crate::report::RunReport;
use std::io::{self, Write};

/// Writes `run.json`.
pub struct RunJson;

impl Exporter for RunJson {
    fn file_name(&self) -> &'static str {
        "run.json"
    }

    fn write(&self, report: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        out.write_all(b"\n")
    }
}
