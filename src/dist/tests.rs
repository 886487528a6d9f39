use super::*;
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
