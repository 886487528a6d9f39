//! Raw scenario -> validated [`Scenario`]: overrides, input names, GPU lookup, path selection,
//! defaults, domain checks and sampling settings.

use super::raw::{RawSampling, RawScenario};
use super::{
    domain, InputOrigin, Override, ResolvedInput, SamplingSettings, Scenario, ScenarioError,
};
use crate::dist::{self, Dist};
use crate::model::hardware::Catalog;
use crate::model::{Input, InputDefault, Path, N_INPUTS};

type Given = [Option<(Dist, InputOrigin)>; N_INPUTS];

pub(super) fn resolve(
    mut raw: RawScenario,
    origin: &str,
    stem: &str,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let mut from_set = Vec::new();
    for item in overrides {
        apply_override(&mut raw, item, &mut from_set)?;
    }
    let given = parse_inputs(&raw.inputs, origin, &from_set)?;
    let gpu = match &raw.gpu {
        Some(id) => Some((id.clone(), lookup_gpu(id, origin)?)),
        None => None,
    };
    let path = choose_path(&given);
    let mut inputs = Vec::new();
    for input in path.inputs() {
        let resolved = resolve_input(input, &given, gpu.as_ref(), &inputs, path, origin)?;
        domain::check(&resolved, origin)?;
        inputs.push(resolved);
    }
    let mut warnings = unused_warnings(&given, path);
    let problem = |input: Input| -> Option<&'static str> {
        match inputs.iter().find(|r: &&ResolvedInput| r.input == input) {
            None => Some("the model path in use does not read it"),
            Some(r) if r.dist.as_constant().is_some() => Some("it is a constant"),
            Some(_) => None,
        }
    };
    let correlation = super::correlation::resolve(
        &raw.correlations,
        raw.correlation.as_ref(),
        origin,
        &problem,
    )?;
    warnings.extend(correlation.as_ref().and_then(|c| c.repair_warning()));
    Ok(Scenario {
        name: raw.name.unwrap_or_else(|| stem.to_string()),
        description: raw.description.unwrap_or_default(),
        origin: origin.to_string(),
        sha256: String::new(),
        gpu,
        path,
        inputs,
        sampling: sampling(raw.sampling, origin)?,
        correlation,
        warnings,
    })
}

fn apply_override(
    raw: &mut RawScenario,
    item: &Override,
    from_set: &mut Vec<String>,
) -> Result<(), ScenarioError> {
    if item.name == "gpu" {
        let toml::Value::String(id) = &item.value else {
            return Err(ScenarioError::field(
                "--set",
                "gpu",
                "expects a GPU id, e.g. h100-sxm",
            ));
        };
        raw.gpu = Some(id.clone());
        return Ok(());
    }
    if Input::from_name(&item.name).is_none() {
        return Err(unknown_input("--set", &item.name));
    }
    raw.inputs.insert(item.name.clone(), item.value.clone());
    from_set.push(item.name.clone());
    Ok(())
}

fn unknown_input(origin: &str, name: &str) -> ScenarioError {
    let names = Input::ALL.iter().map(|input| input.name());
    let hint = dist::suggest(name, names);
    ScenarioError::field(
        origin,
        format!("inputs.{name}"),
        format!("unknown input{hint}; `costbands list inputs` shows all {N_INPUTS} input names"),
    )
}

fn parse_inputs(
    table: &toml::Table,
    origin: &str,
    from_set: &[String],
) -> Result<Given, ScenarioError> {
    let mut given: Given = std::array::from_fn(|_| None);
    for (name, value) in table {
        let Some(input) = Input::from_name(name) else {
            return Err(unknown_input(origin, name));
        };
        let set = from_set.contains(name);
        let where_ = if set { "--set" } else { origin };
        let dist = dist::parse(value).map_err(|error| {
            ScenarioError::field(where_, format!("inputs.{name}"), error.to_string())
        })?;
        let from = if set {
            InputOrigin::Set
        } else {
            InputOrigin::File
        };
        given[input as usize] = Some((dist, from));
    }
    Ok(given)
}

fn lookup_gpu(id: &str, origin: &str) -> Result<crate::model::hardware::Gpu, ScenarioError> {
    let catalog = Catalog::builtin();
    catalog.get(id).cloned().ok_or_else(|| {
        let ids: Vec<&str> = catalog.iter().map(|(id, _)| id).collect();
        let hint = dist::suggest(id, ids.iter().copied());
        ScenarioError::field(
            origin,
            "gpu",
            format!("unknown GPU \"{id}\"{hint}; known: {}", ids.join(", ")),
        )
    })
}

fn choose_path(given: &Given) -> Path {
    let has = |input: Input| given[input as usize].is_some();
    if has(Input::FleetGpus) {
        Path::Fleet
    } else if has(Input::OutputTokensPerGpuS) {
        Path::Throughput {
            prompt_rate: has(Input::InputTokensPerGpuS),
        }
    } else {
        Path::Flops
    }
}

