#pragma once
// Step-size control shared by the implicit methods: Hairer & Wanner's standard controller with Gustafsson's
// predictive correction (RODAS, RADAU5), which avoids the step-size oscillations of the plain one on stiff
// problems. Explicit pairs use the PI controller in explicit_rk.cpp.
#include <algorithm>
#include <cmath>

namespace numen::detail {

class StepController {
 public:
  /// exponent_order: the error estimate is O(h^exponent_order) (embedded order + 1).
  explicit StepController(int exponent_order) : k_(1.0 / exponent_order) {}

  /// Step size after an accepted step with error `err` (normed, <= 1); after_rejection forbids growth.
  double accept(double h, double err, bool after_rejection = false) {
    err = std::max(err, 1e-10);
    double fac = std::clamp(std::pow(err, k_) / kSafety, kFacMin, kFacMax);  // h_new = h / fac
    if (have_previous_) {
      const double gus =
          std::clamp((h_previous_ / h) * std::pow(err * err / err_previous_, k_) / kSafety, kFacMin, kFacMax);
      fac = std::max(fac, gus);
    }
    have_previous_ = true;
    h_previous_ = h;
    err_previous_ = std::max(1e-2, err);
    return after_rejection ? std::min(h, h / fac) : h / fac;
  }

  /// Step size after a rejected step (err > 1, or NaN: a hard cut).
  double reject(double h, double err) const {
    if (!std::isfinite(err)) return h * 0.25;
    return h / std::clamp(std::pow(err, k_) / kSafety, 1.0, kFacMax);
  }

  void reset() { have_previous_ = false; }

 private:
  static constexpr double kSafety = 0.9, kFacMin = 1.0 / 6.0, kFacMax = 5.0;
  double k_;
  bool have_previous_ = false;
  double h_previous_ = 0.0, err_previous_ = 1.0;
};

}  // namespace numen::detail
