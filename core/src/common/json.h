#pragma once
// The core's one JSON type: insertion-ordered, so results keep the order they were written in, and one template
// instance for the whole core (each nlohmann type is a large one). common/json_config.h, forced into every
// translation unit, makes its preconditions throw.
#include <nlohmann/json.hpp>

namespace numen {
using json = nlohmann::ordered_json;
}  // namespace numen
