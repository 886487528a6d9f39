//! Advice in messages about inputs: what to give when a needed input is missing (with an
//! example value), and why an input the file gives is not used.

use super::resolve::Given;
use super::ScenarioError;
use crate::model::{Input, Model, Path, Provisioning};

pub(super) fn missing(input: Input, model: &Model, origin: &str) -> ScenarioError {
    if let Some(error) = super::training::missing(input, model, origin) {
        return error;
    }
    let name = input.name();
    let path = model.path;
    let how = match input {
        Input::PeakTflops | Input::GpuPowerW | Input::HbmTbS | Input::GpuMemoryGb => {
            format!("set gpu = \"h100-sxm\" (see `costbands list gpus`) or give {name} directly")
        }
        Input::ElectricityUsdPerKwh => {
            "give the price, e.g. electricity_usd_per_kwh = 0.08, or 0 to leave out the energy line"
                .to_string()
        }
        Input::Layers | Input::KvHeads | Input::HeadDim => {
            "give kv_bytes_per_token directly, or all of layers, kv_heads and head_dim (e.g. 80, 8 and 128 for a Llama-3-70B-shaped model)".to_string()
        }
        Input::TargetUtilization => {
            "the fleet is sized for the busiest hour because peak_to_average is given; add the busy share allowed at that hour, e.g. target_utilization = 0.8".to_string()
        }
        Input::AmortizationYears => {
            "owning (gpu_capex_usd is given) needs the years over which the GPUs are paid off, e.g. amortization_years = 5".to_string()
        }
        Input::GpuHourUsd => format!(
            "add it under [inputs], e.g. {name} = {}, or give gpu_capex_usd and amortization_years to own the GPUs",
            example(input)
        ),
        _ => format!("add it under [inputs], e.g. {name} = {}", example(input)),
    };
    let alternatives = match path {
        Path::Flops => {
            "; or give output_tokens_per_gpu_s (measured throughput), fleet_gpus (a known fleet) or batch_size (serving physics, the roofline path) instead of the FLOPs inputs"
        }
        _ => "",
    };
    let needed_alternatives =
        if matches!(input, Input::ActiveParamsB | Input::PeakTflops | Input::Mfu) {
            alternatives
        } else {
            ""
        };
    ScenarioError::field(
        origin,
        format!("inputs.{name}"),
        format!(
            "missing: the {} path needs {name} ({}); {how}{needed_alternatives}",
            path.name(),
            input.info().meaning
        ),
    )
}

/// The suggested `mfu`: the chatgpt-class preset's decode MFU while busy.
pub(crate) const MFU_EXAMPLE: &str = "{ dist = \"beta\", mean = 0.20, sd = 0.07 }";

/// The suggested `utilization`: the chatgpt-class preset's busy share.
pub(crate) const UTILIZATION_EXAMPLE: &str = "{ dist = \"beta\", mean = 0.5, sd = 0.1 }";

fn example(input: Input) -> &'static str {
    match input {
        Input::QueriesPerDay => "\"100e6 to 300e6\"",
        Input::OutputTokensPerQuery => "\"300 to 1500\"",
        Input::ActiveParamsB => "\"50 to 300\"",
        // The chatgpt-class preset's sourced values (decode MFU while busy, after Epoch AI;
        // SemiAnalysis's 50% busy share); a test keeps them equal.
        Input::Mfu => MFU_EXAMPLE,
        Input::Utilization => UTILIZATION_EXAMPLE,
        Input::GpuHourUsd => "{ dist = \"triangular\", min = 1.5, mode = 2.2, max = 4.0 }",
        Input::TotalParamsB => "70",
        Input::ContextTokens => "\"1000 to 4000\" (prompt + half the output, on average)",
        Input::Mbu => "{ dist = \"beta\", mean = 0.7, sd = 0.08 }",
        Input::KvBytesPerToken => "327680 (2 × 80 layers × 8 KV heads × 128 × 2 bytes)",
        Input::GpuCapexUsd => "{ dist = \"pert\", min = 30000, mode = 40000, max = 50000 }",
        _ => "1.0",
    }
}

pub(super) fn unused_warnings(given: &Given, model: &Model) -> Vec<String> {
    let used = model.inputs();
    Input::ALL
        .into_iter()
        .filter(|input| given[input.index()].is_some() && !used.contains(input))
        .map(|input| {
            format!(
                "inputs.{} is not used: {}",
                input.name(),
                unused_reason(input, model)
            )
        })
        .collect()
}

fn unused_reason(input: Input, model: &Model) -> String {
    let path = model.path;
    match input {
        Input::Utilization if model.provisioning == Provisioning::Peak => {
            "the fleet is sized for the busiest hour (peak_to_average or target_utilization is given), which reads target_utilization instead".to_string()
        }
        Input::PeakToAverage | Input::TargetUtilization if path == Path::Fleet => {
            "the fleet path takes the fleet as given (fleet_gpus), so nothing is sized for the peak".to_string()
        }
        Input::AmortizationYears | Input::CostOfCapital => {
            "it is read only when owning the GPUs (gpu_capex_usd given)".to_string()
        }
        _ if super::training::INPUTS.contains(&input) => {
            super::training::unused_reason(input, model.training).to_string()
        }
        _ => format!(
            "the {} path ({}) does not read it",
            path.name(),
            path_reason(path)
        ),
    }
}

fn path_reason(path: Path) -> &'static str {
    match path {
        Path::Fleet => "chosen because fleet_gpus is given",
        Path::Throughput { .. } => "chosen because output_tokens_per_gpu_s is given",
        Path::Roofline { .. } => "chosen because batch_size is given",
        Path::Flops => "neither fleet_gpus, output_tokens_per_gpu_s nor batch_size is given",
    }
}
