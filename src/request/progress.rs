//! Progress reports from a running job, for a front end to show (a progress bar, a notebook
//! widget) or ignore.

/// Receives progress from a running job. Every method has a do-nothing default.
pub trait Progress: Sync {
    /// A scenario starts: `expected_samples` is the run's size, or the size of its first step
    /// under precision control (`precision`).
    fn start(&self, _scenario: &str, _expected_samples: u64, _precision: bool) {}
    /// `samples` more samples were drawn (called from worker threads; with 0 before each chunk
    /// of samples starts, the point where a front end may stop the job by unwinding, see
    /// [`crate::engine::Options::progress`]).
    fn advance(&self, _samples: usize) {}
    /// A precision-control step ended with `samples` drawn and `worst_ratio` the largest
    /// ratio of achieved to target half-width (≤ 1: every target met).
    fn step(&self, _samples: usize, _worst_ratio: f64) {}
    /// The scenario finished.
    fn finish(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
