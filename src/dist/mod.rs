//! Probability distributions for uncertain inputs: validated parameters, support, CDF, quantile
//! function and a fast sampler.
//!
//! A [`Dist`] is an immutable value, built only through validating constructors (see
//! [`parse`]), shared read-only across threads. The set of kinds is closed ([`Kind`]).
//!
//! Methods: samplers are rand_distr's (normal, lognormal, triangular, uniform); gamma is
//! Marsaglia and Tsang's method (module `gamma`, bit-identical to rand_distr's), with shapes below 1
//! boosted in log space so tiny shapes neither underflow nor loop; beta and PERT are drawn as
//! `Ga / (Ga + Gb)` from two gamma variates (the method NumPy uses), about twice as fast as
//! rand_distr's Beta, and as `1 / (1 + exp(ln Gb − ln Ga))` where the plain ratio would be
//! 0/0. CDFs come from statrs (normal, lognormal, beta, gamma) or closed forms (uniform,
//! triangular, log-uniform, discrete); quantiles are described in module `quantile`.
//!
//! Truncation to `[lo, hi]` is sampled by rejection when the kept probability mass is at least
//! [`REJECTION_MIN_MASS`], for at most [`REJECTION_MAX_ROUNDS`] rounds, then by the inverse-CDF
//! method on `[F(lo), F(hi)]`; with less mass, by the inverse-CDF method alone. Both are exact,
//! and so is their combination (a draw that falls back is still a draw from the truncated
//! distribution).
//!
//! Termination: every sampler and quantile ends after a bounded amount of work for every
//! parameter that validation accepts. The one loop whose length is random is Marsaglia–Tsang's,
//! which accepts with probability above 0.95 whatever the shape. Validation keeps shapes where
//! this holds: beta α, β and gamma shape at least [`SHAPE_MIN`] (1e-300, below which even the
//! logarithm of a draw overflows), gamma shape at most [`GAMMA_SHAPE_MAX`] (statrs' gamma CDF
//! slows down with the square root of the shape), gamma scale a normal floating-point number.

mod beta_inverse;
mod gamma;
mod parse;
mod quantile;
mod quantile_table;
mod sample;
mod suggest;

pub use gamma::SHAPE_MIN;
pub use parse::GAMMA_SHAPE_MAX;
pub use quantile_table::QuantileTable;
pub use sample::REJECTION_MAX_ROUNDS;

pub use parse::{parse, parse_as, parse_str, parse_str_as, DistError, FORMS};
pub(crate) use suggest::{suggest, suggest_close};

use quantile::raw_quantile;
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
    Constant {
        /// The value.
        value: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
    },
    /// Normal with mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// `exp(Normal(mu, sigma))`.
    LogNormal {
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// Triangular on `[min, max]` with peak at `mode`.
    Triangular {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
    },
    /// Beta-PERT on `[min, max]` with peak at `mode`; `shape` is 4 in the classic PERT.
    Pert {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
        /// Weight of the mode (4 in the classic PERT; higher is more peaked).
        shape: f64,
    },
    /// Beta on `(0, 1)`.
    Beta {
        /// First shape parameter α.
        alpha: f64,
        /// Second shape parameter β.
        beta: f64,
    },
    /// Gamma with shape `k` and scale `θ` (mean `kθ`).
    Gamma {
        /// Shape `k`.
        shape: f64,
        /// Scale `θ`.
        scale: f64,
    },
    /// `exp(Uniform(ln min, ln max))`.
    LogUniform {
        /// Lower end (above 0).
        min: f64,
        /// Upper end.
        max: f64,
    },
    /// Finite set of `values` with probabilities `weights` (normalised to sum to 1).
    Discrete {
        /// The values.
        values: Vec<f64>,
        /// Their probabilities.
        weights: Vec<f64>,
    },
}

/// The set of values a distribution can produce: `[lo, hi]`, with an endpoint excluded when
/// the distribution cannot return it (lognormal and gamma never return 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Support {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Whether `lo` itself cannot be drawn.
    pub lo_open: bool,
    /// Whether `hi` itself cannot be drawn.
    pub hi_open: bool,
}

/// A validated distribution, optionally truncated, ready to sample.
#[derive(Debug, Clone)]
pub struct Dist {
    kind: Kind,
    truncate: Option<Truncation>,
    sampler: sample::Sampler,
    /// The verified quantile table, built on first use by a design run (see
    /// [`Dist::quantile_table`]).
    table: std::sync::OnceLock<Option<QuantileTable>>,
}

/// Truncation bounds and the probability mass the untruncated distribution puts inside them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Truncation {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
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
        let dist = Dist {
            kind,
            truncate,
            sampler,
            table: std::sync::OnceLock::new(),
        };
        // Parameters each within range can still put the median beyond it (a gamma whose mean
        // is just below the largest double): every result is then infinite.
        let median = dist.median();
        if !median.is_finite() {
            return Err(DistError::new(format!(
                "the median of this distribution is {median}, beyond the range of floating-point \
                 numbers (about {:e}): express the input in another unit",
                f64::MAX
            )));
        }
        Ok(dist)
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

    /// The verified table of this distribution's quantile function ([`QuantileTable`]), built
    /// on the first call (about 20,000 exact quantiles, tens of milliseconds) and kept;
    /// `None` when the exact quantile is cheap or no table passes verification.
    pub fn quantile_table(&self) -> Option<&QuantileTable> {
        self.table.get_or_init(|| QuantileTable::new(self)).as_ref()
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

fn statrs_gamma(shape: f64, scale: f64) -> Gamma {
    Gamma::new(shape, 1.0 / scale).expect("validated gamma parameters")
}

/// statrs' gamma CDF `P(a, x·rate)`, where statrs would panic: 1 where `x·rate` overflows
/// (a tiny scale and a large `x`), and the leading term of its series, `z^a / Γ(a + 1)` (exact
/// to a relative `z`), where `z = x·rate` is below the normal range (statrs panics at 0).
fn gamma_cdf(gamma: &Gamma, x: f64) -> f64 {
    let z = x * gamma.rate();
    if !(x > 0.0) || (z >= f64::MIN_POSITIVE && z.is_finite()) {
        gamma.cdf(x)
    } else if z.is_infinite() {
        1.0
    } else {
        let shape = gamma.shape();
        let ln_z = x.ln() + gamma.rate().ln();
        (shape * ln_z - statrs::function::gamma::ln_gamma(shape + 1.0))
            .exp()
            .min(1.0)
    }
}

/// The beta shapes of a PERT: `1 + shape · (mode − min) / (max − min)` and its mirror, the
/// ratio taken first so that no product overflows.
fn pert_shapes(min: f64, mode: f64, max: f64, shape: f64) -> (f64, f64) {
    let range = max - min;
    (
        1.0 + shape * ((mode - min) / range),
        1.0 + shape * ((max - mode) / range),
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
        Kind::Gamma { shape, scale } => gamma_cdf(&statrs_gamma(*shape, *scale), x.max(0.0)),
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
