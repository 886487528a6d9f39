//! `samples.parquet` (with `--save-samples parquet`): every sample's inputs and metrics, in
//! sample order, as typed columns: `scenario` (string), `sample` (64-bit integer, from 0 in
//! each scenario), one double per input and per metric, in the order and with the names of
//! samples.csv, but for an input named like a metric, whose column is `<name>_input` (see
//! [`column_name`]). An input that some scenario of the file does not read is nullable, null in
//! that scenario's rows (samples.csv leaves the cell empty); the others are required.
//!
//! Rows are written in row groups of [`SamplesParquet::ROW_GROUP_ROWS`] samples of one
//! scenario (a group starts at every multiple of it, and at every scenario), so the file can
//! be written as a streamed run finishes its samples, and its bytes do not depend on how the
//! samples were computed (threads, streaming). Values are the model's doubles bit for bit;
//! pages are Snappy-compressed; the writer adds no time stamp.

use crate::engine::{Simulation, CHUNK_SIZE};
use crate::model::{Input, Metric};
use parquet::basic::{Compression, Encoding, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{ColumnPath, Type};
use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Arc;

/// The file name inside the output folder.
pub const FILE_NAME: &str = "samples.parquet";

/// Writes the samples of one or more scenarios into one Parquet file.
pub struct SamplesParquet<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: Vec<(Input, bool)>,
    metrics: Vec<(Metric, bool)>,
}

fn io_error(error: ParquetError) -> io::Error {
    match error {
        ParquetError::External(inner) => match inner.downcast::<io::Error>() {
            Ok(io) => *io,
            Err(other) => io::Error::other(other),
        },
        other => io::Error::other(other),
    }
}

/// The values of `metric` in samples `range` of `simulation`: borrowed when stored, computed
/// when derived.
fn metric_values(
    simulation: &Simulation,
    metric: Metric,
    range: std::ops::Range<usize>,
) -> Cow<'_, [f64]> {
    match simulation.derived[metric.index()] {
        None => Cow::Borrowed(&simulation.metrics[metric.index()][range]),
        Some(derived) => Cow::Owned(
            simulation.metrics[derived.base().index()][range]
                .iter()
                .map(|x| derived.value(*x))
                .collect(),
        ),
    }
}

/// The name of `input`'s column: its own, or `<name>_input` when a metric has that name
/// (`other_opex_usd_per_day`), since readers such as pyarrow and polars refuse a file with two
/// columns of one name.
pub fn column_name(input: Input) -> String {
    match Metric::from_name(input.name()) {
        Some(_) => format!("{}_input", input.name()),
        None => input.name().to_string(),
    }
}

/// The file's schema: `scenario`, `sample`, each input of `columns` and each metric of
/// `metrics` (each nullable unless required: a line item only some scenarios of the file
/// have).
fn schema(columns: &[(Input, bool)], metrics: &[(Metric, bool)]) -> Result<Type, ParquetError> {
    let double = |name: &str, required: bool| {
        let repetition = match required {
            true => Repetition::REQUIRED,
            false => Repetition::OPTIONAL,
        };
        Type::primitive_type_builder(name, Physical::DOUBLE)
            .with_repetition(repetition)
            .build()
            .map(Arc::new)
    };
    let mut fields = vec![
        Arc::new(
            Type::primitive_type_builder("scenario", Physical::BYTE_ARRAY)
                .with_repetition(Repetition::REQUIRED)
                .with_logical_type(Some(LogicalType::String))
                .build()?,
        ),
        Arc::new(
            Type::primitive_type_builder("sample", Physical::INT64)
                .with_repetition(Repetition::REQUIRED)
                .build()?,
        ),
    ];
    for (input, required) in columns {
        fields.push(double(&column_name(*input), *required)?);
    }
    for (metric, required) in metrics {
        fields.push(double(metric.name(), *required)?);
    }
    Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
}

