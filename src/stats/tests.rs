use super::*;

#[test]
fn summary_of_a_known_sample() {
    let mut data: Vec<f64> = (1..=101).map(f64::from).collect();
    data.reverse();
    let s = summarize(&data, &[0.0, 25.0, 50.0, 100.0], 0.95, &[90.0]);
    assert_eq!(s.samples, 101);
    assert_eq!(s.mean, 51.0);
    assert!((s.std_dev - (101.0f64 * 102.0 / 12.0).sqrt()).abs() < 1e-9);
    assert_eq!((s.min, s.max), (1.0, 101.0));
    let values: Vec<f64> = s.percentiles.iter().map(|p| p.value).collect();
    assert_eq!(values, vec![1.0, 26.0, 51.0, 101.0]);
    let median = s.percentiles[2];
    assert!(median.ci_low < 51.0 && median.ci_high > 51.0);
    assert_eq!(s.exceedances[0].count, 11);
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
    let s = summarize(&[], &[50.0], 0.95, &[1.0]);
    assert!(s.mean.is_nan() && s.percentiles[0].value.is_nan());
    let s = summarize(&[4.0], &[5.0, 50.0, 95.0], 0.95, &[]);
    assert_eq!(s.percentiles[1].value, 4.0);
    assert!(s.std_dev.is_nan() && s.mean_ci.low.is_nan());
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
}
