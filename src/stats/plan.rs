//! Which order statistics a summary needs, and the percentile estimates read from them:
//! Hyndman–Fan type 7 (or type 1 for whole-valued metrics) estimates and the binomial-rank
//! interval ends of [`super::order`], plus the minimum and maximum.

use super::{interpolate, order, PercentileDefinition, PercentileEstimate};

/// Where one percentile's estimate and interval come from: 0-based ranks `(lo, hi, weight)`
/// of the estimate `x[lo] + weight · (x[hi] − x[lo])`, and the interval's ranks (`None`: open).
struct Plan {
    estimate: (usize, usize, f64),
    interval: (Option<usize>, Option<usize>),
}

/// The order statistics a summary of `n` values needs: each percentile's estimate and interval
/// ends, and the minimum and maximum.
pub(super) struct RankPlan {
    n: usize,
    plans: Vec<Plan>,
    /// Every rank needed, sorted, without duplicates.
    pub(super) ranks: Vec<usize>,
}

impl RankPlan {
    pub(super) fn new(
        n: usize,
        percentiles: &[f64],
        level: f64,
        definition: PercentileDefinition,
    ) -> Self {
        let plans: Vec<Plan> = percentiles
            .iter()
            .map(|pct| Plan {
                estimate: match definition {
                    PercentileDefinition::Interpolated => order::type7_ranks(n, pct / 100.0),
                    PercentileDefinition::InverseCdf => {
                        let rank = order::type1_rank(n, *pct);
                        (rank, rank, 0.0)
                    }
                },
                interval: order::ci_ranks(n, pct / 100.0, level),
            })
            .collect();
        let mut ranks: Vec<usize> = plans
            .iter()
            .flat_map(|plan| {
                let (lo, hi, _) = plan.estimate;
                let (ci_lo, ci_hi) = plan.interval;
                [Some(lo), Some(hi), ci_lo, ci_hi]
            })
            .flatten()
            .chain([0, n - 1])
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        RankPlan { n, plans, ranks }
    }

    /// The estimates, minimum and maximum from `values`, the order statistics at `ranks`.
    pub(super) fn estimates(
        self,
        percentiles: &[f64],
        values: &[f64],
    ) -> (Vec<PercentileEstimate>, f64, f64) {
        let ranks = &self.ranks;
        let at = |rank: usize| values[ranks.binary_search(&rank).expect("rank was selected")];
        let estimates = percentiles
            .iter()
            .zip(self.plans)
            .map(|(pct, plan)| {
                let (lo, hi, weight) = plan.estimate;
                let value = interpolate(at(lo), at(hi), weight);
                let (ci_lo, ci_hi) = plan.interval;
                // An end short of the estimate (type 7 at a handful of samples) moves out to
                // it: a wider interval only covers more often.
                PercentileEstimate {
                    percentile: *pct,
                    value,
                    ci_low: ci_lo.map_or(f64::NEG_INFINITY, at).min(value),
                    ci_high: ci_hi.map_or(f64::INFINITY, at).max(value),
                }
            })
            .collect();
        (estimates, at(0), at(self.n - 1))
    }
}
