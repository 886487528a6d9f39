use super::*;
use rand::SeedableRng;
use toml::Value;

fn spec(text: &str) -> Result<Dist, DistError> {
    let table: toml::Table = toml::from_str(&format!("v = {text}")).unwrap();
    parse(&table["v"])
}

fn err(text: &str) -> String {
    spec(text).unwrap_err().to_string()
}

#[test]
fn a_to_b_is_a_lognormal_with_that_90_percent_interval() {
    let d = parse_str("1000 to 3000").unwrap();
    assert!((d.quantile(0.05) - 1000.0).abs() < 1e-6);
    assert!((d.quantile(0.95) - 3000.0).abs() < 1e-6);
    assert!((d.median() - (3e6f64).sqrt()).abs() < 1e-6);
}

#[test]
fn numbers_and_numeric_strings_are_constants() {
    assert_eq!(parse(&Value::Integer(8)).unwrap().as_constant(), Some(8.0));
    assert_eq!(parse_str("195e6").unwrap().as_constant(), Some(195e6));
    assert_eq!(parse_str("1_000").unwrap().as_constant(), Some(1000.0));
}

#[test]
fn numeric_strings_are_read_as_the_input_quantity() {
    use crate::number::Quantity;
    let constant = |text: &str, quantity| parse_str_as(text, quantity).unwrap().as_constant();
    assert_eq!(constant("2.5B", Quantity::Amount), Some(2.5e9));
    assert_eq!(constant("$2.5", Quantity::Usd), Some(2.5));
    assert_eq!(constant("40%", Quantity::Fraction), Some(0.4));
    let d = parse_str_as("1M to 3M", Quantity::Amount).unwrap();
    assert!((d.quantile(0.05) - 1e6).abs() < 1e-3);
    assert!((d.quantile(0.95) - 3e6).abs() < 1e-3);
    let error = parse_str_as("40%", Quantity::Amount)
        .unwrap_err()
        .to_string();
    assert!(error.contains("not a fraction of 1"), "{error}");
    let error = parse_str_as("1M to 3m", Quantity::Amount)
        .unwrap_err()
        .to_string();
    assert!(error.contains("\"3m\" has `m`"), "{error}");
    let error = parse_str("100-300").unwrap_err().to_string();
    assert!(error.contains("a range is written \"a to b\""), "{error}");
    let error = parse_str("h100").unwrap_err().to_string();
    assert!(error.contains("\"h100\" is not a number"), "{error}");
    let error = parse_str("abc").unwrap_err().to_string();
    assert!(error.contains("write a number or \"a to b\""), "{error}");
}

#[test]
fn numeric_strings_in_tables_and_arrays_are_read_by_key() {
    use crate::number::Quantity;
    let table = |text: &str, quantity| {
        let table: toml::Table = toml::from_str(&format!("v = {text}")).unwrap();
        parse_as(&table["v"], quantity)
    };
    let d = table(
        r#"{ dist = "uniform", min = "1M", max = "2M" }"#,
        Quantity::Amount,
    )
    .unwrap();
    assert_eq!((d.support().lo, d.support().hi), (1e6, 2e6));
    let d = table(
        r#"{ dist = "beta", mean = "40%", sd = "5%" }"#,
        Quantity::Fraction,
    )
    .unwrap();
    let Kind::Beta { alpha, beta } = *d.kind() else {
        panic!("a beta: {d:?}");
    };
    assert!((alpha / (alpha + beta) - 0.4).abs() < 1e-12);
    let d = table(
        r#"{ dist = "discrete", values = ["1M", "10M"], weights = ["25%", "75%"] }"#,
        Quantity::Amount,
    )
    .unwrap();
    assert_eq!(d.quantile(0.5), 1e7);
    let d = table(
        r#"{ dist = "normal", mean = "$2", sd = "$0.5", truncate = ["$1", inf] }"#,
        Quantity::Usd,
    )
    .unwrap();
    assert_eq!(d.support().lo, 1.0);
    // Shape parameters are plain amounts whatever the input's quantity.
    let error = table(
        r#"{ dist = "beta", alpha = "50%", beta = 2 }"#,
        Quantity::Fraction,
    )
    .unwrap_err()
    .to_string();
    assert!(error.starts_with("`alpha`: \"50%\" has a `%`"), "{error}");
    let error = table(
        r#"{ dist = "uniform", min = "1m", max = 2 }"#,
        Quantity::Amount,
    )
    .unwrap_err()
    .to_string();
    assert!(error.starts_with("`min`: \"1m\" has `m`"), "{error}");
}

