//! Distribution specs as written in scenario files, parsed into validated [`Dist`] values.
//!
//! Accepted forms: a number (constant); a string `"a to b"` (lognormal whose P5 is `a` and P95
//! is `b`, as in Squiggle); a numeric string; or a table `{ dist = "...", ... }` whose keys must
//! match one of the kind's parameterizations exactly. Unknown keys are errors with a suggestion.
//! Numbers written as strings (`"2.5M"`, `"40%"`, `"$2"`) are read by [`crate::number`], as the
//! [`Quantity`] of the input allows.

use super::suggest::suggest;
use super::{Dist, Kind, SHAPE_MIN, Z_95};
use crate::number::{self, Quantity};
use std::collections::BTreeSet;
use toml::Value;

/// What is wrong with a distribution spec, and how to fix it (the field path is added by the
/// caller).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct DistError(String);

impl DistError {
    pub(crate) fn new(message: impl Into<String>) -> DistError {
        DistError(message.into())
    }
}

/// The largest gamma shape accepted. statrs' gamma CDF (behind truncation, Latin hypercube and
/// Sobol sampling) takes time growing with `√shape`: 0.2 ms at 1e6, seconds at 1e14, forever
/// from about 1e16. A gamma this narrow (sd below 0.1% of the mean) is a normal to within a
/// skewness of `2/√shape` ≤ 0.002.
pub const GAMMA_SHAPE_MAX: f64 = 1e6;

/// The distribution kinds and their accepted parameter sets, for messages and `costbands list`.
pub const FORMS: &[(&str, &[&[&str]])] = &[
    ("uniform", &[&["min", "max"]]),
    ("normal", &[&["mean", "sd"], &["p5", "p95"]]),
    (
        "lognormal",
        &[
            &["p5", "p95"],
            &["median", "p95"],
            &["mu", "sigma"],
            &["mean", "sd"],
        ],
    ),
    ("triangular", &[&["min", "mode", "max"]]),
    (
        "pert",
        &[&["min", "mode", "max"], &["min", "mode", "max", "shape"]],
    ),
    ("beta", &[&["alpha", "beta"], &["mean", "sd"]]),
    ("gamma", &[&["shape", "scale"], &["mean", "sd"]]),
    ("loguniform", &[&["min", "max"]]),
    ("discrete", &[&["values", "weights"]]),
];

/// Parses a spec given as a TOML value, its numbers plain amounts ([`Quantity::Amount`]).
pub fn parse(value: &Value) -> Result<Dist, DistError> {
    parse_as(value, Quantity::Amount)
}

/// Parses a spec given as a TOML value, numbers written as strings read as `quantity` (`"40%"`
/// for a fraction, `"$2"` for dollars). Shape parameters (`alpha`, `beta`, `shape`, `mu`,
/// `sigma`) are plain amounts and `weights` may be percentages, whatever the quantity.
pub fn parse_as(value: &Value, quantity: Quantity) -> Result<Dist, DistError> {
    match value {
        Value::Integer(i) => Dist::constant(*i as f64),
        Value::Float(x) => Dist::constant(*x),
        Value::String(text) => parse_str_as(text, quantity),
        Value::Table(table) => parse_table(table, quantity),
        other => Err(DistError::new(format!(
            "expected a number, a string like \"100 to 300\" or a table {{ dist = \"...\", ... }}, found {}",
            other.type_str()
        ))),
    }
}

/// Parses a string spec, its numbers plain amounts: a number (`"195e6"`, `"2.5M"`) or
/// `"a to b"` (lognormal 90% interval).
pub fn parse_str(text: &str) -> Result<Dist, DistError> {
    parse_str_as(text, Quantity::Amount)
}

/// Parses a string spec whose numbers are `quantity`: a number (`"195e6"`, `"2.5M"`, `"40%"`)
/// or `"a to b"` (lognormal 90% interval).
pub fn parse_str_as(text: &str, quantity: Quantity) -> Result<Dist, DistError> {
    let text = text.trim();
    let Some((a, b)) = text.split_once(" to ") else {
        return parse_number(text, quantity)
            .and_then(Dist::constant)
            .map_err(|error| not_a_spec(text, error));
    };
    if b.contains(" to ") {
        return Err(DistError::new(format!(
            "cannot read \"{text}\": an \"a to b\" range has exactly two ends (a lognormal with \
             P5 a and P95 b); for a low, a likely and a high value use \
             {{ dist = \"pert\", min = ..., mode = ..., max = ... }}"
        )));
    }
    let (p5, p95) = (parse_number(a, quantity)?, parse_number(b, quantity)?);
    if !(p5 > 0.0 && p95 > p5) {
        return Err(DistError::new(format!(
            "\"{text}\" needs 0 < a < b (it is a lognormal's P5 to P95); for a range that includes \
             zero or negatives use {{ dist = \"uniform\", min = ..., max = ... }}"
        )));
    }
    lognormal_p5_p95(p5, p95)
}

