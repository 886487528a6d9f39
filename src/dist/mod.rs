//! Probability distributions for uncertain inputs: validated parameters, support, CDF, quantile
//! function and a fast sampler.
//!
//! A [`Dist`] is an immutable value, built only through validating constructors (see
//! [`parse`]), shared read-only across threads. The set of kinds is closed ([`Kind`]).
//!
//! Methods: samplers are rand_distr's (normal, lognormal, triangular, gamma, uniform); beta and
//! PERT are drawn exactly as `Ga / (Ga + Gb)` from two gamma variates (the method NumPy uses),
//! about twice as fast as rand_distr's Beta. CDFs and quantiles come from statrs (normal,
//! lognormal, beta, gamma) or closed forms (uniform, triangular, log-uniform, discrete).
//! Truncation to `[lo, hi]` is sampled by rejection when the kept probability mass is at least
//! [`REJECTION_MIN_MASS`], otherwise by the inverse-CDF method on `[F(lo), F(hi)]`; both are exact.

mod parse;
mod sample;

pub(crate) use parse::suggest;
pub use parse::{parse, parse_str, DistError, FORMS};

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF, Gamma, LogNormal, Normal};

/// Φ⁻¹(0.95): a P5–P95 interval spans ±this many standard deviations of a normal.
pub const Z_95: f64 = 1.644_853_626_951_472_2;

/// Truncations keeping at least this much probability mass are sampled by rejection.
pub const REJECTION_MIN_MASS: f64 = 0.25;

/// The closed set of distribution kinds, in their canonical parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "lowercase")]
pub enum Kind {
    /// Always `value`.
    Constant { value: f64 },
    /// Uniform on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Normal with mean and standard deviation.
    Normal { mean: f64, sd: f64 },
    /// `exp(Normal(mu, sigma))`.
    LogNormal { mu: f64, sigma: f64 },
    /// Triangular on `[min, max]` with peak at `mode`.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Beta-PERT on `[min, max]` with peak at `mode`; `shape` is 4 in the classic PERT.
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        shape: f64,
    },
    /// Beta on `(0, 1)`.
    Beta { alpha: f64, beta: f64 },
    /// Gamma with shape `k` and scale `θ` (mean `kθ`).
    Gamma { shape: f64, scale: f64 },
    /// `exp(Uniform(ln min, ln max))`.
    LogUniform { min: f64, max: f64 },
    /// Finite set of `values` with probabilities `weights` (normalised to sum to 1).
    Discrete { values: Vec<f64>, weights: Vec<f64> },
}

/// The set of values a distribution can produce: `[lo, hi]`, with an endpoint excluded when
/// the distribution cannot return it (lognormal and gamma never return 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Support {
    pub lo: f64,
    pub hi: f64,
    pub lo_open: bool,
    pub hi_open: bool,
}

/// A validated distribution, optionally truncated, ready to sample.
#[derive(Debug, Clone)]
pub struct Dist {
    kind: Kind,
    truncate: Option<Truncation>,
    sampler: sample::Sampler,
}

/// Truncation bounds and the probability mass the untruncated distribution puts inside them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Truncation {
    pub lo: f64,
    pub hi: f64,
    /// `F(hi) − F(lo)`, the probability mass kept.
    pub kept_mass: f64,
    #[serde(skip)]
    cdf_lo: f64,
}

impl Dist {
    /// A constant.
    pub fn constant(value: f64) -> Result<Dist, DistError> {
        Dist::new(Kind::Constant { value }, None)
    }

