//! `costbands explain`: the model's chain, step by step, with every input at its median.

use crate::model::{
    self, crossover_batch, Breakdown, Feasibility, Input, Model, Path, Price, Provisioning, Row,
    N_INPUTS, SECONDS_PER_DAY,
};
use crate::scenario::Scenario;
use clap::Args;
use std::fmt::Write;

#[derive(Debug, Args)]
pub(super) struct ExplainArgs {
    /// Scenario file or preset name [default: the built-in chatgpt-class scenario]
    #[arg(value_name = "FILE")]
    file: Option<String>,
    /// Override an input: NAME=VALUE (repeatable)
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
}

pub(super) fn explain(args: ExplainArgs) -> anyhow::Result<()> {
    let overrides = super::overrides(&args.set)?;
    let scenario = match &args.file {
        Some(file) => Scenario::load(file, &overrides)?,
        None => Scenario::default_scenario(&overrides)?,
    };
    print!("{}", render(&scenario));
    Ok(())
}

/// The explanation text for `scenario`.
pub fn render(scenario: &Scenario) -> String {
    let model = scenario.model();
    let mut row: Row = [f64::NAN; N_INPUTS];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} path{}{}, every input at its median\n\ninputs",
        scenario.name(),
        scenario.path().name(),
        match model.provisioning {
            Provisioning::Peak => ", fleet sized for the busiest hour",
            _ => "",
        },
        match model.price {
            Price::Owned => ", owned GPUs",
            Price::Rental => "",
        }
    );
    for resolved in scenario.inputs() {
        let median = resolved.dist.median();
        row[resolved.input as usize] = median;
        let info = resolved.input.info();
        let origin = format!("{:?}", resolved.origin).to_lowercase();
        let _ = writeln!(
            out,
            "  {:<25} = {:<12} {:<13} {origin}: {}",
            info.name,
            fmt(median),
            info.unit,
            resolved.dist.describe()
        );
    }
    let b = model.breakdown(&row);
    out.push_str("\ndemand\n");
    step(
        &mut out,
        "tokens/day",
        "queries_per_day × (input + output tokens per query)",
        b.tokens_per_day,
    );
    busy_steps(&mut out, model, &row, &b);
    fleet_steps(&mut out, model, &row, &b);
    cost_steps(&mut out, model, &row, &b);
    match b.status {
        Feasibility::Feasible => {}
        Feasibility::Clamped => out.push_str(
            "\nnote: at the medians the sample is infeasible and was clamped into range (on_infeasible = \"clamp\").\n",
        ),
        Feasibility::Rejected => out.push_str(
            "\nnote: at the medians the sample is INFEASIBLE and `costbands run` would reject it (every metric NaN); the figures above show why.\n",
        ),
    }
    out.push_str(
        "\nThe result of the medians is not the median of the result: `costbands run` gives the bands.\n",
    );
    out
}

fn busy_steps(out: &mut String, model: &Model, row: &Row, b: &Breakdown) {
    let v = |input: Input| row[input as usize];
    let path = model.path;
    let _ = writeln!(out, "\nbusy GPU time ({} path)", path.name());
    match path {
        Path::Fleet => step(
            out,
            "busy GPU-s/day",
            "fleet_gpus × 86 400 × utilization (unknown without utilization)",
            b.busy_gpu_seconds_per_day,
        ),
        Path::Throughput { prompt_rate } => {
            let decode = v(Input::OutputTokensPerQuery) / v(Input::OutputTokensPerGpuS);
            step(
                out,
                "decode GPU-s/query",
                "output tokens ÷ output_tokens_per_gpu_s",
                decode,
            );
            if prompt_rate {
                let prefill = v(Input::InputTokensPerQuery) / v(Input::InputTokensPerGpuS);
                step(
                    out,
                    "prefill GPU-s/query",
                    "input tokens ÷ input_tokens_per_gpu_s",
                    prefill,
                );
            }
            step(
                out,
                "busy GPU-s/day",
                "queries × GPU-s per query",
                b.busy_gpu_seconds_per_day,
            );
        }
        Path::Flops => {
            let flop_per_token = 2.0 * v(Input::ActiveParamsB) * 1e9;
            let peak = v(Input::PeakTflops) * 1e12;
            step(
                out,
                "FLOP/token",
                "2 × active_params_b × 1e9",
                flop_per_token,
            );
            let prefill =
                v(Input::InputTokensPerQuery) * flop_per_token / (peak * v(Input::PrefillMfu));
            step(
                out,
                "prefill GPU-s/query",
                "input tokens × FLOP/token ÷ (peak_tflops × 1e12 × prefill_mfu)",
                prefill,
            );
            let decode = v(Input::OutputTokensPerQuery) * flop_per_token / (peak * v(Input::Mfu));
            step(
                out,
                "decode GPU-s/query",
                "output tokens × FLOP/token ÷ (peak_tflops × 1e12 × mfu)",
                decode,
            );
            step(
                out,
                "busy GPU-s/day",
                "queries × (prefill + decode)",
                b.busy_gpu_seconds_per_day,
            );
        }
        Path::Roofline { .. } => roofline_steps(out, model, row, b),
    }
}

