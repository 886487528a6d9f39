//! `samples.csv` (with `--save-samples`): every sample's inputs and metrics, in sample order.

use crate::engine::Simulation;
use crate::model::{Input, Metric};
use std::io::{self, Write};

/// Writes the samples of one or more scenarios into one CSV with a fixed set of input columns;
/// a scenario that does not read an input leaves its cell empty.
pub struct SamplesCsv<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
    columns: Vec<Input>,
}

impl<'w> SamplesCsv<'w> {
    /// The file name inside the output folder.
    pub const FILE_NAME: &'static str = "samples.csv";

    /// Writes the header: `scenario`, `sample`, each of `columns` (inputs, in stream order),
    /// each metric.
    pub fn new(out: &'w mut dyn Write, columns: Vec<Input>) -> io::Result<SamplesCsv<'w>> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header = vec!["scenario", "sample"];
        header.extend(columns.iter().map(|input| input.name()));
        header.extend(Metric::ALL.iter().map(|m| m.name()));
        writer.write_record(&header)?;
        Ok(SamplesCsv { writer, columns })
    }

    /// Appends the rows of `simulation` (which must hold its input columns) for `scenario`.
    pub fn append(&mut self, scenario: &str, simulation: &Simulation) -> io::Result<()> {
        let inputs = simulation.inputs.as_deref().unwrap_or(&[]);
        let sources: Vec<Option<&[f64]>> = self
            .columns
            .iter()
            .map(|wanted| {
                inputs
                    .iter()
                    .find(|(input, _)| input == wanted)
                    .map(|(_, column)| column.as_slice())
            })
            .collect();
        let mut row: Vec<String> = Vec::new();
        for sample in 0..simulation.len() {
            row.clear();
            row.push(scenario.to_string());
            row.push(sample.to_string());
            row.extend(
                sources
                    .iter()
                    .map(|column| column.map_or(String::new(), |c| super::number(c[sample]))),
            );
            row.extend(
                Metric::ALL
                    .iter()
                    .map(|metric| super::number(simulation.value(*metric, sample))),
            );
            self.writer.write_record(&row)?;
        }
        Ok(())
    }

    /// Flushes the writer.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}