    /// Validates `kind` and an optional truncation `[lo, hi]` and builds the sampler.
    pub fn new(kind: Kind, truncate: Option<(f64, f64)>) -> Result<Dist, DistError> {
        parse::validate(&kind)?;
        let (kind, truncate) = match kind {
            Kind::Discrete { values, weights } => {
                let (lo, hi) = truncate.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                (parse::truncate_discrete(values, weights, lo, hi)?, None)
            }
            Kind::Constant { value } => {
                if let Some((lo, hi)) = truncate {
                    check_bounds(lo, hi)?;
                    if !(value >= lo && value <= hi) {
                        return Err(DistError::new(format!(
                            "the constant {value} lies outside truncate = [{lo}, {hi}]"
                        )));
                    }
                }
                (kind, None)
            }
            kind => {
                let truncate = match truncate {
                    Some((lo, hi)) => Some(make_truncation(&kind, lo, hi)?),
                    None => None,
                };
                (kind, truncate)
            }
        };
        let sampler = sample::Sampler::new(&kind)?;
        Ok(Dist {
            kind,
            truncate,
            sampler,
        })
    }

    /// The kind and its canonical parameters.
    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// The truncation, if any.
    pub fn truncation(&self) -> Option<Truncation> {
        self.truncate
    }

    /// `Some(value)` when the distribution always returns one value.
    pub fn as_constant(&self) -> Option<f64> {
        match &self.kind {
            Kind::Constant { value } => Some(*value),
            Kind::Discrete { values, .. } if values.len() == 1 => Some(values[0]),
            _ => None,
        }
    }

    /// The values the distribution can produce, truncation included.
    pub fn support(&self) -> Support {
        let s = raw_support(&self.kind);
        match self.truncate {
            Some(t) => Support {
                lo: s.lo.max(t.lo),
                hi: s.hi.min(t.hi),
                lo_open: s.lo_open && s.lo >= t.lo,
                hi_open: s.hi_open && s.hi <= t.hi,
            },
            None => s,
        }
    }

    /// The cumulative distribution function `P(X ≤ x)`, truncation included.
    pub fn cdf(&self, x: f64) -> f64 {
        match self.truncate {
            None => raw_cdf(&self.kind, x),
            Some(t) if x < t.lo => 0.0,
            Some(t) if x >= t.hi => 1.0,
            Some(t) => ((raw_cdf(&self.kind, x) - t.cdf_lo) / t.kept_mass).clamp(0.0, 1.0),
        }
    }

    /// The quantile function `inf { x : F(x) ≥ p }` for `p` in `[0, 1]`, truncation included.
    pub fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        match self.truncate {
            None => raw_quantile(&self.kind, p),
            Some(t) => raw_quantile(&self.kind, t.cdf_lo + p * t.kept_mass).clamp(t.lo, t.hi),
        }
    }

    /// The median, `quantile(0.5)`.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// A short human description, e.g. `lognormal(P5 1000, P95 3000)`.
    pub fn describe(&self) -> String {
        let base = describe_kind(&self.kind);
        match self.truncate {
            Some(t) => format!("{base} truncated to [{}, {}]", t.lo, t.hi),
            None => base,
        }
    }
}

fn check_bounds(lo: f64, hi: f64) -> Result<(), DistError> {
    if lo.is_nan() || hi.is_nan() || !(hi > lo) {
        return Err(DistError::new(format!(
            "truncate = [{lo}, {hi}] needs lo < hi (use inf for an open end)"
        )));
    }
    Ok(())
}

fn make_truncation(kind: &Kind, lo: f64, hi: f64) -> Result<Truncation, DistError> {
    check_bounds(lo, hi)?;
    let cdf_lo = raw_cdf(kind, lo);
    let kept_mass = raw_cdf(kind, hi) - cdf_lo;
    if !(kept_mass > 1e-12) {
        return Err(DistError::new(format!(
            "truncate = [{lo}, {hi}] keeps no probability mass of {}; widen it",
            describe_kind(kind)
        )));
    }
    Ok(Truncation {
        lo,
        hi,
        kept_mass,
        cdf_lo,
    })
}

