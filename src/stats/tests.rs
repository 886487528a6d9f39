use super::*;

#[test]
fn summary_of_a_known_sample() {
    let mut data: Vec<f64> = (1..=101).map(f64::from).collect();
    data.reverse();
    let s = summarize(
        &data,
        &[0.0, 25.0, 50.0, 100.0],
        0.95,
        &[Event::above(90.0), Event::below(90.0), Event::below(1.0)],
    );
    assert_eq!(s.samples, 101);
    assert_eq!(s.mean, 51.0);
    assert!((s.std_dev - (101.0f64 * 102.0 / 12.0).sqrt()).abs() < 1e-9);
    assert_eq!((s.min, s.max), (1.0, 101.0));
    let values: Vec<f64> = s.percentiles.iter().map(|p| p.value).collect();
    assert_eq!(values, vec![1.0, 26.0, 51.0, 101.0]);
    let median = s.percentiles[2];
    assert!(median.ci_low < 51.0 && median.ci_high > 51.0);
    assert_eq!(s.exceedances[0].count, 11);
    // Strict on both sides: 90 itself counts in neither, so above + below + equal = all.
    assert_eq!(s.exceedances[1].count, 89);
    assert_eq!(s.exceedances[1].event, Side::Below);
    assert_eq!(s.exceedances[2].count, 0);
}

#[test]
fn non_finite_samples_are_counted_and_excluded() {
    let data = vec![1.0, f64::NAN, 3.0, f64::INFINITY, 2.0];
    let s = summarize(&data, &[50.0], 0.95, &[]);
    assert_eq!((s.samples, s.non_finite), (3, 2));
    assert_eq!(s.mean, 2.0);
    assert_eq!(s.percentiles[0].value, 2.0);
}

#[test]
fn empty_and_single_samples_do_not_panic() {
    let s = summarize(&[], &[50.0], 0.95, &[Event::above(1.0)]);
    assert!(s.mean.is_nan() && s.percentiles[0].value.is_nan());
    let s = summarize(&[4.0], &[5.0, 50.0, 95.0], 0.95, &[]);
    assert_eq!(s.percentiles[1].value, 4.0);
    assert!(s.std_dev.is_nan());
}

#[test]
fn single_sample_intervals_are_open_not_nan_or_zero_width_regression() {
    // One sample: every percentile and the mean were reported as ±0.00% and ±NaN.
    let s = summarize(&[4.0], &[5.0, 50.0, 95.0], 0.95, &[]);
    assert_eq!(
        (s.mean_ci.low, s.mean_ci.high),
        (f64::NEG_INFINITY, f64::INFINITY)
    );
    for p in &s.percentiles {
        assert_eq!(p.value, 4.0);
        assert_eq!(
            (p.ci_low, p.ci_high),
            (f64::NEG_INFINITY, f64::INFINITY),
            "{p:?}"
        );
    }
    let warning = open_interval_warning([&s], 0.95).expect("open intervals are reported");
    assert!(warning.contains("P5, P50, P95 and the mean"), "{warning}");
}

#[test]
fn p0_and_p100_are_open_on_their_outer_side_regression() {
    // They were the minimum and maximum with zero-width intervals.
    let data: Vec<f64> = (1..=1000).map(f64::from).collect();
    for definition in [
        PercentileDefinition::Interpolated,
        PercentileDefinition::InverseCdf,
    ] {
        let s = summarize_as(&data, &[0.0, 50.0, 100.0], 0.95, &[], definition);
        let [p0, p50, p100] = [0, 1, 2].map(|i| s.percentiles[i]);
        assert_eq!(
            (p0.value, p0.ci_low, p0.ci_high),
            (1.0, f64::NEG_INFINITY, 1.0)
        );
        assert_eq!(
            (p100.value, p100.ci_low, p100.ci_high),
            (1000.0, 1000.0, f64::INFINITY)
        );
        assert!(!p50.is_open());
        let warning = open_interval_warning([&s], 0.95).unwrap();
        assert!(warning.contains("P0 and P100"), "{warning}");
    }
}

