#pragma once
// Small text helpers shared by every stage: "did you mean" suggestions, quoting and number formatting.
#include <string>
#include <string_view>
#include <vector>

namespace numen::text {

/// Damerau-Levenshtein (optimal string alignment) distance, case-insensitive.
int edit_distance(std::string_view a, std::string_view b);

/// The closest candidate if it is plausibly a misspelling of `word`, else empty.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean `x`?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// "`a`, `b`, `c`" (at most `limit` shown, then ", ... (N more)").
std::string quoted_list(const std::vector<std::string>& items, std::size_t limit = 12);

/// Shortest decimal text that reads back to the same double ("0.1", "1e-08", "300000"): %g's layout of the fewest
/// digits, at least 15 of precision for the choice of notation. The same text on every host.
std::string format_number(double value);
/// The same text by searching %g precisions with snprintf and strtod: what format_number does where the standard
/// library lacks floating-point std::to_chars (the wasm build), and the reference its fast path is tested against.
std::string format_number_by_search(double value);

/// `relative` as seen from the directory of `from_file`, lexically normalized ("a/b/plan.yaml" + "../m.yaml" ->
/// "a/m.yaml"). Absolute paths are returned as they are. For messages that name files the way the user sees them.
std::string sibling_path(std::string_view from_file, std::string_view relative);
/// `path` (normalized, as sibling_path gives it) relative to the folder `base` ("." for the current one):
/// relative_path("models/plans", "models/lib/a.yaml") is "../lib/a.yaml". Absolute paths stay as they are.
std::string relative_path(std::string_view base, std::string_view path);

/// FNV-1a (64 bit) of the bytes, as 16 hex digits: the content hashes in model info and results (not a security hash).
std::string fnv1a64(std::string_view bytes);

bool iequals(std::string_view a, std::string_view b);
std::string lower(std::string_view s);

}  // namespace numen::text
