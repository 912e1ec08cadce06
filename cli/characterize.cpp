// numen characterize PLAN: runs a test plan's points on a thread pool, merges them, writes results.json and CSV.
// With --shard I/N or --points A:B it runs only those points and writes a part; numen merge PART... joins parts
// into the document one run gives.
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.h"

namespace numen::cli {
namespace {

namespace fs = std::filesystem;

struct CharacterizeArgs {
  std::string plan;
  std::string output;
  std::string csv_dir;
  int jobs = 0;
  long long seed = -1;
  bool quiet = false;
  std::string shard, points;  ///< a slice of the plan: I/N, or ranges A:B
};

struct MergeArgs {
  std::vector<std::string> parts;
  std::string output;
  std::string csv_dir;
  bool quiet = false;
};

/// Progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise (logs stay short).
class Progress {
 public:
  Progress(int total, bool quiet)
      : total_(total), quiet_(quiet), tty_(isatty(fileno(stderr)) != 0), start_(std::chrono::steady_clock::now()) {}
  void done(const std::string& label) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    if (quiet_) return;
    const double elapsed = seconds();
    const double eta = done_ > 0 ? elapsed / done_ * (total_ - done_) : 0.0;
    if (tty_) {
      const int width = 30, filled = total_ > 0 ? width * done_ / total_ : width;
      std::fprintf(stderr, "\r[%s%s] %d/%d points  %.1f s  ETA %.1f s  %-40.40s", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), done_, total_, elapsed, eta, label.c_str());
      if (done_ == total_) std::fprintf(stderr, "\n");
    } else if (done_ == total_ || done_ * 10 / total_ != (done_ - 1) * 10 / total_) {
      std::fprintf(stderr, "%d/%d points, %.1f s, ETA %.1f s\n", done_, total_, elapsed, eta);
    }
    std::fflush(stderr);
  }
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  int total_, done_ = 0;
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

std::string metric_text(const nlohmann::ordered_json& metrics) {
  std::string out;
  int shown = 0;
  for (const auto& [key, value] : metrics.items()) {
    if (!value.is_number() || shown == 4) continue;
    out += (out.empty() ? "" : ", ") + key + " " + number(value.get<double>());
    ++shown;
  }
  return out;
}

void report(const std::string& merged, const std::string& csv_dir, bool quiet);

void characterize(const CharacterizeArgs& args) {
  auto text = read_file(args.plan);
  if (!text) return set_exit_code(1);
  const fs::path base = fs::path(args.plan).parent_path();
  const PlanFileLoader load = [&base](const std::string& path) {
    const fs::path full = base / path;
    auto content = read_file_quiet(full.string());
    if (!content) throw std::runtime_error("cannot open " + full.string());
    return *content;
  };
  std::optional<Plan> plan;
  try {
    plan = Plan::compile(
        *text, args.plan, load,
        args.seed >= 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(args.seed)) : std::nullopt);
  } catch (const Error& e) {
    print_error(e);
    return set_exit_code(1);
  }
  PointSelection selection;
  std::vector<int> indices;
  try {
    if (!args.shard.empty()) selection = PointSelection::shard(args.shard);
    if (!args.points.empty()) selection = PointSelection::points(args.points);
    indices = selection.indices(plan->point_count());
  } catch (const std::invalid_argument& e) {
    std::cerr << "numen characterize: " << (args.shard.empty() ? "--points " + args.points : "--shard " + args.shard)
              << ": " << e.what() << "\n";
    return set_exit_code(2);
  }
  const bool part = !args.shard.empty() || !args.points.empty();
  const int total = static_cast<int>(indices.size());
  int jobs = args.jobs > 0         ? args.jobs
             : plan->workers() > 0 ? plan->workers()
                                   : static_cast<int>(std::thread::hardware_concurrency());
  jobs = std::clamp(jobs, 1, std::max(1, total));
  if (!args.quiet) {
    std::fprintf(stderr, "%s: %d tests, %d points", args.plan.c_str(), static_cast<int>(plan->test_names().size()),
                 plan->point_count());
    if (part) std::fprintf(stderr, ", %s: %d of them", selection.describe().c_str(), total);
    std::fprintf(stderr, " on %d thread%s\n", jobs, jobs == 1 ? "" : "s");
  }
  std::vector<std::string> results(static_cast<std::size_t>(total));
  std::atomic<int> next{0};
  Progress progress(total, args.quiet);
  auto worker = [&] {
    for (int k = next++; k < total; k = next++) {
      const int i = indices[static_cast<std::size_t>(k)];
      results[static_cast<std::size_t>(k)] = plan->run_point(i);
      progress.done(plan->point_label(i));
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  std::string out_path = args.output;
  if (part) {
    if (out_path.empty()) {
      const std::string stem = (base / (plan->output().empty() ? "results.json" : plan->output())).string();
      const std::string root =
          stem.size() > 5 && stem.substr(stem.size() - 5) == ".json" ? stem.substr(0, stem.size() - 5) : stem;
      out_path = selection.is_shard() ? root + ".part-" + std::to_string(selection.shard_index()) + "-of-" +
                                            std::to_string(selection.shard_count()) + ".json"
                                      : root + ".points-" + args.points + ".json";
    }
    if (!write_output(out_path, plan->part(indices, results, selection.describe()) + "\n")) return set_exit_code(1);
    int failed = 0;
    for (const std::string& r : results) failed += r.rfind("{\"error\"", 0) == 0 ? 1 : 0;
    if (!args.quiet) {
      if (failed > 0)
        std::fprintf(stderr, "%d of the %d points failed (merged, their tests will say why)\n", failed, total);
      if (out_path != "-")
        std::fprintf(stderr, "wrote %s (%s, %d points, %.1f s on %d thread%s); merge the parts with `numen merge`\n",
                     out_path.c_str(), selection.describe().c_str(), total, progress.seconds(), jobs,
                     jobs == 1 ? "" : "s");
    }
    return;
  }
  const std::string merged = plan->merge(results);
  if (out_path.empty()) out_path = (base / (plan->output().empty() ? "results.json" : plan->output())).string();
  if (!write_output(out_path, merged + "\n")) return set_exit_code(1);
  report(merged, args.csv_dir, args.quiet);
  if (out_path != "-" && !args.quiet)
    std::fprintf(stderr, "wrote %s (%.1f s on %d thread%s)\n", out_path.c_str(), progress.seconds(), jobs,
                 jobs == 1 ? "" : "s");
}

/// Writes the CSV files of a results document and prints its summary; sets exit code 1 unless every test passed.
void report(const std::string& merged, const std::string& csv_dir, bool quiet) {
  const auto doc = nlohmann::ordered_json::parse(merged);
  if (!csv_dir.empty()) {
    std::error_code ec;
    fs::create_directories(csv_dir, ec);
    for (const auto& [name, body] : results_csv(merged))
      if (!write_output((fs::path(csv_dir) / name).string(), body)) return set_exit_code(1);
  }
  bool all_ok = true;
  for (const auto& test : doc["tests"]) {
    const std::string status = test["status"].get<std::string>();
    all_ok = all_ok && status == "ok";
    if (quiet && status == "ok") continue;
    std::printf("%-28s %-26s %-8s %s\n", test["name"].get<std::string>().c_str(),
                test["type"].get<std::string>().c_str(), status.c_str(),
                metric_text(test.value("metrics", nlohmann::ordered_json::object())).c_str());
    for (const auto& m : test["messages"]) std::printf("    %s\n", m.get<std::string>().c_str());
  }
  if (!all_ok) set_exit_code(1);
}

void merge(const MergeArgs& args) {
  std::vector<PartSource> parts;
  for (const std::string& path : args.parts)
    parts.push_back({path, [path] {
                       auto text = read_file_quiet(path);
                       if (!text) throw std::runtime_error("cannot open the file (does it exist, and can it be read?)");
                       return *text;
                     }});
  std::string merged;
  try {
    merged = merge_parts(parts);
  } catch (const Error& e) {
    print_error(e);
    return set_exit_code(1);
  }
  std::string out_path = args.output;
  if (out_path.empty()) {
    // Where `numen characterize PLAN` would have written it.
    const auto doc = nlohmann::ordered_json::parse(merged);
    const std::string plan_file = doc["plan_file"].get<std::string>();
    const std::string output = doc["plan"].value("output", "");
    out_path = (fs::path(plan_file).parent_path() / (output.empty() ? "results.json" : output)).string();
  }
  if (!write_output(out_path, merged + "\n")) return set_exit_code(1);
  report(merged, args.csv_dir, args.quiet);
  if (out_path != "-" && !args.quiet)
    std::fprintf(stderr, "wrote %s (%zu part%s merged)\n", out_path.c_str(), parts.size(),
                 parts.size() == 1 ? "" : "s");
}

}  // namespace

void add_characterize(CLI::App& app) {
  auto args = std::make_shared<CharacterizeArgs>();
  CLI::App* cmd =
      app.add_subcommand("characterize", "Run a test plan: frequency responses, sweeps, DOE (results.json, CSV)");
  cmd->add_option("plan", args->plan, "test plan (YAML)")->required();
  cmd->add_option("-o,--output", args->output,
                  "results file (default: the plan's `output`, else results.json next to the plan; - for stdout)");
  cmd->add_option("--csv", args->csv_dir, "also write one CSV file per result table into this directory");
  cmd->add_option("-j,--jobs", args->jobs, "parallel solves (default: the plan's solver.workers, else all cores)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seed", args->seed, "seed for random signals and designs (replaces the plan's)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("-q,--quiet", args->quiet, "no progress; print only tests that did not pass");
  auto* shard =
      cmd->add_option("--shard", args->shard,
                      "I/N: run only shard I (1 to N) of N, the points i with i % N == I - 1, and write a part "
                      "(default name: the results file's with .part-I-of-N.json); merge parts with `numen merge`");
  auto* points = cmd->add_option("--points", args->points,
                                 "A:B: run only points A to B-1 (from 0; A: and :B leave an end open, K is one point, "
                                 "commas join ranges) and write a part");
  shard->excludes(points);
  points->excludes(shard);
  cmd->callback([args] {
    if ((!args->shard.empty() || !args->points.empty()) && !args->csv_dir.empty()) {
      std::cerr
          << "numen characterize: --csv needs the whole plan's results; merge the parts with `numen merge PART... "
             "--csv DIR`\n";
      return set_exit_code(2);
    }
    characterize(*args);
  });
}

void add_merge(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Merge the parts of a plan's results (numen characterize --shard/--points) into results.json");
  cmd->add_option("parts", args->parts, "part files (JSON), in any order")->required();
  cmd->add_option("-o,--output", args->output,
                  "results file (default: where `numen characterize PLAN` writes it; - for stdout)");
  cmd->add_option("--csv", args->csv_dir, "also write one CSV file per result table into this directory");
  cmd->add_flag("-q,--quiet", args->quiet, "print only tests that did not pass");
  cmd->callback([args] { merge(*args); });
}

}  // namespace numen::cli
