//! A plain Monte Carlo chunk (no rank correlations) drawn and evaluated a block of rows at a
//! time straight into a sink's final columns ([`super::Sink::fill_in_place`]): the block's
//! inputs and outputs stay in the core's cache and nothing is copied. Every input's stream is
//! consumed in order, value by value, so the values are those of [`super::draw_column`] over
//! the whole chunk, bit for bit.

use super::{open_unit, ChunkContext, Destination};
use crate::model::{Feasibility, Outputs, Row, OUTPUTS_LEN, ROW_LEN};
use crate::rng::{self, derive_seed, SeedDomain};
use rand::Rng;

/// Rows drawn and evaluated at a time by [`fill`]: their inputs and outputs stay in the
/// core's cache.
const BLOCK_ROWS: usize = 512;

/// Chunk `index` of a Monte Carlo run without rank correlations, drawn and evaluated
/// [`BLOCK_ROWS`] rows at a time straight into `destination`. Every input's stream is consumed
/// in order, value by value, so the values are those of [`super::draw_column`] over the whole chunk.
pub(super) fn fill(
    context: &ChunkContext<'_>,
    index: u64,
    len: usize,
    destination: &mut Destination<'_, '_>,
) -> (usize, usize) {
    let scenario = context.scenario;
    let seed = derive_seed(
        context.options.seed,
        SeedDomain::Replicate,
        context.options.replicate,
    );
    let inputs = scenario.inputs();
    let mut rngs: Vec<Option<rand::rngs::Xoshiro256PlusPlus>> = inputs
        .iter()
        .map(|r| {
            r.dist
                .as_constant()
                .is_none()
                .then(|| rng::stream_rng(seed, index, r.draw.stream))
        })
        .collect();
    let mut block: Vec<Vec<f64>> = vec![vec![0.0; BLOCK_ROWS]; inputs.len()];
    let model = scenario.model();
    let slots: Vec<usize> = inputs.iter().map(|r| r.input.index()).collect();
    let mut row: Row = [f64::NAN; ROW_LEN];
    let mut outputs: Outputs = [f64::NAN; OUTPUTS_LEN];
    let (mut rejected, mut clamped) = (0, 0);
    for start in (0..len).step_by(BLOCK_ROWS) {
        let rows = (len - start).min(BLOCK_ROWS);
        for ((resolved, rng), column) in inputs.iter().zip(&mut rngs).zip(&mut block) {
            let column = &mut column[..rows];
            match rng {
                None => column.fill(resolved.dist.as_constant().unwrap_or(f64::NAN)),
                Some(rng) if resolved.draw.by_quantile => {
                    for x in column.iter_mut() {
                        *x = resolved.dist.quantile(open_unit(rng.next_u64()));
                    }
                }
                Some(rng) => resolved.dist.fill(rng, column),
            }
        }
        for offset in 0..rows {
            for (slot, column) in slots.iter().zip(&block) {
                row[*slot] = column[offset];
            }
            match model.evaluate_into(&row, &mut outputs) {
                Feasibility::Feasible => {}
                Feasibility::Clamped => clamped += 1,
                Feasibility::Rejected => rejected += 1,
            }
            for (column, value) in destination.metrics.iter_mut().zip(&outputs) {
                if let Some(column) = column {
                    column[start + offset] = *value;
                }
            }
        }
        for (kept, column) in destination.inputs.iter_mut().zip(&block) {
            kept[start..start + rows].copy_from_slice(&column[..rows]);
        }
    }
    (rejected, clamped)
}
