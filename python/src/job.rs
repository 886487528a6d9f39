//! Running a job without the GIL, on its request's own worker pool, interruptible by Ctrl-C.
//!
//! The job runs on a thread of its own while the calling thread (the one Python's signal
//! handlers run on) waits for it, taking the GIL back every [`POLL`] to run
//! `Python::check_signals`. When that raises (Ctrl-C is `KeyboardInterrupt`), the job's
//! [`Progress`] stops it before another chunk of samples starts (the engine reports to it before
//! every chunk): the engine's workers unwind with a private payload, which the job's thread
//! catches, so nothing is left running and the exception is raised in Python. A job that reports no progress (a sensitivity analysis) runs to its end
//! before the exception is raised. Any other panic becomes a `RuntimeError`: no Rust panic
//! reaches Python.

use costbands::request::Progress;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How often the waiting thread checks for signals.
const POLL: Duration = Duration::from_millis(25);

/// The unwinding payload that stops a cancelled job.
struct Cancelled;

/// Progress that stops the job once cancelled.
struct Cancel(AtomicBool);

impl Progress for Cancel {
    fn advance(&self, _samples: usize) {
        if self.0.load(Ordering::Relaxed) {
            // Unwinds the worker without running the panic hook (nothing is printed); rayon
            // carries the payload to the job's thread.
            resume_unwind(Box::new(Cancelled));
        }
    }
}

/// Runs `work` with the GIL released and Ctrl-C watched; returns its result, or the exception
/// a signal handler raised, or a `RuntimeError` for a panic.
pub fn detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce(&dyn Progress) -> T + Send,
) -> PyResult<T> {
    let cancel = Cancel(AtomicBool::new(false));
    let outcome = py.detach(|| {
        std::thread::scope(|scope| {
            let (done, finished) = mpsc::channel();
            let cancel = &cancel;
            let worker = scope.spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| work(cancel)));
                let _ = done.send(());
                result
            });
            let mut interrupted = None;
            loop {
                match finished.recv_timeout(POLL) {
                    Err(mpsc::RecvTimeoutError::Timeout) if interrupted.is_none() => {
                        if let Err(error) = Python::attach(|py| py.check_signals()) {
                            cancel.0.store(true, Ordering::Relaxed);
                            interrupted = Some(error);
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
            let result = worker.join().unwrap_or_else(Err);
            (result, interrupted)
        })
    });
    match outcome {
        (_, Some(error)) => Err(error),
        (Ok(value), None) => Ok(value),
        (Err(payload), None) => Err(panic_error(payload)),
    }
}

/// A panic as a `RuntimeError` naming it as a bug.
fn panic_error(payload: Box<dyn Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unexpected failure".to_string());
    PyRuntimeError::new_err(format!(
        "costbands failed inside the library ({what}); this is a bug: please report it with the \
         scenario and options that caused it"
    ))
}
