//! Fixed-bin histograms of a column, for charts: the summary keeps no samples, so a run keeps
//! this instead. Bins are fixed before the pass (from the summary's extremes and outer
//! percentiles), so counting is one pass, integer-exact and independent of thread count;
//! values outside the bins are counted as below or above.
//!
//! A range of positive values spanning more than a decade gets logarithmic bins: the bins
//! are equal steps of the values' IEEE 754 bit patterns, which are monotone in the value and
//! (piecewise) linear in its logarithm, so a value's bin is an integer shift, with no
//! logarithm per sample. Other ranges get equal-width bins.

/// At most this many bins: fine enough to be redrawn at any chart's resolution.
pub const HISTOGRAM_BINS: usize = 1024;

/// How the bins are spaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinScale {
    /// Equal widths.
    Linear,
    /// Equal steps of the bit pattern: within each octave `[2^k, 2^(k+1))` equal widths,
    /// so equal widths in the logarithm to within a factor of 2 (neighbouring bins differ by
    /// a fraction of a percent).
    Log,
}

/// Counts of a column's finite values in fixed bins.
#[derive(Clone, PartialEq)]
pub struct Histogram {
    /// How the bins are spaced.
    pub scale: BinScale,
    /// Bin edges, increasing, one more than `counts`; bin `i` is `[edges[i], edges[i + 1])`,
    /// the last bin closed.
    pub edges: Vec<f64>,
    /// Finite values in each bin.
    pub counts: Vec<u64>,
    /// Finite values below the first edge.
    pub below: u64,
    /// Finite values above the last edge.
    pub above: u64,
}

impl std::fmt::Debug for Histogram {
    /// The bins in brief (a thousand counts help no one reading a failed assertion).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Histogram")
            .field("scale", &self.scale)
            .field("bins", &self.counts.len())
            .field("from", &self.edges.first())
            .field("to", &self.edges.last())
            .field("total", &self.total())
            .field("below", &self.below)
            .field("above", &self.above)
            .finish()
    }
}

impl Histogram {
    /// The histogram of the finite values of `data` over `[lo, hi]` (finite, `lo < hi`; `lo > 0`
    /// for [`BinScale::Log`]). `None` when the range is not one.
    pub fn of(data: &[f64], lo: f64, hi: f64, scale: BinScale) -> Option<Histogram> {
        Some(Self::layout(lo, hi, scale)?.count_slice(data))
    }

    /// [`Histogram::of`] for values that come with a count each: `(value, count)` counts
    /// `count` times, non-finite values not at all.
    pub fn of_counts(
        counted: impl Iterator<Item = (f64, u64)>,
        lo: f64,
        hi: f64,
        scale: BinScale,
    ) -> Option<Histogram> {
        Some(Self::layout(lo, hi, scale)?.count(counted))
    }

    /// The bins over `[lo, hi]`, or `None` when the range is not one.
    fn layout(lo: f64, hi: f64, scale: BinScale) -> Option<Layout> {
        if !(lo < hi) || !lo.is_finite() || !hi.is_finite() {
            return None;
        }
        match scale {
            BinScale::Linear => Some(Layout::linear(lo, hi)),
            BinScale::Log if lo > 0.0 => Some(Layout::log(lo, hi)),
            BinScale::Log => None,
        }
    }

    /// The range and spacing of the bins for a column with smallest value `min`, largest
    /// `max`, and `outer` = its lowest and highest reported percentile values, when those lie
    /// at or beyond P5 and P95: the bins reach half the outer range again beyond each outer
    /// percentile (on the bins' scale), but never beyond the extremes. Log when `allow_log`,
    /// the values are positive and the outer range spans more than a decade. `None` for a
    /// constant column or non-finite extremes.
    pub fn range_for(
        min: f64,
        max: f64,
        outer: Option<(f64, f64)>,
        allow_log: bool,
    ) -> Option<(f64, f64, BinScale)> {
        if !(min < max) || !min.is_finite() || !max.is_finite() {
            return None;
        }
        let (low, high) = outer
            .filter(|(low, high)| min <= *low && low < high && *high <= max)
            .unwrap_or((min, max));
        if allow_log && min > 0.0 && high / low > 10.0 {
            let reach = 0.5 * (high / low).ln();
            let lo = (low.ln() - reach).exp().max(min);
            let hi = (high.ln() + reach).exp().min(max);
            return Some((lo, hi, BinScale::Log));
        }
        let reach = 0.5 * (high - low);
        Some((
            (low - reach).max(min),
            (high + reach).min(max),
            BinScale::Linear,
        ))
    }

