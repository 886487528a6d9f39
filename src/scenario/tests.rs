use super::*;
use crate::dist::Kind;
use crate::model::hardware::Catalog;

const BASE: &str = r#"
gpu = "a100-sxm4-80gb"
[inputs]
queries_per_day = 195e6
output_tokens_per_query = "1000 to 3000"
active_params_b = 175
mfu = 0.35
utilization = { dist = "beta", mean = 0.5, sd = 0.1 }
gpu_hour_usd = { dist = "triangular", min = 0.8, mode = 1.0, max = 2.0 }
electricity_usd_per_kwh = 0.08
[sampling]
samples = 1000
seed = 7
"#;

fn load(text: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_toml(text, "x.toml", "x", &[])
}

fn error(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

fn with_input(line: &str) -> String {
    BASE.replace("[inputs]\n", &format!("[inputs]\n{line}\n"))
}

#[test]
fn the_documented_example_resolves() {
    let s = load(BASE).unwrap();
    assert_eq!(s.name(), "x");
    assert_eq!(s.path(), crate::model::Path::Flops);
    assert_eq!(s.sampling().samples, Some(1000));
    let peak = s.input(Input::PeakTflops).unwrap();
    assert_eq!(
        (peak.dist.as_constant(), peak.origin),
        (Some(312.0), InputOrigin::Gpu)
    );
    // Left out, prefill_mfu is mfu in every sample: not an input of its own.
    assert!(s.input(Input::PrefillMfu).is_none());
    assert_eq!(s.input(Input::Pue).unwrap().dist.as_constant(), Some(1.2));
    assert_eq!(s.sha256().len(), 64);
    assert!(s.input(Input::FleetGpus).is_none());
}

#[test]
fn path_is_chosen_by_the_inputs_given() {
    let s = load(&with_input("output_tokens_per_gpu_s = 2.5")).unwrap();
    assert_eq!(
        s.path(),
        crate::model::Path::Throughput { prompt_rate: false }
    );
    assert!(s
        .warnings()
        .iter()
        .any(|w| w.contains("inputs.mfu is not used")));
    let s = load(&with_input("fleet_gpus = 1000")).unwrap();
    assert_eq!(s.path(), crate::model::Path::Fleet);
}

#[test]
fn errors_name_the_file_the_field_and_the_fix() {
    let message = error(&with_input("utilisation = 0.5"));
    assert!(
        message.starts_with("x.toml: inputs.utilisation: unknown input"),
        "{message}"
    );
    assert!(message.contains("did you mean `utilization`"), "{message}");
    let message = error(&BASE.replace("mean = 0.5, sd", "mean = 1.3, sd"));
    assert!(
        message.contains("inputs.utilization: beta mean 1.3 is outside (0, 1)"),
        "{message}"
    );
    let message = error(&BASE.replace("utilization = {", "utilization = 0\nx = {"));
    assert!(
        message.contains("x.toml: inputs.x: unknown input"),
        "{message}"
    );
    let message = error(&BASE.replace("gpu = \"a100-sxm4-80gb\"", "gpu = \"a100\""));
    assert!(
        message.contains("x.toml: gpu: unknown GPU \"a100\""),
        "{message}"
    );
    let message = error(&BASE.replace("mfu = 0.35\n", ""));
    assert!(
        message.contains("inputs.mfu: missing") && message.contains("output_tokens_per_gpu_s"),
        "{message}"
    );
}

#[test]
fn out_of_domain_values_are_rejected() {
    let message = error(&BASE.replace("mfu = 0.35", "mfu = 0"));
    assert!(
        message.contains("inputs.mfu: 0 is out of range: mfu must be in (0, 1]"),
        "{message}"
    );
    let message = error(&BASE.replace("mfu = 0.35", "mfu = 1.5"));
    assert!(message.contains("in (0, 1]"), "{message}");
    let message = error(&with_input(
        r#"pue = { dist = "normal", mean = 1.2, sd = 0.05 }"#,
    ));
    assert!(
        message.contains("inputs.pue: normal(mean 1.2, sd 0.05) can fall below 1"),
        "{message}"
    );
    assert!(message.contains("truncate = [1, inf]"), "{message}");
    assert!(load(&with_input(
        r#"pue = { dist = "normal", mean = 1.2, sd = 0.05, truncate = [1, inf] }"#
    ))
    .is_ok());
    let message = error(&with_input("gpus_per_server = 7.5"));
    assert!(message.contains("whole number"), "{message}");
    let message = error(&with_input(
        r#"power_draw_fraction = { dist = "uniform", min = 0.5, max = 1.1 }"#,
    ));
    assert!(message.contains("can fall above 1"), "{message}");
}

#[test]
fn a_fraction_written_as_a_percentage_is_refused_with_the_value_meant() {
    let message = error(&BASE.replace("mfu = 0.35", "mfu = 40"));
    assert!(
        message.ends_with(
            "inputs.mfu: 40 is out of range: mfu must be in (0, 1]; fractions are between 0 \
             and 1: did you mean mfu = 0.4 (or mfu = \"40%\")?"
        ),
        "{message}"
    );
    let message = error(&with_input(
        r#"power_draw_fraction = { dist = "uniform", min = 60, max = 80 }"#,
    ));
    assert!(
        message.contains(
            "a median of 70 looks like a percentage; write percentages as 0.7 or \"70%\""
        ),
        "{message}"
    );
    // Above 100 it is no percentage: no hint.
    let message = error(&BASE.replace("mfu = 0.35", "mfu = 350"));
    assert!(!message.contains("did you mean"), "{message}");
    let set = Override::parse("utilization=40").unwrap();
    let message = Scenario::from_toml(BASE, "x.toml", "x", &[set])
        .unwrap_err()
        .to_string();
    assert!(
        message.ends_with("did you mean --set 'utilization=0.4' (or --set 'utilization=40%')?"),
        "{message}"
    );
}

#[test]
fn numbers_as_people_write_them_are_read_per_input() {
    let scenario = load(
        &BASE
            .replace("queries_per_day = 195e6", "queries_per_day = \"195M\"")
            .replace("mfu = 0.35", "mfu = \"35%\"")
            .replace(
                "electricity_usd_per_kwh = 0.08",
                "electricity_usd_per_kwh = \"$0.08\"",
            ),
    )
    .unwrap();
    let constant = |input: Input| {
        scenario
            .inputs()
            .iter()
            .find(|r| r.input == input)
            .and_then(|r| r.dist.as_constant())
    };
    assert_eq!(constant(Input::QueriesPerDay), Some(195e6));
    assert_eq!(constant(Input::Mfu), Some(0.35));
    assert_eq!(constant(Input::ElectricityUsdPerKwh), Some(0.08));
    for (from, to, needle) in [
        (
            "active_params_b = 175",
            "active_params_b = \"175B\"",
            "already in 1e9 params",
        ),
        (
            "queries_per_day = 195e6",
            "queries_per_day = \"$195M\"",
            "not in US dollars",
        ),
        (
            "queries_per_day = 195e6",
            "queries_per_day = \"195m\"",
            "milli",
        ),
    ] {
        let message = error(&BASE.replace(from, to));
        assert!(message.contains(needle), "{to}: {message}");
    }
    let message = error(&with_input("pue = \"120%\""));
    assert!(
        message.contains("inputs.pue: \"120%\" has a `%`"),
        "{message}"
    );
}

#[test]
fn sampling_numbers_are_read_as_people_write_them() {
    let sampling = |lines: &str| BASE.replace("samples = 1000\nseed = 7\n", lines);
    let scenario = load(&sampling(
        "samples = 1e6\nseed = \"1_000\"\nconfidence = \"90%\"\npercentiles = [5, \"50\", 99.9]\nreplicates = \"1e1\"\n",
    ))
    .unwrap();
    let settings = scenario.sampling();
    assert_eq!(settings.samples, Some(1_000_000));
    assert_eq!(settings.seed, Some(1000));
    assert_eq!(settings.confidence, Some(0.9));
    assert_eq!(settings.percentiles, Some(vec![5.0, 50.0, 99.9]));
    assert_eq!(settings.replicates, Some(10));
    assert_eq!(
        load(&sampling("samples = \"20M\"\n"))
            .unwrap()
            .sampling()
            .samples,
        Some(20_000_000)
    );
    for (lines, needle) in [
        (
            "samples = 2.5\n",
            "x.toml: sampling.samples: \"2.5\" is not a whole number",
        ),
        ("samples = \"1.5m\"\n", "sampling.samples: \"1.5m\" has `m`"),
        ("samples = -3\n", "sampling.samples: \"-3\" is negative"),
        ("samples = 0\n", "sampling.samples: must be at least 1"),
        (
            "samples = true\n",
            "sampling.samples: must be a whole number",
        ),
        (
            "samples = 1e300\n",
            "sampling.samples: \"1e300\" is too large",
        ),
        (
            "samples = nan\n",
            "sampling.samples: \"NaN\" is not a finite number",
        ),
        ("confidence = 95\n", "did you mean 0.95 (or 95%)?"),
        ("percentiles = [\"95%\"]\n", "already in percent"),
        (
            "replicates = 1e10\n",
            "sampling.replicates: must be at most 4294967295",
        ),
    ] {
        let message = error(&sampling(lines));
        assert!(message.contains(needle), "{lines}: {message}");
    }
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let message = error("[inputs]\nqueries_per_day = = 3\n");
    assert!(
        message.starts_with("x.toml: ") && message.contains("line 2"),
        "{message}"
    );
    let message = error("nmae = \"x\"\n[inputs]\n");
    assert!(message.contains("unknown field `nmae`"), "{message}");
    let message = error(&BASE.replace("seed = 7", "sede = 7"));
    assert!(message.contains("unknown field `sede`"), "{message}");
}

#[test]
fn overrides_replace_inputs_and_are_validated() {
    let set = |text: &str| Override::parse(text).unwrap();
    let s = Scenario::from_toml(
        BASE,
        "x.toml",
        "x",
        &[set("mfu=0.5"), set("output_tokens_per_query=500 to 2000")],
    )
    .unwrap();
    let mfu = s.input(Input::Mfu).unwrap();
    assert_eq!(
        (mfu.dist.as_constant(), mfu.origin),
        (Some(0.5), InputOrigin::Set)
    );
    assert!(matches!(
        s.input(Input::OutputTokensPerQuery).unwrap().dist.kind(),
        Kind::LogNormal { .. }
    ));
    let s = Scenario::from_toml(
        BASE,
        "x.toml",
        "x",
        &[
            set(r#"gpu_hour_usd={ dist = "uniform", min = 1, max = 2 }"#),
            set("gpu=h100-sxm"),
        ],
    )
    .unwrap();
    assert_eq!(s.gpu().unwrap().0, "h100-sxm");
    assert!(matches!(
        s.input(Input::GpuHourUsd).unwrap().dist.kind(),
        Kind::Uniform { .. }
    ));
    let message = Scenario::from_toml(BASE, "x.toml", "x", &[set("mfu=2")])
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("x.toml: inputs.mfu") || message.starts_with("--set"),
        "{message}"
    );
    let message = Scenario::from_toml(BASE, "x.toml", "x", &[set("mfux=2")])
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("--set: inputs.mfux: unknown input"),
        "{message}"
    );
    assert!(Override::parse("mfu").is_err());
}

