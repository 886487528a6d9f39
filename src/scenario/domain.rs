//! Checks that each input's distribution stays inside the input's domain (e.g. utilization in
//! (0, 1]): a distribution that could produce an impossible value is an error, with the
//! probability of doing so and a fix.

use super::{InputOrigin, ResolvedInput, ScenarioError};
use crate::dist::{Dist, Kind};
use crate::format::significant;
use crate::model::Domain;

pub(super) fn check(resolved: &ResolvedInput, origin: &str) -> Result<(), ScenarioError> {
    let info = resolved.input.info();
    let set = resolved.origin == InputOrigin::Set;
    let origin = if set { "--set" } else { origin };
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
            "{value} is out of range: {} must be {}{}",
            info.name,
            info.domain.describe(),
            percent_hint(info.domain, value, true, set, info.name)
        ));
    }
    let below = if low_ok { 0.0 } else { dist.cdf(lo) };
    let above = if high_ok { 0.0 } else { 1.0 - dist.cdf(hi) };
    let outside = if low_ok { above } else { below };
    let side = if low_ok { "above" } else { "below" };
    let edge = if low_ok { hi } else { lo };
    let fix = Fix {
        dist,
        name: info.name,
        domain: info.domain,
        set,
        low_ok,
    };
    fail(format!(
        "{} can fall {side} {edge} (probability {outside:.2e}), but {} must be {}{}; {}",
        dist.describe(),
        info.name,
        info.domain.describe(),
        percent_hint(info.domain, dist.median(), false, set, info.name),
        fix.advice(below + above)
    ))
}

/// For a fraction given as a percentage (`utilization = 40`): what was meant, written both
/// ways (for a distribution, with its median). Empty unless the domain is a fraction and
/// `value` is in (1, 100].
fn percent_hint(domain: Domain, value: f64, constant: bool, set: bool, name: &str) -> String {
    if !(domain.is_fraction() && value > 1.0 && value <= 100.0) {
        return String::new();
    }
    let meant = significant(value / 100.0, 6);
    let percent = match set {
        true => format!("{}%", significant(value, 6)),
        false => format!("\"{}%\"", significant(value, 6)),
    };
    match constant {
        true => format!(
            "; fractions are between 0 and 1: did you mean {} (or {})?",
            written(set, name, &meant),
            written(set, name, &percent)
        ),
        false => format!(
            " (fractions are between 0 and 1: a median of {} looks like a percentage; write \
             percentages as {meant} or {percent})",
            significant(value, 6)
        ),
    }
}

/// The probability outside the domain below which truncating is offered: so little that
/// cutting it off leaves the distribution as the user meant it.
const TRUNCATE_MAX_OUTSIDE: f64 = 1e-3;

/// How to fix a distribution that leaves its input's domain.
struct Fix<'a> {
    dist: &'a Dist,
    name: &'static str,
    domain: Domain,
    /// Given with `--set`: advice is written as a `--set`.
    set: bool,
    /// Whether the distribution stays above the domain's lower end.
    low_ok: bool,
}

impl Fix<'_> {
    /// Distributions that stay in the domain, written with the user's own ends, and, when
    /// little probability (`outside`) is outside the domain, the truncation to add.
    fn advice(&self, outside: f64) -> String {
        let mut advice = self.stays_in_range();
        if outside < TRUNCATE_MAX_OUTSIDE {
            advice.push_str(&format!(
                "; or, as only {outside:.1e} of its probability is outside, truncate it: {}",
                self.truncation()
            ));
        }
        advice
    }

    fn stays_in_range(&self) -> String {
        let (lo, hi, lo_open) = self.domain.bounds();
        let range = self.domain.describe();
        let Some((a, b)) = ends(self.dist, lo, hi, lo_open) else {
            let kinds = if hi.is_finite() {
                "beta, pert, triangular or uniform".to_string()
            } else if lo > 0.0 {
                format!("pert, triangular or uniform with min {range}")
            } else {
                "lognormal or gamma".to_string()
            };
            return format!("use a distribution that stays {range} ({kinds})");
        };
        let (a_text, b_text) = (significant(a, 4), significant(b, 4));
        if hi.is_finite() || lo > 0.0 {
            let mode = significant(0.5 * (a + b), 4);
            format!(
                "use a distribution that stays {range}, with your own ends: {} or {} (or {})",
                self.written(&format!(
                    "{{ dist = \"uniform\", min = {a_text}, max = {b_text} }}"
                )),
                self.written(&format!(
                    "{{ dist = \"pert\", min = {a_text}, mode = {mode}, max = {b_text} }}"
                )),
                match hi.is_finite() {
                    true => "beta, triangular",
                    false => "triangular",
                }
            )
        } else {
            format!(
                "use a distribution that stays {range}, with your own ends: {} (a lognormal with P5 {a_text} and P95 {b_text}), or a gamma",
                self.written(&format!("\"{a_text} to {b_text}\""))
            )
        }
    }

    /// The truncation to the domain, written out in full for a lognormal (which `"a to b"`
    /// gives and which then has no table to add `truncate` to).
    fn truncation(&self) -> String {
        let (lo, hi, lo_open) = self.domain.bounds();
        let hi_text = if hi.is_finite() {
            hi.to_string()
        } else {
            "inf".to_string()
        };
        if !self.low_ok && lo_open {
            return format!("add truncate = [0.001, {hi_text}] (any lower bound above {lo})");
        }
        let range = format!("[{lo}, {hi_text}]");
        match (self.dist.kind(), self.dist.truncation()) {
            (Kind::LogNormal { .. }, None) => self.written(&format!(
                "{{ dist = \"lognormal\", p5 = {}, p95 = {}, truncate = {range} }}",
                significant(self.dist.quantile(0.05), 6),
                significant(self.dist.quantile(0.95), 6)
            )),
            _ => format!("add truncate = {range}"),
        }
    }

    fn written(&self, value: &str) -> String {
        written(self.set, self.name, value)
    }
}

/// `value` as the user writes it for input `name`: in the scenario file, or with `--set`.
fn written(set: bool, name: &str, value: &str) -> String {
    match set {
        true => format!("--set '{name}={value}'"),
        false => format!("{name} = {value}"),
    }
}

/// The user's own ends, inside the domain: the support's ends where they are in it, else the
/// 5th and 95th percentiles (the ends of `"a to b"`). `None` when those are not in it either.
fn ends(dist: &Dist, lo: f64, hi: f64, lo_open: bool) -> Option<(f64, f64)> {
    let inside = |x: f64| x.is_finite() && (x > lo || (x == lo && !lo_open)) && x <= hi;
    let support = dist.support();
    let a = match inside(support.lo) {
        true => support.lo,
        false if !lo_open => dist.quantile(0.05).max(lo),
        false => dist.quantile(0.05),
    };
    let b = match inside(support.hi) {
        true => support.hi,
        false => dist.quantile(0.95),
    };
    (inside(a) && inside(b) && a < b).then_some((a, b))
}

fn whole_numbers(kind: &Kind) -> bool {
    let whole = |x: f64| x >= 1.0 && x.fract() == 0.0;
    match kind {
        Kind::Constant { value } => whole(*value),
        Kind::Discrete { values, .. } => values.iter().all(|v| whole(*v)),
        _ => false,
    }
}
