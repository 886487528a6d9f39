//! Sobol indices of the cost model itself: the generic estimator of [`super::sobol`] fed with
//! the run's input columns and the scenario's model.

use super::bootstrap::Bootstrap;
use super::report::SobolDesign;
use super::{derived_seed, sobol, spearman, tornado, Options, SEED_SOBOL_B, SEED_SOBOL_BOOTSTRAP};
use crate::engine::{self, Simulation};
use crate::model::{Input, Outputs, Row, OUTPUTS_LEN, ROW_LEN};
use crate::scenario::Scenario;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Sobol indices of the cost model: A is the run's own input columns, B an independent run at
/// a derived seed, every A_B^(i) row evaluated with the scenario's own model
/// ([`Model::evaluate`](crate::model::Model::evaluate)) in parallel.
pub(super) fn sobol_on_model(
    scenario: &Scenario,
    run: &Simulation,
    options: &Options,
) -> (sobol::SobolResult, SobolDesign, Vec<Input>) {
    let b_seed = derived_seed(options.seed, SEED_SOBOL_B);
    let run_b = engine::simulate(scenario, options.samples, b_seed, true);
    let a: Vec<(Input, &[f64])> = spearman::uncertain_columns(scenario, run);
    let b: Vec<(Input, &[f64])> = spearman::uncertain_columns(scenario, &run_b);
    let slots: Vec<usize> = a.iter().map(|(input, _)| input.index()).collect();
    let mut base_row = tornado::median_row(scenario);
    for (slot, value) in base_row.iter_mut().enumerate() {
        if slots.contains(&slot) {
            *value = f64::NAN;
        }
    }
    let model = scenario.model();
    let metrics = &options.metrics;
    // Each worker keeps one row (this design's medians, its uncertain slots overwritten per
    // call) and one output buffer, set up on the worker's first call for this design: a row
    // and its outputs are hundreds of bytes, and this runs N(k + 2) times.
    static DESIGNS: AtomicU64 = AtomicU64::new(0);
    thread_local! {
        static BUFFERS: RefCell<(u64, Row, Outputs)> =
            const { RefCell::new((u64::MAX, [f64::NAN; ROW_LEN], [f64::NAN; OUTPUTS_LEN])) };
    }
    let design = DESIGNS.fetch_add(1, Ordering::Relaxed);
    let f = |x: &[f64], out: &mut [f64]| {
        BUFFERS.with(|cell| {
            let (owner, row, outputs) = &mut *cell.borrow_mut();
            if *owner != design {
                (*owner, *row) = (design, base_row);
            }
            for (slot, value) in slots.iter().zip(x) {
                row[*slot] = *value;
            }
            model.evaluate_into(row, outputs);
            for (out, metric) in out.iter_mut().zip(metrics) {
                *out = outputs[metric.index()];
            }
        });
    };
    let bootstrap = Bootstrap {
        resamples: options.resamples,
        seed: derived_seed(options.seed, SEED_SOBOL_BOOTSTRAP),
        level: options.confidence,
    };
    let a_columns: Vec<&[f64]> = a.iter().map(|(_, column)| *column).collect();
    let b_columns: Vec<&[f64]> = b.iter().map(|(_, column)| *column).collect();
    let found = sobol::sobol_indices_multi(&a_columns, &b_columns, metrics.len(), f, &bootstrap);
    let design = SobolDesign {
        base_samples: options.samples,
        evaluations: found.evaluations,
        rows_dropped: found.dropped,
        b_seed,
    };
    (found, design, a.iter().map(|(input, _)| *input).collect())
}
