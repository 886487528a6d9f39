//! Honest intervals: the order-statistic ranks at every sample size, intervals that are open
//! where the sample is too small, coverage at small samples, the table's "±", whole-valued
//! metrics and sums that overflow.

mod common;

use common::{assert_ok, costbands, read, stdout};
use costbands::stats::order::ci_ranks;
use costbands::stats::{summarize_as, PercentileDefinition};
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use rand_distr::{Distribution, LogNormal as LogNormalSampler};
use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, LogNormal};

const LEVEL: f64 = 0.95;

/// `ci_ranks` at and around n = 2²⁵, where statrs' binomial quantile panicked, and at 2²⁶ and
/// 2³⁰. Each pair of 0-based ranks was checked in 40-digit arithmetic (exact summation of the
/// binomial masses, `tests/reference/binomial_ranks.py`): `P(K ≤ lo) < α/2 ≤ P(K ≤ lo + 1)`,
/// `P(K > hi) ≤ α/2 < P(K > hi − 1)`, and for an open lower end `P(K = 0) ≥ α/2`.
#[rustfmt::skip]
const LARGE_N_RANKS: [(usize, f64, Option<usize>, Option<usize>); 30] = [
    (33_554_431, 1e-7, None, Some(7)),
    (33_554_431, 0.01, Some(334_414), Some(336_674)),
    (33_554_431, 0.05, Some(1_675_247), Some(1_680_196)),
    (33_554_431, 0.5, Some(16_771_538), Some(16_782_892)),
    (33_554_431, 0.95, Some(31_874_234), Some(31_879_183)),
    (33_554_431, 0.99, Some(33_217_756), Some(33_220_016)),
    (33_554_432, 1e-7, None, Some(7)),
    (33_554_432, 0.01, Some(334_414), Some(336_674)),
    (33_554_432, 0.05, Some(1_675_247), Some(1_680_196)),
    (33_554_432, 0.5, Some(16_771_538), Some(16_782_893)),
    (33_554_432, 0.95, Some(31_874_235), Some(31_879_184)),
    (33_554_432, 0.99, Some(33_217_757), Some(33_220_017)),
    (33_554_433, 1e-7, None, Some(7)),
    (33_554_433, 0.01, Some(334_414), Some(336_674)),
    (33_554_433, 0.05, Some(1_675_247), Some(1_680_196)),
    (33_554_433, 0.5, Some(16_771_539), Some(16_782_893)),
    (33_554_433, 0.95, Some(31_874_236), Some(31_879_185)),
    (33_554_433, 0.99, Some(33_217_758), Some(33_220_018)),
    (67_108_864, 1e-7, Some(1), Some(12)),
    (67_108_864, 0.01, Some(669_491), Some(672_687)),
    (67_108_864, 0.05, Some(3_351_943), Some(3_358_943)),
    (67_108_864, 0.5, Some(33_546_403), Some(33_562_460)),
    (67_108_864, 0.95, Some(63_749_920), Some(63_756_920)),
    (67_108_864, 0.99, Some(66_436_176), Some(66_439_372)),
    (1_073_741_824, 1e-7, Some(87), Some(128)),
    (1_073_741_824, 0.01, Some(10_731_027), Some(10_743_809)),
    (1_073_741_824, 0.05, Some(53_673_093), Some(53_701_089)),
    (1_073_741_824, 0.5, Some(536_838_799), Some(536_903_024)),
    (1_073_741_824, 0.95, Some(1_020_040_734), Some(1_020_068_730)),
    (1_073_741_824, 0.99, Some(1_062_998_014), Some(1_063_010_796)),
];

