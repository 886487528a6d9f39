//! costbands: percentile bands, with Monte Carlo confidence intervals, of what it costs per day
//! to serve a large language model.
//!
//! Data flows one way (the module map is in `docs/ARCHITECTURE.md`): a caller's options are
//! validated into a [`request`], which loads and validates scenario files ([`scenario`]) into
//! distributions ([`dist`]) and [`settings`]; the [`engine`] samples them in deterministic
//! parallel chunks ([`rng`]) through the cost [`model`] into a sink; [`stats`] summarises each
//! metric; [`report`] gathers a run and [`export`] writes it; [`sensitivity`] analyses which
//! inputs drive a metric. The `costbands` binary is a thin layer over `cli` (the `cli`
//! feature, on by default); the library builds without it.
//!
//! ```
//! use costbands::model::Metric;
//! use costbands::request::{CommonOptions, RunOptions, RunRequest, Silent};
//!
//! let options = RunOptions {
//!     scenarios: vec!["chatgpt-class".to_string()],
//!     common: CommonOptions {
//!         samples: Some(20_000),
//!         set: vec!["utilization=0.5".to_string()],
//!         ..CommonOptions::default()
//!     },
//!     ..RunOptions::default()
//! };
//! let request = RunRequest::new(&options)?; // loads, merges and validates once
//! let report = request.run(&Silent, &mut |_scenario, _samples| Ok(()))?; // results in memory
//! let cost = &report.scenarios[0].metric(Metric::DailyCostUsd).summary;
//! assert!(cost.percentiles.iter().any(|p| p.percentile == 50.0));
//! // request.execute(&Silent)? would also write the result files, all or none.
//! # Ok::<(), costbands::Error>(())
//! ```

// Validation compares NaN-safely on purpose: `!(max > min)` is true for NaN, `max <= min` is not.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
#![warn(missing_docs)]

pub mod chart;
#[cfg(feature = "cli")]
pub mod cli;
pub mod dist;
pub mod engine;
pub mod export;
pub mod format;
pub mod model;
pub mod number;
pub mod report;
pub mod request;
pub mod rng;
pub mod scenario;
pub mod sensitivity;
pub mod settings;
pub mod stats;

pub use request::Error;
