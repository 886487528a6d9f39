//! An exact sum of floating-point numbers, rounded once: the value of the sum does not depend
//! on the order in which numbers (or other exact sums) are added.
//!
//! The sum is held as a list of non-overlapping partials whose exact total is the exact sum of
//! everything added (Shewchuk 1997, "Adaptive precision floating-point arithmetic and fast
//! robust geometric predicates", the grow-expansion step); [`ExactSum::value`] rounds that
//! total correctly to the nearest `f64` (ties to even), as Python's `math.fsum` does. A
//! correctly rounded value is a function of the exact total alone, so parts of a run added in
//! any order, on any thread, or in different processes and merged, give the same bits.
//!
//! Every number added must be finite, and no partial may overflow: callers add values scaled
//! by a power of two far below `f64::MAX` (see `stats::stream`).

use serde::{Deserialize, Serialize};

/// An exact sum of finite `f64` values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExactSum {
    /// Non-overlapping partials, in increasing magnitude; their exact total is the sum.
    partials: Vec<f64>,
}

impl ExactSum {
    /// Adds the finite value `x` exactly.
    pub fn add(&mut self, x: f64) {
        debug_assert!(x.is_finite());
        let mut x = x;
        let mut kept = 0;
        for k in 0..self.partials.len() {
            let mut y = self.partials[k];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        self.partials.push(x);
    }

    /// Adds everything `other` holds, exactly.
    pub fn merge(&mut self, other: &ExactSum) {
        for x in &other.partials {
            self.add(*x);
        }
    }

    /// The partials, for a file that stores the sum; [`ExactSum::from_partials`] reads them.
    pub fn partials(&self) -> &[f64] {
        &self.partials
    }

    /// The sum of `partials` (any finite values), exactly.
    pub fn from_partials(partials: &[f64]) -> ExactSum {
        let mut sum = ExactSum::default();
        for x in partials {
            sum.add(*x);
        }
        sum
    }

    /// Whether every partial is finite (a sum read from a file that was altered may not be).
    pub fn is_finite(&self) -> bool {
        self.partials.iter().all(|x| x.is_finite())
    }

    /// The exact sum rounded to the nearest `f64`, ties to even (0 for an empty sum).
    pub fn value(&self) -> f64 {
        let p = &self.partials;
        let Some(mut n) = p.len().checked_sub(1) else {
            return 0.0;
        };
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Round half to even correctly: when the rest below `lo` has the same sign as `lo`,
        // the exact total lies beyond the halfway point that `hi + lo` rounded to even.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
        hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_that_plain_addition_gets_wrong_are_exact() {
        let mut sum = ExactSum::default();
        for x in [1e100, 1.0, -1e100, 1e-100] {
            sum.add(x);
        }
        assert_eq!(sum.value(), 1.0);
        let mut tenths = ExactSum::default();
        (0..10).for_each(|_| tenths.add(0.1));
        assert_eq!(tenths.value(), 1.0);
        // Halfway cases round to even: 1 + 2⁻⁵³ is halfway between 1 and 1 + 2⁻⁵².
        let mut half = ExactSum::default();
        half.add(1.0);
        half.add(f64::EPSILON / 2.0);
        assert_eq!(half.value(), 1.0);
        half.add(f64::EPSILON / 1024.0);
        assert_eq!(half.value(), 1.0 + f64::EPSILON);
        assert_eq!(ExactSum::default().value(), 0.0);
    }

    #[test]
    fn the_value_does_not_depend_on_the_order_or_the_grouping() {
        let mut state = 11u64;
        let values: Vec<f64> = (0..5000)
            .map(|_| {
                let u = crate::rng::splitmix64(&mut state);
                let magnitude = 10f64.powi((u % 40) as i32 - 20);
                let sign = if u >> 63 == 0 { 1.0 } else { -1.0 };
                sign * magnitude * ((u >> 11) as f64 / (1u64 << 53) as f64)
            })
            .collect();
        let mut forward = ExactSum::default();
        values.iter().for_each(|x| forward.add(*x));
        let mut backward = ExactSum::default();
        values.iter().rev().for_each(|x| backward.add(*x));
        let mut parts: Vec<ExactSum> = vec![ExactSum::default(); 7];
        for (i, x) in values.iter().enumerate() {
            parts[(i * 31) % 7].add(*x);
        }
        let mut merged = ExactSum::default();
        for part in parts.iter().rev() {
            merged.merge(part);
        }
        assert_eq!(forward.value().to_bits(), backward.value().to_bits());
        assert_eq!(forward.value().to_bits(), merged.value().to_bits());
        let stored = ExactSum::from_partials(forward.partials());
        assert_eq!(stored.value().to_bits(), forward.value().to_bits());
    }
}