#[test]
fn ci_ranks_do_not_panic_at_two_to_the_25_samples_regression() {
    for (n, p, lo, hi) in LARGE_N_RANKS {
        assert_eq!(ci_ranks(n, p, LEVEL), (lo, hi), "n {n}, p {p}");
        // The equal-tailed interval of p and of 1 − p mirror each other.
        let (mirror_lo, mirror_hi) = ci_ranks(n, 1.0 - p, LEVEL);
        if let (Some(lo), Some(mirror_hi)) = (lo, mirror_hi) {
            assert_eq!(lo + mirror_hi, n - 1, "n {n}, p {p}");
        }
        if let (Some(hi), Some(mirror_lo)) = (hi, mirror_lo) {
            assert_eq!(hi + mirror_lo, n - 1, "n {n}, p {p}");
        }
    }
    // Every sample size around the old failure point, at the default percentiles: the ranks
    // exist, are ordered, and move by at most one rank per added sample.
    let percentiles = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];
    let mut previous: Option<Vec<(usize, usize)>> = None;
    for n in (1 << 25) - 3..=(1 << 25) + 3 {
        let ranks: Vec<(usize, usize)> = percentiles
            .iter()
            .map(|p| {
                let (lo, hi) = ci_ranks(n, *p, LEVEL);
                let (lo, hi) = (lo.unwrap(), hi.unwrap());
                assert!(lo < hi && hi < n, "n {n}, p {p}");
                (lo, hi)
            })
            .collect();
        if let Some(previous) = previous {
            for ((lo, hi), (was_lo, was_hi)) in ranks.iter().zip(previous) {
                assert!(*lo - was_lo <= 1 && *hi - was_hi <= 1, "n {n}");
            }
        }
        previous = Some(ranks);
    }
}

/// Where statrs' binomial quantile works, the ranks are the ones the old formula took from
/// it: `l = B⁻¹(α/2)` and `u = B⁻¹(1 − α/2) + 1` (1-based), now `None` instead of being
/// clamped to the sample minimum or maximum when they fall outside `1..=n`.
#[test]
fn ci_ranks_agree_with_statrs_binomial_quantiles_on_small_samples() {
    let ps = [
        0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.37, 0.5, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999,
    ];
    let sizes = (1..=300).chain((301..=3000).step_by(13));
    let mut ties = 0;
    for n in sizes {
        for p in ps {
            for level in [0.8, 0.9, 0.95, 0.99] {
                let binomial = Binomial::new(p, n as u64).unwrap();
                let alpha = 1.0 - level;
                let l = binomial.inverse_cdf(alpha / 2.0);
                let u = binomial.inverse_cdf(1.0 - alpha / 2.0) + 1;
                let expected = (
                    (l >= 1).then(|| l as usize - 1),
                    (u <= n as u64).then(|| u as usize - 1),
                );
                let ours = ci_ranks(n, p, level);
                if ours != expected {
                    // Only where a tail equals α/2 (e.g. P(K ≥ 1) = 0.05 at n = 1, level 0.9)
                    // may rounding decide differently.
                    let tie = |x: f64| (x - alpha / 2.0).abs() <= 1e-12;
                    let tied = (0..=n as u64).any(|k| tie(binomial.cdf(k)) || tie(binomial.sf(k)));
                    assert!(
                        tied,
                        "n {n}, p {p}, level {level}: {ours:?} vs {expected:?}"
                    );
                    ties += 1;
                }
            }
        }
    }
    assert!(ties <= 4, "{ties} ties");
}

/// Exact coverage of the interval with 0-based ranks `(lo, hi)` (`None`: open): with
/// `K = #{Xᵢ ≤ ξ_p} ~ Binomial(n, p)` it holds `ξ_p` iff `lo < K ≤ hi`.
fn exact_coverage(n: usize, p: f64) -> f64 {
    let (lo, hi) = ci_ranks(n, p, LEVEL);
    let k = Binomial::new(p, n as u64).unwrap();
    hi.map_or(1.0, |hi| k.cdf(hi as u64)) - lo.map_or(0.0, |lo| k.cdf(lo as u64))
}

