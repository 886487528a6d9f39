//! A staged file written as a job runs, without holding its output folder.

use super::{at, ExportError};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being staged, written as a job runs: see [`OutputDir::create`](crate::export::OutputDir::create).
pub struct StagedFile {
    pub(super) writer: BufWriter<File>,
    /// Where the file will be once the set is swapped in (for messages).
    pub(super) target: PathBuf,
}

impl StagedFile {
    /// Where the file will be once the set is swapped in.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// `error` as an error of this file.
    pub fn error(&self, error: io::Error) -> ExportError {
        at(&self.target, error)
    }

    /// Flushes the file; it is part of the set from now on.
    pub fn finish(mut self) -> Result<(), ExportError> {
        self.writer.flush().map_err(|e| at(&self.target, e))
    }
}

impl Write for StagedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}