fn parse_number(text: &str, quantity: Quantity) -> Result<f64, DistError> {
    number::parse(text, quantity).map_err(|error| DistError::new(error.to_string()))
}

/// The error for a string that is neither a number nor `"a to b"`: the number's error, and
/// the range syntax when the text looks like a range or has no digits at all.
fn not_a_spec(text: &str, error: DistError) -> DistError {
    let range_like = text.contains(char::is_whitespace)
        || text.contains("..")
        || text.trim_start_matches(['-', '+']).contains('-');
    if !text.contains(|c: char| c.is_ascii_digit()) {
        return DistError::new(format!(
            "cannot read \"{text}\": write a number or \"a to b\" (a lognormal with P5 a and P95 b)"
        ));
    }
    match range_like {
        true => DistError::new(format!(
            "{error}; a range is written \"a to b\" (a lognormal with P5 a and P95 b)"
        )),
        false => error,
    }
}

fn lognormal_p5_p95(p5: f64, p95: f64) -> Result<Dist, DistError> {
    let mu = 0.5 * (p5.ln() + p95.ln());
    let sigma = (p95.ln() - p5.ln()) / (2.0 * Z_95);
    Dist::new(Kind::LogNormal { mu, sigma }, None)
}

fn parse_table(table: &toml::Table, quantity: Quantity) -> Result<Dist, DistError> {
    let kind_name = match table.get("dist") {
        Some(Value::String(name)) => name.as_str(),
        Some(_) => {
            return Err(DistError::new(
                "`dist` must be a string such as \"lognormal\"",
            ))
        }
        None => {
            return Err(DistError::new(format!(
                "a table needs `dist = \"...\"`, one of: {}",
                kind_names()
            )))
        }
    };
    let Some((_, forms)) = FORMS.iter().find(|(name, _)| *name == kind_name) else {
        return Err(DistError::new(format!(
            "unknown dist \"{kind_name}\"{}; expected one of: {}",
            suggest(kind_name, FORMS.iter().map(|(name, _)| *name)),
            kind_names()
        )));
    };
    let keys: BTreeSet<&str> = table
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "dist" && *k != "truncate")
        .collect();
    let Some(form) = forms
        .iter()
        .find(|form| form.len() == keys.len() && form.iter().all(|k| keys.contains(k)))
    else {
        return Err(form_error(kind_name, forms, &keys));
    };
    let truncate = match table.get("truncate") {
        Some(value) => Some(parse_pair(value, quantity)?),
        None => None,
    };
    let kind = build_kind(kind_name, form, table, quantity)?;
    Dist::new(kind, truncate)
}

fn kind_names() -> String {
    let mut names: Vec<&str> = FORMS.iter().map(|(name, _)| *name).collect();
    names.push("a constant number");
    names.push("\"a to b\"");
    names.join(", ")
}

fn form_error(kind: &str, forms: &[&[&str]], keys: &BTreeSet<&str>) -> DistError {
    let known: BTreeSet<&str> = forms.iter().flat_map(|form| form.iter().copied()).collect();
    let expected = forms
        .iter()
        .map(|form| form.join(", "))
        .collect::<Vec<_>>()
        .join("} or {");
    let hint = match keys.iter().find(|k| !known.contains(*k)) {
        Some(unknown) => format!(
            "{kind} has no parameter `{unknown}`{}",
            suggest(unknown, known.iter().copied())
        ),
        None => format!(
            "{kind} needs one of these parameter sets, found {{{}}}",
            keys.iter().copied().collect::<Vec<_>>().join(", ")
        ),
    };
    DistError::new(format!(
        "{hint}; expected {{{expected}}} (plus optional truncate = [lo, hi])"
    ))
}

