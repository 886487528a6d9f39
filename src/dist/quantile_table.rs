//! Tabulated quantile functions for the Latin hypercube and Sobol designs, which map every
//! sample's level through the quantile: the exact beta (and PERT) quantile ([`Dist::quantile`])
//! costs about a microsecond (an AS 109 inverse checked against the CDF), the normal's (and so
//! the lognormal's) an inverse error function, a table read about twenty nanoseconds. Beta and
//! PERT get their own table; normal and lognormal share the standard normal's, mapped through
//! `μ + σz` or `exp(μ + σz)` (a truncation moves the level into the kept mass first and clamps
//! the value after, as the exact quantile does).
//!
//! Method: the quantile `Q` as a function of the log-odds `t = ln(p / (1 − p))`, tabulated at
//! 8,193 equally spaced nodes over `|t| ≤ 12` (levels `6.1e-6` to `1 − 6.1e-6`) with its exact
//! value and exact slope `dQ/dt = p(1 − p) / f(Q)` (`f` the density), and read between nodes by
//! cubic Hermite interpolation (Fritsch & Carlson 1980 give the form), clamped to the two
//! nodes' values so that it is monotone and inside the support. In `t` the beta quantile's
//! tails are exponentials (`Q ≈ c·p^(1/α)` near 0), whose derivatives stay bounded, so equal
//! steps in `t` suit both the body and the tails.
//!
//! Verified, not assumed: a table is kept only when, at the midpoint of every one of its
//! intervals (where a cubic Hermite interpolant's error peaks), it agrees with the exact
//! quantile to [`TOLERANCE`] of the distribution's tabulated range, plus what rounding the
//! level moves the quantile by (which the exact quantile cannot escape either). A shape for which it does
//! not (e.g. a very small `α`) keeps the exact quantile, as do levels beyond the nodes. The
//! exact quantile itself accepts a value whose CDF is within `1e-9` (relative) of the level,
//! a looser bound than the table's.

use super::{pert_shapes, Dist, Kind, Truncation};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use statrs::function::beta::ln_beta;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Largest |log-odds| tabulated.
const T_MAX: f64 = 12.0;

/// Intervals between nodes.
const INTERVALS: usize = 8192;

/// Largest difference from the exact quantile accepted at the verification points, as a share
/// of the tabulated range `Q(nodes.last) − Q(nodes.first)`.
pub const TOLERANCE: f64 = 1e-12;

/// The difference from the exact quantile accepted where the density is `density`: [`TOLERANCE`] of the tabulated `span`, plus what rounding the level itself (half
/// an ulp of a number near 1, i.e. `ε/2`) moves the quantile, `4ε · dQ/dp`, which near the
/// upper end of the table is the larger.
fn allowed(span: f64, density: f64) -> f64 {
    TOLERANCE * span + 4.0 * f64::EPSILON / density
}

/// A verified table of one distribution's quantile function: its own nodes (beta, PERT), or
/// the standard normal's, shared, mapped through `μ + σz` (normal) or `exp(μ + σz)`
/// (lognormal).
#[derive(Debug, Clone)]
pub struct QuantileTable {
    nodes: Cow<'static, Nodes>,
    map: Map,
}

/// Values and slopes at the nodes.
#[derive(Debug, Clone)]
struct Nodes {
    /// `Q` at each node.
    values: Vec<f64>,
    /// `dQ/dt · h` at each node (`h` the node spacing).
    slopes: Vec<f64>,
}

/// How a level and a node value become the distribution's quantile.
#[derive(Debug, Clone, Copy)]
enum Map {
    /// The nodes are the distribution's own quantile (truncation included).
    Own,
    /// The nodes are the standard normal's: `p` moves into the truncation's kept mass, and the
    /// standard value `z` becomes `mean + sd·z` (or its exponential), clamped to the truncation.
    Normal {
        mean: f64,
        sd: f64,
        exp: bool,
        truncation: Option<Truncation>,
    },
}

/// The node spacing in log-odds.
fn step() -> f64 {
    2.0 * T_MAX / INTERVALS as f64
}

/// The level at log-odds `t`.
fn level(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

/// The standard normal's nodes, built and verified once per process (`None` if they failed).
fn standard_normal() -> Option<&'static Nodes> {
    static NODES: OnceLock<Option<Nodes>> = OnceLock::new();
    NODES
        .get_or_init(|| {
            let normal = Normal::new(0.0, 1.0).expect("the standard normal");
            Nodes::build(|p| normal.inverse_cdf(p), |z| normal.pdf(z))
        })
        .as_ref()
}