    /// The histogram of the finite values of `data`, whose summary is `summary`, over the
    /// range [`range_for`](Self::range_for) gives from its extremes and outer percentiles.
    pub fn of_summarized(data: &[f64], summary: &super::Summary, allow_log: bool) -> Option<Self> {
        let outer = summary.outer_percentiles();
        let (lo, hi, scale) = Self::range_for(summary.min, summary.max, outer, allow_log)?;
        Self::of(data, lo, hi, scale)
    }

    /// Finite values counted, in the bins and outside them.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum::<u64>() + self.below + self.above
    }

    /// The histogram of `factor × X` (`factor > 0`) from that of `X`.
    pub fn scaled(&self, factor: f64) -> Histogram {
        Histogram {
            edges: self.edges.iter().map(|e| e * factor).collect(),
            ..self.clone()
        }
    }

    /// `P(X > x)` read at every edge, from the counts: `(edge, share of values at or above
    /// it)`; values below or above the bins count as such.
    pub fn exceedance(&self) -> Vec<(f64, f64)> {
        let total = self.total() as f64;
        if total == 0.0 {
            return Vec::new();
        }
        let mut at_or_above = self.counts.iter().sum::<u64>() + self.above;
        let mut curve = Vec::with_capacity(self.edges.len());
        for (edge, count) in self.edges.iter().zip(&self.counts) {
            curve.push((*edge, at_or_above as f64 / total));
            at_or_above -= count;
        }
        if let Some(last) = self.edges.last() {
            curve.push((*last, self.above as f64 / total));
        }
        curve
    }

    /// The counts redistributed into `bins` equal bins of `[lo, hi]` in the space `to_axis`
    /// maps values into (e.g. `f64::log10`), each fine bin spread evenly over its own extent
    /// in that space: the count of each new bin, as a share of all values.
    pub fn rebin(&self, lo: f64, hi: f64, bins: usize, to_axis: impl Fn(f64) -> f64) -> Vec<f64> {
        let total = self.total() as f64;
        let (a, b) = (to_axis(lo), to_axis(hi));
        let mut shares = vec![0.0; bins];
        if bins == 0 || total == 0.0 || !(a < b) {
            return shares;
        }
        let width = (b - a) / bins as f64;
        for (i, count) in self.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let (x0, x1) = (to_axis(self.edges[i]), to_axis(self.edges[i + 1]));
            spread(&mut shares, (x0, x1), (a, width), *count as f64 / total);
        }
        shares
    }
}

/// Adds `share`, spread evenly over `[x0, x1]`, to the bins of width `width` from `a`.
fn spread(shares: &mut [f64], (x0, x1): (f64, f64), (a, width): (f64, f64), share: f64) {
    let span = x1 - x0;
    let first = ((x0 - a) / width).floor().max(0.0) as usize;
    for (k, slot) in shares.iter_mut().enumerate().skip(first) {
        let (b0, b1) = (a + k as f64 * width, a + (k + 1) as f64 * width);
        if b0 >= x1 {
            break;
        }
        let overlap = x1.min(b1) - x0.max(b0);
        if overlap > 0.0 {
            *slot += if span > 0.0 {
                share * overlap / span
            } else {
                share
            };
        } else if span == 0.0 && x0 >= b0 && x0 < b1 {
            *slot += share;
        }
    }
}

/// Where the bins of a histogram over `[lo, hi]` lie, and which bin a value falls in.
#[derive(Clone, Copy)]
enum Layout {
    /// `bins` equal widths: `per_unit` bins per unit of value.
    Linear { lo: f64, hi: f64, per_unit: f64 },
    /// Bins of `2^shift` bit patterns each from `lo`'s.
    Log {
        lo: f64,
        hi: f64,
        first: u64,
        shift: u32,
        bins: usize,
    },
}