/// The quantity of a table key's numbers: the input's own for keys in its unit; plain
/// amounts for shape and log-scale parameters; fractions (so percentages) for weights.
fn key_quantity(key: &str, quantity: Quantity) -> Quantity {
    match key {
        "alpha" | "beta" | "shape" | "mu" | "sigma" => Quantity::Amount,
        "weights" => Quantity::Fraction,
        _ => quantity,
    }
}

/// One number of a table: a TOML number, or a string read as the key's quantity.
fn table_number(value: &Value, key: &str, quantity: Quantity) -> Option<Result<f64, DistError>> {
    match value {
        Value::Float(x) => Some(Ok(*x)),
        Value::Integer(i) => Some(Ok(*i as f64)),
        Value::String(s) => Some(
            number::parse(s, key_quantity(key, quantity))
                .map_err(|error| DistError::new(format!("`{key}`: {error}"))),
        ),
        _ => None,
    }
}

fn number(table: &toml::Table, key: &str, quantity: Quantity) -> Result<f64, DistError> {
    table
        .get(key)
        .and_then(|value| table_number(value, key, quantity))
        .unwrap_or_else(|| Err(DistError::new(format!("`{key}` must be a number"))))
}

fn numbers(value: Option<&Value>, key: &str, quantity: Quantity) -> Result<Vec<f64>, DistError> {
    let Some(Value::Array(items)) = value else {
        return Err(DistError::new(format!(
            "`{key}` must be an array of numbers"
        )));
    };
    items
        .iter()
        .map(|item| {
            table_number(item, key, quantity)
                .unwrap_or_else(|| Err(DistError::new(format!("`{key}` must hold only numbers"))))
        })
        .collect()
}

fn parse_pair(value: &Value, quantity: Quantity) -> Result<(f64, f64), DistError> {
    match numbers(Some(value), "truncate", quantity)?.as_slice() {
        [lo, hi] => Ok((*lo, *hi)),
        _ => Err(DistError::new("`truncate` must be [lo, hi]")),
    }
}

fn build_kind(
    kind: &str,
    form: &[&str],
    t: &toml::Table,
    quantity: Quantity,
) -> Result<Kind, DistError> {
    let n = |key: &str| number(t, key, quantity);
    Ok(match (kind, form) {
        ("uniform", _) => Kind::Uniform {
            min: n("min")?,
            max: n("max")?,
        },
        ("normal", ["mean", "sd"]) => Kind::Normal {
            mean: n("mean")?,
            sd: n("sd")?,
        },
        ("normal", _) => {
            let (p5, p95) = ordered(n("p5")?, n("p95")?, "p5", "p95")?;
            Kind::Normal {
                mean: 0.5 * (p5 + p95),
                sd: (p95 - p5) / (2.0 * Z_95),
            }
        }
        ("lognormal", form) => lognormal_kind(form, t, quantity)?,
        ("triangular", _) => Kind::Triangular {
            min: n("min")?,
            mode: n("mode")?,
            max: n("max")?,
        },
        ("pert", form) => Kind::Pert {
            min: n("min")?,
            mode: n("mode")?,
            max: n("max")?,
            shape: if form.len() == 4 { n("shape")? } else { 4.0 },
        },
        ("beta", ["alpha", "beta"]) => Kind::Beta {
            alpha: n("alpha")?,
            beta: n("beta")?,
        },
        ("beta", _) => beta_from_moments(n("mean")?, n("sd")?)?,
        ("gamma", ["shape", "scale"]) => Kind::Gamma {
            shape: n("shape")?,
            scale: n("scale")?,
        },
        ("gamma", _) => gamma_from_moments(n("mean")?, n("sd")?)?,
        ("loguniform", _) => Kind::LogUniform {
            min: n("min")?,
            max: n("max")?,
        },
        _ => Kind::Discrete {
            values: numbers(t.get("values"), "values", quantity)?,
            weights: numbers(t.get("weights"), "weights", quantity)?,
        },
    })
}

fn ordered(lo: f64, hi: f64, lo_name: &str, hi_name: &str) -> Result<(f64, f64), DistError> {
    if lo.is_finite() && hi.is_finite() && hi > lo {
        Ok((lo, hi))
    } else {
        Err(DistError::new(format!(
            "{lo_name} = {lo} must be finite and below {hi_name} = {hi}"
        )))
    }
}

