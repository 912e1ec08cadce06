#pragma once
// The inside of a compiled Plan, shared by the plan reader (plan.cpp) and the parts that split and merge its points
// (parts.cpp).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "characterize/test.h"
#include "characterize/test_bench.h"

namespace numen::characterize {

struct PlanImpl {
  std::unique_ptr<TestBench> bench;
  std::vector<std::unique_ptr<Test>> tests;
  std::vector<const Test*> enabled;
  std::vector<int> offsets;  ///< first point of each enabled test; back() = point count
  json resolved;
  std::string plan_file, output;
  int workers = 0;
  // What the plan was compiled from (parts carry it, so that they merge where the files are not).
  std::string text;
  std::vector<std::pair<std::string, std::string>> files;  ///< (path as the plan gives it, text), in load order
  std::uint64_t seed = 0;
};

/// The document header every results document starts with: {numen, plan_file, plan, model, solver, seed}.
json results_header(const PlanImpl& impl);
/// Merges test t's points into its entry of the document's `tests`.
json merge_test(const PlanImpl& impl, std::size_t t, const std::vector<std::string>& point_results);

}  // namespace numen::characterize
