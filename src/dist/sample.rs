//! Samplers: one variant per kind, holding its precomputed state (rand_distr's, or
//! [`GammaSampler`]'s for gamma, beta and PERT).
//!
//! `fill` matches on the kind once per buffer, then loops, so the per-draw cost is the
//! sampler's own. Beta and PERT draw `Ga / (Ga + Gb)` from two gamma variates (exact; see
//! [`beta_draw`]). Truncated draws are described in the parent module.

use super::gamma::{beta_draw, GammaSampler};
use super::{raw_quantile, Dist, DistError, Kind, Truncation, REJECTION_MIN_MASS};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, LogNormal, Normal, Triangular};

/// Rejection rounds of a truncated draw before it falls back to the inverse CDF. With at least
/// [`REJECTION_MIN_MASS`] kept, all of them miss with probability `0.75¹²⁸ < 1e-15`; the bound
/// matters only if the kept mass is overestimated (an inaccurate CDF).
pub const REJECTION_MAX_ROUNDS: usize = 128;

#[derive(Debug, Clone)]
pub(super) enum Sampler {
    Constant(f64),
    Uniform {
        min: f64,
        range: f64,
    },
    Normal(Normal<f64>),
    LogNormal(LogNormal<f64>),
    Triangular(Triangular<f64>),
    /// `min + range · Ga / (Ga + Gb)`: beta (min 0, range 1) and PERT.
    ScaledBeta {
        ga: GammaSampler,
        gb: GammaSampler,
        min: f64,
        range: f64,
    },
    Gamma(GammaSampler),
    LogUniform {
        ln_min: f64,
        ln_range: f64,
    },
    Discrete {
        cumulative: Vec<f64>,
        values: Vec<f64>,
    },
}

fn rejected(what: &str, error: impl std::fmt::Display) -> DistError {
    DistError::new(format!("invalid {what} parameters: {error}"))
}

fn gamma(shape: f64) -> GammaSampler {
    GammaSampler::new(shape, 1.0)
}

impl Sampler {
    pub(super) fn new(kind: &Kind) -> Result<Sampler, DistError> {
        Ok(match kind {
            Kind::Constant { value } => Sampler::Constant(*value),
            Kind::Uniform { min, max } => Sampler::Uniform {
                min: *min,
                range: max - min,
            },
            Kind::Normal { mean, sd } => {
                Sampler::Normal(Normal::new(*mean, *sd).map_err(|e| rejected("normal", e))?)
            }
            Kind::LogNormal { mu, sigma } => Sampler::LogNormal(
                LogNormal::new(*mu, *sigma).map_err(|e| rejected("lognormal", e))?,
            ),
            Kind::Triangular { min, mode, max } => Sampler::Triangular(
                Triangular::new(*min, *max, *mode).map_err(|e| rejected("triangular", e))?,
            ),
            Kind::Pert {
                min,
                mode,
                max,
                shape,
            } => {
                let (a, b) = super::pert_shapes(*min, *mode, *max, *shape);
                Sampler::ScaledBeta {
                    ga: gamma(a),
                    gb: gamma(b),
                    min: *min,
                    range: max - min,
                }
            }
            Kind::Beta { alpha, beta } => Sampler::ScaledBeta {
                ga: gamma(*alpha),
                gb: gamma(*beta),
                min: 0.0,
                range: 1.0,
            },
            Kind::Gamma { shape, scale } => Sampler::Gamma(GammaSampler::new(*shape, *scale)),
            Kind::LogUniform { min, max } => Sampler::LogUniform {
                ln_min: min.ln(),
                ln_range: max.ln() - min.ln(),
            },
            Kind::Discrete { values, weights } => Sampler::Discrete {
                cumulative: weights
                    .iter()
                    .scan(0.0, |sum, w| {
                        *sum += w;
                        Some(*sum)
                    })
                    .collect(),
                values: values.clone(),
            },
        })
    }

    /// One draw.
    #[inline]
    fn one<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Constant(value) => *value,
            Sampler::Uniform { min, range } => min + range * rng.random::<f64>(),
            Sampler::Normal(d) => d.sample(rng),
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::ScaledBeta { ga, gb, min, range } => min + range * beta_draw(ga, gb, rng),
            Sampler::Gamma(d) => d.sample(rng),
            Sampler::LogUniform { ln_min, ln_range } => {
                (ln_min + ln_range * rng.random::<f64>()).exp()
            }
            Sampler::Discrete { cumulative, values } => {
                let u = rng.random::<f64>() * cumulative[cumulative.len() - 1];
                let index = cumulative.partition_point(|c| *c <= u);
                values[index.min(values.len() - 1)]
            }
        }
    }

    /// Fills `out` with independent draws; the match is hoisted out of the loop.
    fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        macro_rules! each {
            ($draw:expr) => {
                out.iter_mut().for_each(|x| *x = $draw)
            };
        }
        match self {
            Sampler::Constant(value) => out.fill(*value),
            Sampler::Uniform { min, range } => each!(min + range * rng.random::<f64>()),
            Sampler::Normal(d) => each!(d.sample(rng)),
            Sampler::LogNormal(d) => each!(d.sample(rng)),
            Sampler::Triangular(d) => each!(d.sample(rng)),
            Sampler::ScaledBeta { ga, gb, min, range } => {
                each!(min + range * beta_draw(ga, gb, rng))
            }
            Sampler::Gamma(d) => each!(d.sample(rng)),
            _ => each!(self.one(rng)),
        }
    }
}

impl Dist {
    /// Fills `out` with independent draws from this distribution, consuming `rng` in order, so
    /// that the first `k` values of a longer fill equal a fill of length `k`.
    pub fn fill<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        match self.truncate {
            None => self.sampler.fill(rng, out),
            Some(t) if t.kept_mass >= REJECTION_MIN_MASS => {
                for x in out.iter_mut() {
                    *x = self.truncated_by_rejection(t, rng);
                }
            }
            Some(t) => {
                for x in out.iter_mut() {
                    *x = self.truncated_by_inversion(t, rng);
                }
            }
        }
    }

    /// A draw inside `t` by rejection, falling back to inversion after
    /// [`REJECTION_MAX_ROUNDS`] misses. Every round is an independent draw, so the result is
    /// exactly the truncated distribution whichever way it ends.
    fn truncated_by_rejection<R: Rng + ?Sized>(&self, t: Truncation, rng: &mut R) -> f64 {
        for _ in 0..REJECTION_MAX_ROUNDS {
            let draw = self.sampler.one(rng);
            if draw >= t.lo && draw <= t.hi {
                return draw;
            }
        }
        self.truncated_by_inversion(t, rng)
    }

    /// A draw inside `t` by the inverse-CDF method on `[F(lo), F(hi)]`.
    fn truncated_by_inversion<R: Rng + ?Sized>(&self, t: Truncation, rng: &mut R) -> f64 {
        let u = t.cdf_lo + t.kept_mass * rng.random::<f64>();
        raw_quantile(&self.kind, u).clamp(t.lo, t.hi)
    }

    /// One draw (convenience for tests and small jobs; prefer [`Dist::fill`]).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let mut out = [0.0];
        self.fill(rng, &mut out);
        out[0]
    }
}