fn lognormal_kind(form: &[&str], t: &toml::Table, quantity: Quantity) -> Result<Kind, DistError> {
    let n = |key: &str| number(t, key, quantity);
    let positive = |x: f64, name: &str| {
        if x > 0.0 && x.is_finite() {
            Ok(x)
        } else {
            Err(DistError::new(format!(
                "lognormal {name} = {x} must be positive and finite"
            )))
        }
    };
    Ok(match form {
        ["p5", "p95"] => {
            let (p5, p95) = ordered(positive(n("p5")?, "p5")?, n("p95")?, "p5", "p95")?;
            Kind::LogNormal {
                mu: 0.5 * (p5.ln() + p95.ln()),
                sigma: (p95.ln() - p5.ln()) / (2.0 * Z_95),
            }
        }
        ["median", "p95"] => {
            let (median, p95) = ordered(
                positive(n("median")?, "median")?,
                n("p95")?,
                "median",
                "p95",
            )?;
            Kind::LogNormal {
                mu: median.ln(),
                sigma: (p95.ln() - median.ln()) / Z_95,
            }
        }
        ["mu", "sigma"] => Kind::LogNormal {
            mu: n("mu")?,
            sigma: n("sigma")?,
        },
        _ => {
            let mean = positive(n("mean")?, "mean")?;
            let sd = positive(n("sd")?, "sd")?;
            let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
            Kind::LogNormal {
                mu: mean.ln() - 0.5 * sigma2,
                sigma: sigma2.sqrt(),
            }
        }
    })
}

fn beta_from_moments(mean: f64, sd: f64) -> Result<Kind, DistError> {
    if !(mean > 0.0 && mean < 1.0) {
        return Err(DistError::new(format!(
            "beta mean {mean} is outside (0, 1)"
        )));
    }
    let max_sd = (mean * (1.0 - mean)).sqrt();
    if !(sd > 0.0 && sd < max_sd) {
        return Err(DistError::new(format!(
            "beta sd {sd} must be in (0, {max_sd:.4}) for mean {mean} (sd² < mean·(1 − mean))"
        )));
    }
    let nu = mean * (1.0 - mean) / (sd * sd) - 1.0;
    Ok(Kind::Beta {
        alpha: mean * nu,
        beta: (1.0 - mean) * nu,
    })
}

fn gamma_from_moments(mean: f64, sd: f64) -> Result<Kind, DistError> {
    if !(mean > 0.0 && sd > 0.0 && mean.is_finite() && sd.is_finite()) {
        return Err(DistError::new(format!(
            "gamma mean {mean} and sd {sd} must both be positive and finite"
        )));
    }
    Ok(Kind::Gamma {
        shape: (mean / sd).powi(2),
        scale: sd * sd / mean,
    })
}