/// At n = 20, 50 and 200, over 2,000 fixed seeds each, every interval reported for P1, P5, P50,
/// P95 and P99 of a lognormal covers the true quantile at least at the nominal rate (less a
/// one-sided three-sigma allowance for 2,000 replicates), with either percentile definition,
/// and every interval contains its own estimate. The old intervals, clamped to the sample
/// minimum and maximum, held the true P1 at n = 20 in 17% of the replicates.
#[test]
fn small_sample_intervals_cover_at_least_nominally_regression() {
    const REPLICATES: u64 = 2_000;
    let percentiles = [1.0, 5.0, 50.0, 95.0, 99.0];
    let law = LogNormal::new(1.0, 0.8).unwrap();
    let sampler = LogNormalSampler::new(1.0, 0.8).unwrap();
    let truth: Vec<f64> = percentiles
        .iter()
        .map(|pct| law.inverse_cdf(pct / 100.0))
        .collect();
    let floor = LEVEL - 3.0 * (LEVEL * (1.0 - LEVEL) / REPLICATES as f64).sqrt();
    let definitions = [
        PercentileDefinition::Interpolated,
        PercentileDefinition::InverseCdf,
    ];
    for n in [20usize, 50, 200] {
        let mut covered = [[0u64; 5]; 2];
        for replicate in 0..REPLICATES {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(1_000_000 * n as u64 + replicate);
            let sample: Vec<f64> = (0..n).map(|_| sampler.sample(&mut rng)).collect();
            for (definition, hits) in definitions.iter().zip(&mut covered) {
                let summary = summarize_as(&sample, &percentiles, LEVEL, &[], *definition);
                for ((estimate, true_value), hit) in
                    summary.percentiles.iter().zip(&truth).zip(hits.iter_mut())
                {
                    assert!(
                        estimate.ci_low <= estimate.value && estimate.value <= estimate.ci_high,
                        "n {n}, seed {replicate}: {estimate:?}"
                    );
                    if estimate.ci_low <= *true_value && *true_value <= estimate.ci_high {
                        *hit += 1;
                    }
                }
            }
        }
        for (definition, hits) in definitions.iter().zip(covered) {
            for (pct, hit) in percentiles.iter().zip(hits) {
                let observed = hit as f64 / REPLICATES as f64;
                let exact = exact_coverage(n, pct / 100.0);
                println!(
                    "n {n}, P{pct} ({definition:?}): coverage {observed:.4}, exact {exact:.4}"
                );
                assert!(exact >= LEVEL, "n {n}, P{pct}: exact coverage {exact}");
                let se = (exact * (1.0 - exact) / REPLICATES as f64).sqrt();
                assert!(
                    (observed - exact).abs() <= 3.5 * se,
                    "n {n}, P{pct} ({definition:?}): coverage {observed}, exact {exact}"
                );
                assert!(
                    observed >= floor,
                    "n {n}, P{pct} ({definition:?}): coverage {observed} below {floor}"
                );
            }
        }
    }
}

/// Parses a CSV file into its header and rows.
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let split = |line: &str| line.split(',').map(str::to_string).collect::<Vec<_>>();
    let header = split(lines.next().expect("header"));
    (header, lines.map(split).collect())
}

