//! Checks that each input's distribution stays inside the input's domain (e.g. utilization in
//! (0, 1]): a distribution that could produce an impossible value is an error, with the
//! probability of doing so and a fix.

use super::{ResolvedInput, ScenarioError};
use crate::dist::Kind;
use crate::model::Domain;

pub(super) fn check(resolved: &ResolvedInput, origin: &str) -> Result<(), ScenarioError> {
    let info = resolved.input.info();
    let field = format!("inputs.{}", info.name);
    let fail = |message: String| Err(ScenarioError::field(origin, &field, message));
    let dist = &resolved.dist;
    if info.domain == Domain::WholeNumber {
        return match whole_numbers(dist.kind()) {
            true => Ok(()),
            false => fail(format!(
                "{} must be {}: use a whole number or {{ dist = \"discrete\", values = [4, 8], weights = [0.5, 0.5] }}",
                info.name,
                info.domain.describe()
            )),
        };
    }
    let (lo, hi, lo_open) = info.domain.bounds();
    let support = dist.support();
    let low_ok = support.lo > lo || (support.lo == lo && (support.lo_open || !lo_open));
    let high_ok = support.hi <= hi;
    if low_ok && high_ok {
        return Ok(());
    }
    if let Some(value) = dist.as_constant() {
        return fail(format!(
            "{value} is out of range: {} must be {}",
            info.name,
            info.domain.describe()
        ));
    }
    let outside = if low_ok {
        1.0 - dist.cdf(hi)
    } else {
        dist.cdf(lo)
    };
    let side = if low_ok { "above" } else { "below" };
    let edge = if low_ok { hi } else { lo };
    fail(format!(
        "{} can fall {side} {edge} (probability {outside:.2e}), but {} must be {}; {}",
        dist.describe(),
        info.name,
        info.domain.describe(),
        fix(lo, hi, lo_open)
    ))
}

fn fix(lo: f64, hi: f64, lo_open: bool) -> String {
    let hi_text = if hi.is_finite() {
        hi.to_string()
    } else {
        "inf".to_string()
    };
    let range = if lo_open {
        format!("[0.001, {hi_text}] (any lower bound above {lo})")
    } else {
        format!("[{lo}, {hi_text}]")
    };
    format!(
        "add truncate = {range}, or use a distribution that stays in range (lognormal, gamma, beta, pert, triangular)"
    )
}

fn whole_numbers(kind: &Kind) -> bool {
    let whole = |x: f64| x >= 1.0 && x.fract() == 0.0;
    match kind {
        Kind::Constant { value } => whole(*value),
        Kind::Discrete { values, .. } => values.iter().all(|v| whole(*v)),
        _ => false,
    }
}
