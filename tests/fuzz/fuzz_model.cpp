// libFuzzer target: any text given to the model compiler yields a model or numen::Error, never a crash, hang or
// sanitizer report. A compiled model is also evaluated and briefly solved, so tapes and the driver are exercised.
#include <cstddef>
#include <cstdint>
#include <string>

#include "numen/numen.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const numen::Model model = numen::Model::compile(text, "fuzz.yaml");
    numen::check_model(text, "fuzz.yaml");
    std::vector<double> x = model.initial_state(), p = model.parameter_values(), dx(x.size());
    std::vector<double> jac(static_cast<std::size_t>(model.jacobian_pattern().nnz()));
    model.rhs(0.0, x.data(), p.data(), dx.data());
    model.jacobian(0.0, x.data(), p.data(), jac.data());
    numen::SolveOptions options = model.simulate();
    options.max_steps = 200;
    options.n_save_points = 0;
    options.dtsave = 0;
    options.t_eval.clear();
    if (!model.features().algebraic) numen::solve(model, options);
  } catch (const numen::Error&) {
    // Bad input is expected; it must come back as an Error.
  }
  return 0;
}
