//! One-at-a-time swings for a tornado chart: every input at its median, then one input at a
//! time moved to its P10 and to its P90 (quantile function of its distribution, truncation
//! included), the model evaluated at each point. No sampling, so no Monte Carlo error.
//!
//! A tornado shows each input's effect along one line through the median point; it misses
//! interactions and the shape of the distributions beyond P10/P90 (Sobol indices and the
//! width shrink capture those).

use crate::model::ROW_LEN;
use crate::model::{Input, Outputs, Row};
use crate::scenario::Scenario;

/// The quantile an input is moved down to.
pub const TORNADO_LOW: f64 = 0.10;

/// The quantile an input is moved up to.
pub const TORNADO_HIGH: f64 = 0.90;

/// One input's bar: its values at P10 and P90, and every metric there.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The uncertain input moved.
    pub input: Input,
    /// The input's P10.
    pub input_low: f64,
    /// The input's P90.
    pub input_high: f64,
    /// Every metric with this input at its P10, the others at their medians.
    pub low: Outputs,
    /// Every metric with this input at its P90, the others at their medians.
    pub high: Outputs,
}

/// The base point and one bar per uncertain input, in stream order.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// Every metric with every input at its median.
    pub base: Outputs,
    /// One bar per uncertain input, in stream order (unsorted).
    pub bars: Vec<Bar>,
}

/// Every input the path reads at its median (unread inputs are NaN).
pub fn median_row(scenario: &Scenario) -> Row {
    let mut row: Row = [f64::NAN; ROW_LEN];
    for resolved in scenario.inputs() {
        row[resolved.input.index()] = resolved.dist.median();
    }
    row
}

/// The tornado of `scenario`: constant inputs get no bar.
pub fn tornado(scenario: &Scenario) -> Tornado {
    let model = scenario.model();
    let base_row = median_row(scenario);
    let at = |input: Input, value: f64| {
        let mut row = base_row;
        row[input.index()] = value;
        model.evaluate(&row).outputs
    };
    let bars = scenario
        .uncertain_inputs()
        .map(|resolved| {
            let input_low = resolved.dist.quantile(TORNADO_LOW);
            let input_high = resolved.dist.quantile(TORNADO_HIGH);
            Bar {
                input: resolved.input,
                input_low,
                input_high,
                low: at(resolved.input, input_low),
                high: at(resolved.input, input_high),
            }
        })
        .collect();
    Tornado {
        base: model.evaluate(&base_row).outputs,
        bars,
    }
}
