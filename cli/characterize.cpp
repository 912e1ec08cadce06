// numen characterize PLAN: runs a test plan's points on a thread pool, merges them, writes results.json and CSV.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>
#include <unistd.h>

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
};

/// Progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise (logs stay short).
class Progress {
 public:
  Progress(int total, bool quiet) : total_(total), quiet_(quiet), tty_(isatty(fileno(stderr)) != 0),
                                    start_(std::chrono::steady_clock::now()) {}
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
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

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
    plan = Plan::compile(*text, args.plan, load,
                         args.seed >= 0 ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(args.seed)) : std::nullopt);
  } catch (const Error& e) {
    print_error(e);
    return set_exit_code(1);
  }
  const int total = plan->point_count();
  int jobs = args.jobs > 0 ? args.jobs : plan->workers() > 0 ? plan->workers()
                                                                : static_cast<int>(std::thread::hardware_concurrency());
  jobs = std::clamp(jobs, 1, std::max(1, total));
  if (!args.quiet)
    std::fprintf(stderr, "%s: %d tests, %d points on %d thread%s\n", args.plan.c_str(),
                 static_cast<int>(plan->test_names().size()), total, jobs, jobs == 1 ? "" : "s");
  std::vector<std::string> results(static_cast<std::size_t>(total));
  std::atomic<int> next{0};
  Progress progress(total, args.quiet);
  auto worker = [&] {
    for (int i = next++; i < total; i = next++) {
      results[static_cast<std::size_t>(i)] = plan->run_point(i);
      progress.done(plan->point_label(i));
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  const std::string merged = plan->merge(results);

  std::string out_path = args.output;
  if (out_path.empty()) out_path = (base / (plan->output().empty() ? "results.json" : plan->output())).string();
  if (!write_output(out_path, merged + "\n")) return set_exit_code(1);
  const auto doc = nlohmann::ordered_json::parse(merged);
  if (!args.csv_dir.empty()) {
    std::error_code ec;
    fs::create_directories(args.csv_dir, ec);
    for (const auto& [name, body] : results_csv(merged))
      if (!write_output((fs::path(args.csv_dir) / name).string(), body)) return set_exit_code(1);
  }
  bool all_ok = true;
  for (const auto& test : doc["tests"]) {
    const std::string status = test["status"].get<std::string>();
    all_ok = all_ok && status == "ok";
    if (args.quiet && status == "ok") continue;
    std::printf("%-28s %-26s %-8s %s\n", test["name"].get<std::string>().c_str(), test["type"].get<std::string>().c_str(),
                status.c_str(), metric_text(test.value("metrics", nlohmann::ordered_json::object())).c_str());
    for (const auto& m : test["messages"]) std::printf("    %s\n", m.get<std::string>().c_str());
  }
  if (out_path != "-" && !args.quiet)
    std::fprintf(stderr, "wrote %s (%.1f s on %d thread%s)\n", out_path.c_str(), progress.seconds(), jobs,
                 jobs == 1 ? "" : "s");
  if (!all_ok) set_exit_code(1);
}

}  // namespace

void add_characterize(CLI::App& app) {
  auto args = std::make_shared<CharacterizeArgs>();
  CLI::App* cmd = app.add_subcommand("characterize", "Run a test plan: frequency responses, sweeps, DOE (results.json, CSV)");
  cmd->add_option("plan", args->plan, "test plan (YAML)")->required();
  cmd->add_option("-o,--output", args->output, "results file (default: the plan's `output`, else results.json next to the plan; - for stdout)");
  cmd->add_option("--csv", args->csv_dir, "also write one CSV file per result table into this directory");
  cmd->add_option("-j,--jobs", args->jobs, "parallel solves (default: the plan's solver.workers, else all cores)")->check(CLI::PositiveNumber);
  cmd->add_option("--seed", args->seed, "seed for random signals and designs (replaces the plan's)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("-q,--quiet", args->quiet, "no progress; print only tests that did not pass");
  cmd->callback([args] { characterize(*args); });
}

}  // namespace numen::cli
