//! Axes: a value range drawn on a linear or logarithmic scale, round tick values, and tick
//! labels people read (`$4.1M`, `12.3k`, `25%`).
//!
//! plotters draws in the axis's own space: the values themselves on a linear axis, their
//! base-10 logarithm on a log axis; [`Axis::to`] and [`Axis::from`] convert.

use crate::format::{compact, significant};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use std::ops::Range;

/// A range of values and its scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    /// Smallest value shown.
    pub lo: f64,
    /// Largest value shown.
    pub hi: f64,
    /// Whether the scale is logarithmic.
    pub log: bool,
}

impl Axis {
    /// An axis over `[lo, hi]`, logarithmic when `allow_log`, both ends are positive and they
    /// span more than a decade. A single value gets a range around it. `None` unless both
    /// ends are finite.
    pub fn new(lo: f64, hi: f64, allow_log: bool) -> Option<Axis> {
        if !lo.is_finite() || !hi.is_finite() {
            return None;
        }
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        if lo == hi {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            return Some(Axis {
                lo: lo - pad,
                hi: hi + pad,
                log: false,
            });
        }
        let log = allow_log && lo > 0.0 && hi / lo > 10.0;
        Some(Axis { lo, hi, log })
    }

    /// The axis with a margin of `share` of its span (in its own space) on both sides; an end
    /// whose margin would leave the finite (or, on a log axis, positive) numbers stays put.
    pub fn padded(self, share: f64) -> Axis {
        let (a, b) = (self.to(self.lo), self.to(self.hi));
        let pad = (b - a) * share;
        let usable = |v: f64| v.is_finite() && (!self.log || v > 0.0);
        let (lo, hi) = (self.from(a - pad), self.from(b + pad));
        Axis {
            lo: if usable(lo) { lo } else { self.lo },
            hi: if usable(hi) { hi } else { self.hi },
            ..self
        }
    }

    /// `value` in the axis's space.
    pub fn to(&self, value: f64) -> f64 {
        if self.log {
            value.log10()
        } else {
            value
        }
    }

    /// The value at `position` of the axis's space.
    pub fn from(&self, position: f64) -> f64 {
        if self.log {
            10f64.powf(position)
        } else {
            position
        }
    }

    /// `value` in the axis's space, held inside the axis (an open interval end, ±∞, lands on
    /// the edge; NaN on the low edge).
    pub fn clamped(&self, value: f64) -> f64 {
        let (a, b) = (self.to(self.lo), self.to(self.hi));
        let t = if self.log && value <= 0.0 {
            a
        } else {
            self.to(value)
        };
        if t.is_nan() {
            a
        } else {
            t.clamp(a, b)
        }
    }

    /// Whether `value` lies on the axis.
    pub fn contains(&self, value: f64) -> bool {
        value >= self.lo && value <= self.hi
    }

    /// The coordinate plotters draws with: the axis's space, ticked at `ticks` (positions of
    /// that space, e.g. [`Axis::ticks`]).
    pub fn coord(&self, ticks: Vec<f64>) -> Ticked {
        Ticked {
            start: self.to(self.lo),
            end: self.to(self.hi),
            ticks,
        }
    }

    /// Round tick values inside the axis, in the axis's space: 1-2-5 steps on a linear axis;
    /// decades on a log axis, with 2× and 5× (or 2×–9×) between them when the axis spans few
    /// decades.
    pub fn ticks(&self) -> Vec<f64> {
        if self.log {
            let ticks = log_ticks(self.lo, self.hi);
            if ticks.len() >= 2 {
                return ticks.into_iter().map(f64::log10).collect();
            }
        }
        linear_ticks(self.lo, self.hi, 5)
    }

    /// The label of the tick at `position` (axis space) for values in `unit`.
    pub fn label(&self, position: f64, unit: &str) -> String {
        let value = self.from(position);
        // A tick a rounding error from zero is zero.
        let value = if value.abs() < 1e-9 * (self.hi - self.lo).abs() {
            0.0
        } else {
            value
        };
        tick_label(value, unit)
    }
}