/// Snappy pages; the sample index delta-coded; doubles plain (random values gain nothing from
/// a dictionary), the scenario name from a dictionary.
fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .set_compression(Compression::SNAPPY)
        .set_dictionary_enabled(false)
        .set_column_dictionary_enabled(ColumnPath::from("scenario"), true)
        .set_column_encoding(ColumnPath::from("sample"), Encoding::DELTA_BINARY_PACKED)
        .set_created_by(format!(
            "costbands {} (parquet-rs)",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
}

impl<W: Write + Send> SamplesParquet<W> {
    /// Samples per row group (the last of each scenario may hold fewer).
    pub const ROW_GROUP_ROWS: usize = 8 * CHUNK_SIZE;

    /// Starts the file with its schema: `columns` are the input columns (in stream order),
    /// each with whether every scenario of the file reads it; `metrics` the metric columns,
    /// each with whether every scenario of the file has it. Columns are matched to a
    /// scenario's inputs and metrics by name.
    pub fn new(
        out: W,
        columns: Vec<(Input, bool)>,
        metrics: Vec<(Metric, bool)>,
    ) -> io::Result<SamplesParquet<W>> {
        let schema = Arc::new(schema(&columns, &metrics).map_err(io_error)?);
        let writer =
            SerializedFileWriter::new(out, schema, Arc::new(properties())).map_err(io_error)?;
        Ok(SamplesParquet {
            writer,
            columns,
            metrics,
        })
    }

    /// Appends the rows of `simulation` (which must hold its input columns): samples
    /// `first_sample ..` of `scenario`. A row group ends at every multiple of
    /// [`Self::ROW_GROUP_ROWS`] and at the end of `simulation`, so a streamed run appends
    /// whole row groups.
    pub fn append(
        &mut self,
        scenario: &str,
        first_sample: u64,
        simulation: &Simulation,
    ) -> io::Result<()> {
        let rows = Self::ROW_GROUP_ROWS as u64;
        let end = first_sample + simulation.len() as u64;
        let mut start = first_sample;
        while start < end {
            let stop = ((start / rows + 1) * rows).min(end);
            let offset = (start - first_sample) as usize;
            let range = offset..offset + (stop - start) as usize;
            self.row_group(scenario, start, simulation, range)
                .map_err(io_error)?;
            start = stop;
        }
        Ok(())
    }

    /// Writes rows `range` of `simulation` (sample `first_sample` is its first) as one row
    /// group.
    fn row_group(
        &mut self,
        scenario: &str,
        first_sample: u64,
        simulation: &Simulation,
        range: std::ops::Range<usize>,
    ) -> Result<(), ParquetError> {
        let len = range.len();
        let inputs = simulation.inputs.as_deref().unwrap_or(&[]);
        let mut group = self.writer.next_row_group()?;
        let mut column = group.next_column()?.expect("the scenario column");
        let name = ByteArray::from(scenario);
        let names = vec![name; len];
        column
            .typed::<ByteArrayType>()
            .write_batch(&names, None, None)?;
        column.close()?;
        let mut column = group.next_column()?.expect("the sample column");
        let first = i64::try_from(first_sample)
            .map_err(|_| ParquetError::General("sample index beyond 2^63".into()))?;
        let indices: Vec<i64> = (first..first + len as i64).collect();
        column
            .typed::<Int64Type>()
            .write_batch(&indices, None, None)?;
        column.close()?;
        for (wanted, required) in &self.columns {
            let values = inputs
                .iter()
                .find(|(input, _)| input.name() == wanted.name())
                .map(|(_, column)| &column[range.clone()]);
            let mut column = group.next_column()?.expect("an input column");
            let writer = column.typed::<DoubleType>();
            match (values, required) {
                (Some(values), true) => writer.write_batch(values, None, None)?,
                (Some(values), false) => writer.write_batch(values, Some(&vec![1; len]), None)?,
                (None, false) => writer.write_batch(&[], Some(&vec![0; len]), None)?,
                (None, true) => {
                    return Err(ParquetError::General(format!(
                        "scenario {scenario} has no column of the required input {}",
                        wanted.name()
                    )))
                }
            };
            column.close()?;
        }
        for (wanted, required) in &self.metrics {
            let found = simulation.metric_set.iter();
            let metric = found.copied().find(|m| m.name() == wanted.name());
            let values = metric.map(|metric| metric_values(simulation, metric, range.clone()));
            let mut column = group.next_column()?.expect("a metric column");
            let writer = column.typed::<DoubleType>();
            match (values, required) {
                (Some(values), true) => writer.write_batch(&values, None, None)?,
                (Some(values), false) => writer.write_batch(&values, Some(&vec![1; len]), None)?,
                (None, false) => writer.write_batch(&[], Some(&vec![0; len]), None)?,
                (None, true) => {
                    return Err(ParquetError::General(format!(
                        "scenario {scenario} has no column of the required metric {}",
                        wanted.name()
                    )))
                }
            };
            column.close()?;
        }
        group.close()?;
        Ok(())
    }

    /// Writes the file's footer and hands back the writer.
    pub fn finish(self) -> io::Result<W> {
        self.writer.into_inner().map_err(io_error)
    }
}