fn roofline_steps(out: &mut String, model: &Model, row: &Row, b: &Breakdown) {
    let Some(r) = model.roofline(row) else {
        return;
    };
    let Path::Roofline {
        moe,
        kv_given,
        replica_given,
    } = model.path
    else {
        return;
    };
    let v = |input: Input| row[input as usize];
    step(
        out,
        "weight bytes",
        "total_params_b × 1e9 × bytes_per_param",
        r.weight_bytes,
    );
    let active = if moe {
        "active_params_b × 1e9"
    } else {
        "dense: every parameter (total_params_b × 1e9)"
    };
    step(out, "active params", active, r.active_params);
    let kv = if kv_given {
        "kv_bytes_per_token"
    } else {
        "2 × layers × kv_heads × head_dim × bytes_per_param"
    };
    step(out, "KV bytes/token", kv, r.kv_bytes_per_token);
    step(
        out,
        "KV bytes/sequence",
        "context_tokens × KV bytes/token",
        r.kv_bytes_per_sequence,
    );
    let batch = if r.batch == v(Input::BatchSize) {
        "batch_size".to_string()
    } else {
        format!(
            "batch_size {} clamped to what fits",
            fmt(v(Input::BatchSize))
        )
    };
    step(out, "batch", &batch, r.batch);
    step(
        out,
        "memory needed",
        "weight bytes + batch × KV bytes/sequence",
        r.memory_needed_bytes,
    );
    let replica = if replica_given {
        "gpus_per_replica"
    } else {
        "fewest GPUs (a power of two) whose gpu_memory_gb holds the memory needed"
    };
    step(out, "GPUs per replica", replica, r.gpus_per_replica);
    let fits = if r.memory_needed_bytes <= r.replica_memory_bytes {
        "fits"
    } else {
        "DOES NOT FIT: the sample is infeasible"
    };
    step(
        out,
        "replica memory",
        &format!("GPUs per replica × gpu_memory_gb × 1e9: {fits}"),
        r.replica_memory_bytes,
    );
    step(
        out,
        "weight bytes read/step",
        "min(weight bytes, batch × active params × bytes_per_param)",
        r.weight_bytes_read,
    );
    step(
        out,
        "step time, memory (s)",
        "(bytes read + batch × KV bytes/sequence) ÷ (GPUs × hbm_tb_s × 1e12 × mbu)",
        r.step_memory_s,
    );
    step(
        out,
        "step time, compute (s)",
        "batch × 2 × active params ÷ (GPUs × peak_tflops × 1e12 × mfu)",
        r.step_compute_s,
    );
    let bound = if r.memory_bound() {
        "the larger: memory-bound"
    } else {
        "the larger: compute-bound"
    };
    step(out, "decode step (s)", bound, r.step_s);
    step(
        out,
        "crossover batch",
        "batch above which decode is compute-bound (all weights read per step)",
        crossover_batch(&r),
    );
    step(
        out,
        "tokens/s per replica",
        "batch ÷ decode step",
        r.tokens_per_s_per_replica,
    );
    step(
        out,
        "tokens/s per GPU",
        "tokens/s per replica ÷ GPUs per replica",
        r.tokens_per_s_per_replica / r.gpus_per_replica,
    );
    step(
        out,
        "decode GPU-s/query",
        "output tokens × GPUs per replica × step ÷ batch",
        v(Input::OutputTokensPerQuery) * r.decode_gpu_s_per_token,
    );
    step(
        out,
        "prefill GPU-s/query",
        "input tokens × 2 × active params ÷ (peak_tflops × 1e12 × prefill_mfu)",
        v(Input::InputTokensPerQuery) * r.prefill_gpu_s_per_token,
    );
    step(
        out,
        "busy GPU-s/day",
        "queries × (prefill + decode)",
        b.busy_gpu_seconds_per_day,
    );
}

