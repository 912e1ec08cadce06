// Plans split across processes: shards and ranges of points, part documents and their merge. The reference is
// always a single run of the same plan: the merged parts must give its document byte for byte, for any split.
#include <algorithm>
#include <map>

#include "characterize/plan_support.h"

namespace numen::test {
namespace {

std::string plan_text() { return read_text("models/plans/linear_msd.plan.yaml"); }
const char* kPlanFile = "models/plans/linear_msd.plan.yaml";

/// A fresh compile of the plan for each host, as separate processes would make (nothing shared between them).
Plan host_plan(std::optional<std::uint64_t> seed = std::nullopt, const PlanFileLoader& load = repo_loader()) {
  return Plan::compile(plan_text(), kPlanFile, load, seed);
}

std::string single_run(const Plan& plan) {
  std::vector<std::string> points;
  for (int i = 0; i < plan.point_count(); ++i) points.push_back(plan.run_point(i));
  return plan.merge(points);
}

/// Runs a selection on its own compile of the plan and returns its part.
std::string run_part(const PointSelection& selection, std::optional<std::uint64_t> seed = std::nullopt,
                     const PlanFileLoader& load = repo_loader()) {
  const Plan plan = host_plan(seed, load);
  const std::vector<int> indices = selection.indices(plan.point_count());
  std::vector<std::string> results;
  for (int i : indices) results.push_back(plan.run_point(i));
  return plan.part(indices, results, selection.describe());
}

std::vector<PartSource> sources(const std::vector<std::pair<std::string, std::string>>& parts) {
  std::vector<PartSource> out;
  for (const auto& [name, text] : parts) out.push_back({name, [text = text] { return text; }});
  return out;
}

/// The diagnostics merge_parts throws (fails the test when it merges).
std::vector<Diagnostic> merge_errors(const std::vector<std::pair<std::string, std::string>>& parts) {
  try {
    merge_parts(sources(parts));
  } catch (const Error& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "the parts merged, but an error was expected";
  return {};
}

class PlanParts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = new std::string(single_run(host_plan()));
    for (int i = 1; i <= 3; ++i) shards_.push_back(run_part(PointSelection::shard(i, 3)));
  }
  static void TearDownTestSuite() { delete reference_; }
  static std::string* reference_;
  static std::vector<std::string> shards_;
};
std::string* PlanParts::reference_ = nullptr;
std::vector<std::string> PlanParts::shards_;

TEST(PointSelection, ShardsInterleaveAndRangesAreHalfOpen) {
  EXPECT_EQ(PointSelection::shard("2/3").indices(10), (std::vector<int>{1, 4, 7}));
  EXPECT_EQ(PointSelection::shard("3/3").indices(2), std::vector<int>{});  // more shards than points: some are empty
  EXPECT_EQ(PointSelection::shard(1, 1).indices(3), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(PointSelection::points("0:3,5,8:").indices(10), (std::vector<int>{0, 1, 2, 5, 8, 9}));
  EXPECT_EQ(PointSelection::points(":2,1:3").indices(10), (std::vector<int>{0, 1, 2}));  // overlaps run once
  EXPECT_EQ(PointSelection::points("0:3,5,8:").describe(), "points 0:3,5,8:");
  EXPECT_EQ(PointSelection::shard("2/3").describe(), "shard 2/3");
  EXPECT_EQ(PointSelection().indices(2), (std::vector<int>{0, 1}));
  EXPECT_EQ(format_point_ranges({0, 1, 2, 5, 8, 9}), "0:3,5,8:10");
  // Every shard count covers every point exactly once.
  for (int n : {1, 2, 5, 13}) {
    std::vector<int> all;
    for (int i = 1; i <= n; ++i)
      for (int k : PointSelection::shard(i, n).indices(11)) all.push_back(k);
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, PointSelection().indices(11)) << n << " shards";
  }
}

TEST(PointSelection, BadSelectionsSayWhatIsExpected) {
  auto message = [](auto f) {
    try {
      f();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([] { PointSelection::shard("0/3"); }).find("shards count from 1 to 3"), std::string::npos);
  EXPECT_NE(message([] { PointSelection::shard("4/3"); }).find("shards count from 1 to 3"), std::string::npos);
  EXPECT_NE(message([] { PointSelection::shard("2"); }).find("a shard is I/N"), std::string::npos);
  EXPECT_NE(message([] { PointSelection::shard("1/0"); }).find("at least 1 shard"), std::string::npos);
  EXPECT_NE(message([] { PointSelection::points("5:2"); }).find("it is empty"), std::string::npos);
  EXPECT_NE(message([] { PointSelection::points("a:2"); }).find("whole numbers"), std::string::npos);
  EXPECT_NE(message([] { PointSelection::points("-1"); }).find("not a range of points"), std::string::npos);
  EXPECT_NE(message([] { PointSelection::points("0:40").indices(36); }).find("reach past the plan's 36 points"),
            std::string::npos);
}

TEST_F(PlanParts, ThreeShardsMergeToTheSingleRunByteForByte) {
  const std::string merged = merge_parts(sources({{"p1", shards_[0]}, {"p2", shards_[1]}, {"p3", shards_[2]}}));
  EXPECT_GT(reference_->size(), 100000u);
  EXPECT_EQ(merged, *reference_);
  // In any order of the parts.
  EXPECT_EQ(merge_parts(sources({{"p3", shards_[2]}, {"p1", shards_[0]}, {"p2", shards_[1]}})), *reference_);
  // The document is what serializing it whole gives (it is assembled from serialized tests).
  EXPECT_EQ(ojson::parse(merged).dump(), merged);
}

TEST_F(PlanParts, AnyShardCountAndAnyRangesMergeToTheSingleRun) {
  const int total = host_plan().point_count();
  for (int n : {1, 2, 5, total + 3}) {
    std::vector<std::pair<std::string, std::string>> parts;
    for (int i = 1; i <= n; ++i) parts.emplace_back("s" + std::to_string(i), run_part(PointSelection::shard(i, n)));
    EXPECT_EQ(merge_parts(sources(parts)), *reference_) << n << " shards";
  }
  EXPECT_EQ(merge_parts(sources(
                {{"a", run_part(PointSelection::points("0:7,30:"))}, {"b", run_part(PointSelection::points("7:30"))}})),
            *reference_);
}

// Random signals and designs come from the plan's seed and the point's index, not from who runs the point.
TEST_F(PlanParts, SeededPlansMergeToTheSingleRunOfTheSameSeed) {
  const std::string reference = single_run(host_plan(42));
  EXPECT_NE(reference, *reference_);
  EXPECT_EQ(merge_parts(sources(
                {{"a", run_part(PointSelection::shard(2, 2), 42)}, {"b", run_part(PointSelection::shard(1, 2), 42)}})),
            reference);
}

TEST_F(PlanParts, APartCarriesItsSourcesAndSaysWhatItHolds) {
  const ojson part = ojson::parse(shards_[1]);
  EXPECT_EQ(part["numen_part"], 1);
  EXPECT_EQ(part["numen"], NUMEN_VERSION);
  EXPECT_EQ(part["selection"], "shard 2/3");
  EXPECT_EQ(part["shard"], ojson::parse("[2, 3]"));
  EXPECT_EQ(part["plan_file"], kPlanFile);
  EXPECT_EQ(part["sources"]["plan"], plan_text());
  EXPECT_EQ(part["sources"]["files"]["../linear_msd.yaml"], read_text("models/linear_msd.yaml"));
  EXPECT_EQ(part["points"][0][0], 1);
  EXPECT_EQ(part["points"][1][0], 4);
  EXPECT_EQ(part["point_count"], host_plan().point_count());
  EXPECT_EQ(part["fingerprint"], host_plan().fingerprint());
  EXPECT_NE(host_plan(7).fingerprint(), host_plan().fingerprint());
}

TEST_F(PlanParts, MissingShardsAreNamedWithTheCommandThatRunsThem) {
  const auto errors = merge_errors({{"p1.json", shards_[0]}, {"p3.json", shards_[2]}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "p1.json");
  EXPECT_NE(errors[0].message.find("shard 2/3 of `models/plans/linear_msd.plan.yaml` is missing"), std::string::npos)
      << errors[0].message;
  EXPECT_NE(errors[0].message.find("the parts given (p1.json, p3.json)"), std::string::npos) << errors[0].message;
  EXPECT_NE(errors[0].message.find("--shard 2/3"), std::string::npos) << errors[0].message;
  // Ranges: the missing ones are listed in --points syntax.
  const auto ranges = merge_errors({{"a.json", run_part(PointSelection::points("0:7,30:"))}});
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_NE(ranges[0].message.find("points 7:30"), std::string::npos) << ranges[0].message;
  EXPECT_NE(ranges[0].message.find("--points"), std::string::npos) << ranges[0].message;
}

TEST_F(PlanParts, DuplicatedShardsAndPointsAreErrorsNamingBothFiles) {
  auto errors = merge_errors(
      {{"p1.json", shards_[0]}, {"p2.json", shards_[1]}, {"copy.json", shards_[0]}, {"p3.json", shards_[2]}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "copy.json");
  EXPECT_NE(errors[0].message.find("shard 1/3 is given twice: by p1.json and by copy.json"), std::string::npos)
      << errors[0].message;
  errors = merge_errors(
      {{"a.json", run_part(PointSelection::points("0:10"))}, {"b.json", run_part(PointSelection::points("5:"))}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "b.json");
  EXPECT_NE(errors[0].message.find("point 5 ("), std::string::npos) << errors[0].message;
  EXPECT_NE(errors[0].message.find("is in a.json and in b.json (and 4 more points are in two parts)"),
            std::string::npos)
      << errors[0].message;
}

TEST_F(PlanParts, PartsOfAnotherPlanModelSeedOrVersionAreRefused) {
  // Another model: the same plan over a stiffer spring.
  const PlanFileLoader stiffer = [](const std::string& path) {
    std::string text = repo_loader()(path);
    const auto at = text.find("value: 1000, unit: N/m");
    if (at != std::string::npos) text.replace(at, 11, "value: 2000");
    return text;
  };
  auto errors = merge_errors({{"p1.json", shards_[0]},
                              {"p2.json", run_part(PointSelection::shard(2, 3), std::nullopt, stiffer)},
                              {"p3.json", shards_[2]}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "p2.json");
  EXPECT_NE(errors[0].message.find("comes from another plan than p1.json: the model differs (`linear_msd` fnv1a64:"),
            std::string::npos)
      << errors[0].message;
  // Another seed.
  errors = merge_errors({{"p1.json", shards_[0]}, {"p2.json", run_part(PointSelection::shard(2, 3), 9)}});
  ASSERT_GE(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("the seed differs (9 here, 1 there"), std::string::npos) << errors[0].message;
  // Another plan text.
  {
    const Plan other = Plan::compile(plan_text() + "\n# edited\n", kPlanFile, repo_loader());
    const std::string part = other.part({2}, {other.run_point(2)}, "points 2");
    errors = merge_errors({{"p1.json", shards_[0]}, {"edited.json", part}});
    ASSERT_GE(errors.size(), 1u);
    EXPECT_EQ(errors[0].file, "edited.json");
    EXPECT_NE(errors[0].message.find("the plan file's text differs"), std::string::npos) << errors[0].message;
  }
  // The same plan under another path: the results record the path, so it must be one.
  {
    const Plan moved = Plan::compile(plan_text(), "elsewhere/plan.yaml", repo_loader());
    const std::string part = moved.part({2}, {moved.run_point(2)}, "points 2");
    errors = merge_errors({{"p1.json", shards_[0]}, {"moved.json", part}});
    ASSERT_GE(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("ran the plan as `elsewhere/plan.yaml`, and p1.json as `models/plans/"),
              std::string::npos)
        << errors[0].message;
  }
  // Another numen version.
  std::string old = shards_[1];
  old.replace(old.find("\"numen\":\"" NUMEN_VERSION "\""), std::string("\"numen\":\"" NUMEN_VERSION "\"").size(),
              "\"numen\":\"0.0.1\"");
  errors = merge_errors({{"p1.json", shards_[0]}, {"old.json", old}, {"p3.json", shards_[2]}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "old.json");
  EXPECT_NE(errors[0].message.find("written by numen 0.0.1, and this is numen " NUMEN_VERSION), std::string::npos)
      << errors[0].message;
}

TEST_F(PlanParts, FilesThatAreNotPartsAreNamed) {
  auto errors = merge_errors({{"results.json", *reference_}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("this is a results document"), std::string::npos) << errors[0].message;
  errors = merge_errors({{"cut.json", shards_[0].substr(0, shards_[0].size() / 2)}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "cut.json");
  EXPECT_NE(errors[0].message.find("not JSON"), std::string::npos) << errors[0].message;
  errors = merge_errors({{"p1.json", shards_[0]}, {"other.json", "{\"hello\": 1}"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "other.json");
  EXPECT_NE(errors[0].message.find("not a part of a plan's results"), std::string::npos) << errors[0].message;
  EXPECT_THROW(merge_parts({}), Error);
  std::vector<PartSource> unreadable = {
      {"gone.json", []() -> std::string { throw std::runtime_error("no such file"); }}};
  try {
    merge_parts(unreadable);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.diagnostics().front().format(), "gone.json: error: cannot read the part: no such file");
  }
}

TEST(PlanMerger, MergesPointsInAnyOrderIntoWhatMergeGives) {
  const Plan plan = host_plan();
  std::vector<std::string> points;
  for (int i = 0; i < plan.point_count(); ++i) points.push_back(plan.run_point(i));
  PlanMerger merger(plan);
  EXPECT_EQ(merger.remaining(), plan.point_count());
  for (int i = plan.point_count() - 1; i >= 1; --i) merger.add(i, points[static_cast<std::size_t>(i)]);
  EXPECT_EQ(merger.remaining(), 1);
  EXPECT_EQ(merger.missing(), std::vector<int>{0});
  EXPECT_TRUE(merger.has(1));
  EXPECT_FALSE(merger.has(0));
  EXPECT_THROW(merger.add(1, points[1]), std::invalid_argument);
  EXPECT_THROW(merger.add(plan.point_count(), "{}"), std::invalid_argument);
  EXPECT_THROW(merger.finish(), std::logic_error);
  merger.add(0, points[0]);
  EXPECT_EQ(merger.finish(), plan.merge(points));
}

}  // namespace
}  // namespace numen::test
