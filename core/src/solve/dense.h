#pragma once
// Shared continuous extensions.
#include <cstdint>
#include <vector>

namespace numen::detail {

/// Cubic Hermite interpolation in theta over a step of size h from (x0, f0) to (x1, f1), as power-basis
/// coefficients c[0..3] (each n values). Algebraic components (mask 0) have no derivative: they are interpolated
/// linearly.
inline void hermite_coefficients(int n, double h, const double* x0, const double* f0, const double* x1,
                                 const double* f1, const std::vector<std::uint8_t>& mask, double* c) {
  const std::size_t un = static_cast<std::size_t>(n);
  for (std::size_t i = 0; i < un; ++i) {
    const bool differential = mask.empty() || mask[i];
    const double d0 = differential ? h * f0[i] : x1[i] - x0[i];
    const double d1 = differential ? h * f1[i] : x1[i] - x0[i];
    c[i] = x0[i];
    c[un + i] = d0;
    c[2 * un + i] = -3 * x0[i] - 2 * d0 + 3 * x1[i] - d1;
    c[3 * un + i] = 2 * x0[i] + d0 - 2 * x1[i] + d1;
  }
}

}  // namespace numen::detail
