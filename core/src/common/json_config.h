#pragma once
// Included first in every translation unit (the top-level CMakeLists.txt forces it), before nlohmann/json.hpp.
// nlohmann::json checks its preconditions with assert(): reading a missing key of a const object, or indexing a
// value of the wrong type, is undefined behaviour in a release build (it wrote `"amplitude":,` into a merged
// results document). Results, plans and settings are JSON from users and workers, so a broken precondition
// throws instead, and the host reports it like any other error. (Its internal invariants, checked inside noexcept
// members, would end the program: they hold unless memory is corrupt.)
#include <stdexcept>
#include <string>

[[noreturn]] inline void numen_json_precondition_failed(const char* what) {
  throw std::logic_error(std::string("internal error: a JSON value lacks what was read from it (") + what + ")");
}

#define JSON_ASSERT(x) ((x) ? static_cast<void>(0) : numen_json_precondition_failed(#x))
