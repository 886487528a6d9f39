//! A progress bar on stderr for long runs, fed by the library's progress reports.

use crate::request::{Progress, Silent};
use std::io::IsTerminal;
use std::sync::Mutex;

/// Runs of at least this many samples (about a second) show a progress bar.
const PROGRESS_MIN_SAMPLES: u64 = 5_000_000;

/// The progress a job shows: a bar on a terminal's stderr unless `quiet`, else nothing.
/// `max_samples` is the sample cap of a precision-controlled run.
pub(super) fn for_job(quiet: bool, max_samples: Option<usize>) -> Box<dyn Progress> {
    if !quiet && std::io::stderr().is_terminal() {
        Box::new(Bar::new(max_samples))
    } else {
        Box::new(Silent)
    }
}

/// Shows a bar per scenario for runs of at least [`PROGRESS_MIN_SAMPLES`] samples and for
/// every precision-controlled run.
pub(super) struct Bar {
    bar: Mutex<Option<indicatif::ProgressBar>>,
    max_samples: Option<usize>,
}

impl Bar {
    /// A bar; `max_samples` is the sample cap of a precision-controlled run.
    pub(super) fn new(max_samples: Option<usize>) -> Bar {
        Bar {
            bar: Mutex::new(None),
            max_samples,
        }
    }

    fn with(&self, f: impl FnOnce(&indicatif::ProgressBar)) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            f(bar);
        }
    }
}

impl Progress for Bar {
    fn start(&self, scenario: &str, expected_samples: u64, precision: bool) {
        if expected_samples >= PROGRESS_MIN_SAMPLES || precision {
            *self.bar.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(progress_bar(scenario, expected_samples));
        }
    }

    fn advance(&self, samples: usize) {
        self.with(|bar| bar.inc(samples as u64));
    }

    fn step(&self, samples: usize, worst: f64) {
        let cap = self.max_samples.unwrap_or(usize::MAX) as u64;
        self.with(|bar| {
            bar.set_message(format!("worst half-width {:.0}% of target", worst * 100.0));
            // Met (or NaN): this step was the last; else the next step's size estimate.
            let grow = if worst > 1.0 {
                (worst * worst * 1.1).clamp(1.0, 4.0)
            } else {
                1.0
            };
            let next = (samples as f64 * grow) as u64;
            bar.set_length(next.min(cap).max(samples as u64));
        });
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
        }
    }
}

fn progress_bar(name: &str, samples: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(samples);
    let style = indicatif::ProgressStyle::with_template(
        "{prefix} [{bar:30}] {human_pos}/{human_len} samples, {rate}, ETA {eta} {msg}",
    )
    .expect("valid template")
    .with_key(
        "rate",
        |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
            let _ = write!(out, "{:.1}M samples/s", state.per_sec() / 1e6);
        },
    )
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(name.to_string());
    bar
}
