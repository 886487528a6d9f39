//! Raw scenario -> validated [`Scenario`]: overrides, input names, GPU lookup, model choice
//! (path, provisioning, price), defaults, domain checks and sampling settings.

use super::advice::{missing, unused_warnings};
use super::raw::{number_text, RawSampling, RawScenario};
use super::Draw;
use super::{
    domain, InputOrigin, Override, ResolvedInput, SamplingSettings, Scenario, ScenarioError,
};
use crate::dist::{self, Dist};
use crate::model::hardware::Catalog;
use crate::model::ROW_LEN;
use crate::model::{
    CostItems, Feasibility, Input, InputDefault, Model, OnInfeasible, Path, Price, Provisioning,
    Row, N_INPUTS,
};
use crate::number::{self, Quantity};

pub(super) type Given = [Option<(Dist, InputOrigin)>; ROW_LEN];

pub(super) fn resolve(
    mut raw: RawScenario,
    origin: &str,
    stem: &str,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let name = super::name::checked(raw.name.take(), stem, origin)?;
    let mut from_set = Vec::new();
    for item in overrides {
        apply_override(&mut raw, item, &mut from_set)?;
    }
    let mut given = parse_inputs(&raw.inputs, origin, &from_set)?;
    let gpu = match &raw.gpu {
        Some(id) => {
            let gpu_set = overrides.iter().any(|item| item.name == "gpu");
            let where_ = if gpu_set { "--set" } else { origin };
            let own = raw.gpus.get(id).cloned();
            Some((id.clone(), own.map_or_else(|| lookup_gpu(id, where_), Ok)?))
        }
        None => None,
    };
    let mut warnings: Vec<String> = raw
        .gpus
        .keys()
        .filter(|id| raw.gpu.as_ref() != Some(*id))
        .map(|id| format!("gpus.{id} is not used: gpu = \"{id}\" would select it"))
        .collect();
    let price = choose_price(&mut given, origin, &mut warnings)?;
    // The file's own gpu_capex_usd (a --set of it is in `from_set`) is still in `raw.inputs`.
    let owned_in_file = raw.inputs.contains_key(Input::GpuCapexUsd.name())
        && !from_set
            .iter()
            .any(|name| name == Input::GpuCapexUsd.name());
    let mut items = super::costs::resolve(&raw.costs, (price, owned_in_file), origin, &from_set)?;
    warnings.append(&mut items.warnings);
    for (k, rate) in items.rates.iter().enumerate() {
        given[super::costs::slot(k)] = Some(rate.clone());
    }
    super::training::prefer_set(&mut given, &mut warnings);
    let path = choose_path(&given);
    let include_training = raw.include_training.unwrap_or(false);
    let model = Model {
        path,
        provisioning: choose_provisioning(&given, path),
        price,
        on_infeasible: raw.on_infeasible.unwrap_or_default(),
        training: super::training::choose(&given, price, include_training, origin)?,
        include_training,
        items: CostItems::new(&items.items),
    };
    let mut inputs = Vec::new();
    for input in model.inputs() {
        // Left out, the input is its source in every sample: the model reads the source.
        if matches!(input.info().default, InputDefault::SameAs(_)) && given[input.index()].is_none()
        {
            continue;
        }
        let resolved = resolve_input(input, &given, gpu.as_ref(), &model, origin)?;
        domain::check(&resolved, origin)?;
        inputs.push(resolved);
    }
    warnings.extend(unused_warnings(&given, &model));
    if raw.on_infeasible.is_some() && !matches!(path, Path::Roofline { .. }) {
        warnings.push(format!(
            "on_infeasible has no effect on the {} path: with every input inside its domain only the roofline path can produce an impossible sample",
            path.name()
        ));
    }
    warnings.extend(median_warning(&model, &inputs));
    let derived = model.derived_metrics(|input| {
        inputs
            .iter()
            .find(|resolved| resolved.input == input)
            .and_then(|resolved| resolved.dist.as_constant())
    });
    let problem = |input: Input| -> Option<&'static str> {
        match inputs.iter().find(|r: &&ResolvedInput| r.input == input) {
            None => Some("the model path in use does not read it"),
            Some(r) if r.dist.as_constant().is_some() => Some("it is a constant"),
            Some(_) => None,
        }
    };
    let known: Vec<Input> = Input::ALL.into_iter().chain(model.items.inputs()).collect();
    let correlation = super::correlation::resolve(
        &raw.correlations,
        raw.correlation.as_ref(),
        origin,
        &known,
        &problem,
    )?;
    warnings.extend(correlation.as_ref().and_then(|c| c.repair_warning()));
    let couple = couple(&raw.compare.couple, &known, origin)?;
    Ok(Scenario {
        name,
        description: raw.description.unwrap_or_default(),
        origin: origin.to_string(),
        sha256: String::new(),
        document: toml::Table::new(),
        notes: Default::default(),
        gpu,
        model,
        inputs,
        derived,
        sampling: sampling(raw.sampling, origin)?,
        correlation,
        couple,
        warnings,
        item_notes: items.notes,
        metrics: model.metrics(),
    })
}

