//! Quantile functions `Q(p) = inf { x : F(x) ≥ p }` of the untruncated kinds.
//!
//! Closed forms for uniform, log-uniform, triangular and discrete; statrs for normal and
//! lognormal. Beta (and PERT) and gamma start from a quantile guess (a bounded port of statrs'
//! AS 109 inverse for beta, statrs' safeguarded Newton for gamma) and fall back to bisection on
//! the CDF wherever the guess misses or cannot be computed, so every quantile ends after a
//! bounded number of CDF evaluations for every parameter that validation accepts.

use super::{beta_inverse, gamma_cdf, pert_shapes, statrs_beta, statrs_gamma, statrs_normal, Kind};
use statrs::distribution::ContinuousCDF;

pub(super) fn raw_quantile(kind: &Kind, p: f64) -> f64 {
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
            let gamma = statrs_gamma(*shape, *scale);
            let guess = if statrs_gamma_inverse_is_safe(&gamma, p) {
                gamma.inverse_cdf(p)
            } else {
                f64::NAN
            };
            refine_positive(&|x| gamma_cdf(&gamma, x), p, guess, f64::INFINITY)
        }
        Kind::LogUniform { min, max } => (min.ln() + p * (max.ln() - min.ln())).exp(),
        Kind::Discrete { values, weights } => discrete_quantile(values, weights, p),
    }
}

/// The beta quantile: statrs' answer (through [`beta_inverse::inverse_beta_reg`], which gives
/// up where statrs would loop forever or panic), refined where it misses. Upper-tail levels use
/// the mirror identity `Q(a, b; p) = 1 − Q(b, a; 1 − p)` so the refinement works near 0.
fn beta_quantile(alpha: f64, beta: f64, p: f64) -> f64 {
    if p > 0.5 {
        return 1.0 - beta_quantile(beta, alpha, 1.0 - p);
    }
    let distribution = statrs_beta(alpha, beta);
    let guess = beta_inverse::inverse_beta_reg(alpha, beta, p).unwrap_or(f64::NAN);
    refine_positive(&|x| distribution.cdf(x), p, guess, 1.0)
}

/// Whether statrs' gamma quantile can be asked for `p` without panicking. It halves its lower
/// bracket `low` while `F(low) > p` and evaluates `P(a, x·rate)` at every `x ≥ low`, which
/// panics once `x·rate` underflows to 0. That cannot happen with `rate ≥ 1` (statrs checks
/// `x ≤ 0` itself), nor when the standard quantile, at least `(p·Γ(a + 1))^(1/a) ≥
/// exp((ln p − 0.13)/a)` since `P(a, z) ≤ z^a / Γ(a + 1)`, is far above the smallest double.
fn statrs_gamma_inverse_is_safe(gamma: &statrs::distribution::Gamma, p: f64) -> bool {
    gamma.rate() >= 1.0 || (p.ln() - 0.13) / gamma.shape() > -700.0
}

/// Accepts a quantile guess `x` if `F(x)` matches `p` (to 1e-9 relative, 1e-13 absolute);
/// otherwise bisects on `ln x` over `(0, upper]` to 1e-14 relative. statrs' gamma and beta
/// quantiles give up after a fixed number of iterations and can be wrong by many orders of
/// magnitude in the far lower tail (shape < 1, `p` < 1e-5). Every loop here is bounded: the
/// bracket moves by factors of 16 within the range of doubles, the bisection stops after 2,000
/// halvings.
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
        let mid = geometric_mean(lo, hi);
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

/// `√(lo·hi)`, computed as `√lo·√hi` where the product would leave the normal range (which
/// used to end the bisection at its first step for quantiles below 1e-162 or above 1e154).
fn geometric_mean(lo: f64, hi: f64) -> f64 {
    let product = lo * hi;
    if product >= f64::MIN_POSITIVE && product.is_finite() {
        product.sqrt()
    } else {
        lo.sqrt() * hi.sqrt()
    }
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