fn resolve_input(
    input: Input,
    given: &Given,
    gpu: Option<&(String, crate::model::hardware::Gpu)>,
    resolved: &[ResolvedInput],
    path: Path,
    origin: &str,
) -> Result<ResolvedInput, ScenarioError> {
    let make = |dist: Dist, origin: InputOrigin| ResolvedInput {
        input,
        dist,
        origin,
    };
    if let Some((dist, from)) = &given[input as usize] {
        return Ok(make(dist.clone(), *from));
    }
    let from_gpu = gpu.and_then(|(_, gpu)| match input {
        Input::PeakTflops => Some(gpu.peak_tflops),
        Input::GpuPowerW => Some(gpu.gpu_power_w),
        _ => None,
    });
    if let Some(value) = from_gpu {
        let dist = Dist::constant(value).map_err(|e| {
            ScenarioError::field(
                origin,
                "gpu",
                format!("catalog value for {}: {e}", input.name()),
            )
        })?;
        return Ok(make(dist, InputOrigin::Gpu));
    }
    match input.info().default {
        InputDefault::Value(value) => Ok(make(
            Dist::constant(value).expect("defaults are finite"),
            InputOrigin::Default,
        )),
        InputDefault::SameAs(other) => {
            let source = resolved
                .iter()
                .find(|r| r.input == other)
                .expect("inputs resolve in stream order, sources first");
            Ok(make(source.dist.clone(), InputOrigin::Default))
        }
        InputDefault::Required => Err(missing(input, path, origin)),
    }
}

fn missing(input: Input, path: Path, origin: &str) -> ScenarioError {
    let name = input.name();
    let how = match input {
        Input::PeakTflops | Input::GpuPowerW => {
            format!("set gpu = \"h100-sxm\" (see `costbands list gpus`) or give {name} directly")
        }
        Input::ElectricityUsdPerKwh => {
            "give the price, e.g. electricity_usd_per_kwh = 0.08, or 0 to leave out the energy line"
                .to_string()
        }
        _ => format!("add it under [inputs], e.g. {name} = {}", example(input)),
    };
    let alternatives = match path {
        Path::Flops => {
            "; or give output_tokens_per_gpu_s (measured throughput) or fleet_gpus (a known fleet) instead of the FLOPs inputs"
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

fn example(input: Input) -> &'static str {
    match input {
        Input::QueriesPerDay => "\"100e6 to 300e6\"",
        Input::OutputTokensPerQuery => "\"300 to 1500\"",
        Input::ActiveParamsB => "\"50 to 300\"",
        Input::Mfu | Input::Utilization => "{ dist = \"beta\", mean = 0.4, sd = 0.1 }",
        Input::GpuHourUsd => "{ dist = \"triangular\", min = 1.5, mode = 2.2, max = 4.0 }",
        _ => "1.0",
    }
}

fn unused_warnings(given: &Given, path: Path) -> Vec<String> {
    let used = path.inputs();
    Input::ALL
        .into_iter()
        .filter(|input| given[*input as usize].is_some() && !used.contains(input))
        .map(|input| {
            format!(
                "inputs.{} is not used: the {} path ({}) does not read it",
                input.name(),
                path.name(),
                path_reason(path)
            )
        })
        .collect()
}

fn path_reason(path: Path) -> &'static str {
    match path {
        Path::Fleet => "chosen because fleet_gpus is given",
        Path::Throughput { .. } => "chosen because output_tokens_per_gpu_s is given",
        Path::Flops => "neither fleet_gpus nor output_tokens_per_gpu_s is given",
    }
}

fn sampling(raw: RawSampling, origin: &str) -> Result<SamplingSettings, ScenarioError> {
    if raw.samples == Some(0) {
        return Err(ScenarioError::field(
            origin,
            "sampling.samples",
            "must be at least 1",
        ));
    }
    if let Some(list) = &raw.percentiles {
        crate::stats::check_percentiles(list)
            .map_err(|message| ScenarioError::field(origin, "sampling.percentiles", message))?;
    }
    if let Some(level) = raw.confidence {
        crate::stats::check_confidence(level)
            .map_err(|message| ScenarioError::field(origin, "sampling.confidence", message))?;
    }
    let method = match raw.method.as_deref() {
        None => None,
        Some(name) => Some(crate::engine::Method::parse(name).ok_or_else(|| {
            ScenarioError::field(
                origin,
                "sampling.method",
                format!("unknown method \"{name}\"; use \"mc\", \"lhs\" or \"sobol\""),
            )
        })?),
    };
    if raw.replicates.is_some_and(|r| r < 2) {
        return Err(ScenarioError::field(
            origin,
            "sampling.replicates",
            "must be at least 2",
        ));
    }
    Ok(SamplingSettings {
        samples: raw.samples,
        seed: raw.seed,
        percentiles: raw.percentiles,
        confidence: raw.confidence,
        method,
        replicates: raw.replicates,
    })
}
