// libFuzzer target: any text given as a test plan yields a Plan or numen::Error, never a crash, hang or sanitizer
// report. The plan's files resolve to a small model with a port (or, for other names, to a CSV), so fuzzed plans
// reach the model-dependent checks: parameter paths, ports, sweeps, sub-test links, plots.
#include <cstddef>
#include <cstdint>
#include <string>

#include "numen/numen.h"

namespace {
const char* kModel = R"(model: msd
components:
  body:
    states: { x: { value: 0 }, v: { value: 0 } }
    params: { m: { value: 1 }, k: { value: 1000 }, c: { value: 2 } }
    outputs: { f: {} }
    ports: { force: { targets: v } }
systems:
  dynamics:
    slots: [b: body]
    equations:
      - b.f = b.k * b.x
      - der(b.x) += b.v
      - der(b.v) += -(b.f + b.c * b.v) / b.m
entities: { mass: { body: {} } }
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const numen::PlanFileLoader load = [](const std::string& path) -> std::string {
    if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".yaml") == 0) return kModel;
    if (path == "missing.csv") throw std::runtime_error("no such file");
    return "frequency,psd\n1,1\n10,2\n40,0.5\n";
  };
  numen::check_plan(text, "fuzz.plan.yaml", load);
  try {
    const numen::Plan plan = numen::Plan::compile(text, "fuzz.plan.yaml", load);
    for (int i = 0; i < plan.point_count() && i < 64; ++i) plan.point_label(i);
  } catch (const numen::Error&) {
    // Bad input is expected; it must come back as an Error.
  }
  return 0;
}