#[test]
fn two_sample_estimates_lie_inside_their_intervals_regression() {
    // At n = 2 the type-7 P1 is x(1) + 0.01·(x(2) − x(1)), above the interval's only finite
    // end x(1); the end now moves out to the estimate.
    let s = summarize(&[10.0, 20.0], &[1.0, 50.0, 99.0], 0.95, &[]);
    for p in &s.percentiles {
        assert!(p.ci_low <= p.value && p.value <= p.ci_high, "{p:?}");
    }
    let p1 = s.percentiles[0];
    assert_eq!((p1.ci_low, p1.ci_high), (f64::NEG_INFINITY, p1.value));
}

#[test]
fn whole_valued_percentiles_are_sample_values_regression() {
    // Type 7 gave P5 = 12303.600000000006 GPUs; type 1 reads x(⌈np⌉), a value the metric took.
    let data: Vec<f64> = (0..997)
        .map(|i| f64::from((i * 7919) % 997) * 8.0)
        .collect();
    let percentiles = [1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0];
    let s = summarize_as(
        &data,
        &percentiles,
        0.95,
        &[],
        PercentileDefinition::InverseCdf,
    );
    let mut sorted = data.clone();
    sorted.sort_by(f64::total_cmp);
    for (p, pct) in s.percentiles.iter().zip(percentiles) {
        let rank = (997.0 * pct / 100.0f64).ceil() as usize;
        assert_eq!(p.value, sorted[rank - 1], "P{pct}");
        assert_eq!(p.value % 8.0, 0.0, "P{pct}");
        assert!(p.ci_low <= p.value && p.value <= p.ci_high);
    }
    let interpolated = summarize(&data, &[5.0], 0.95, &[]);
    assert_eq!(interpolated.percentiles[0].ci_low, s.percentiles[1].ci_low);
    assert_eq!(
        interpolated.percentiles[0].ci_high,
        s.percentiles[1].ci_high
    );
}

#[test]
fn mean_and_std_dev_of_huge_values_are_finite_regression() {
    // fleet_gpus = 1e308: every sample finite, but the sum overflowed and mean and standard
    // deviation were NaN.
    let data: Vec<f64> = (0..10_000)
        .map(|i| 1e308 * (0.5 + f64::from(i % 100) / 200.0))
        .collect();
    let s = summarize(&data, &[50.0], 0.95, &[]);
    let scaled: Vec<f64> = data.iter().map(|x| x / 1e300).collect();
    let reference = summarize(&scaled, &[50.0], 0.95, &[]);
    assert!(s.mean.is_finite() && s.std_dev.is_finite(), "{s:?}");
    assert!(((s.mean / 1e300 - reference.mean) / reference.mean).abs() < 1e-14);
    assert!(((s.std_dev / 1e300 - reference.std_dev) / reference.std_dev).abs() < 1e-14);
    assert!(s.mean_ci.low.is_finite() && s.mean_ci.high.is_finite());
    // Values of both signs near the limits: the deviations themselves overflow.
    let wide = [-1.5e308, 1.5e308, -1.5e308, 1.5e308];
    let s = summarize(&wide, &[50.0], 0.95, &[]);
    assert_eq!(s.mean, 0.0);
    assert!((s.std_dev / (1.5e308 * (4.0f64 / 3.0).sqrt()) - 1.0).abs() < 1e-15);
    // A constant near the limit: standard deviation 0, not NaN.
    let s = summarize(&[f64::MAX; 5], &[50.0], 0.95, &[]);
    assert!(
        (s.mean / f64::MAX - 1.0).abs() <= 2.0 * f64::EPSILON,
        "{}",
        s.mean
    );
    assert!(
        s.std_dev >= 0.0 && s.std_dev <= 1e-15 * s.mean,
        "{}",
        s.std_dev
    );
}