#[test]
fn every_preset_is_valid() {
    for preset in PRESETS {
        let s = Scenario::load(preset.name, &[]).unwrap_or_else(|e| panic!("{}: {e}", preset.name));
        assert!(
            s.warnings().is_empty(),
            "{}: {:?}",
            preset.name,
            s.warnings()
        );
        assert!(!s.description().is_empty(), "{}", preset.name);
    }
}

#[test]
fn batch_size_selects_the_roofline_path_and_gpu_fills_its_memory_terms() {
    use crate::model::{Path, Price, Provisioning};
    let text = with_input(
        "batch_size = 32\ntotal_params_b = 70\nkv_bytes_per_token = 327680\ncontext_tokens = 2000\nmbu = 0.7",
    )
    .replace("active_params_b = 175\n", "");
    let s = load(&text).unwrap();
    assert_eq!(
        s.path(),
        Path::Roofline {
            moe: false,
            kv_given: true,
            replica_given: false
        }
    );
    assert_eq!(s.model().provisioning, Provisioning::Average);
    assert_eq!(s.model().price, Price::Rental);
    for (input, value) in [(Input::HbmTbS, 2.039), (Input::GpuMemoryGb, 80.0)] {
        let resolved = s.input(input).unwrap();
        assert_eq!(
            (resolved.dist.as_constant(), resolved.origin),
            (Some(value), InputOrigin::Gpu)
        );
    }
    assert_eq!(
        s.input(Input::BytesPerParam).unwrap().dist.as_constant(),
        Some(2.0)
    );
    assert!(s.warnings().is_empty(), "{:?}", s.warnings());
    // A mixture of experts: active_params_b given beside total_params_b.
    let s = load(&with_input(
        "batch_size = 32\ntotal_params_b = 400\nkv_bytes_per_token = 1e5\ncontext_tokens = 2000\nmbu = 0.7",
    ))
    .unwrap();
    assert!(matches!(s.path(), Path::Roofline { moe: true, .. }));
}

