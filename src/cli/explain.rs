//! `costbands explain`: the model's chain, step by step, with every input at its median.

use crate::model::{self, Breakdown, Input, Path, Row, N_INPUTS, SECONDS_PER_DAY};
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
    let mut row: Row = [f64::NAN; N_INPUTS];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} path, every input at its median\n\ninputs",
        scenario.name(),
        scenario.path().name()
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
    let b = model::breakdown(scenario.path(), &row);
    let v = |input: Input| row[input as usize];
    out.push_str("\ndemand\n");
    step(
        &mut out,
        "tokens/day",
        "queries_per_day × (input + output tokens per query)",
        b.tokens_per_day,
    );
    busy_steps(&mut out, scenario.path(), &row, &b);
    out.push_str("\nfleet\n");
    match scenario.path() {
        Path::Fleet => step(&mut out, "GPUs (given)", "fleet_gpus", b.gpus_exact),
        _ => step(
            &mut out,
            "GPUs, exact",
            "busy GPU-s ÷ (86 400 × utilization)",
            b.gpus_exact,
        ),
    }
    step(
        &mut out,
        "GPUs",
        &format!("rounded up to whole servers of {}", v(Input::GpusPerServer)),
        b.gpus,
    );
    cost_steps(&mut out, &row, &b);
    out.push_str(
        "\nThe result of the medians is not the median of the result: `costbands run` gives the bands.\n",
    );
    out
}

fn busy_steps(out: &mut String, path: Path, row: &Row, b: &Breakdown) {
    let v = |input: Input| row[input as usize];
    let _ = writeln!(out, "\nbusy GPU time ({} path)", path.name());
    match path {
        Path::Fleet => step(
            out,
            "busy GPU-s/day",
            "fleet_gpus × 86 400 × utilization",
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
    }
    let _ = SECONDS_PER_DAY;
}

fn cost_steps(out: &mut String, row: &Row, b: &Breakdown) {
    let queries = row[Input::QueriesPerDay as usize];
    out.push_str("\ncost\n");
    step(
        out,
        "compute USD/day",
        "GPUs × 24 h × gpu_hour_usd",
        b.compute_cost_usd_per_day,
    );
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
    step(out, "daily_cost_usd", "compute + energy", b.daily_cost_usd);
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