fn fleet_steps(out: &mut String, model: &Model, row: &Row, b: &Breakdown) {
    let v = |input: Input| row[input as usize];
    out.push_str("\nfleet\n");
    match model.provisioning {
        Provisioning::Given { .. } => step(out, "GPUs (given)", "fleet_gpus", b.gpus_exact),
        Provisioning::Average => step(
            out,
            "GPUs, exact",
            "busy GPU-s ÷ (86 400 × utilization)",
            b.gpus_exact,
        ),
        Provisioning::Peak => {
            step(
                out,
                "peak-hour busy GPUs",
                "busy GPU-s ÷ 86 400 × peak_to_average",
                b.busy_gpu_seconds_per_day / SECONDS_PER_DAY * v(Input::PeakToAverage),
            );
            step(
                out,
                "GPUs, exact",
                "peak-hour busy GPUs ÷ target_utilization",
                b.gpus_exact,
            );
        }
    }
    let rounding = match model.roofline(row) {
        Some(r) if !matches!(model.provisioning, Provisioning::Given { .. }) => format!(
            "whole replicas of {}, rounded up to whole servers of {}",
            fmt(r.gpus_per_replica),
            v(Input::GpusPerServer)
        ),
        _ => format!("rounded up to whole servers of {}", v(Input::GpusPerServer)),
    };
    step(out, "GPUs", &rounding, b.gpus);
    step(
        out,
        "gpu_hours_per_day",
        "GPUs × 24 h (provisioned)",
        b.gpu_hours_per_day,
    );
    step(
        out,
        "busy_gpu_hours_per_day",
        "busy GPU-s ÷ 3600",
        b.busy_gpu_hours_per_day,
    );
    step(
        out,
        "average utilization",
        "busy ÷ provisioned GPU-hours",
        b.busy_gpu_hours_per_day / b.gpu_hours_per_day,
    );
}

fn cost_steps(out: &mut String, model: &Model, row: &Row, b: &Breakdown) {
    let v = |input: Input| row[input as usize];
    let queries = v(Input::QueriesPerDay);
    out.push_str("\ncost\n");
    match model.price {
        Price::Rental => step(
            out,
            "compute USD/day",
            "GPUs × 24 h × gpu_hour_usd",
            b.compute_cost_usd_per_day,
        ),
        Price::Owned => {
            let per_gpu = model::capex_usd_per_gpu_day(row);
            let formula = if v(Input::CostOfCapital) == 0.0 {
                "gpu_capex_usd ÷ amortization_years ÷ 365 (straight line)"
            } else {
                "gpu_capex_usd × r ÷ (1 − (1 + r)^−amortization_years) ÷ 365, r = cost_of_capital"
            };
            step(out, "capex USD/GPU/day", formula, per_gpu);
            step(
                out,
                "GPU-hour equivalent USD",
                "capex USD/GPU/day ÷ 24",
                per_gpu / 24.0,
            );
            step(
                out,
                "compute USD/day",
                "GPUs × capex USD/GPU/day (capex_usd_per_day)",
                b.compute_cost_usd_per_day,
            );
        }
    }
    step(
        out,
        "energy kWh/day",
        "GPUs × gpu_power_w × power_draw_fraction × pue × 24 h ÷ 1000",
        b.energy_kwh_per_day,
    );
    step(
        out,
        "energy USD/day",
        "kWh/day × electricity_usd_per_kwh",
        b.energy_cost_usd_per_day,
    );
    step(
        out,
        "other opex USD/day",
        "other_opex_usd_per_day",
        b.other_opex_usd_per_day,
    );
    step(
        out,
        "daily_cost_usd",
        "compute + energy + other opex",
        b.daily_cost_usd,
    );
    step(
        out,
        "cost_per_query_usd",
        "daily cost ÷ queries_per_day",
        b.daily_cost_usd / queries,
    );
    step(
        out,
        "cost_per_million_tokens_usd",
        "daily cost ÷ tokens/day × 1e6",
        b.daily_cost_usd / b.tokens_per_day * 1e6,
    );
    step(
        out,
        "wh_per_query",
        "kWh/day × 1000 ÷ queries_per_day",
        b.energy_kwh_per_day * 1000.0 / queries,
    );
    out.push_str("\ncarbon and water\n");
    step(
        out,
        "kg_co2_per_day",
        "kWh/day × grid_kg_co2_per_kwh",
        b.kg_co2_per_day,
    );
    step(
        out,
        "g_co2_per_query",
        "kg CO2/day × 1000 ÷ queries_per_day",
        b.kg_co2_per_day * 1000.0 / queries,
    );
    step(
        out,
        "water_l_per_day",
        "kWh/day ÷ pue × wue_l_per_kwh (IT energy × on-site water use)",
        b.water_l_per_day,
    );
}

fn step(out: &mut String, label: &str, formula: &str, value: f64) {
    let _ = writeln!(out, "  {label:<28} = {:<14} {formula}", fmt(value));
}

/// 6 significant digits, plain or scientific.
fn fmt(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e7 || x.abs() < 1e-3) {
        format!("{x:.5e}")
    } else {
        let text = format!("{x:.6}");
        let trimmed = text.trim_end_matches('0').trim_end_matches('.');
        trimmed.to_string()
    }
}