#[test]
fn peak_inputs_switch_provisioning_and_utilization_goes_unused() {
    use crate::model::Provisioning;
    let s = load(&with_input("peak_to_average = 2\ntarget_utilization = 0.8")).unwrap();
    assert_eq!(s.model().provisioning, Provisioning::Peak);
    assert!(s.input(Input::Utilization).is_none());
    assert!(s
        .warnings()
        .iter()
        .any(|w| w.contains("inputs.utilization is not used") && w.contains("busiest hour")));
    let s = load(&with_input("on_infeasible_is_not_an_input = 1"));
    assert!(s.is_err());
    let s = load(&BASE.replace("[inputs]", "on_infeasible = \"clamp\"\n[inputs]")).unwrap();
    assert!(s.warnings()[0].contains("on_infeasible has no effect on the flops path"));
}

#[test]
fn a_scenario_infeasible_at_its_medians_is_flagged() {
    let text = with_input(
        "batch_size = 512\ntotal_params_b = 175\nkv_bytes_per_token = 1e6\ncontext_tokens = 8000\nmbu = 0.7\ngpus_per_replica = 8",
    );
    let s = load(&text).unwrap();
    assert!(
        s.warnings()
            .iter()
            .any(|w| w.contains("with every input at its median the sample is infeasible")),
        "{:?}",
        s.warnings()
    );
}

