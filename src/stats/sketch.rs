//! A mergeable quantile summary with a relative error bound: counts of values in log-linear
//! buckets of the IEEE 754 bit pattern.
//!
//! Method: a value's bucket is the top 26 bits of its order-preserving integer key (sign, the
//! 11 exponent bits, the top [`MANTISSA_BITS`] = 14 mantissa bits), so each octave
//! `[2^e, 2^(e+1))` is cut into 2¹⁴ equal buckets of width `2^(e−14)`. This is the
//! log-linear bucketing of HdrHistogram (Tene) and, in spirit, of DDSketch (Masson, Rim & Lee
//! 2019, "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
//! guarantees", PVLDB 12(12)): the relative width of a bucket is at most `2⁻¹⁴`, whatever the
//! value's magnitude, and the bucket is found from the bits with no logarithm.
//!
//! Guarantees, for `n` values counted:
//! - the bucket holding the order statistic `x(r)` is found exactly from the counts, so the
//!   representative returned for rank `r` (the bucket's midpoint, clamped into the exact
//!   minimum and maximum) is within half a bucket of `x(r)`: a relative error of at most
//!   [`RELATIVE_ERROR`] = `2⁻¹⁵ ≈ 3.05e-5` for normal values (|x| ≥ 2.2e-308);
//! - the bucket's edges bracket `x(r)`: `low(r) ≤ x(r) ≤ high(r)` always;
//! - counts are integers, so merging summaries (of chunks, threads or shards) is exact and
//!   independent of order: any split of the values gives the same summary.
//!
//! Memory grows with the range of the values, not their number: buckets are allocated in
//! blocks of 1024 counts (8 KiB) where values fall, at most 2¹⁴ / 1024 = 16 blocks per octave.

use serde::{Deserialize, Serialize};

/// Mantissa bits resolved by a bucket.
pub const MANTISSA_BITS: u32 = 14;

/// Largest relative distance of a representative from the order statistic it stands for, for
/// normal values: half a bucket, `2⁻¹⁵`.
pub const RELATIVE_ERROR: f64 = 1.0 / (1u64 << (MANTISSA_BITS + 1)) as f64;

/// Key bits below the bucket.
const SHIFT: u32 = 64 - 12 - MANTISSA_BITS;

/// Counts per allocated block.
const BLOCK: usize = 1024;

/// Blocks per octave.
const BLOCKS_PER_OCTAVE: usize = (1 << MANTISSA_BITS) / BLOCK;

/// Octaves (sign and exponent).
const OCTAVES: usize = 1 << 12;

type Block = Box<[u64; BLOCK]>;

/// Counts of finite values in log-linear buckets.
#[derive(Debug, Clone, PartialEq)]
pub struct Sketch {
    blocks: Vec<Option<Block>>,
}

impl Default for Sketch {
    fn default() -> Sketch {
        Sketch {
            blocks: vec![None; OCTAVES * BLOCKS_PER_OCTAVE],
        }
    }
}

/// An unsigned integer whose order is the total order of finite `f64` values.
#[inline]
fn key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The value whose key is `key`.
fn value_of_key(key: u64) -> f64 {
    if key >> 63 == 1 {
        f64::from_bits(key & !(1 << 63))
    } else {
        f64::from_bits(!key)
    }
}

/// One bucket's place and count, as files store a sketch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketCount {
    /// The bucket's index (the top 26 bits of the values' keys).
    pub bucket: u32,
    /// Values counted in it (at least 1).
    pub count: u64,
}

/// A rank's bucket: the representative value and the bucket's edges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankBucket {
    /// The bucket's midpoint.
    pub middle: f64,
    /// The smallest value the bucket holds.
    pub low: f64,
    /// The largest value the bucket holds.
    pub high: f64,
}

impl Sketch {
    /// Counts every finite value of `data` (non-finite values are skipped).
    pub fn add(&mut self, data: &[f64]) {
        for &x in data {
            if x.is_finite() {
                let bucket = (key(x) >> SHIFT) as usize;
                let block = self.blocks[bucket / BLOCK].get_or_insert_with(|| Box::new([0; BLOCK]));
                block[bucket % BLOCK] += 1;
            }
        }
    }

    /// Adds `count` values to `bucket` (from a file or another sketch).
    pub fn add_to_bucket(&mut self, bucket: u32, count: u64) {
        let bucket = bucket as usize;
        let block = self.blocks[bucket / BLOCK].get_or_insert_with(|| Box::new([0; BLOCK]));
        block[bucket % BLOCK] += count;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Sketch) {
        for (index, block) in other.blocks.iter().enumerate() {
            if let Some(block) = block {
                let mine = self.blocks[index].get_or_insert_with(|| Box::new([0; BLOCK]));
                for (a, b) in mine.iter_mut().zip(block.iter()) {
                    *a += b;
                }
            }
        }
    }

