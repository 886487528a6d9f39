use super::spearman::{average_ranks, correlations, fisher_interval, spearman};
use super::*;
use crate::engine::simulate;

/// A FLOPs-path scenario in which `gpu_hour_usd` (uniform 1–10) dominates the daily cost,
/// `utilization` matters a little, and `pue` matters not at all (electricity costs nothing).
const DOMINATED: &str = r#"
gpu = "h100-sxm"
[inputs]
queries_per_day = 1e8
output_tokens_per_query = 1000
active_params_b = 100
mfu = 0.3
utilization = { dist = "uniform", min = 0.48, max = 0.52 }
gpu_hour_usd = { dist = "uniform", min = 1.0, max = 10.0 }
pue = { dist = "uniform", min = 1.1, max = 1.4 }
electricity_usd_per_kwh = 0
"#;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, "test.toml", "test", &[]).unwrap()
}

fn options(methods: &[Method], samples: usize) -> Options {
    Options {
        samples,
        seed: 7,
        confidence: 0.95,
        methods: methods.to_vec(),
        metrics: vec![Metric::DailyCostUsd],
        resamples: 50,
        correlated_inputs: false,
    }
}

fn value(report: &SensitivityReport, input: &str, method: Method, statistic: &str) -> f64 {
    report
        .results
        .iter()
        .find(|e| e.input == input && e.method == method && e.statistic == statistic)
        .unwrap_or_else(|| panic!("no {statistic} of {input}"))
        .value
}

#[test]
fn average_ranks_share_ties() {
    assert_eq!(
        average_ranks(&[10.0, 20.0, 20.0, 30.0, 20.0]),
        vec![1.0, 3.0, 3.0, 5.0, 3.0]
    );
    assert_eq!(average_ranks(&[0.0, -1.5, -0.0]), vec![2.5, 1.0, 2.5]);
    assert_eq!(average_ranks(&[]), Vec::<f64>::new());
}

#[test]
fn spearman_matches_hand_computed_examples() {
    // No ties: ρ = 1 − 6 Σd² / (n(n² − 1)) = 1 − 6·4 / 120 = 0.8.
    let rho = spearman(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 1.0, 4.0, 3.0, 5.0]);
    assert!((rho - 0.8).abs() < 1e-15, "{rho}");
    // Ties: ranks (1, 2.5, 2.5, 4) and (1, 3, 2, 4); ρ = 4.5 / √(4.5 · 5) = 3 / √10.
    let rho = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0]);
    assert!((rho - 3.0 / 10f64.sqrt()).abs() < 1e-15, "{rho}");
    assert!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_nan());
}

#[test]
fn spearman_is_one_under_a_monotone_transform() {
    let x: Vec<f64> = (0..2000)
        .map(|i| ((i * 7919) % 2000) as f64 / 100.0)
        .collect();
    let up: Vec<f64> = x.iter().map(|v| v.exp().powi(3) + 5.0).collect();
    let down: Vec<f64> = x.iter().map(|v| -v.sqrt()).collect();
    assert_eq!(spearman(&x, &up), 1.0);
    assert_eq!(spearman(&x, &down), -1.0);
    assert_eq!(fisher_interval(1.0, 2000, 0.95), (1.0, 1.0));
}

#[test]
fn fisher_interval_uses_fiellers_standard_error() {
    // tanh(atanh(0.5) ± 1.959964 · √(1.06 / 100)), computed independently.
    let (low, high) = fisher_interval(0.5, 103, 0.95);
    assert!((low - 0.334_170_324_792_377_85).abs() < 1e-12, "{low}");
    assert!((high - 0.635_802_824_228_774_5).abs() < 1e-12, "{high}");
    assert!(fisher_interval(0.5, 3, 0.95).0.is_nan());
}

