//! Named, portable random streams and seeds: one Xoshiro256++ per (seed, chunk, stream), and
//! seeds derived from a run's seed for its other purposes.
//!
//! The 256-bit state is four SplitMix64 outputs from a state that mixes the seed, the chunk
//! index and the stream index; SplitMix64 is the seeding method Xoshiro's authors recommend.
//! Both algorithms are fixed here, so streams never change with a dependency upgrade.
//!
//! Derived seeds ([`derive_seed`]) are one SplitMix64 step from the seed mixed with an index
//! under a per-[`SeedDomain`] odd multiplier, so that seeds of different domains (design
//! replicates, sensitivity purposes) never coincide by construction of the same index.

use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;

/// One SplitMix64 step.
#[inline]
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator for `stream` (an input's index) in `chunk` of a run seeded with `seed`.
pub fn stream_rng(seed: u64, chunk: u64, stream: u64) -> Xoshiro256PlusPlus {
    let mut mixer = seed;
    let mut state = splitmix64(&mut mixer);
    mixer = state ^ chunk;
    state = splitmix64(&mut mixer);
    mixer = state ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
    let mut bytes = [0u8; 32];
    for word in bytes.chunks_exact_mut(8) {
        word.copy_from_slice(&splitmix64(&mut mixer).to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(bytes)
}

/// What a derived seed is for: each domain mixes its index with its own odd constant. Part of
/// the determinism contract: changing a constant changes every derived stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedDomain {
    /// Independent replicate `index` of a Latin hypercube or Sobol design (replicate 0 is the
    /// run's own seed).
    Replicate,
    /// A purpose of a sensitivity analysis (its Sobol matrix B, its bootstraps).
    Sensitivity,
}

impl SeedDomain {
    fn multiplier(self) -> u64 {
        match self {
            SeedDomain::Replicate => 0xA24B_AED4_963E_E407,
            SeedDomain::Sensitivity => 0xA076_1D64_78BD_642F,
        }
    }
}

/// The seed for `index` in `domain`, derived from a run's `seed`. Replicate 0 is the run seed
/// itself, so a design's first replicate draws what a single-replicate run draws.
pub fn derive_seed(seed: u64, domain: SeedDomain, index: u64) -> u64 {
    if domain == SeedDomain::Replicate && index == 0 {
        return seed;
    }
    let mut state = seed ^ index.wrapping_mul(domain.multiplier());
    splitmix64(&mut state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn splitmix64_matches_reference_values() {
        // Reference: Vigna's splitmix64.c with state 0.
        let mut state = 0u64;
        assert_eq!(splitmix64(&mut state), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut state), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn streams_differ_by_seed_chunk_and_stream() {
        let first = |seed, chunk, stream| stream_rng(seed, chunk, stream).next_u64();
        let base = first(1, 0, 0);
        assert_ne!(base, first(2, 0, 0));
        assert_ne!(base, first(1, 1, 0));
        assert_ne!(base, first(1, 0, 1));
        assert_eq!(base, first(1, 0, 0));
    }

    #[test]
    fn derived_seeds_differ_by_domain_and_index() {
        assert_eq!(derive_seed(9, SeedDomain::Replicate, 0), 9);
        let seeds = [
            derive_seed(9, SeedDomain::Replicate, 1),
            derive_seed(9, SeedDomain::Replicate, 2),
            derive_seed(9, SeedDomain::Sensitivity, 1),
            derive_seed(9, SeedDomain::Sensitivity, 2),
        ];
        for (i, a) in seeds.iter().enumerate() {
            for b in &seeds[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