#[test]
fn every_parameterization_is_accepted() {
    for text in [
        r#"{ dist = "uniform", min = 1, max = 2 }"#,
        r#"{ dist = "normal", mean = 1, sd = 2 }"#,
        r#"{ dist = "normal", p5 = 1, p95 = 2 }"#,
        r#"{ dist = "lognormal", p5 = 1, p95 = 2 }"#,
        r#"{ dist = "lognormal", median = 1, p95 = 2 }"#,
        r#"{ dist = "lognormal", mu = 0, sigma = 1 }"#,
        r#"{ dist = "lognormal", mean = 1, sd = 2 }"#,
        r#"{ dist = "triangular", min = 0, mode = 1, max = 2 }"#,
        r#"{ dist = "pert", min = 0, mode = 1, max = 2 }"#,
        r#"{ dist = "pert", min = 0, mode = 1, max = 2, shape = 6 }"#,
        r#"{ dist = "beta", alpha = 2, beta = 3 }"#,
        r#"{ dist = "beta", mean = 0.4, sd = 0.1 }"#,
        r#"{ dist = "gamma", shape = 2, scale = 3 }"#,
        r#"{ dist = "gamma", mean = 2, sd = 1 }"#,
        r#"{ dist = "loguniform", min = 1, max = 100 }"#,
        r#"{ dist = "discrete", values = [4, 8], weights = [1, 3] }"#,
        r#"{ dist = "normal", mean = 1, sd = 1, truncate = [0, inf] }"#,
    ] {
        assert!(spec(text).is_ok(), "{text}: {:?}", spec(text).err());
    }
}

