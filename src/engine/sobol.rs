//! Scrambled Sobol points in up to [`MAX_DIMENSIONS`] dimensions.
//!
//! Direction numbers: Joe & Kuo (2008), "Constructing Sobol sequences with better
//! two-dimensional projections", file new-joe-kuo-6.21201 (first dimension: all m = 1).
//! Points are produced in natural (not Gray-code) order, so point `i` is computed directly and
//! chunks can be generated in parallel. Randomisation: hash-based nested uniform (Owen)
//! scrambling after Burley (2020), "Practical Hash-based Owen Scrambling", with the
//! Laine–Karras-style hash improved by Vegdahl (2021); each dimension and replicate gets its
//! own scramble seed, which makes replicates statistically independent.

/// Number of dimensions (uncertain inputs) supported.
pub const MAX_DIMENSIONS: usize = 32;

/// `(s, a, m_1..m_s)` for dimensions 2..=32 (Joe & Kuo, new-joe-kuo-6.21201).
#[rustfmt::skip]
const JOE_KUO: [(u32, u32, &[u32]); MAX_DIMENSIONS - 1] = [
    (1, 0, &[1]), (2, 1, &[1, 3]), (3, 1, &[1, 3, 1]), (3, 2, &[1, 1, 1]),
    (4, 1, &[1, 1, 3, 3]), (4, 4, &[1, 3, 5, 13]), (5, 2, &[1, 1, 5, 5, 17]),
    (5, 4, &[1, 1, 5, 5, 5]), (5, 7, &[1, 1, 7, 11, 19]), (5, 11, &[1, 1, 5, 1, 1]),
    (5, 13, &[1, 1, 1, 3, 11]), (5, 14, &[1, 3, 5, 5, 31]), (6, 1, &[1, 3, 3, 9, 7, 49]),
    (6, 13, &[1, 1, 1, 15, 21, 21]), (6, 16, &[1, 3, 1, 13, 27, 49]),
    (6, 19, &[1, 1, 1, 15, 7, 5]), (6, 22, &[1, 3, 1, 15, 13, 25]),
    (6, 25, &[1, 1, 5, 5, 19, 61]), (7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]), (7, 7, &[1, 1, 3, 13, 7, 35, 63]),
    (7, 8, &[1, 3, 5, 9, 1, 25, 53]), (7, 14, &[1, 3, 1, 13, 9, 35, 107]),
    (7, 19, &[1, 3, 1, 5, 27, 61, 31]), (7, 21, &[1, 1, 5, 11, 19, 41, 61]),
    (7, 28, &[1, 3, 5, 3, 3, 13, 69]), (7, 31, &[1, 1, 7, 13, 1, 19, 1]),
    (7, 32, &[1, 3, 7, 5, 13, 19, 59]), (7, 37, &[1, 1, 3, 9, 25, 29, 41]),
    (7, 41, &[1, 3, 5, 13, 23, 1, 55]), (7, 42, &[1, 3, 7, 3, 13, 59, 17]),
];

/// The 32 direction numbers `V_1..V_32` (scaled by 2³²) of dimension `dimension` (0-based).
pub fn direction_numbers(dimension: usize) -> [u32; 32] {
    let mut v = [0u32; 32];
    if dimension == 0 {
        for (i, slot) in v.iter_mut().enumerate() {
            *slot = 1 << (31 - i);
        }
        return v;
    }
    let (s, a, m) = JOE_KUO[dimension - 1];
    let s = s as usize;
    for i in 0..32 {
        v[i] = if i < s {
            m[i] << (31 - i)
        } else {
            let mut value = v[i - s] ^ (v[i - s] >> s);
            for k in 1..s {
                value ^= ((a >> (s - 1 - k)) & 1) * v[i - k];
            }
            value
        };
    }
    v
}

/// The unscrambled Sobol point `index` in one dimension, as a 32-bit fraction.
#[inline]
pub fn sobol_u32(index: u32, directions: &[u32; 32]) -> u32 {
    let mut x = 0;
    let mut bits = index;
    let mut k = 0;
    while bits != 0 {
        if bits & 1 == 1 {
            x ^= directions[k];
        }
        bits >>= 1;
        k += 1;
    }
    x
}

/// Nested uniform (Owen) scramble of a 32-bit fraction `x` with `seed` (Burley 2020, Vegdahl's
/// hash): a bit's flip depends only on the bits above it.
#[inline]
pub fn owen_scramble(x: u32, seed: u32) -> u32 {
    let mut r = x.reverse_bits();
    r ^= r.wrapping_mul(0x3d20_adea);
    r = r.wrapping_add(seed);
    r = r.wrapping_mul((seed >> 16) | 1);
    r ^= r.wrapping_mul(0x0552_6c56);
    r ^= r.wrapping_mul(0x53a2_2864);
    r.reverse_bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_points_match_the_joe_kuo_reference() {
        let expected = [
            [0.0, 0.0, 0.0],
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
            [0.875, 0.875, 0.125],
            [0.625, 0.125, 0.875],
            [0.125, 0.625, 0.375],
            [0.1875, 0.3125, 0.9375],
            [0.6875, 0.8125, 0.4375],
        ];
        let dirs: Vec<[u32; 32]> = (0..3).map(direction_numbers).collect();
        // Reference points are in Gray-code order: point n is natural index n ^ (n >> 1).
        for (n, point) in expected.iter().enumerate() {
            let gray = (n ^ (n >> 1)) as u32;
            for d in 0..3 {
                let x = sobol_u32(gray, &dirs[d]) as f64 / 2f64.powi(32);
                assert_eq!(x, point[d], "point {n} dimension {d}");
            }
        }
    }

    #[test]
    fn every_dimension_is_a_0_m_net_in_one_dimension() {
        // The first 2^m points of each dimension hit each of the 2^m strata exactly once.
        for d in 0..MAX_DIMENSIONS {
            let dirs = direction_numbers(d);
            let mut seen = [false; 256];
            for i in 0..256u32 {
                let stratum = (sobol_u32(i, &dirs) >> 24) as usize;
                assert!(!seen[stratum], "dimension {d}");
                seen[stratum] = true;
            }
        }
    }

    #[test]
    fn owen_scrambling_keeps_stratification() {
        let dirs = direction_numbers(5);
        let mut seen = [false; 1024];
        for i in 0..1024u32 {
            let stratum = (owen_scramble(sobol_u32(i, &dirs), 0xdead_beef) >> 22) as usize;
            assert!(!seen[stratum]);
            seen[stratum] = true;
        }
    }
}