/// The table's "±" is the half-width `(ci_high − ci_low) / 2` relative to the estimate, as its
/// header says, not the larger side of the interval; at 20 samples the ends that do not exist
/// show as `[≤ …]` / `[≥ …]`, the CSV files hold -inf / inf, and a note says so once.
#[test]
fn table_plus_minus_is_the_half_width_regression() {
    let (dir, output) = costbands(&[
        "run",
        "-n",
        "30000",
        "--seed",
        "7",
        "--percentiles",
        "5,50,95",
        "--out",
        "o",
    ]);
    assert_ok(&output);
    let table = stdout(&output);
    assert!(table.contains("± = half-width of each estimate's 95% confidence interval"));
    let (_, rows) = csv_rows(&read(&dir.path().join("o/bands.csv")));
    let mut checked = 0;
    for line in table.lines().filter(|l| l.starts_with("daily_cost_usd ")) {
        let cells: Vec<&str> = line.split('±').skip(1).collect();
        for (cell, pct) in cells.iter().zip(["5", "50", "95"]) {
            let shown: f64 = cell.split('%').next().unwrap().trim().parse().unwrap();
            let row = rows
                .iter()
                .find(|r| r[1] == "daily_cost_usd" && r[3] == pct)
                .unwrap();
            let [value, low, high] = [4, 5, 6].map(|i| row[i].parse::<f64>().unwrap());
            let half = 100.0 * (high - low) / 2.0 / value;
            let larger = 100.0 * (high - value).max(value - low) / value;
            assert!(
                (shown - half).abs() <= 0.051,
                "P{pct}: ±{shown}% vs {half}%"
            );
            if (larger - half).abs() > 0.1 {
                assert!(
                    (shown - larger).abs() > 0.05,
                    "P{pct}: shows the larger side"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 3, "{table}");
    assert!(
        !table.contains("note:"),
        "no open interval at 30000 samples"
    );

    let (dir, output) = costbands(&["run", "-n", "20", "--out", "o"]);
    assert_ok(&output);
    let table = stdout(&output);
    assert_eq!(table.matches("note:").count(), 1, "{table}");
    assert!(table.contains("[≤ ") && table.contains("[≥ "), "{table}");
    let (header, rows) = csv_rows(&read(&dir.path().join("o/summary.csv")));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let cost = rows.iter().find(|r| r[1] == "daily_cost_usd").unwrap();
    assert_eq!(cost[column("p1_ci_low")], "-inf");
    assert_eq!(cost[column("p99_ci_high")], "inf");
    assert!(cost[column("p50_ci_low")]
        .parse::<f64>()
        .unwrap()
        .is_finite());
    let report: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    let warnings = report["scenarios"][0]["warnings"].as_array().unwrap();
    let open: Vec<&serde_json::Value> = warnings
        .iter()
        .filter(|w| w.as_str().unwrap().contains("no finite end"))
        .collect();
    assert_eq!(open.len(), 1, "{warnings:?}");
    assert!(open[0].as_str().unwrap().contains("close from 368 samples"));
}

/// gpus and gpu_hours_per_day take only whole values (whole servers of 8 GPUs, 24 h each):
/// their percentiles are values they took (type 1), not interpolations such as
/// 12303.600000000006 GPUs, and run.json says so.
#[test]
fn whole_valued_metrics_report_values_they_can_take_regression() {
    let (dir, output) = costbands(&["run", "-n", "30000", "--seed", "7", "--out", "o", "-q"]);
    assert_ok(&output);
    let (header, rows) = csv_rows(&read(&dir.path().join("o/summary.csv")));
    for (metric, step) in [("gpus", 8.0), ("gpu_hours_per_day", 192.0)] {
        let row = rows.iter().find(|r| r[1] == metric).unwrap();
        for (name, cell) in header.iter().zip(row) {
            if name.starts_with('p') {
                let value: f64 = cell.parse().unwrap();
                assert_eq!(value % step, 0.0, "{metric} {name} = {cell}");
            }
        }
    }
    let report: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("o/run.json"))).unwrap();
    let definition = report["percentile_definition"].as_str().unwrap();
    assert!(
        definition.contains("type 1") && definition.contains("gpus and gpu_hours_per_day"),
        "{definition}"
    );
}

/// With `fleet_gpus = 1e308` every GPU-count sample is finite, yet the sum overflowed and the
/// mean and standard deviation were written as NaN.
#[test]
fn huge_fleet_mean_and_std_dev_are_finite_regression() {
    // 1000 samples of 1e305-1e306 GPUs overflow every plain sum, while the daily cost stays
    // finite (at 5 W a GPU, so that the energy product does not overflow either): a fleet of
    // 1e308 would make the cost infinite in every sample, which is a run with nothing usable
    // (an error of its own).
    for fleet in ["fleet_gpus=1e306", "fleet_gpus=\"1e305 to 1e306\""] {
        let (dir, output) = costbands(&[
            "run",
            "-n",
            "1000",
            "--set",
            fleet,
            "--set",
            "gpu_power_w=5",
            "--out",
            "o",
            "-q",
        ]);
        assert_ok(&output);
        let (header, rows) = csv_rows(&read(&dir.path().join("o/summary.csv")));
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        let gpus = rows.iter().find(|r| r[1] == "gpus").unwrap();
        assert!(gpus[column("samples")].parse::<usize>().unwrap() > 0);
        for name in ["mean", "mean_ci_low", "mean_ci_high", "std_dev"] {
            let value: f64 = gpus[column(name)].parse().unwrap();
            assert!(value.is_finite(), "{fleet}: {name} = {value}");
        }
        let (min, max, mean) = (
            gpus[column("min")].parse::<f64>().unwrap(),
            gpus[column("max")].parse::<f64>().unwrap(),
            gpus[column("mean")].parse::<f64>().unwrap(),
        );
        assert!(min <= mean && mean <= max, "{fleet}: {min} {mean} {max}");
    }
}