#[test]
fn moment_parameterizations_reproduce_the_moments() {
    let Kind::LogNormal { mu, sigma } = *spec(r#"{ dist = "lognormal", mean = 10, sd = 5 }"#)
        .unwrap()
        .kind()
    else {
        panic!()
    };
    let mean = (mu + sigma * sigma / 2.0).exp();
    let var = ((sigma * sigma).exp() - 1.0) * (2.0 * mu + sigma * sigma).exp();
    assert!((mean - 10.0).abs() < 1e-9 && (var.sqrt() - 5.0).abs() < 1e-9);
    let Kind::Beta { alpha, beta } = *spec(r#"{ dist = "beta", mean = 0.4, sd = 0.1 }"#)
        .unwrap()
        .kind()
    else {
        panic!()
    };
    let s = alpha + beta;
    assert!((alpha / s - 0.4).abs() < 1e-12);
    assert!(((alpha * beta / (s * s * (s + 1.0))).sqrt() - 0.1).abs() < 1e-12);
    let Kind::Gamma { shape, scale } = *spec(r#"{ dist = "gamma", mean = 6, sd = 2 }"#)
        .unwrap()
        .kind()
    else {
        panic!()
    };
    assert!(
        (shape * scale - 6.0).abs() < 1e-12 && ((shape * scale * scale).sqrt() - 2.0).abs() < 1e-12
    );
}

#[test]
fn typos_and_unknown_keys_are_errors_with_suggestions() {
    let message = err(r#"{ dist = "triangular", min = 0, mdoe = 1, max = 2 }"#);
    assert!(
        message.contains("`mdoe`") && message.contains("did you mean `mode`"),
        "{message}"
    );
    let message = err(r#"{ dist = "lognormla", p5 = 1, p95 = 2 }"#);
    assert!(message.contains("did you mean `lognormal`"), "{message}");
    let message = err(r#"{ dist = "uniform", min = 1 }"#);
    assert!(message.contains("min, max"), "{message}");
    assert!(err(r#"{ min = 1, max = 2 }"#).contains("dist"));
}

#[test]
fn invalid_parameters_are_errors() {
    for (text, needle) in [
        (r#"{ dist = "normal", mean = 1, sd = 0 }"#, "sd"),
        (r#"{ dist = "normal", mean = 1, sd = nan }"#, "sd"),
        (r#"{ dist = "uniform", min = 2, max = 1 }"#, "below"),
        (r#"{ dist = "lognormal", p5 = 3, p95 = 2 }"#, "below"),
        (
            r#"{ dist = "beta", mean = 1.3, sd = 0.1 }"#,
            "outside (0, 1)",
        ),
        (r#"{ dist = "beta", mean = 0.5, sd = 0.6 }"#, "sd"),
        (
            r#"{ dist = "triangular", min = 0, mode = 3, max = 2 }"#,
            "mode",
        ),
        (r#"{ dist = "gamma", shape = -1, scale = 1 }"#, "positive"),
        (r#"{ dist = "loguniform", min = 0, max = 1 }"#, "positive"),
        (
            r#"{ dist = "discrete", values = [1, 2], weights = [1] }"#,
            "weights",
        ),
        (
            r#"{ dist = "normal", mean = 0, sd = 1, truncate = [2, 1] }"#,
            "lo < hi",
        ),
        (
            r#"{ dist = "normal", mean = 0, sd = 1, truncate = [50, 60] }"#,
            "no probability mass",
        ),
        ("\"3 to 1\"", "0 < a < b"),
        ("\"cheap\"", "cannot read"),
        ("nan", "not finite"),
    ] {
        let message = err(text);
        assert!(message.contains(needle), "{text}: {message}");
    }
}

#[test]
fn support_reflects_kind_and_truncation() {
    let s = spec(r#"{ dist = "normal", mean = 1, sd = 1, truncate = [0, inf] }"#)
        .unwrap()
        .support();
    assert_eq!((s.lo, s.hi, s.lo_open), (0.0, f64::INFINITY, false));
    let s = spec(r#"{ dist = "beta", alpha = 2, beta = 2 }"#)
        .unwrap()
        .support();
    assert!(s.lo == 0.0 && s.lo_open && s.hi == 1.0 && s.hi_open);
}

#[test]
fn quantile_inverts_cdf_for_every_continuous_kind() {
    for text in [
        r#"{ dist = "uniform", min = 1, max = 2 }"#,
        r#"{ dist = "normal", mean = 1, sd = 2 }"#,
        r#"{ dist = "lognormal", mu = 0, sigma = 1 }"#,
        r#"{ dist = "triangular", min = 0, mode = 1, max = 3 }"#,
        r#"{ dist = "pert", min = 0, mode = 1, max = 3 }"#,
        r#"{ dist = "beta", alpha = 2, beta = 5 }"#,
        r#"{ dist = "gamma", shape = 2, scale = 3 }"#,
        r#"{ dist = "loguniform", min = 1, max = 100 }"#,
        r#"{ dist = "normal", mean = 1, sd = 1, truncate = [0, 2] }"#,
        r#"{ dist = "normal", mean = 0, sd = 1, truncate = [2, 3] }"#,
    ] {
        let d = spec(text).unwrap();
        for p in [0.01, 0.1, 0.5, 0.9, 0.99] {
            let q = d.quantile(p);
            assert!(
                (d.cdf(q) - p).abs() < 1e-9,
                "{text} at {p}: F(Q(p)) = {}",
                d.cdf(q)
            );
        }
    }
}

#[test]
fn discrete_truncation_drops_values_and_renormalises() {
    let d = spec(
        r#"{ dist = "discrete", values = [1, 2, 3], weights = [1, 1, 2], truncate = [2, 3] }"#,
    )
    .unwrap();
    let Kind::Discrete { values, weights } = d.kind() else {
        panic!()
    };
    assert_eq!(values, &[2.0, 3.0]);
    assert!((weights[0] - 1.0 / 3.0).abs() < 1e-12 && (weights[1] - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(d.median(), 3.0);
}

#[test]
fn fill_is_prefix_stable() {
    use rand::SeedableRng;
    for text in [
        r#"{ dist = "pert", min = 0, mode = 1, max = 3 }"#,
        r#"{ dist = "normal", mean = 0, sd = 1, truncate = [2, 3] }"#,
        r#"{ dist = "normal", mean = 0, sd = 1, truncate = [-1, 3] }"#,
    ] {
        let d = spec(text).unwrap();
        let mut long = vec![0.0; 1000];
        let mut short = vec![0.0; 300];
        d.fill(
            &mut rand::rngs::Xoshiro256PlusPlus::seed_from_u64(9),
            &mut long,
        );
        d.fill(
            &mut rand::rngs::Xoshiro256PlusPlus::seed_from_u64(9),
            &mut short,
        );
        assert_eq!(&long[..300], &short[..]);
    }
}

#[test]
fn far_lower_tail_quantiles_are_accurate_statrs_regression() {
    // statrs alone returned ~9.3e-10 for Gamma(0.5, 2) at 1e-9 (true ~1.6e-18) and 1.4e-16 for
    // Beta(0.3, 4) at 1e-9 (true ~1e-31).
    for text in [
        r#"{ dist = "gamma", shape = 0.5, scale = 2 }"#,
        r#"{ dist = "beta", alpha = 0.3, beta = 4 }"#,
        r#"{ dist = "beta", alpha = 4, beta = 0.3 }"#,
        r#"{ dist = "pert", min = 0, mode = 0.01, max = 1, shape = 4 }"#,
    ] {
        let d = spec(text).unwrap();
        for p in [1e-12, 1e-9, 1e-6, 1e-3, 0.3, 0.7, 1.0 - 1e-6] {
            // Q(p) = inf { x : F(x) ≥ p }, up to 1e-9 relative in p and 1e-12 relative in x.
            let q = d.quantile(p);
            let tolerance = 1e-9 * p.min(1.0 - p) + 1e-15;
            assert!(
                d.cdf(q) >= p - tolerance,
                "{text} at {p}: F(Q(p)) = {}",
                d.cdf(q)
            );
            let below = d.cdf(q * (1.0 - 1e-12));
            assert!(
                below <= p + tolerance,
                "{text} at {p}: F(Q(p)·(1 − 1e-12)) = {below}"
            );
        }
    }
    let truncated =
        spec(r#"{ dist = "gamma", shape = 0.5, scale = 2, truncate = [0, 1e-8] }"#).unwrap();
    assert!(truncated.quantile(0.5) < 1e-8 && truncated.quantile(0.5) > 1e-10);
}

/// Runs `work` on its own thread and fails if it has not returned within a minute, so that a
/// hang fails its test instead of stalling the suite.
fn within_a_minute<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    use std::sync::mpsc::{channel, RecvTimeoutError};
    let (sender, receiver) = channel();
    std::thread::spawn(move || sender.send(work()));
    match receiver.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => panic!("{what}: still running after 60 s"),
        Err(RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

fn draws(text: &str, n: usize, seed: u64) -> Vec<f64> {
    use rand::SeedableRng;
    let d = spec(text).unwrap();
    let mut out = vec![0.0; n];
    d.fill(
        &mut rand::rngs::Xoshiro256PlusPlus::seed_from_u64(seed),
        &mut out,
    );
    out
}

#[test]
fn beta_with_tiny_shapes_is_sampled_in_bounded_time_hang_regression() {
    // Both gamma draws used to underflow to 0 and be redrawn until one did not: about 7 × 10⁶
    // rounds per draw at 1e-10, forever at 1e-20.
    for (text, share_near_one) in [
        (r#"{ dist = "beta", alpha = 1e-20, beta = 1e-20 }"#, 0.5),
        (r#"{ dist = "beta", alpha = 1e-10, beta = 3e-10 }"#, 0.25),
        (r#"{ dist = "beta", alpha = 1e-300, beta = 1e-300 }"#, 0.5),
        (r#"{ dist = "beta", alpha = 1e-20, beta = 2 }"#, 0.0),
    ] {
        let x = within_a_minute(text, move || draws(text, 4000, 1));
        assert!(x.iter().all(|x| (0.0..=1.0).contains(x)), "{text}");
        let near_one = x.iter().filter(|x| **x > 0.5).count() as f64 / x.len() as f64;
        // Binomial sd at n = 4000 is below 0.008.
        assert!(
            (near_one - share_near_one).abs() < 0.04,
            "{text}: {near_one}"
        );
    }
    let x = within_a_minute("gamma", || {
        draws(
            r#"{ dist = "gamma", shape = 1e-20, scale = 1e300 }"#,
            1000,
            2,
        )
    });
    assert!(x.iter().all(|x| x.is_finite() && *x >= 0.0));
}

#[test]
fn tiny_shape_draws_follow_the_cdf_below_the_smallest_double() {
    // Half the draws of these gammas lie below 1e-300 (P(G < x) ≈ x^a / Γ(a + 1)): they come
    // from ln G = ln G(a + 1) + ln(U)/a and must still follow the CDF there.
    let n = 20_000;
    for text in [
        r#"{ dist = "beta", alpha = 0.001, beta = 0.002 }"#,
        r#"{ dist = "gamma", shape = 0.001, scale = 1e200 }"#,
    ] {
        let d = spec(text).unwrap();
        let x = draws(text, n, 3);
        for at in [1e-250, 1e-120, 1e-30, 1e-5, 0.5] {
            let at = if text.contains("gamma") {
                at * 1e200
            } else {
                at
            };
            let empirical = x.iter().filter(|x| **x <= at).count() as f64 / n as f64;
            // 4.5 binomial standard deviations at n = 20 000.
            assert!(
                (empirical - d.cdf(at)).abs() < 0.016,
                "{text} at {at:e}: {empirical} vs {}",
                d.cdf(at)
            );
        }
    }
}

#[test]
fn beta_quantile_ends_where_statrs_loops_forever_hang_regression() {
    // statrs' inverse loops forever on these (a non-finite Newton step) or panics (p < 1e-162);
    // Latin hypercube, Sobol and tiny-mass truncation all go through this quantile.
    for (alpha, beta, p) in [
        (575.6333530431283, 1.223912357006643, 1.9055552267171062e-34),
        (56253.86668387228, 1.0067260705313554, 5.323979440798762e-17),
        (0.5, 1e7, 0.3),
        (1e-20, 1e-20, 0.3),
        (1e3, 1e-20, 1e-20),
        (3.0, 0.5, 1e-300),
    ] {
        let label = format!("beta({alpha}, {beta}) at {p:e}");
        let (q, f) = within_a_minute(&label.clone(), move || {
            let d = Dist::new(Kind::Beta { alpha, beta }, None).unwrap();
            let q = d.quantile(p);
            (q, d.cdf(q))
        });
        // Q(p) = inf { x : F(x) ≥ p }; beta(1e-20, 1e-20) has half its mass below any double
        // the bisection reaches (1e-300), which then stands for the quantile.
        let tolerance = (1e-9 * p).max(1e-13);
        assert!((0.0..=1.0).contains(&q), "{label}: {q}");
        assert!(f >= p - tolerance, "{label}: F(Q(p)) = {f}");
        assert!(
            f <= p + tolerance || q <= 1e-299,
            "{label}: Q(p) = {q}, F = {f}"
        );
    }
}

#[test]
fn gamma_cdf_and_quantile_survive_extreme_scales_panic_regression() {
    // statrs' gamma CDF panicked where x / scale underflowed to 0 or overflowed, which the
    // truncation check, the quantile and its bracket search all reach.
    for (shape, scale, truncate) in [
        (2.2e-257, 1.7e123, None),
        (1.3e-67, 1.2e52, None),
        (1e6, 1.2e129, Some((2.6e-283, 2.7e-283))),
        (7.34, 4.9e296, Some((1.8e-163, 1.9e-163))),
        (0.0143, 5.8e96, Some((-0.6, f64::INFINITY))),
        (2.0, 1e-300, Some((0.0, 1e10))),
    ] {
        let label = format!("gamma({shape}, {scale}) truncated to {truncate:?}");
        within_a_minute(&label, move || {
            if let Ok(d) = Dist::new(Kind::Gamma { shape, scale }, truncate) {
                for p in [1e-300, 1e-12, 0.3, 0.5, 0.999] {
                    let q = d.quantile(p);
                    assert!(q >= 0.0 && q <= d.support().hi, "{p}: {q}");
                }
                let mut out = [0.0; 64];
                d.fill(
                    &mut rand::rngs::Xoshiro256PlusPlus::seed_from_u64(5),
                    &mut out,
                );
            }
        });
    }
}

#[test]
fn truncated_rejection_is_bounded_when_every_draw_misses() {
    // A sampler whose draws never land inside the truncation although the CDF says half the
    // mass does (what an inaccurate CDF would do): the draw falls back to the inverse CDF.
    let kind = Kind::Normal { mean: 0.0, sd: 1.0 };
    let d = Dist {
        truncate: Some(make_truncation(&kind, 0.0, f64::INFINITY).unwrap()),
        sampler: sample::Sampler::new(&Kind::Constant { value: -1.0 }).unwrap(),
        kind,
        table: Default::default(),
    };
    let x = within_a_minute("rejection", move || {
        let mut out = vec![0.0; 100];
        d.fill(
            &mut rand::rngs::Xoshiro256PlusPlus::seed_from_u64(6),
            &mut out,
        );
        out
    });
    assert!(x.iter().all(|x| *x >= 0.0), "{x:?}");
    assert!(x.windows(2).any(|w| w[0] != w[1]));
}

#[test]
fn shapes_outside_the_sampleable_range_are_errors_that_say_what_to_use() {
    for (text, needles) in [
        (
            r#"{ dist = "beta", alpha = 1e-320, beta = 1e-320 }"#,
            &["1e-300", "discrete", "weights = [0.5, 0.5]"][..],
        ),
        (
            r#"{ dist = "gamma", shape = 1e-310, scale = 1 }"#,
            &["1e-300"][..],
        ),
        (
            r#"{ dist = "gamma", mean = 1e9, sd = 1 }"#,
            &["above 1e6", "normal", "mean = 1000000000", "sd = 1"][..],
        ),
        (
            r#"{ dist = "gamma", shape = 2, scale = 1e-310 }"#,
            &["smallest normal", "smaller unit"][..],
        ),
    ] {
        let message = err(text);
        for needle in needles {
            assert!(message.contains(needle), "{text}: {message}");
        }
    }
    // The ends of the accepted range are sampled.
    for text in [
        r#"{ dist = "beta", alpha = 1e-300, beta = 1e-300 }"#,
        r#"{ dist = "gamma", shape = 1e-300, scale = 1 }"#,
        r#"{ dist = "gamma", shape = 1e6, scale = 1 }"#,
        r#"{ dist = "gamma", shape = 2, scale = 2.3e-308 }"#,
    ] {
        assert!(draws(text, 100, 7).iter().all(|x| x.is_finite()), "{text}");
    }
}

#[test]
fn a_range_with_three_ends_says_a_range_has_two_regression() {
    let message = parse_str("1000 to 3000 to 5000").unwrap_err().to_string();
    assert!(message.contains("exactly two ends"), "{message}");
    assert!(message.contains("\"1000 to 3000 to 5000\""), "{message}");
    assert!(!message.contains("not a finite number"), "{message}");
}

#[test]
fn parameters_whose_quantiles_overflow_are_refused_and_a_wide_pert_is_read_regression() {
    // Each was accepted, and then gave infinite medians (lognormal, gamma) or ranges (uniform,
    // triangular, pert).
    for (text, needle) in [
        (
            r#"{ dist = "pert", min = -1e308, mode = 0, max = 1e308 }"#,
            "the range max − min from -1e308 to 1e308 is beyond the range",
        ),
        (
            r#"{ dist = "uniform", min = -1e308, max = 1e308 }"#,
            "the range max − min",
        ),
        (
            r#"{ dist = "triangular", min = -1e308, mode = 0, max = 1e308 }"#,
            "the range max − min",
        ),
        (
            r#"{ dist = "lognormal", mu = 1000, sigma = 1 }"#,
            "lognormal mu = 1000 puts the median e^mu beyond the range",
        ),
        (
            r#"{ dist = "lognormal", mu = -1000, sigma = 1 }"#,
            "mu must lie between -745 and 709",
        ),
        (
            r#"{ dist = "gamma", shape = 1e6, scale = 1e305 }"#,
            "gamma mean = shape × scale = 1e6 × 1e305 is beyond the range",
        ),
        // A finite mean (1e308) whose median came out infinite (found by fuzzing).
        (
            r#"{ dist = "gamma", shape = 1e6, scale = 1e302 }"#,
            "the median of this distribution is inf, beyond the range",
        ),
    ] {
        let message = err(text);
        assert!(message.contains(needle), "{text}: {message}");
    }
    // A PERT near the top of the floating-point range has finite beta shapes (the ratio is
    // taken before the product): it panicked at its first quantile.
    for text in [
        r#"{ dist = "pert", min = 1, mode = 1e308, max = 1.7e308 }"#,
        r#"{ dist = "pert", min = 1, mode = 1e307, max = 1e308 }"#,
        r#"{ dist = "lognormal", mu = 700, sigma = 1 }"#,
        r#"{ dist = "uniform", min = 1, max = 1.7e308 }"#,
    ] {
        let dist = spec(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(dist.median().is_finite(), "{text}");
    }
}
