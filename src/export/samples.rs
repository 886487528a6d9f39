//! `samples.csv` (with `--save-samples`): every sample's inputs and metrics, in sample order.

use crate::engine::Simulation;
use crate::model::{Input, Metric};
use std::io::{self, Write};

/// Writes the samples of one or more scenarios into one CSV with a fixed set of input columns;
/// a scenario that does not read an input leaves its cell empty.
pub struct SamplesCsv<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
    columns: Vec<Input>,
    metrics: Vec<Metric>,
}

impl<'w> SamplesCsv<'w> {
    /// The file name inside the output folder.
    pub const FILE_NAME: &'static str = "samples.csv";

    /// Writes the header: `scenario`, `sample`, each of `columns.0` (inputs, in stream order),
    /// each of `columns.1` (metrics). Columns are matched to a scenario's by name; a scenario
    /// without one (another scenario's line item) leaves its cells empty.
    pub fn new(
        out: &'w mut dyn Write,
        (columns, metrics): (Vec<Input>, Vec<Metric>),
    ) -> io::Result<SamplesCsv<'w>> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header = vec!["scenario", "sample"];
        header.extend(columns.iter().map(|input| input.name()));
        header.extend(metrics.iter().map(|m| m.name()));
        writer.write_record(&header)?;
        Ok(SamplesCsv {
            writer,
            columns,
            metrics,
        })
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
                    .find(|(input, _)| input.name() == wanted.name())
                    .map(|(_, column)| column.as_slice())
            })
            .collect();
        let metrics: Vec<Option<Metric>> = self
            .metrics
            .iter()
            .map(|wanted| {
                let found = simulation.metric_set.iter();
                found.copied().find(|m| m.name() == wanted.name())
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
            row.extend(metrics.iter().map(|metric| {
                metric.map_or(String::new(), |m| {
                    super::number(simulation.value(m, sample))
                })
            }));
            self.writer.write_record(&row)?;
        }
        Ok(())
    }

    /// Flushes the writer.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}