#[test]
fn pinning_an_input_replaces_only_that_input() {
    let s = load(BASE).unwrap();
    let pinned = s.with_input_pinned(Input::GpuHourUsd, 1.2).unwrap();
    let price = pinned.input(Input::GpuHourUsd).unwrap();
    assert_eq!(
        (price.dist.as_constant(), price.origin),
        (Some(1.2), InputOrigin::Pinned)
    );
    assert_eq!(pinned.inputs().len(), s.inputs().len());
    for (a, b) in s.inputs().iter().zip(pinned.inputs()) {
        if a.input != Input::GpuHourUsd {
            assert_eq!((a.input, a.origin), (b.input, b.origin));
        }
    }
}

#[test]
fn pinning_checks_the_input_and_its_domain() {
    let s = load(BASE).unwrap();
    let unread = s.with_input_pinned(Input::FleetGpus, 10.0).unwrap_err();
    assert!(
        unread.to_string().contains("flops path does not read it"),
        "{unread}"
    );
    let outside = s.with_input_pinned(Input::Utilization, 1.5).unwrap_err();
    assert!(
        outside.to_string().contains("inputs.utilization"),
        "{outside}"
    );
}

#[test]
fn suggested_mfu_and_utilization_are_the_presets_sourced_values_regression() {
    use super::advice::{MFU_EXAMPLE, UTILIZATION_EXAMPLE};
    let preset = Scenario::load("chatgpt-class", &[]).unwrap();
    for (input, example) in [
        (Input::Mfu, MFU_EXAMPLE),
        (Input::Utilization, UTILIZATION_EXAMPLE),
    ] {
        let set = Override::parse(&format!("{}={example}", input.name())).unwrap();
        let suggested = Scenario::load("chatgpt-class", &[set]).unwrap();
        let (a, b) = (
            preset.input(input).unwrap(),
            suggested.input(input).unwrap(),
        );
        assert_eq!(a.dist.kind(), b.dist.kind(), "{input:?}");
    }
    // A scenario without mfu is told the sourced value, not twice it.
    let text = BASE.replace("mfu = ", "# mfu = ");
    let message = load(&text).unwrap_err().to_string();
    assert!(message.contains("mean = 0.20"), "{message}");
}

