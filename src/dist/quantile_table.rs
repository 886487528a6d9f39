//! A tabulated beta (and PERT) quantile function for the Latin hypercube and Sobol designs,
//! which map every sample's level through the quantile: the exact one ([`Dist::quantile`])
//! costs about a microsecond (an AS 109 inverse checked against the CDF), the table about
//! twenty nanoseconds.
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

use super::{pert_shapes, Dist, Kind};
use statrs::function::beta::ln_beta;

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

/// A verified table of one distribution's quantile function.
#[derive(Debug, Clone)]
pub struct QuantileTable {
    /// `Q` at each node.
    values: Vec<f64>,
    /// `dQ/dt · h` at each node (`h` the node spacing).
    slopes: Vec<f64>,
}

/// The node spacing in log-odds.
fn step() -> f64 {
    2.0 * T_MAX / INTERVALS as f64
}

/// The level at log-odds `t`.
fn level(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

impl QuantileTable {
    /// The table of `dist`'s quantile function, or `None` when `dist` is not a beta or PERT
    /// (whose exact quantiles are cheap enough) or the table fails its verification.
    pub fn new(dist: &Dist) -> Option<QuantileTable> {
        let density = Density::of(dist)?;
        let h = step();
        let mut values = Vec::with_capacity(INTERVALS + 1);
        let mut slopes = Vec::with_capacity(INTERVALS + 1);
        for i in 0..=INTERVALS {
            let p = level(-T_MAX + i as f64 * h);
            let q = dist.quantile(p);
            let slope = p * (1.0 - p) / density.at(q) * h;
            if !q.is_finite() || !slope.is_finite() {
                return None;
            }
            values.push(q);
            slopes.push(slope);
        }
        let table = QuantileTable { values, slopes };
        let span = table.values[INTERVALS] - table.values[0];
        let verified = (0..INTERVALS).all(|i| {
            let t = -T_MAX + (i as f64 + 0.5) * h;
            let p = level(t);
            let exact = dist.quantile(p);
            let error = (table.at(t).unwrap_or(f64::NAN) - exact).abs();
            error <= allowed(span, density.at(exact))
        });
        verified.then_some(table)
    }

    /// `Q(p)`, or `None` for a level beyond the nodes (the caller asks the exact quantile).
    #[inline]
    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.at((p / (1.0 - p)).ln())
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
    fn no_table_for_cheap_quantiles_or_shapes_it_cannot_follow() {
        let normal = dist(Kind::Normal { mean: 0.0, sd: 1.0 }, None);
        assert!(QuantileTable::new(&normal).is_none());
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