#[test]
fn correlations_skip_constants_and_find_the_dominant_input() {
    let s = scenario(DOMINATED);
    let run = simulate(&s, 20_000, 1, true);
    let found = correlations(&s, &run, &[Metric::DailyCostUsd], 0.95);
    let names: Vec<&str> = found.iter().map(|c| c.input.name()).collect();
    assert_eq!(names, ["utilization", "gpu_hour_usd", "pue"]);
    let price = found[1];
    assert!(price.rho > 0.95 && price.ci_low < price.rho && price.rho < price.ci_high);
    assert!(found[2].rho.abs() < 0.03, "pue: {}", found[2].rho);
}

#[test]
fn top_drivers_use_a_prefix_of_the_run() {
    let s = scenario(DOMINATED);
    let top = top_drivers(&s, 300_000, 1, Metric::DailyCostUsd, 0.95, None);
    assert_eq!(top.samples, spearman::TOP_DRIVERS_SAMPLES);
    assert!(top.note.contains("first 100000"), "{}", top.note);
    assert_eq!(top.drivers[0].input, "gpu_hour_usd");
    assert_eq!(top.drivers.len(), 3);
    // The prefix is exactly the run's first samples (prefix stability), so a kept run of that
    // size gives the same answer.
    let run = simulate(&s, spearman::TOP_DRIVERS_SAMPLES, 1, true);
    let kept = top_drivers(&s, 100_000, 1, Metric::DailyCostUsd, 0.95, Some(&run));
    assert_eq!(kept.drivers, top.drivers);
}

#[test]
fn tornado_puts_the_dominant_input_first_with_exact_values() {
    let s = scenario(DOMINATED);
    let report = analyze(&s, &options(&[Method::Tornado], 100)).unwrap();
    let order: Vec<&str> = report
        .results
        .iter()
        .filter(|e| e.statistic == "swing")
        .map(|e| e.input)
        .collect();
    assert_eq!(order, ["gpu_hour_usd", "utilization", "pue"]);
    // Cost is linear in the price: at P10 (1.9) and P90 (9.1) it scales the median cost (5.5).
    let base = report.metrics[0].at_medians;
    let low = value(&report, "gpu_hour_usd", Method::Tornado, "low");
    let high = value(&report, "gpu_hour_usd", Method::Tornado, "high");
    assert!(
        (low - base * 1.9 / 5.5).abs() < 1e-6 * base,
        "{low} vs {base}"
    );
    assert!(
        (high - base * 9.1 / 5.5).abs() < 1e-6 * base,
        "{high} vs {base}"
    );
    let swing = value(&report, "gpu_hour_usd", Method::Tornado, "swing");
    assert_eq!(swing, (high - low).abs());
    assert_eq!(value(&report, "pue", Method::Tornado, "swing"), 0.0);
    assert!(report.results.iter().all(|e| e.ci_low.is_none()));
}

#[test]
fn width_shrink_is_large_for_a_driver_and_zero_for_an_input_that_does_not_matter() {
    let s = scenario(DOMINATED);
    let report = analyze(&s, &options(&[Method::Width], 20_000)).unwrap();
    let pct = |input| value(&report, input, Method::Width, "shrink_pct");
    assert!(pct("gpu_hour_usd") > 80.0, "{}", pct("gpu_hour_usd"));
    // Common random numbers: pinning pue changes nothing else, and pue does not enter the cost.
    assert_eq!(pct("pue"), 0.0);
    assert!(pct("utilization").abs() < 10.0, "{}", pct("utilization"));
    let e = report
        .results
        .iter()
        .find(|e| e.input == "gpu_hour_usd" && e.statistic == "shrink")
        .unwrap();
    assert!(e.ci_low.unwrap() < e.value && e.value < e.ci_high.unwrap());
    let base_width = report.metrics[0].band_width.unwrap();
    let pinned = value(&report, "gpu_hour_usd", Method::Width, "pinned_width");
    assert!((base_width - pinned - e.value).abs() < 1e-6 * base_width);
}