    /// The non-empty buckets in increasing order of value.
    pub fn buckets(&self) -> impl Iterator<Item = BucketCount> + '_ {
        self.blocks
            .iter()
            .enumerate()
            .filter_map(|(index, block)| block.as_ref().map(|b| (index, b)))
            .flat_map(|(index, block)| {
                block
                    .iter()
                    .enumerate()
                    .filter(|(_, count)| **count > 0)
                    .map(move |(offset, count)| BucketCount {
                        bucket: (index * BLOCK + offset) as u32,
                        count: *count,
                    })
            })
    }

    /// Whether `bucket` can hold finite values (its octave is not that of infinities and NaN).
    pub fn is_valid_bucket(bucket: u32) -> bool {
        let bucket = u64::from(bucket);
        if bucket >= (OCTAVES * BLOCKS_PER_OCTAVE * BLOCK) as u64 {
            return false;
        }
        let low = value_of_key(bucket << SHIFT);
        let high = value_of_key((bucket << SHIFT) | ((1 << SHIFT) - 1));
        low.is_finite() && high.is_finite()
    }

    /// The buckets of the order statistics at 0-based `ranks` (sorted, each below the number
    /// of values counted), in one pass over the buckets.
    pub fn rank_buckets(&self, ranks: &[usize]) -> Vec<RankBucket> {
        let mut found = Vec::with_capacity(ranks.len());
        let mut below = 0u64;
        let mut next = 0;
        for BucketCount { bucket, count } in self.buckets() {
            let end = below + count;
            while next < ranks.len() && (ranks[next] as u64) < end {
                found.push(bucket_values(bucket));
                next += 1;
            }
            if next == ranks.len() {
                break;
            }
            below = end;
        }
        assert_eq!(found.len(), ranks.len(), "every rank is below the count");
        found
    }
}

/// The midpoint and edges of `bucket`.
pub fn bucket_values(bucket: u32) -> RankBucket {
    let start = u64::from(bucket) << SHIFT;
    let (a, b) = (
        value_of_key(start),
        value_of_key(start | ((1 << SHIFT) - 1)),
    );
    RankBucket {
        middle: value_of_key(start | (1 << (SHIFT - 1))),
        low: a.min(b),
        high: a.max(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rank_lies_in_its_bucket_within_the_stated_error() {
        let mut state = 5u64;
        let mut data: Vec<f64> = (0..200_000)
            .map(|i| {
                let u = (crate::rng::splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
                let x = (8.0 * (u - 0.5)).exp() * 1e3;
                if i % 7 == 0 {
                    -x
                } else {
                    x
                }
            })
            .collect();
        data.push(0.0);
        let mut sketch = Sketch::default();
        sketch.add(&data[..100_000]);
        let mut other = Sketch::default();
        other.add(&data[100_000..]);
        sketch.merge(&other);
        let mut sorted = data.clone();
        sorted.sort_by(f64::total_cmp);
        let ranks: Vec<usize> = (0..sorted.len()).step_by(997).collect();
        for (rank, found) in ranks.iter().zip(sketch.rank_buckets(&ranks)) {
            let x = sorted[*rank];
            assert!(
                found.low <= x && x <= found.high,
                "rank {rank}: {x} {found:?}"
            );
            assert!(
                (found.middle - x).abs() <= RELATIVE_ERROR * x.abs(),
                "rank {rank}: {x} {found:?}"
            );
        }
    }

    #[test]
    fn buckets_read_back_give_the_same_sketch() {
        let mut sketch = Sketch::default();
        sketch.add(&[1.0, 2.0, 2.0, -3.5, 1e300, f64::NAN, f64::INFINITY, 0.0]);
        let mut copy = Sketch::default();
        for b in sketch.buckets() {
            assert!(Sketch::is_valid_bucket(b.bucket));
            copy.add_to_bucket(b.bucket, b.count);
        }
        assert_eq!(copy, sketch);
        assert_eq!(sketch.buckets().map(|b| b.count).sum::<u64>(), 6);
        let infinity = (key(f64::INFINITY) >> SHIFT) as u32;
        assert!(!Sketch::is_valid_bucket(infinity));
        assert!(!Sketch::is_valid_bucket(u32::MAX));
    }
}