fn raw_support(kind: &Kind) -> Support {
    let closed = |lo: f64, hi: f64| Support {
        lo,
        hi,
        lo_open: false,
        hi_open: false,
    };
    let open = |lo: f64, hi: f64| Support {
        lo,
        hi,
        lo_open: true,
        hi_open: true,
    };
    match kind {
        Kind::Constant { value } => closed(*value, *value),
        Kind::Uniform { min, max }
        | Kind::Triangular { min, max, .. }
        | Kind::Pert { min, max, .. }
        | Kind::LogUniform { min, max } => closed(*min, *max),
        Kind::Normal { .. } => open(f64::NEG_INFINITY, f64::INFINITY),
        Kind::LogNormal { .. } | Kind::Gamma { .. } => open(0.0, f64::INFINITY),
        Kind::Beta { .. } => open(0.0, 1.0),
        Kind::Discrete { values, .. } => closed(
            values.iter().copied().fold(f64::INFINITY, f64::min),
            values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ),
    }
}

fn statrs_normal(mean: f64, sd: f64) -> Normal {
    Normal::new(mean, sd).expect("validated normal parameters")
}

fn statrs_beta(alpha: f64, beta: f64) -> Beta {
    Beta::new(alpha, beta).expect("validated beta parameters")
}

fn pert_shapes(min: f64, mode: f64, max: f64, shape: f64) -> (f64, f64) {
    let range = max - min;
    (
        1.0 + shape * (mode - min) / range,
        1.0 + shape * (max - mode) / range,
    )
}

fn raw_cdf(kind: &Kind, x: f64) -> f64 {
    match kind {
        Kind::Constant { value } => f64::from(u8::from(x >= *value)),
        Kind::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
        Kind::Normal { mean, sd } => statrs_normal(*mean, *sd).cdf(x),
        Kind::LogNormal { mu, sigma } => LogNormal::new(*mu, *sigma)
            .expect("validated lognormal parameters")
            .cdf(x),
        Kind::Triangular { min, mode, max } => triangular_cdf(*min, *mode, *max, x),
        Kind::Pert {
            min,
            mode,
            max,
            shape,
        } => {
            let (a, b) = pert_shapes(*min, *mode, *max, *shape);
            statrs_beta(a, b).cdf(((x - min) / (max - min)).clamp(0.0, 1.0))
        }
        Kind::Beta { alpha, beta } => statrs_beta(*alpha, *beta).cdf(x.clamp(0.0, 1.0)),
        Kind::Gamma { shape, scale } => Gamma::new(*shape, 1.0 / scale)
            .expect("validated gamma parameters")
            .cdf(x.max(0.0)),
        Kind::LogUniform { min, max } => {
            ((x.max(*min).ln() - min.ln()) / (max.ln() - min.ln())).clamp(0.0, 1.0)
        }
        Kind::Discrete { values, weights } => values
            .iter()
            .zip(weights)
            .filter(|(v, _)| **v <= x)
            .map(|(_, w)| w)
            .sum::<f64>()
            .min(1.0),
    }
}

fn triangular_cdf(min: f64, mode: f64, max: f64, x: f64) -> f64 {
    if x <= min {
        0.0
    } else if x >= max {
        1.0
    } else if x <= mode {
        (x - min).powi(2) / ((max - min) * (mode - min))
    } else {
        1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
    }
}

fn raw_quantile(kind: &Kind, p: f64) -> f64 {
    match kind {
        Kind::Constant { value } => *value,
        Kind::Uniform { min, max } => min + p * (max - min),
        Kind::Normal { mean, sd } => statrs_normal(*mean, *sd).inverse_cdf(p),
        Kind::LogNormal { mu, sigma } => {
            (mu + sigma * statrs_normal(0.0, 1.0).inverse_cdf(p)).exp()
        }
        Kind::Triangular { min, mode, max } => {
            let split = (mode - min) / (max - min);
            if p <= split {
                min + (p * (max - min) * (mode - min)).sqrt()
            } else {
                max - ((1.0 - p) * (max - min) * (max - mode)).sqrt()
            }
        }
        Kind::Pert {
            min,
            mode,
            max,
            shape,
        } => {
            let (a, b) = pert_shapes(*min, *mode, *max, *shape);
            min + (max - min) * beta_quantile(a, b, p)
        }
        Kind::Beta { alpha, beta } => beta_quantile(*alpha, *beta, p),
        Kind::Gamma { shape, scale } => {
            let gamma = Gamma::new(*shape, 1.0 / scale).expect("validated gamma parameters");
            refine_positive(&|x| gamma.cdf(x), p, gamma.inverse_cdf(p), f64::INFINITY)
        }
        Kind::LogUniform { min, max } => (min.ln() + p * (max.ln() - min.ln())).exp(),
        Kind::Discrete { values, weights } => discrete_quantile(values, weights, p),
    }
}