impl Nodes {
    /// The nodes of the quantile `exact` whose density at a quantile value is `density`, kept
    /// only if they pass verification at every interval's midpoint.
    fn build(exact: impl Fn(f64) -> f64, density: impl Fn(f64) -> f64) -> Option<Nodes> {
        let h = step();
        let mut values = Vec::with_capacity(INTERVALS + 1);
        let mut slopes = Vec::with_capacity(INTERVALS + 1);
        for i in 0..=INTERVALS {
            let p = level(-T_MAX + i as f64 * h);
            let q = exact(p);
            let slope = p * (1.0 - p) / density(q) * h;
            if !q.is_finite() || !slope.is_finite() {
                return None;
            }
            values.push(q);
            slopes.push(slope);
        }
        let nodes = Nodes { values, slopes };
        let span = nodes.values[INTERVALS] - nodes.values[0];
        let verified = (0..INTERVALS).all(|i| {
            let t = -T_MAX + (i as f64 + 0.5) * h;
            let q = exact(level(t));
            let error = (nodes.at(t).unwrap_or(f64::NAN) - q).abs();
            error <= allowed(span, density(q))
        });
        verified.then_some(nodes)
    }

    /// `Q` at log-odds `t` by cubic Hermite interpolation, clamped to the interval's nodes.
    #[inline]
    fn at(&self, t: f64) -> Option<f64> {
        let x = (t + T_MAX) / step();
        if !(x >= 0.0 && x < INTERVALS as f64) {
            return None;
        }
        let i = x as usize;
        let s = x - i as f64;
        let (q0, q1) = (self.values[i], self.values[i + 1]);
        let (m0, m1) = (self.slopes[i], self.slopes[i + 1]);
        let s2 = s * s;
        let s3 = s2 * s;
        let q = (2.0 * s3 - 3.0 * s2 + 1.0) * q0
            + (s3 - 2.0 * s2 + s) * m0
            + (3.0 * s2 - 2.0 * s3) * q1
            + (s3 - s2) * m1;
        Some(q.clamp(q0, q1))
    }
}

impl QuantileTable {
    /// The table of `dist`'s quantile function, or `None` when `dist` is not a beta, PERT,
    /// normal or lognormal (whose exact quantiles are cheap enough) or its table fails its
    /// verification.
    pub fn new(dist: &Dist) -> Option<QuantileTable> {
        let (mean, sd, exp) = match *dist.kind() {
            Kind::Normal { mean, sd } => (mean, sd, false),
            Kind::LogNormal { mu, sigma } => (mu, sigma, true),
            _ => {
                let density = Density::of(dist)?;
                let nodes = Nodes::build(|p| dist.quantile(p), |q| density.at(q))?;
                return Some(QuantileTable {
                    nodes: Cow::Owned(nodes),
                    map: Map::Own,
                });
            }
        };
        Some(QuantileTable {
            nodes: Cow::Borrowed(standard_normal()?),
            map: Map::Normal {
                mean,
                sd,
                exp,
                truncation: dist.truncation(),
            },
        })
    }

    /// `Q(p)`, or `None` for a level beyond the nodes (the caller asks the exact quantile).
    #[inline]
    pub fn quantile(&self, p: f64) -> Option<f64> {
        match self.map {
            Map::Own => self.nodes.at((p / (1.0 - p)).ln()),
            Map::Normal {
                mean,
                sd,
                exp,
                truncation,
            } => {
                let p = truncation.map_or(p, |t| t.cdf_lo + p * t.kept_mass);
                let z = self.nodes.at((p / (1.0 - p)).ln())?;
                let x = if exp {
                    (mean + sd * z).exp()
                } else {
                    mean + sd * z
                };
                Some(truncation.map_or(x, |t| x.clamp(t.lo, t.hi)))
            }
        }
    }
}

/// The density of a beta or PERT, truncated or not, at a value of its quantile function.
struct Density {
    alpha: f64,
    beta: f64,
    min: f64,
    range: f64,
    ln_beta: f64,
    /// The probability kept by the truncation (1 without).
    kept_mass: f64,
}

impl Density {
    fn of(dist: &Dist) -> Option<Density> {
        let (alpha, beta, min, range) = match *dist.kind() {
            Kind::Beta { alpha, beta } => (alpha, beta, 0.0, 1.0),
            Kind::Pert {
                min,
                mode,
                max,
                shape,
            } => {
                let (alpha, beta) = pert_shapes(min, mode, max, shape);
                (alpha, beta, min, max - min)
            }
            _ => return None,
        };
        Some(Density {
            alpha,
            beta,
            min,
            range,
            ln_beta: ln_beta(alpha, beta),
            kept_mass: dist.truncation().map_or(1.0, |t| t.kept_mass),
        })
    }

