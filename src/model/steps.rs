//! The model's arithmetic on one row as a list of steps, recorded by the very code that
//! computes the metrics, so that what `costbands explain` prints cannot drift from what
//! `costbands run` computes.
//!
//! Every stage of the evaluation takes a [`Recorder`]. The engine's evaluation passes `()`,
//! which keeps nothing: its methods are empty and inline away, and a dynamic formula is a
//! closure that is never called, so the per-sample path does no work for the explanation.
//! [`Model::explain`](super::Model::explain) passes a [`StepList`], which keeps every step.

use super::{Feasibility, Metric};
use serde::Serialize;
use std::borrow::Cow;

/// The part of the model a [`Step`] belongs to, in evaluation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Tokens per day, from queries and tokens per query.
    Demand,
    /// Busy GPU-seconds per day, on the model's [`Path`](super::Path).
    Busy,
    /// The provisioned GPUs, by the model's [`Provisioning`](super::Provisioning) rule.
    Fleet,
    /// The model's training cost spread over its serving life (only when it is given).
    Training,
    /// The GPUs' price, energy, other running costs, and cost and energy per query and token.
    Cost,
    /// Carbon and water, from energy.
    CarbonAndWater,
}

/// One step of the model's arithmetic on one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The part of the model the step belongs to.
    pub section: Section,
    /// What the value is, with its unit, e.g. `busy GPU-s/day` or `daily_cost_usd`.
    pub label: &'static str,
    /// How the value follows from the inputs and the earlier steps, in words and symbols.
    pub formula: Cow<'static, str>,
    /// The value, as the model computed it (NaN when it is unknown, e.g. the fleet path's busy
    /// time without a utilization).
    pub value: f64,
    /// The output metrics whose value this is (empty for an intermediate quantity): unless
    /// the row is rejected, [`Model::evaluate`](super::Model::evaluate) reports exactly this
    /// value for each of them.
    pub metrics: Vec<Metric>,
}

/// The model's arithmetic on one row, step by step: see [`Model::explain`](super::Model::explain).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Every step, in evaluation order, grouped by [`Section`].
    pub steps: Vec<Step>,
    /// Whether the row is physically possible. The steps are computed either way; a
    /// [`Feasibility::Rejected`] row's metrics are all NaN in an evaluation.
    pub status: Feasibility,
}

/// Receives the steps of one evaluation.
pub(super) trait Recorder {
    /// Starts a section: the steps recorded after it belong to it.
    fn section(&mut self, section: Section);

    /// Records a step whose formula and value `make` builds. Only a recorder that keeps steps
    /// calls `make`, so that neither formatting a formula nor computing a value that only the
    /// explanation shows costs anything on the engine's path.
    fn record<F>(&mut self, label: &'static str, metrics: &[Metric], make: F)
    where
        F: FnOnce() -> (Cow<'static, str>, f64);

    /// Records a quantity the evaluation computes.
    #[inline(always)]
    fn step(&mut self, label: &'static str, formula: &'static str, value: f64) {
        self.record(label, &[], || (Cow::Borrowed(formula), value));
    }

    /// Records the value of the output metrics `metrics`.
    #[inline(always)]
    fn metric(
        &mut self,
        metrics: &'static [Metric],
        label: &'static str,
        formula: &'static str,
        value: f64,
    ) {
        self.record(label, metrics, || (Cow::Borrowed(formula), value));
    }

    /// Records a quantity the evaluation does not need but that helps a reader follow it (e.g.
    /// tokens per second per GPU), computed by `value` only when steps are kept.
    #[inline(always)]
    fn aside<V>(&mut self, label: &'static str, formula: &'static str, value: V)
    where
        V: FnOnce() -> f64,
    {
        self.record(label, &[], || (Cow::Borrowed(formula), value()));
    }
}

/// Keeps nothing: the recorder of the engine's evaluation.
impl Recorder for () {
    #[inline(always)]
    fn section(&mut self, _section: Section) {}

    #[inline(always)]
    fn record<F>(&mut self, _label: &'static str, _metrics: &[Metric], _make: F)
    where
        F: FnOnce() -> (Cow<'static, str>, f64),
    {
    }
}

/// Keeps every step, each in the section last started.
#[derive(Debug)]
pub(super) struct StepList {
    section: Section,
    steps: Vec<Step>,
}

impl StepList {
    pub(super) fn new() -> StepList {
        StepList {
            section: Section::Demand,
            steps: Vec::new(),
        }
    }

    pub(super) fn into_steps(self) -> Vec<Step> {
        self.steps
    }
}

impl Recorder for StepList {
    fn section(&mut self, section: Section) {
        self.section = section;
    }

    fn record<F>(&mut self, label: &'static str, metrics: &[Metric], make: F)
    where
        F: FnOnce() -> (Cow<'static, str>, f64),
    {
        let (formula, value) = make();
        self.steps.push(Step {
            section: self.section,
            label,
            formula,
            value,
            metrics: metrics.to_vec(),
        });
    }
}
