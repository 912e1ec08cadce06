#pragma once
// Designs of experiments on the unit hypercube [0, 1]^d (factorial designs in coded units -1, 0, 1 mapped to
// 0, 0.5, 1). Deterministic: the same seed gives the same design natively and in wasm (dsp::Rng).
#include <cstdint>
#include <string>
#include <vector>

namespace numen::doe {

using Design = std::vector<std::vector<double>>;  ///< points x dimensions, values in [0, 1]

// Limits (std::invalid_argument beyond them, the message naming the limit):
//  - sampled designs (latin_hypercube, sobol, halton): 1 <= n <= 2^22 points, 1 <= dimensions <= 1000 (LHS),
//    21 (Sobol') or 50 (Halton), and n x dimensions <= 2^26;
//  - structured designs: dimensions >= 1 (box_behnken: >= 3), center_points >= 0, full_factorial levels >= 2, and
//    at most 10^6 points.

/// Latin hypercube: n points, each dimension's n strata [k/n, (k+1)/n) hit exactly once; random position within
/// each stratum and random pairing across dimensions.
Design latin_hypercube(int n, int dimensions, std::uint64_t seed);

/// Sobol' points (Joe & Kuo 2008 direction numbers, Gray-code order), starting with the origin like
/// scipy.stats.qmc.Sobol: the first 2^m points form a balanced net (each 1-D projection has one point in each
/// interval of width 2^-m; dimensions 1-2 form a (0,m,2)-net). A seed > 0 applies a digital shift (random XOR per
/// dimension; point 0 is then the shift), which keeps that balance while different seeds give different designs.
Design sobol(int n, int dimensions, std::uint64_t seed);

/// Halton points (first primes as bases) from index 20 on (points 0..19 skipped); a seed > 0 applies a random shift
/// modulo 1 (Cranley-Patterson rotation).
Design halton(int n, int dimensions, std::uint64_t seed);

/// Central composite design: 2^d factorial corners (first factor alternating fastest), then 2 d axial points (per
/// factor -1, then +1), then `center_points` center runs. alpha = (2^d)^(1/4) (rotatable) is scaled so that the
/// axial points are the extremes [0, 1] and the corners sit inside ("inscribed" CCD). d = 1 is allowed (5 distinct
/// levels).
Design central_composite(int dimensions, int center_points = 1);

/// Box-Behnken (d >= 3): for every pair of factors the four (+-1, +-1) combinations with the others at 0, plus
/// `center_points` center runs.
Design box_behnken(int dimensions, int center_points = 1);

/// Full factorial with `levels` evenly spaced levels per dimension (levels^d points, first dimension fastest).
Design full_factorial(int dimensions, int levels);

/// Names accepted in plans: latin_hypercube, sobol, halton, central_composite, box_behnken, full_factorial.
const std::vector<std::string>& design_names();

}  // namespace numen::doe