#[test]
fn resampled_widths_equal_widths_of_the_gathered_resample() {
    // Whole numbers up to ~18 000 (many ties), with and without non-finite values; 5,000
    // samples resample each one, 70,001 resample blocks of 2 (and a last block of 1).
    for samples in [5000, 70_001] {
        let mut state = 1u64;
        let finite: Vec<f64> = (0..samples)
            .map(|_| (crate::rng::splitmix64(&mut state) as f64 / 1e15).floor())
            .collect();
        let mut holes = finite.clone();
        holes.iter_mut().step_by(97).for_each(|x| *x = f64::NAN);
        let bootstrap = bootstrap::Bootstrap {
            resamples: 5,
            seed: 3,
            level: 0.95,
        };
        let resamples = width::Resamples::new(&bootstrap, finite.len());
        for column in [finite, holes] {
            let sorted = width::Sorted::new(&column);
            for r in 0..5 {
                let table = resamples.table(r);
                let weight = |j: usize| resamples.weight(&table, j);
                let gathered: Vec<f64> = (0..column.len())
                    .flat_map(|j| std::iter::repeat_n(column[j], weight(j)))
                    .collect();
                if column.iter().all(|x| x.is_finite()) {
                    assert_eq!(resamples.totals[r], gathered.len());
                }
                assert_eq!(
                    sorted.resampled_width(weight, resamples.totals[r]),
                    width::band_width(&gathered)
                );
            }
        }
    }
}

#[test]
fn sobol_on_the_model_gives_the_one_uncertain_input_everything() {
    let text = DOMINATED
        .replace("{ dist = \"uniform\", min = 0.48, max = 0.52 }", "0.5")
        .replace("{ dist = \"uniform\", min = 1.1, max = 1.4 }", "1.2");
    let s = scenario(&text);
    let report = analyze(&s, &options(&[Method::Sobol], 20_000)).unwrap();
    assert_eq!(report.results.len(), 2);
    let first = value(&report, "gpu_hour_usd", Method::Sobol, "first_order");
    let total = value(&report, "gpu_hour_usd", Method::Sobol, "total");
    assert!(
        (first - 1.0).abs() < 0.05 && (total - 1.0).abs() < 0.05,
        "{first} {total}"
    );
    let design = report.sobol.as_ref().unwrap();
    assert_eq!((design.evaluations, design.rows_dropped), (20_000 * 3, 0));
}

#[test]
fn sobol_warns_when_inputs_are_correlated() {
    let s = scenario(DOMINATED);
    let mut opts = options(&[Method::Sobol], 1000);
    assert!(analyze(&s, &opts).unwrap().warnings.is_empty());
    opts.correlated_inputs = true;
    let warnings = analyze(&s, &opts).unwrap().warnings;
    assert!(
        warnings[0].contains("assume independent inputs"),
        "{warnings:?}"
    );
}

#[test]
fn every_method_names_its_statistics_and_is_thread_count_independent() {
    let s = Scenario::default_scenario(&[]).unwrap();
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut report = pool
            .install(|| analyze(&s, &options(&Method::ALL, 5000)))
            .unwrap();
        report.elapsed_s = 0.0;
        report.threads = 0;
        report
    };
    let one = run(1);
    assert_eq!(one, run(2));
    // The default scenario's 12 serving inputs, 3 line-item rates and 2 training inputs.
    let uncertain = 17;
    for (method, statistics) in [
        (Method::Spearman, vec!["rho"]),
        (Method::Tornado, vec!["low", "high", "swing"]),
        (Method::Sobol, vec!["first_order", "total"]),
        (Method::Width, vec!["shrink", "shrink_pct", "pinned_width"]),
    ] {
        for statistic in statistics {
            let count = one
                .results
                .iter()
                .filter(|e| e.method == method && e.statistic == statistic)
                .count();
            assert_eq!(count, uncertain, "{method:?} {statistic}");
        }
    }
    assert_eq!(one.inputs.len(), uncertain);
}