#[test]
fn std_dev_of_tiny_values_does_not_underflow_regression() {
    let data: Vec<f64> = (0..1000).map(|i| 1e-300 * f64::from(i % 10)).collect();
    let s = summarize(&data, &[50.0], 0.95, &[]);
    let scaled: Vec<f64> = data.iter().map(|x| x * 1e300).collect();
    let reference = summarize(&scaled, &[50.0], 0.95, &[]);
    assert!(s.std_dev > 0.0);
    assert!(((s.std_dev * 1e300 - reference.std_dev) / reference.std_dev).abs() < 1e-13);
}

#[test]
fn accurate_sum_is_exact_on_integers_and_cancels_well() {
    let values: Vec<f64> = (1..=100_000).map(f64::from).collect();
    assert_eq!(accurate_sum(&values, |x| x), 5_000_050_000.0);
    // Ten million 0.1s: sequential summation is off by 1.6e-10 relative; blocks keep it < 1e-13.
    let total = accurate_sum(&vec![0.1; 10_000_000], |x| x);
    assert!(((total - 1e6) / 1e6).abs() < 1e-13, "{total}");
    assert_eq!(accurate_sum(&[], |x| x), 0.0);
    let squares = accurate_sum(&[1.0, 2.0, 3.0], |x| x * x);
    assert_eq!(squares, 14.0);
}

#[test]
fn neumaier_sum_is_exact_where_naive_summation_is_not() {
    let values = [1e16, 1.0, -1e16, 1.0];
    assert_eq!(neumaier_sum(values.iter().copied()), 2.0);
}

#[test]
fn percentile_and_confidence_checks() {
    assert!(check_percentiles(&[5.0, 50.0]).is_ok());
    assert!(check_percentiles(&[]).is_err());
    assert!(check_percentiles(&[101.0]).is_err());
    assert!(check_percentiles(&[f64::NAN]).is_err());
    assert!(check_confidence(0.9).is_ok());
    assert!(check_confidence(1.0).is_err());
    let message = check_confidence(95.0).unwrap_err().to_string();
    assert!(
        message.ends_with("; did you mean 0.95 (or 95%)?"),
        "{message}"
    );
    let message = check_confidence(1.0).unwrap_err().to_string();
    assert!(!message.contains("did you mean"), "{message}");
}

#[test]
fn one_read_for_sums_and_selection_gives_what_separate_passes_give() {
    // 100,003 values: long enough for the fused passes (sum with the radix counts, squared
    // deviations with the bucket copies); the same column with one NaN takes the separate
    // passes over its finite values.
    let mut state = 8u64;
    let data: Vec<f64> = (0..100_003)
        .map(|_| {
            let u = (crate::rng::splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
            (3.0 * u - 1.0).exp() * 1e6
        })
        .collect();
    let percentiles = [1.0, 5.0, 50.0, 95.0, 99.0];
    let fused = summarize(&data, &percentiles, 0.95, &[Event::above(2e6)]);
    let mut holed = data.clone();
    holed.push(f64::NAN);
    let separate = summarize(&holed, &percentiles, 0.95, &[Event::above(2e6)]);
    assert_eq!(separate.non_finite, 1);
    assert_eq!(fused.mean.to_bits(), separate.mean.to_bits());
    assert_eq!(fused.std_dev.to_bits(), separate.std_dev.to_bits());
    assert_eq!((fused.min, fused.max), (separate.min, separate.max));
    assert_eq!(fused.percentiles, separate.percentiles);
    assert_eq!(fused.exceedances, separate.exceedances);
    // And against first principles.
    let mean = moments::accurate_sum(&data, |x| x) / data.len() as f64;
    assert_eq!(fused.mean, mean);
    assert_eq!(fused.std_dev, moments::std_dev(&data, mean));
    let mut sorted = data.clone();
    sorted.sort_by(f64::total_cmp);
    assert_eq!((fused.min, fused.max), (sorted[0], sorted[100_002]));
    assert_eq!(fused.percentiles[2].value, sorted[50_001]);
}