/// A value's place: a bin's index, or [`BELOW`], [`ABOVE`] or [`SKIPPED`] past the bins.
const BELOW: usize = 0;
const ABOVE: usize = 1;
const SKIPPED: usize = 2;
/// Slots before the first bin's.
const OUTSIDE: usize = 3;

impl Layout {
    fn linear(lo: f64, hi: f64) -> Layout {
        Layout::Linear {
            lo,
            hi,
            per_unit: HISTOGRAM_BINS as f64 / (hi - lo),
        }
    }

    fn log(lo: f64, hi: f64) -> Layout {
        let (first, last) = (lo.to_bits(), hi.to_bits());
        let span = last - first;
        // Bins of 2^shift bit patterns each: the fewest shifts that fit the span in the bins.
        let mut shift = 0;
        while (span >> shift) >= HISTOGRAM_BINS as u64 {
            shift += 1;
        }
        Layout::Log {
            lo,
            hi,
            first,
            shift,
            bins: (span >> shift) as usize + 1,
        }
    }

    fn bins(&self) -> usize {
        match *self {
            Layout::Linear { .. } => HISTOGRAM_BINS,
            Layout::Log { bins, .. } => bins,
        }
    }

    /// `OUTSIDE +` the bin of `x`, or the slot of a value outside the bins.
    #[inline]
    fn slot(&self, x: f64) -> usize {
        let (lo, hi) = match *self {
            Layout::Linear { lo, hi, .. } | Layout::Log { lo, hi, .. } => (lo, hi),
        };
        if x >= lo && x <= hi {
            OUTSIDE
                + match *self {
                    Layout::Linear { lo, per_unit, .. } => {
                        (((x - lo) * per_unit) as usize).min(HISTOGRAM_BINS - 1)
                    }
                    Layout::Log { first, shift, .. } => ((x.to_bits() - first) >> shift) as usize,
                }
        } else if !x.is_finite() {
            SKIPPED
        } else if x < lo {
            BELOW
        } else {
            ABOVE
        }
    }

    /// The histogram with these bins and `slots` counts (as [`Layout::slot`] numbers them).
    fn histogram(&self, slots: Vec<u64>) -> Histogram {
        let (scale, edges) = match *self {
            Layout::Linear { lo, hi, .. } => (
                BinScale::Linear,
                (0..=HISTOGRAM_BINS)
                    .map(|i| lo + (hi - lo) * (i as f64 / HISTOGRAM_BINS as f64))
                    .collect(),
            ),
            // The last bin ends at `hi`: its bit patterns beyond are values above the range.
            Layout::Log {
                hi,
                first,
                shift,
                bins,
                ..
            } => (
                BinScale::Log,
                (0..bins as u64)
                    .map(|i| f64::from_bits(first + (i << shift)))
                    .chain([hi])
                    .collect(),
            ),
        };
        Histogram {
            scale,
            edges,
            below: slots[BELOW],
            above: slots[ABOVE],
            counts: slots[OUTSIDE..].to_vec(),
        }
    }

    /// The histogram of `(value, count)` pairs.
    fn count(&self, counted: impl Iterator<Item = (f64, u64)>) -> Histogram {
        let mut slots = vec![0u64; OUTSIDE + self.bins()];
        for (x, n) in counted {
            slots[self.slot(x)] += n;
        }
        self.histogram(slots)
    }