#[test]
fn fisher_intervals_cover_the_population_spearman_rho_about_95_percent_of_the_time() {
    // Bivariate normal with correlation r: Spearman's ρ is (6/π)·asin(r/2) (Pearson 1907).
    let r: f64 = 0.6;
    let truth = 6.0 / std::f64::consts::PI * (r / 2.0).asin();
    let normal =
        crate::dist::Dist::new(crate::dist::Kind::Normal { mean: 0.0, sd: 1.0 }, None).unwrap();
    let (n, trials) = (500, 2000);
    let covered = (0..trials)
        .filter(|trial| {
            let z = sobol::independent_columns(&[normal.clone(), normal.clone()], n, *trial);
            let y: Vec<f64> = z[0]
                .iter()
                .zip(&z[1])
                .map(|(a, b)| r * a + (1.0 - r * r).sqrt() * b)
                .collect();
            let (low, high) = fisher_interval(spearman(&z[0], &y), n, 0.95);
            low <= truth && truth <= high
        })
        .count();
    // Binomial(2000, 0.95) lies in [1870, 1930] with probability ≈ 0.998 (measured: 1909).
    assert!((1870..=1930).contains(&covered), "{covered} of {trials}");
}

#[test]
fn tornado_and_sobol_use_the_scenarios_own_model_regression() {
    // Tornado and Sobol once evaluated an average-provisioning, rented model on the scenario's
    // path, which has no owned-GPU price or peak-hour provisioning: owned-fleet came out NaN
    // throughout. That path-only model is no longer public.
    for name in ["owned-fleet", "chatgpt-2025", "selfhost-70b"] {
        let s = Scenario::load(name, &[]).unwrap();
        let model = s.model();
        let median = model.evaluate(&tornado::median_row(&s)).outputs;
        let t = tornado::tornado(&s);
        let daily = Metric::DailyCostUsd.index();
        assert!(
            t.base[daily].is_finite() && t.base[daily] > 0.0,
            "{name}: {}",
            t.base[daily]
        );
        assert_eq!(t.base[daily], median[daily], "{name}");
        assert!(
            t.bars
                .iter()
                .all(|b| b.low[daily].is_finite() && b.high[daily].is_finite()),
            "{name}"
        );
        let report = analyze(&s, &options(&[Method::Sobol], 2000)).unwrap();
        let totals: Vec<f64> = report
            .results
            .iter()
            .filter(|e| e.statistic == "total")
            .map(|e| e.value)
            .collect();
        assert!(
            !totals.is_empty() && totals.iter().all(|v| v.is_finite()),
            "{name}: {totals:?}"
        );
        assert!(
            totals.iter().any(|v| *v > 0.05),
            "{name}: no input matters? {totals:?}"
        );
    }
}

#[test]
fn a_pinned_run_reevaluated_from_the_baseline_is_the_pinned_run_drawn_again() {
    let s = scenario(DOMINATED);
    // 40,000 samples: two full chunks and a partial one.
    let baseline = simulate(&s, 40_000, 11, true);
    for resolved in s.uncertain_inputs() {
        let median = resolved.dist.median();
        let pinned = s.with_input_pinned(resolved.input, median).unwrap();
        let drawn = simulate(&pinned, 40_000, 11, false);
        let reused = crate::engine::reevaluate_pinned(&pinned, &baseline, (resolved.input, median))
            .expect("the baseline kept its inputs");
        assert_eq!(reused.metrics, drawn.metrics, "{}", resolved.input.name());
        assert_eq!(
            (reused.rejected, reused.clamped),
            (drawn.rejected, drawn.clamped)
        );
    }
    // Without kept inputs there is nothing to re-evaluate.
    let bare = simulate(&s, 100, 11, false);
    let input = s.uncertain_inputs().next().unwrap().input;
    assert!(crate::engine::reevaluate_pinned(&s, &bare, (input, 1.0)).is_none());
}
