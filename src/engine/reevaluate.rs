//! The model evaluated again on a run's own input columns, with one input replaced by a
//! constant: what a run of the scenario with that input pinned would draw, without drawing.
//!
//! Every input draws from its own stream (see the parent module), so a Monte Carlo run of a
//! scenario whose input `i` is pinned draws, for every other input, exactly the values the
//! unpinned run drew. Without rank correlations (which reorder the values of a chunk together)
//! the pinned run is therefore the model evaluated on the unpinned run's input columns with
//! column `i` set to the constant: the same rows, the same model, the same metric columns, bit
//! for bit — at the cost of the model alone.

use super::{evaluate_into, Columns, Simulation, Sink, CHUNK_SIZE};
use crate::model::Input;
use crate::scenario::Scenario;
use rayon::prelude::*;

/// The run of `pinned` (a scenario without rank correlations whose input `input` is the
/// constant `value`) from `run`, a Monte Carlo run of the same scenario unpinned that kept its
/// input columns; `None` when `run` kept none or lacks one `pinned` reads.
pub fn reevaluate_pinned(
    pinned: &Scenario,
    run: &Simulation,
    (input, value): (Input, f64),
) -> Option<Simulation> {
    debug_assert!(pinned.correlation().is_none());
    let kept = run.inputs.as_ref()?;
    let columns: Vec<Option<&[f64]>> = pinned
        .inputs()
        .iter()
        .map(|resolved| {
            if resolved.input == input {
                return Some(None);
            }
            let (_, column) = kept.iter().find(|(i, _)| *i == resolved.input)?;
            Some(Some(column.as_slice()))
        })
        .collect::<Option<_>>()?;
    let samples = run.len();
    let mut out = Columns::allocate(pinned, samples, false);
    {
        let sink = out.sink(0);
        let pinned_column = vec![value; CHUNK_SIZE.min(samples)];
        (0..samples.div_ceil(CHUNK_SIZE))
            .into_par_iter()
            .for_each(|index| {
                let start = index * CHUNK_SIZE;
                let len = (samples - start).min(CHUNK_SIZE);
                let inputs: Vec<&[f64]> = columns
                    .iter()
                    .map(|column| match column {
                        Some(column) => &column[start..start + len],
                        None => &pinned_column[..len],
                    })
                    .collect();
                let filled = sink.fill_in_place(index as u64, &mut |destination| {
                    evaluate_into(pinned, &inputs, destination.metrics, len)
                });
                debug_assert!(filled, "the in-memory sink fills in place");
            });
    }
    Some(out.into_simulation())
}
