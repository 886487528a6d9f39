//! `costbands list`: presets, GPUs, inputs, metrics and distribution kinds.

use crate::dist::FORMS;
use crate::model::{hardware::Catalog, Input, InputDefault, Metric, Per};
use crate::scenario::PRESETS;
use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
pub(super) struct ListArgs {
    /// What to list (everything when omitted)
    #[arg(value_enum)]
    what: Option<What>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum What {
    Presets,
    Gpus,
    Inputs,
    Metrics,
    Dists,
}

pub(super) fn list(args: ListArgs) -> anyhow::Result<()> {
    let all = args.what.is_none();
    let wants = |what| all || args.what == Some(what);
    let mut sections = Vec::new();
    if wants(What::Presets) {
        sections.push(presets());
    }
    if wants(What::Gpus) {
        sections.push(gpus());
    }
    if wants(What::Inputs) {
        sections.push(inputs());
    }
    if wants(What::Metrics) {
        sections.push(metrics());
    }
    if wants(What::Dists) {
        sections.push(dists());
    }
    super::print(&sections.join("\n"))
}

fn presets() -> String {
    let mut out = String::from("presets (costbands run NAME):\n");
    for preset in PRESETS {
        let description = toml::from_str::<toml::Table>(preset.text)
            .ok()
            .and_then(|t| {
                t.get("description")
                    .and_then(|d| d.as_str().map(String::from))
            })
            .unwrap_or_default();
        out.push_str(&format!("  {:<30} {description}\n", preset.name));
    }
    out
}

fn gpus() -> String {
    let mut out = String::from(
        "gpus (gpu = \"ID\"; fills peak_tflops, gpu_power_w, hbm_tb_s and gpu_memory_gb):\n  \
         id                dense BF16 TFLOP/s  memory GB  HBM TB/s  TDP W  W/GPU with server  rental USD/h          purchase USD\n",
    );
    for (id, gpu) in Catalog::builtin().iter() {
        out.push_str(&format!(
            "  {id:<17} {:>18}  {:>9}  {:>8}  {:>5}  {:>17}  {:<20}  {}\n",
            gpu.peak_tflops,
            gpu.memory_gb,
            gpu.hbm_tb_s,
            gpu.tdp_w,
            gpu.gpu_power_w,
            format!(
                "{}-{} ({})",
                gpu.rental_usd_per_hour[0], gpu.rental_usd_per_hour[1], gpu.rental_as_of
            ),
            match (&gpu.purchase_usd, &gpu.purchase_as_of) {
                (Some([low, high]), Some(when)) => format!("{low}-{high} ({when})"),
                _ => "-".to_string(),
            }
        ));
    }
    out
}

fn inputs() -> String {
    let mut out = String::from("inputs ([inputs] in a scenario file):\n");
    for input in Input::ALL {
        let info = input.info();
        let default = match info.default {
            InputDefault::Required => "needed by its path".to_string(),
            InputDefault::Value(value) => format!("default {value}"),
            InputDefault::SameAs(other) => format!("default: same as {}", other.name()),
            InputDefault::Derived(how) => format!("absent: {how}"),
        };
        out.push_str(&format!(
            "  {:<25} {:<13} {} ({}; {default})\n",
            info.name,
            info.unit,
            info.meaning,
            info.domain.describe()
        ));
    }
    out.push_str(
        "line items ([[costs]] in a scenario file, each with name, per, usd and an optional note;\n\
         usd takes every distribution form; --set, --vary and [[correlations]] call it costs.<name>):\n",
    );
    for per in Per::ALL {
        out.push_str(&format!(
            "  per = {:<21} usd in {:<16} USD/day = {}\n",
            format!("\"{}\"", per.name()),
            per.rate_unit(),
            per.formula()
        ));
    }
    out
}

fn metrics() -> String {
    let mut out = String::from("metrics:\n");
    for metric in Metric::ALL {
        out.push_str(&format!(
            "  {:<28} {:<9} {}\n",
            metric.name(),
            metric.unit(),
            metric.meaning()
        ));
    }
    out.push_str(&format!(
        "  {:<28} {:<9} one per line item: its usd × its per quantity; part of daily_cost_usd\n",
        "cost_<item>_usd_per_day", "USD/day"
    ));
    out
}

fn dists() -> String {
    let mut out = String::from(
        "distributions (any may add truncate = [lo, hi]):\n  \
         constant    a number, e.g. 0.5\n  \
         \"a to b\"    lognormal with P5 = a and P95 = b, e.g. \"1000 to 3000\"\n",
    );
    for (kind, forms) in FORMS {
        let forms: Vec<String> = forms
            .iter()
            .map(|f| format!("{{{}}}", f.join(", ")))
            .collect();
        out.push_str(&format!("  {kind:<11} {}\n", forms.join(" or ")));
    }
    out
}