/// A coordinate of plotters: a linear range of an axis's space with the ticks given (tick
/// labels come from the chart, never from plotters' default formatting).
#[derive(Debug, Clone)]
pub(crate) struct Ticked {
    start: f64,
    end: f64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let length = limit.1 - limit.0;
        let share = (value - self.start) / (self.end - self.start);
        if !share.is_finite() || length == 0 {
            return if share > 0.5 { limit.1 } else { limit.0 };
        }
        limit.0 + (f64::from(length) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> Range<f64> {
        self.start..self.end
    }
}

/// A tick value in `unit`: `%` for shares (0–1), else [`compact`] with 3 digits.
pub(crate) fn tick_label(value: f64, unit: &str) -> String {
    if unit == "%" {
        return format!("{}%", significant(value * 100.0, 3));
    }
    compact(value, unit, 3)
}

/// About `target` round values (1, 2, 2.5 or 5 times a power of ten) inside `[lo, hi]`.
pub(crate) fn linear_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span > 0.0) || !span.is_finite() {
        return vec![lo];
    }
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude);
    let (first, last) = ((lo / step - 1e-9).ceil(), (hi / step + 1e-9).floor());
    // Too far from zero for the step to tell ticks apart: the ends will do.
    if !(last - first <= 4.0 * target as f64 + 4.0) || first.abs() > 1e15 || last.abs() > 1e15 {
        return vec![lo, hi];
    }
    (first as i64..=last as i64)
        .map(|k| {
            let tick = k as f64 * step;
            // 0.30000000000000004 is 0.3.
            significant(tick, 12).parse().unwrap_or(tick)
        })
        .collect()
}

/// Round values inside `[lo, hi]` (`0 < lo < hi`) for a log axis: the decades, every other
/// one (or more) when there are many; with 2× and 5× when there are fewer than 4; with 2×,
/// 3×, 5× and 7× when that still gives fewer than 3.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    // Finite positive ends have logarithms within ±324.
    let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let inside = |multipliers: &[f64], every: usize| -> Vec<f64> {
        (first..=last)
            .step_by(every)
            .flat_map(|k| multipliers.iter().map(move |m| m * 10f64.powi(k)))
            .map(|t| significant(t, 12).parse().unwrap_or(t))
            .filter(|t| *t >= lo * (1.0 - 1e-12) && *t <= hi * (1.0 + 1e-12))
            .collect()
    };
    let decades = (last - first + 1).max(1) as usize;
    if decades > 8 {
        return inside(&[1.0], decades.div_ceil(6));
    }
    let decades = inside(&[1.0], 1);
    if decades.len() >= 4 {
        return decades;
    }
    let ticks = inside(&[1.0, 2.0, 5.0], 1);
    if ticks.len() >= 3 {
        return ticks;
    }
    inside(&[1.0, 2.0, 3.0, 5.0, 7.0], 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round_and_inside() {
        assert_eq!(
            linear_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(linear_ticks(-3.2, 7.9, 5), vec![-2.5, 0.0, 2.5, 5.0, 7.5]);
        assert_eq!(linear_ticks(1.1, 1.3, 5), vec![1.1, 1.15, 1.2, 1.25, 1.3]);
    }

    #[test]
    fn log_axes_tick_decades_and_fill_in_short_ones() {
        let wide = Axis::new(3e5, 4e7, true).unwrap();
        assert!(wide.log);
        let values: Vec<String> = wide
            .ticks()
            .iter()
            .map(|t| wide.label(*t, "USD/day"))
            .collect();
        assert_eq!(values, ["$500k", "$1M", "$2M", "$5M", "$10M", "$20M"]);
        let decades = Axis::new(3e3, 4e7, true).unwrap();
        assert_eq!(decades.ticks(), vec![4.0, 5.0, 6.0, 7.0]);
        let very_wide = Axis::new(1e-3, 1e12, true).unwrap();
        assert!(very_wide.ticks().len() <= 7);

        assert!(!Axis::new(2.0, 19.0, true).unwrap().log);
        assert!(!Axis::new(2.0, 30.0, false).unwrap().log);
    }

    #[test]
    fn an_axis_over_six_hundred_decades_stays_finite_and_ticks_at_once_regression() {
        // Padding 1e-300..1e300 used to make the top infinite, and ticking it ran for ever.
        let widest = Axis::new(1e-300, 1e300, true).unwrap().padded(0.03);
        assert!(widest.hi.is_finite() && widest.lo > 0.0);
        assert!(widest.ticks().len() <= 7);
        assert_eq!(linear_ticks(1e300, 1e300 * (1.0 + 1e-15), 5).len(), 2);
    }

    #[test]
    fn open_ends_and_single_values_stay_drawable() {
        let axis = Axis::new(1.0, 1000.0, true).unwrap();
        assert_eq!(axis.clamped(f64::INFINITY), 3.0);
        assert_eq!(axis.clamped(f64::NEG_INFINITY), 0.0);
        assert_eq!(axis.clamped(f64::NAN), 0.0);
        let point = Axis::new(5.0, 5.0, true).unwrap();
        assert!(point.lo < 5.0 && point.hi > 5.0);
        assert_eq!(Axis::new(f64::NAN, 1.0, true), None);
        assert_eq!(tick_label(0.25, "%"), "25%");
    }
}