/// The beta quantile: statrs' answer, refined where it misses. Upper-tail levels use the
/// mirror identity `Q(a, b; p) = 1 − Q(b, a; 1 − p)` so the refinement works near 0.
fn beta_quantile(alpha: f64, beta: f64, p: f64) -> f64 {
    if p > 0.5 {
        return 1.0 - beta_quantile(beta, alpha, 1.0 - p);
    }
    let distribution = statrs_beta(alpha, beta);
    refine_positive(
        &|x| distribution.cdf(x),
        p,
        distribution.inverse_cdf(p),
        1.0,
    )
}

/// Accepts a quantile guess `x` if `F(x)` matches `p` (to 1e-9 relative, 1e-13 absolute);
/// otherwise bisects on `ln x` over `(0, upper]` to 1e-14 relative. statrs' gamma and beta
/// quantiles give up after a fixed number of iterations and can be wrong by many orders of
/// magnitude in the far lower tail (shape < 1, `p` < 1e-5).
fn refine_positive(cdf: &dyn Fn(f64) -> f64, p: f64, guess: f64, upper: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    let usable = guess > 0.0 && guess < upper;
    if usable && (cdf(guess) - p).abs() <= (1e-9 * p).max(1e-13) {
        return guess;
    }
    let start = if usable { guess } else { upper.min(1.0) * 0.5 };
    let (mut lo, mut hi) = (start, start);
    while lo > 1e-300 && cdf(lo) > p {
        lo /= 16.0;
    }
    while hi < upper && cdf(hi) < p {
        hi = (hi * 16.0).min(upper);
    }
    for _ in 0..2000 {
        let mid = (lo * hi).sqrt();
        if !(mid > lo && mid < hi) || hi / lo - 1.0 < 1e-14 {
            break;
        }
        if cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

fn discrete_quantile(values: &[f64], weights: &[f64], p: f64) -> f64 {
    let mut pairs: Vec<(f64, f64)> = values
        .iter()
        .copied()
        .zip(weights.iter().copied())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cumulative = 0.0;
    for (value, weight) in &pairs {
        cumulative += weight;
        if cumulative >= p - 1e-12 && *weight > 0.0 {
            return *value;
        }
    }
    pairs.last().map_or(f64::NAN, |pair| pair.0)
}

fn describe_kind(kind: &Kind) -> String {
    match kind {
        Kind::Constant { value } => format!("{value}"),
        Kind::Uniform { min, max } => format!("uniform({min}, {max})"),
        Kind::Normal { mean, sd } => format!("normal(mean {mean}, sd {sd})"),
        Kind::LogNormal { mu, sigma } => {
            let p5 = (mu - Z_95 * sigma).exp();
            let p95 = (mu + Z_95 * sigma).exp();
            format!("lognormal(P5 {}, P95 {})", sig(p5), sig(p95))
        }
        Kind::Triangular { min, mode, max } => format!("triangular({min}, {mode}, {max})"),
        Kind::Pert {
            min,
            mode,
            max,
            shape,
        } => format!("pert({min}, {mode}, {max}, shape {shape})"),
        Kind::Beta { alpha, beta } => format!("beta(α {}, β {})", sig(*alpha), sig(*beta)),
        Kind::Gamma { shape, scale } => {
            format!("gamma(shape {}, scale {})", sig(*shape), sig(*scale))
        }
        Kind::LogUniform { min, max } => format!("loguniform({min}, {max})"),
        Kind::Discrete { values, .. } => format!("discrete({} values)", values.len()),
    }
}

/// Formats with 5 significant digits, dropping trailing zeros.
fn sig(x: f64) -> String {
    crate::format::significant(x, 5)
}

#[cfg(test)]
mod tests;