/// The inputs of `[compare] couple`, each a known input name.
fn couple(names: &[String], known: &[Input], origin: &str) -> Result<Vec<Input>, ScenarioError> {
    names
        .iter()
        .map(|name| {
            let found = known.iter().find(|input| input.name() == name).copied();
            found.ok_or_else(|| {
                let hint = dist::suggest(name, known.iter().map(|input| input.name()));
                ScenarioError::field(
                    origin,
                    "compare.couple",
                    format!(
                        "unknown input \"{name}\"{hint}; list input names, e.g. couple = \
                         [\"gpu_hour_usd\"] (`costbands list inputs` shows all {N_INPUTS})"
                    ),
                )
            })
        })
        .collect()
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
    if item.name == "include_training" {
        let Some(include) = item.value.as_bool() else {
            return Err(ScenarioError::field(
                "--set",
                "include_training",
                "expects true or false",
            ));
        };
        raw.include_training = Some(include);
        return Ok(());
    }
    if item.name == "on_infeasible" {
        raw.on_infeasible = Some(match item.value.as_str() {
            Some("reject") => OnInfeasible::Reject,
            Some("clamp") => OnInfeasible::Clamp,
            _ => {
                return Err(ScenarioError::field(
                    "--set",
                    "on_infeasible",
                    "expects reject or clamp",
                ))
            }
        });
        return Ok(());
    }
    if super::costs::apply_override(&mut raw.costs, item, from_set)? {
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
        let dist = dist::parse_as(value, input.info().quantity()).map_err(|error| {
            ScenarioError::field(where_, format!("inputs.{name}"), error.to_string())
        })?;
        let from = if set {
            InputOrigin::Set
        } else {
            InputOrigin::File
        };
        given[input.index()] = Some((dist, from));
    }
    Ok(given)
}

fn lookup_gpu(id: &str, origin: &str) -> Result<crate::model::hardware::Gpu, ScenarioError> {
    let catalog = Catalog::builtin();
    catalog.get(id).cloned().ok_or_else(|| {
        let ids: Vec<&str> = catalog.iter().map(|(id, _)| id).collect();
        let hint = dist::suggest_close(id, ids.iter().copied());
        ScenarioError::field(
            origin,
            "gpu",
            format!("unknown GPU \"{id}\"{hint}; known: {}", ids.join(", ")),
        )
    })
}

fn choose_path(given: &Given) -> Path {
    let has = |input: Input| given[input.index()].is_some();
    if has(Input::FleetGpus) {
        Path::Fleet
    } else if has(Input::OutputTokensPerGpuS) {
        Path::Throughput {
            prompt_rate: has(Input::InputTokensPerGpuS),
        }
    } else if has(Input::BatchSize) {
        Path::Roofline {
            moe: has(Input::ActiveParamsB),
            kv_given: has(Input::KvBytesPerToken),
            replica_given: has(Input::GpusPerReplica),
        }
    } else {
        Path::Flops
    }
}

fn choose_provisioning(given: &Given, path: Path) -> Provisioning {
    let has = |input: Input| given[input.index()].is_some();
    if path == Path::Fleet {
        Provisioning::Given {
            utilization: has(Input::Utilization),
        }
    } else if has(Input::PeakToAverage) || has(Input::TargetUtilization) {
        Provisioning::Peak
    } else {
        Provisioning::Average
    }
}

/// Owning when `gpu_capex_usd` is given, else renting. Both given is an error, unless one of
/// them comes from `--set`: that one wins.
fn choose_price(
    given: &mut Given,
    origin: &str,
    warnings: &mut Vec<String>,
) -> Result<Price, ScenarioError> {
    let rental = Input::GpuHourUsd.index();
    let owned = Input::GpuCapexUsd.index();
    let from = |slot: &Option<(Dist, InputOrigin)>| slot.as_ref().map(|(_, origin)| *origin);
    match (from(&given[rental]), from(&given[owned])) {
        (Some(InputOrigin::Set), Some(InputOrigin::File)) => {
            given[owned] = None;
            warnings.push(
                "inputs.gpu_capex_usd from the file is replaced by --set gpu_hour_usd (renting)"
                    .to_string(),
            );
            Ok(Price::Rental)
        }
        (Some(InputOrigin::File), Some(InputOrigin::Set)) => {
            given[rental] = None;
            warnings.push(
                "inputs.gpu_hour_usd from the file is replaced by --set gpu_capex_usd (owning)"
                    .to_string(),
            );
            Ok(Price::Owned)
        }
        (Some(_), Some(_)) => Err(ScenarioError::field(
            origin,
            "inputs.gpu_capex_usd",
            "give gpu_hour_usd (renting) or gpu_capex_usd (owning, with amortization_years), not both",
        )),
        (_, Some(_)) => Ok(Price::Owned),
        _ => Ok(Price::Rental),
    }
}