fn run_sampling() -> SamplingSettings {
    SamplingSettings {
        samples: Some(1234),
        seed: Some(9),
        percentiles: Some(vec![5.0, 50.0, 97.5]),
        confidence: Some(0.9),
        method: Some(crate::settings::Method::Lhs),
        replicates: Some(4),
    }
}

/// Whether two scenarios draw the same samples: the same model, inputs (distributions and
/// draws), correlations, name and sampling settings.
fn same_run(a: &Scenario, b: &Scenario) -> bool {
    let inputs = |s: &Scenario| -> Vec<(Input, Kind, Option<crate::dist::Truncation>, Draw)> {
        s.inputs()
            .iter()
            .map(|r| (r.input, r.dist.kind().clone(), r.dist.truncation(), r.draw))
            .collect()
    };
    a.name() == b.name()
        && a.model() == b.model()
        && inputs(a) == inputs(b)
        && a.correlation() == b.correlation()
        && a.couple() == b.couple()
        && a.gpu() == b.gpu()
}

#[test]
fn every_preset_resolved_reloads_as_the_same_scenario_and_the_same_text() {
    for preset in PRESETS {
        let original = Scenario::load(preset.name, &[]).unwrap();
        let text = original.resolved_text(&run_sampling());
        let reloaded = Scenario::from_toml(&text, "resolved.toml", "other-stem", &[])
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", preset.name));
        assert!(same_run(&original, &reloaded), "{}\n{text}", preset.name);
        assert_eq!(reloaded.sampling(), &run_sampling(), "{}", preset.name);
        // Written again, it is the same text.
        assert_eq!(
            reloaded.resolved_text(&run_sampling()),
            text,
            "{}",
            preset.name
        );
    }
}

#[test]
fn the_resolved_text_holds_the_overrides_and_the_catalog_entry() {
    let owned = with_input("gpu_capex_usd = 30000\namortization_years = 4");
    let overrides = [
        Override::parse("gpu_hour_usd=1 to 3").unwrap(),
        Override::parse("gpu=h100-sxm").unwrap(),
        Override::parse("utilization=0.6").unwrap(),
    ];
    let scenario = Scenario::from_toml(&owned, "x.toml", "x", &overrides).unwrap();
    let text = scenario.resolved_text(&SamplingSettings::default());
    assert!(text.contains("gpu_hour_usd = \"1 to 3\""), "{text}");
    assert!(text.contains("utilization = 0.6\n"), "{text}");
    assert!(text.contains("gpu = \"h100-sxm\""), "{text}");
    assert!(text.contains("[gpus.h100-sxm]"), "{text}");
    // --set chose renting: the file's capex is not in the text, which is valid on its own.
    assert!(!text.contains("gpu_capex_usd"), "{text}");
    let reloaded = Scenario::from_toml(&text, "r.toml", "r", &[]).unwrap();
    assert!(same_run(&scenario, &reloaded), "{text}");
    // The copied entry, not the built-in catalog, gives the GPU's values.
    let edited = text.replace("peak_tflops = 989.4", "peak_tflops = 500.0");
    assert_ne!(edited, text);
    let reloaded = Scenario::from_toml(&edited, "r.toml", "r", &[]).unwrap();
    let peak = reloaded.input(Input::PeakTflops).unwrap();
    assert_eq!(
        (peak.dist.as_constant(), peak.origin),
        (Some(500.0), InputOrigin::Gpu)
    );
}

#[test]
fn a_gpu_entry_of_the_scenario_s_own_is_found_and_an_unused_one_is_flagged() {
    let entry = Catalog::builtin().get("a100-sxm4-80gb").unwrap().clone();
    let table = toml::Value::try_from(&entry).unwrap().to_string();
    let own = BASE.replace("gpu = \"a100-sxm4-80gb\"", "gpu = \"mine\"")
        + &format!("[gpus]\nmine = {table}\nspare = {table}\n");
    let scenario = load(&own).unwrap();
    assert_eq!(scenario.gpu().unwrap().0, "mine");
    assert_eq!(
        scenario
            .input(Input::PeakTflops)
            .unwrap()
            .dist
            .as_constant(),
        Some(312.0)
    );
    assert!(
        scenario
            .warnings()
            .iter()
            .any(|w| w.starts_with("gpus.spare is not used")),
        "{:?}",
        scenario.warnings()
    );
}