/// Checks a kind's canonical parameters (NaN-safe: every comparison is written so NaN fails).
pub(crate) fn validate(kind: &Kind) -> Result<(), DistError> {
    let fail = |message: String| Err(DistError::new(message));
    let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
    match kind {
        Kind::Constant { value } if !value.is_finite() => fail(format!("{value} is not finite")),
        Kind::Uniform { min, max } | Kind::LogUniform { min, max }
            if !(finite(&[*min, *max]) && max > min) =>
        {
            fail(format!("min = {min} must be below max = {max}"))
        }
        Kind::LogUniform { min, .. } if !(*min > 0.0) => {
            fail(format!("loguniform min = {min} must be positive"))
        }
        Kind::Normal { mean, sd } if !(finite(&[*mean, *sd]) && *sd > 0.0) => {
            fail(format!("normal sd = {sd} must be positive (mean = {mean})"))
        }
        Kind::LogNormal { mu, sigma } if !(finite(&[*mu, *sigma]) && *sigma > 0.0) => {
            fail(format!("lognormal sigma = {sigma} must be positive (mu = {mu})"))
        }
        Kind::LogNormal { mu, .. } if !(mu.exp().is_finite() && mu.exp() > 0.0) => fail(format!(
            "lognormal mu = {mu} puts the median e^mu beyond the range of floating-point \
             numbers: mu must lie between -745 and 709 (express the input in another unit)"
        )),
        Kind::Triangular { min, mode, max } | Kind::Pert { min, mode, max, .. }
            if !(finite(&[*min, *mode, *max]) && max > min && mode >= min && mode <= max) =>
        {
            fail(format!(
                "need min ≤ mode ≤ max with min < max; found min = {min}, mode = {mode}, max = {max}"
            ))
        }
        Kind::Uniform { min, max }
        | Kind::Triangular { min, max, .. }
        | Kind::Pert { min, max, .. }
            if !(max - min).is_finite() =>
        {
            fail(format!(
                "the range max − min from {min:e} to {max:e} is beyond the range of floating-point \
                 numbers: express the input in another unit"
            ))
        }
        Kind::Pert { shape, .. } if !(shape.is_finite() && *shape >= 0.0) => {
            fail(format!("pert shape = {shape} must be ≥ 0"))
        }
        Kind::Beta { alpha, beta } if !(finite(&[*alpha, *beta]) && *alpha > 0.0 && *beta > 0.0) => {
            fail(format!("beta alpha = {alpha} and beta = {beta} must be positive"))
        }
        Kind::Beta { alpha, beta } if !(*alpha >= SHAPE_MIN && *beta >= SHAPE_MIN) => {
            let near_one = alpha / (alpha + beta);
            fail(format!(
                "beta alpha = {alpha} and beta = {beta} must both be at least {SHAPE_MIN:e}, \
                 the smallest shape that can be sampled; a beta this U-shaped is 0 or 1 in \
                 floating point: use {{ dist = \"discrete\", values = [0, 1], weights = [{}, \
                 {near_one}] }}",
                1.0 - near_one
            ))
        }
        Kind::Gamma { shape, scale }
            if !(finite(&[*shape, *scale]) && *shape > 0.0 && *scale > 0.0) =>
        {
            fail(format!("gamma shape = {shape} and scale = {scale} must be positive"))
        }
        Kind::Gamma { shape, .. } if !(*shape >= SHAPE_MIN) => fail(format!(
            "gamma shape = {shape} is below {SHAPE_MIN:e}, the smallest shape that can be \
             sampled; a gamma this concentrated at 0 is 0 in floating point: use a larger shape \
             or a constant"
        )),
        Kind::Gamma { shape, scale } if !(*shape <= GAMMA_SHAPE_MAX) => fail(format!(
            "gamma shape = {shape} is above {GAMMA_SHAPE_MAX:e} (sd/mean = {:.1e}), where its \
             CDF is too slow to compute; a gamma this narrow is a normal: use {{ dist = \
             \"normal\", mean = {}, sd = {} }}",
            1.0 / shape.sqrt(),
            shape * scale,
            shape.sqrt() * scale
        )),
        Kind::Gamma { shape, scale } if !(shape * scale).is_finite() => fail(format!(
            "gamma mean = shape × scale = {shape:e} × {scale:e} is beyond the range of floating-point \
             numbers: express the input in another unit"
        )),
        Kind::Gamma { scale, .. } if !(*scale >= f64::MIN_POSITIVE) => fail(format!(
            "gamma scale = {scale:e} is below {:e}, the smallest normal floating-point number: \
             express the input in a smaller unit",
            f64::MIN_POSITIVE
        )),
        Kind::Discrete { values, weights } => validate_discrete(values, weights),
        _ => Ok(()),
    }
}

fn validate_discrete(values: &[f64], weights: &[f64]) -> Result<(), DistError> {
    if values.is_empty() || values.len() != weights.len() {
        return Err(DistError::new(format!(
            "discrete needs as many weights as values (found {} values, {} weights), at least one",
            values.len(),
            weights.len()
        )));
    }
    if !values.iter().all(|v| v.is_finite()) {
        return Err(DistError::new("discrete values must be finite numbers"));
    }
    if !weights.iter().all(|w| w.is_finite() && *w >= 0.0) || !(weights.iter().sum::<f64>() > 0.0) {
        return Err(DistError::new(
            "discrete weights must be non-negative, finite, and not all zero",
        ));
    }
    Ok(())
}

/// Keeps the values inside `[lo, hi]` (with positive weight) and normalises the weights to sum
/// to 1.
pub(crate) fn truncate_discrete(
    values: Vec<f64>,
    weights: Vec<f64>,
    lo: f64,
    hi: f64,
) -> Result<Kind, DistError> {
    super::check_bounds(lo, hi)?;
    let (values, weights): (Vec<f64>, Vec<f64>) = values
        .into_iter()
        .zip(weights)
        .filter(|(v, w)| *v >= lo && *v <= hi && *w > 0.0)
        .unzip();
    if values.is_empty() {
        return Err(DistError::new(format!(
            "truncate = [{lo}, {hi}] keeps none of the discrete values"
        )));
    }
    let total: f64 = weights.iter().sum();
    let weights = weights.iter().map(|w| w / total).collect();
    Ok(Kind::Discrete { values, weights })
}
