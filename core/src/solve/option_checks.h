#pragma once
// Option validation shared by the model compiler (which reports problems at the `simulate` block's keys) and the
// public validate() (which reports them for options given on a command line or through the JS API).
#include <string>
#include <utility>
#include <vector>

#include "numen/options.h"

namespace numen::detail {

/// (option name, message) for each problem; n_states = 0 skips per-state checks.
std::vector<std::pair<std::string, std::string>> option_problems(const SolveOptions& options, int n_states);

}  // namespace numen::detail
