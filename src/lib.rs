//! costbands: percentile bands, with Monte Carlo confidence intervals, of what it costs per day
//! to serve a large language model.
//!
//! Data flows one way: a scenario file is parsed and validated ([`scenario`]) into
//! distributions ([`dist`]); the [`engine`] samples them in deterministic parallel chunks
//! through the cost [`model`]; [`stats`] summarises each metric's column; [`report`] gathers a
//! run and [`export`] writes it. The `costbands` binary is a thin layer over [`cli`].

// Validation compares NaN-safely on purpose: `!(max > min)` is true for NaN, `max <= min` is not.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod cli;
pub mod dist;
pub mod engine;
pub mod export;
pub mod model;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod stats;
