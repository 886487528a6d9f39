//! `costbands sensitivity`: what drives a metric — Spearman, tornado, Sobol, width shrink.

use super::{Format, SharedArgs};
use crate::export;
use crate::request::{SensitivityOptions, SensitivityRequest};
use crate::sensitivity::Method;
use crate::settings::DEFAULT_RESAMPLES;
use anyhow::Context;
use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
pub(super) struct SensitivityArgs {
    /// Scenario file or preset name [default: the built-in chatgpt-class scenario]
    #[arg(value_name = "FILE")]
    file: Option<String>,
    #[command(flatten)]
    shared: SharedArgs,
    /// Methods, comma-separated
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "spearman,tornado,sobol,width"
    )]
    method: Vec<MethodArg>,
    /// Metrics to analyse, comma-separated, or `all`
    #[arg(long, value_delimiter = ',', default_value = "daily_cost_usd")]
    metric: Vec<String>,
    /// Bootstrap resamples for the Sobol and width intervals
    #[arg(long, default_value_t = DEFAULT_RESAMPLES, value_parser = super::count::<usize>)]
    resamples: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MethodArg {
    /// Spearman rank correlation of each input with the metric
    Spearman,
    /// The metric with each input at its P10 and P90, the others at their medians
    Tornado,
    /// First-order and total-effect Sobol indices
    Sobol,
    /// Shrink of the P5–P95 band when each input is pinned at its median
    Width,
}

impl From<MethodArg> for Method {
    fn from(arg: MethodArg) -> Method {
        match arg {
            MethodArg::Spearman => Method::Spearman,
            MethodArg::Tornado => Method::Tornado,
            MethodArg::Sobol => Method::Sobol,
            MethodArg::Width => Method::Width,
        }
    }
}

impl SensitivityArgs {
    fn options(&self) -> SensitivityOptions {
        SensitivityOptions {
            common: self.shared.common(),
            scenario: self.file.clone(),
            methods: self.method.iter().map(|m| Method::from(*m)).collect(),
            metrics: self.metric.clone(),
            resamples: Some(self.resamples),
        }
    }
}

pub(super) fn sensitivity(args: SensitivityArgs) -> anyhow::Result<()> {
    if args.shared.format == Format::Markdown {
        return Err(super::markdown_is_for_run());
    }
    let request = SensitivityRequest::new(&args.options())?;
    request.output().refuse_existing()?;
    let quiet = args.shared.quiet;
    if !quiet {
        super::print_warnings(request.scenario());
    }
    let report = request.execute()?;
    if !quiet {
        for warning in &report.warnings {
            say!("warning: {}: {warning}", request.scenario().origin());
        }
        let dir = request.output().dir.display();
        let text = match args.shared.format {
            Format::Table => export::render_sensitivity(&report),
            Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
            Format::Csv => super::exported(&export::SensitivityCsv, &report)?,
            Format::Markdown => return Err(super::markdown_is_for_run()),
        };
        super::print(&text)
            .with_context(|| format!("the results are in {dir}, but printing them failed"))?;
        say!("wrote {dir}");
    }
    Ok(())
}