/// A warning when the scenario is impossible with every input at its median.
fn median_warning(model: &Model, inputs: &[ResolvedInput]) -> Option<String> {
    let mut row: Row = [f64::NAN; ROW_LEN];
    for resolved in inputs {
        row[resolved.input.index()] = resolved.dist.median();
    }
    let r = model.roofline(&row)?;
    match r.status {
        Feasibility::Rejected => Some(format!(
            "with every input at its median the sample is infeasible: weights + KV cache need {:.1} GB but a replica of {} GPUs holds {:.1} GB (or a fraction is outside (0, 1], or active_params_b exceeds total_params_b); most samples will be rejected. Raise gpus_per_replica, lower batch_size or context_tokens, or set on_infeasible = \"clamp\"",
            r.memory_needed_bytes / 1e9,
            r.gpus_per_replica,
            r.replica_memory_bytes / 1e9
        )),
        _ => None,
    }
}

fn resolve_input(
    input: Input,
    given: &Given,
    gpu: Option<&(String, crate::model::hardware::Gpu)>,
    model: &Model,
    origin: &str,
) -> Result<ResolvedInput, ScenarioError> {
    let make = |dist: Dist, origin: InputOrigin| ResolvedInput {
        input,
        dist,
        origin,
        draw: Draw::of(input),
    };
    if let Some((dist, from)) = &given[input.index()] {
        return Ok(make(dist.clone(), *from));
    }
    let from_gpu = gpu.and_then(|(_, gpu)| match input {
        Input::PeakTflops => Some(gpu.peak_tflops),
        Input::GpuPowerW => Some(gpu.gpu_power_w),
        Input::HbmTbS => Some(gpu.hbm_tb_s),
        Input::GpuMemoryGb => Some(gpu.memory_gb),
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
        // A same-as input that is left out is left out of the scenario by `resolve`.
        InputDefault::SameAs(_) | InputDefault::Required | InputDefault::Derived(_) => {
            Err(missing(input, model, origin))
        }
    }
}

fn sampling(raw: RawSampling, origin: &str) -> Result<SamplingSettings, ScenarioError> {
    let field = |name: &str| format!("sampling.{name}");
    let samples = sampling_count(raw.samples.as_ref(), "samples", origin)?;
    if samples == Some(0) {
        return Err(ScenarioError::field(
            origin,
            field("samples"),
            "must be at least 1",
        ));
    }
    let percentiles = match &raw.percentiles {
        Some(list) => Some(
            list.iter()
                .map(|item| sampling_number(item, Quantity::Percent, "percentiles", origin))
                .collect::<Result<Vec<f64>, _>>()?,
        ),
        None => None,
    };
    if let Some(list) = &percentiles {
        crate::stats::check_percentiles(list).map_err(|message| {
            ScenarioError::field(origin, field("percentiles"), message.to_string())
        })?;
    }
    let confidence = match &raw.confidence {
        Some(value) => Some(sampling_number(
            value,
            Quantity::Fraction,
            "confidence",
            origin,
        )?),
        None => None,
    };
    if let Some(level) = confidence {
        crate::stats::check_confidence(level).map_err(|message| {
            ScenarioError::field(origin, field("confidence"), message.to_string())
        })?;
    }
    let method = match raw.method.as_deref() {
        None => None,
        Some(name) => Some(crate::settings::Method::parse(name).ok_or_else(|| {
            ScenarioError::field(
                origin,
                field("method"),
                format!("unknown method \"{name}\"; use \"mc\", \"lhs\" or \"sobol\""),
            )
        })?),
    };
    let replicates = sampling_count(raw.replicates.as_ref(), "replicates", origin)?;
    if replicates.is_some_and(|r| r < 2) {
        return Err(ScenarioError::field(
            origin,
            field("replicates"),
            "must be at least 2",
        ));
    }
    let replicates = replicates.map(u32::try_from).transpose().map_err(|_| {
        ScenarioError::field(
            origin,
            field("replicates"),
            format!("must be at most {}", u32::MAX),
        )
    })?;
    Ok(SamplingSettings {
        samples,
        seed: sampling_count(raw.seed.as_ref(), "seed", origin)?,
        percentiles,
        confidence,
        method,
        replicates,
    })
}

/// A whole number of `[sampling]`: `100000`, `1e6`, `"1M"`.
fn sampling_count(
    value: Option<&toml::Value>,
    name: &str,
    origin: &str,
) -> Result<Option<u64>, ScenarioError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let error = |problem: String| ScenarioError::field(origin, format!("sampling.{name}"), problem);
    let text = number_text(value)
        .ok_or_else(|| error("must be a whole number, e.g. 100000, 1e6 or \"1M\"".to_string()))?;
    number::parse_count(&text)
        .map(Some)
        .map_err(|e| error(e.to_string()))
}

/// A number of `[sampling]` of the given quantity: `0.95`, `"95%"`.
fn sampling_number(
    value: &toml::Value,
    quantity: Quantity,
    name: &str,
    origin: &str,
) -> Result<f64, ScenarioError> {
    let error = |problem: String| ScenarioError::field(origin, format!("sampling.{name}"), problem);
    let text = number_text(value).ok_or_else(|| error("must be a number".to_string()))?;
    number::parse(&text, quantity).map_err(|e| error(e.to_string()))
}