    /// The histogram of `data`, counted in four interleaved sets of counters (neighbouring
    /// values often share a bin, and incrementing one counter again before its last increment
    /// is stored stalls the loop), added at the end: the same integers as [`Layout::count`].
    fn count_slice(&self, data: &[f64]) -> Histogram {
        let len = OUTSIDE + self.bins();
        let mut sets = vec![0u64; 4 * len];
        let (sets01, sets23) = sets.split_at_mut(2 * len);
        let (set0, set1) = sets01.split_at_mut(len);
        let (set2, set3) = sets23.split_at_mut(len);
        let mut fours = data.chunks_exact(4);
        for four in &mut fours {
            set0[self.slot(four[0])] += 1;
            set1[self.slot(four[1])] += 1;
            set2[self.slot(four[2])] += 1;
            set3[self.slot(four[3])] += 1;
        }
        for x in fours.remainder() {
            set0[self.slot(*x)] += 1;
        }
        for (((a, b), c), d) in set0.iter_mut().zip(&*set1).zip(&*set2).zip(&*set3) {
            *a += b + c + d;
        }
        sets.truncate(len);
        self.histogram(sets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_bins_count_every_finite_value_once() {
        let data: Vec<f64> = (0..1000)
            .map(|i| i as f64)
            .chain([f64::NAN, f64::NEG_INFINITY, f64::INFINITY])
            .collect();
        let h = Histogram::of(&data, 100.0, 899.0, BinScale::Linear).unwrap();
        assert_eq!(h.below, 100);
        assert_eq!(h.above, 100);
        assert_eq!(h.total(), 1000);
        assert_eq!(h.edges.len(), h.counts.len() + 1);
        assert_eq!(h.edges[0], 100.0);
        assert!((h.edges[HISTOGRAM_BINS] - 899.0).abs() < 1e-9);
    }

    #[test]
    fn log_bins_hold_their_values_between_their_edges() {
        let data: Vec<f64> = (1..=100_000).map(|i| i as f64 * 0.37).collect();
        let h = Histogram::of(&data, 1.0, 20_000.0, BinScale::Log).unwrap();
        assert!(h.counts.len() <= HISTOGRAM_BINS);
        assert_eq!(h.total(), 100_000);
        let inside = data
            .iter()
            .filter(|x| **x >= 1.0 && **x <= 20_000.0)
            .count();
        assert_eq!(h.counts.iter().sum::<u64>() as usize, inside);
        for (i, count) in h.counts.iter().enumerate() {
            let (a, b) = (h.edges[i], h.edges[i + 1]);
            let last = i + 1 == h.counts.len();
            let expected = data
                .iter()
                .filter(|x| **x >= a && (**x < b || last && **x == b))
                .count() as u64;
            assert_eq!(*count, expected, "bin {i} [{a}, {b})");
        }
    }

    #[test]
    fn range_reaches_past_the_outer_percentiles_but_not_past_the_extremes() {
        let (lo, hi, scale) =
            Histogram::range_for(1.0, 1e6, Some((100.0, 10_000.0)), true).unwrap();
        assert_eq!(scale, BinScale::Log);
        assert!((lo - 10.0).abs() < 1e-9 && (hi - 100_000.0).abs() < 1e-6);
        let (lo, hi, scale) = Histogram::range_for(0.0, 10.0, Some((4.0, 6.0)), true).unwrap();
        assert_eq!((lo, hi, scale), (3.0, 7.0, BinScale::Linear));
        let (_, _, scale) = Histogram::range_for(1.0, 1e6, None, false).unwrap();
        assert_eq!(scale, BinScale::Linear);
        assert_eq!(Histogram::range_for(2.0, 2.0, None, true), None);
        assert_eq!(Histogram::range_for(f64::NAN, 2.0, None, true), None);
    }

    #[test]
    fn rebinning_keeps_the_shares_and_the_exceedance_curve_falls_from_one() {
        let data: Vec<f64> = (0..10_000).map(|i| 1.0 + i as f64).collect();
        let h = Histogram::of(&data, 1.0, 10_000.0, BinScale::Log).unwrap();
        let shares = h.rebin(1.0, 10_000.0, 40, f64::log10);
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // Uniform values: the last decade holds 90% of them.
        assert!((shares[30..].iter().sum::<f64>() - 0.9).abs() < 0.01);
        let curve = h.exceedance();
        assert_eq!(curve[0].1, 1.0);
        assert_eq!(curve.last().unwrap().1, 0.0);
        assert!(curve
            .windows(2)
            .all(|w| w[0].1 >= w[1].1 && w[0].0 < w[1].0));
    }
}