    /// The density of the distribution (truncation included) at `q`, in probability per unit
    /// of `q`.
    fn at(&self, q: f64) -> f64 {
        let x = (q - self.min) / self.range;
        let ln_f = (self.alpha - 1.0) * x.ln() + (self.beta - 1.0) * (-x).ln_1p() - self.ln_beta;
        ln_f.exp() / (self.range * self.kept_mass)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(kind: Kind, truncate: Option<(f64, f64)>) -> Dist {
        Dist::new(kind, truncate).unwrap()
    }

    #[test]
    fn the_table_matches_the_exact_quantile_everywhere() {
        let cases = [
            dist(
                Kind::Beta {
                    alpha: 6.33,
                    beta: 25.3,
                },
                None,
            ),
            dist(
                Kind::Beta {
                    alpha: 12.0,
                    beta: 12.0,
                },
                None,
            ),
            dist(
                Kind::Beta {
                    alpha: 1.5,
                    beta: 1.5,
                },
                None,
            ),
            dist(
                Kind::Beta {
                    alpha: 1.0,
                    beta: 3.0,
                },
                None,
            ),
            dist(
                Kind::Pert {
                    min: 1.49,
                    mode: 2.2,
                    max: 4.92,
                    shape: 4.0,
                },
                None,
            ),
            dist(
                Kind::Pert {
                    min: 0.3,
                    mode: 0.5,
                    max: 0.76,
                    shape: 4.0,
                },
                Some((0.35, 0.7)),
            ),
        ];
        let mut state = 5u64;
        for d in &cases {
            let table = QuantileTable::new(d).expect("a verified table");
            let span = d.quantile(level(T_MAX)) - d.quantile(level(-T_MAX));
            let density = Density::of(d).unwrap();
            let mut worst = 0.0f64;
            for _ in 0..20_000 {
                let p = (crate::rng::splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
                let exact = d.quantile(p);
                match table.quantile(p) {
                    Some(q) => {
                        let error = (q - exact).abs() / allowed(span, density.at(exact));
                        worst = worst.max(error);
                    }
                    None => assert!(!(1e-5..=1.0 - 1e-5).contains(&p), "{p}"),
                }
            }
            // Between the verified midpoints the error is smaller still.
            assert!(worst <= 1.0, "{}: {worst}", d.describe());
        }
    }

    #[test]
    fn normal_and_lognormal_tables_match_their_exact_quantiles() {
        let cases = [
            dist(
                Kind::Normal {
                    mean: 1.2,
                    sd: 0.08,
                },
                None,
            ),
            dist(
                Kind::Normal {
                    mean: 1.2,
                    sd: 0.08,
                },
                Some((1.0, f64::INFINITY)),
            ),
            dist(
                Kind::Normal {
                    mean: 0.08,
                    sd: 0.012,
                },
                Some((0.0, 0.09)),
            ),
            dist(
                Kind::LogNormal {
                    mu: 21.6,
                    sigma: 0.2,
                },
                None,
            ),
            dist(
                Kind::LogNormal {
                    mu: 6.9,
                    sigma: 0.98,
                },
                None,
            ),
            dist(
                Kind::LogNormal {
                    mu: 4.5,
                    sigma: 2.5,
                },
                Some((1.0, 1e4)),
            ),
        ];
        let mut state = 6u64;
        for d in &cases {
            let table = QuantileTable::new(d).expect("the standard normal's table");
            let (mut worst, mut tabulated) = (0.0f64, 0);
            for _ in 0..20_000 {
                let p = (crate::rng::splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
                let exact = d.quantile(p);
                if let Some(q) = table.quantile(p) {
                    let scale = match *d.kind() {
                        Kind::Normal { sd, .. } => sd,
                        _ => exact,
                    };
                    worst = worst.max((q - exact).abs() / scale);
                    tabulated += 1;
                }
            }
            assert!(tabulated > 19_000, "{}", d.describe());
            assert!(worst < 1e-10, "{}: {worst:e}", d.describe());
        }
    }

    #[test]
    fn no_table_for_cheap_quantiles_or_shapes_it_cannot_follow() {
        let uniform = dist(Kind::Uniform { min: 0.0, max: 1.0 }, None);
        assert!(QuantileTable::new(&uniform).is_none());
        // α = β = 0.02: Q leaps from near 0 to near 1 within a few nodes around p = 1/2.
        let spiky = dist(
            Kind::Beta {
                alpha: 0.02,
                beta: 0.02,
            },
            None,
        );
        assert!(QuantileTable::new(&spiky).is_none());
    }

    #[test]
    fn the_table_is_monotone() {
        let d = dist(
            Kind::Beta {
                alpha: 2.0,
                beta: 5.0,
            },
            None,
        );
        let table = QuantileTable::new(&d).unwrap();
        let mut previous = f64::NEG_INFINITY;
        for k in 1..100_000 {
            let q = table.quantile(k as f64 / 100_000.0).unwrap();
            assert!(q >= previous);
            previous = q;
        }
    }
}
