#pragma once
// A generated chain of n masses joined by springs (with a cubic damper, so the Jacobian is not constant):
// the large sparse model of the benchmarks and the sparsity tests. Without units it is the same model unchecked
// (fields without a unit are not checked), for the cost of the dimension check. The chain starts at rest; `kick`
// gives the first mass that velocity (m/s), so that a solve has something to do; `k` is the springs' stiffness.
#include <string>

namespace numen::bench {

inline std::string chain_model(int n, bool with_units = true, const std::string& k = "100", double kick = 0) {
  std::string text = std::string("model: chain\ncomponents:\n") +
                     (with_units ? "  mass: { states: { x: 0 m, v: 0 m/s }, params: { m: 1 kg } }\n"
                                   "  spring: { params: { k: " +
                                       k + " N/m, L: 1 m, c: 0.1 N*s^3/m^3 } }\n"
                                 : "  mass: { states: { x: 0, v: 0 }, params: { m: 1 } }\n"
                                   "  spring: { params: { k: " +
                                       k + ", L: 1, c: 0.1 } }\n") +
                     R"(
systems:
  kinematics: { slots: [a: mass], equations: ["der(a.x) += a.v"] }
  spring_force:
    slots: [a: mass, s: spring, b: mass]
    equations:
      - F = s.k * ((b.x - a.x) - s.L) + s.c * (b.v - a.v)^3
      - der(a.v) += F / a.m
      - der(b.v) -= F / b.m
entities:
)";
  text.reserve(static_cast<std::size_t>(n) * 80);
  for (int i = 0; i < n; ++i)
    text += "  m" + std::to_string(i) + ": { mass: { x: " + std::to_string(i) +
            (i == 0 && kick != 0 ? ", v: " + std::to_string(kick) : std::string()) + " } }\n";
  for (int i = 0; i + 1 < n; ++i) text += "  s" + std::to_string(i) + ": { spring: {} }\n";
  text += "world:\n  kinematics: auto\n  spring_force: [";
  for (int i = 0; i + 1 < n; ++i)
    text += std::string(i ? ", " : "") + "[m" + std::to_string(i) + ", s" + std::to_string(i) + ", m" +
            std::to_string(i + 1) + "]";
  return text + "]\n";
}

}  // namespace numen::bench
