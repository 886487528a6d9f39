//! How a scenario's training cost is obtained ([`Training`]), from the training inputs it
//! gives, and the messages about training inputs that are missing or not read.

use super::resolve::Given;
use super::{InputOrigin, ScenarioError};
use crate::model::{Input, Model, Price, Training};

/// Every input that only the training cost reads.
pub(super) const INPUTS: [Input; 7] = [
    Input::TrainingCostUsd,
    Input::TrainingGpuHours,
    Input::TrainingTokens,
    Input::TrainingPeakTflops,
    Input::TrainingMfu,
    Input::TrainingGpuHourUsd,
    Input::ServingLifetimeDays,
];

/// The inputs that each select a way of costing training; a scenario gives at most one.
const ROUTES: [Input; 3] = [
    Input::TrainingCostUsd,
    Input::TrainingGpuHours,
    Input::TrainingTokens,
];

/// A way of costing training given with `--set` replaces one the file gives (as a price given
/// with `--set` replaces the file's): the file's route inputs are dropped, with a warning.
pub(super) fn prefer_set(given: &mut Given, warnings: &mut Vec<String>) {
    let from = |given: &Given, input: Input| given[input.index()].as_ref().map(|(_, o)| *o);
    let Some(set) = ROUTES
        .into_iter()
        .find(|input| from(given, *input) == Some(InputOrigin::Set))
    else {
        return;
    };
    for input in ROUTES {
        if from(given, input) == Some(InputOrigin::File) {
            given[input.index()] = None;
            warnings.push(format!(
                "inputs.{} from the file is replaced by --set {}",
                input.name(),
                set.name()
            ));
        }
    }
}

/// The route inputs a scenario that costs training by `training` does not read: dropped from
/// its resolved text, since `--set` replaced them.
pub(super) fn dropped_routes(training: Training) -> impl Iterator<Item = Input> {
    ROUTES
        .into_iter()
        .filter(move |input| training != Training::None && *input != route_input(training))
}

/// How the training cost is obtained: from `training_cost_usd`, `training_gpu_hours` or
/// `training_tokens`, whichever is given (more than one is an error), or not at all.
pub(super) fn choose(
    given: &Given,
    price: Price,
    include_training: bool,
    origin: &str,
) -> Result<Training, ScenarioError> {
    let has = |input: Input| given[input.index()].is_some();
    let routes: Vec<&str> = ROUTES
        .into_iter()
        .filter(|input| has(*input))
        .map(Input::name)
        .collect();
    if routes.len() > 1 {
        return Err(ScenarioError::field(
            origin,
            format!("inputs.{}", routes[1]),
            format!(
                "give one way of costing training, not {}: training_cost_usd (USD outright), \
                 training_gpu_hours (GPU-hours at a price) or training_tokens (from compute)",
                routes.join(" and ")
            ),
        ));
    }
    let price_given = has(Input::TrainingGpuHourUsd);
    let training = if has(Input::TrainingCostUsd) {
        Training::Cost
    } else if has(Input::TrainingGpuHours) {
        Training::GpuHours { price_given }
    } else if has(Input::TrainingTokens) {
        Training::Compute {
            peak_given: has(Input::TrainingPeakTflops),
            price_given,
        }
    } else {
        Training::None
    };
    if training == Training::None && include_training {
        return Err(ScenarioError::field(
            origin,
            "include_training",
            "is true but no training cost is given; add under [inputs] training_cost_usd (or \
             training_gpu_hours, or training_tokens with training_mfu) and \
             serving_lifetime_days, e.g. training_cost_usd = \"50e6 to 150e6\" and \
             serving_lifetime_days = \"365 to 730\", or set include_training = false",
        ));
    }
    let reads_rental = matches!(
        training,
        Training::GpuHours { price_given: false }
            | Training::Compute {
                price_given: false,
                ..
            }
    );
    if reads_rental && price == Price::Owned {
        return Err(ScenarioError::field(
            origin,
            "inputs.training_gpu_hour_usd",
            "missing: the serving GPUs are owned (gpu_capex_usd), so there is no gpu_hour_usd \
             to price the training GPU-hours; give training_gpu_hour_usd, e.g. 2.0",
        ));
    }
    Ok(training)
}

/// The message for `input` missing when only the training cost reads it, or None when the
/// serving model reads it too.
pub(super) fn missing(input: Input, model: &Model, origin: &str) -> Option<ScenarioError> {
    let serving = Model {
        training: Training::None,
        ..*model
    };
    if model.training == Training::None || serving.inputs().contains(&input) {
        return None;
    }
    let how = match input {
        Input::ServingLifetimeDays => {
            "the days over which the model serves, e.g. serving_lifetime_days = \"365 to 730\""
        }
        Input::TrainingMfu => "the training run's share of peak, e.g. training_mfu = 0.35",
        Input::ActiveParamsB => "the active parameters, e.g. active_params_b = 37",
        Input::PeakTflops => {
            "give training_peak_tflops, or set gpu = \"h100-sxm\" (see `costbands list gpus`) \
             to take the serving GPU's"
        }
        Input::GpuHourUsd => "give training_gpu_hour_usd, e.g. 2.0",
        _ => "add it under [inputs]",
    };
    Some(ScenarioError::field(
        origin,
        format!("inputs.{}", input.name()),
        format!(
            "missing: the training cost from {} needs {} ({}); {how}",
            route_input(model.training).name(),
            input.name(),
            input.info().meaning
        ),
    ))
}

/// The input that selected the way of costing training.
fn route_input(training: Training) -> Input {
    match training {
        Training::None | Training::Cost => Input::TrainingCostUsd,
        Training::GpuHours { .. } => Input::TrainingGpuHours,
        Training::Compute { .. } => Input::TrainingTokens,
    }
}

/// Why a training input that is given is not read.
pub(super) fn unused_reason(input: Input, training: Training) -> &'static str {
    match (training, input) {
        (Training::None, _) => {
            "it is read only with a training cost: give training_cost_usd, training_gpu_hours \
             or training_tokens"
        }
        (_, Input::TrainingPeakTflops | Input::TrainingMfu) => {
            "it is read only when training is costed from training_tokens"
        }
        _ => "training is costed from training_cost_usd, which does not read it",
    }
}
