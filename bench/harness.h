#pragma once
// Benchmarks are written once against Google Benchmark's API. Natively they run on Google Benchmark; under
// emscripten (where that library is not available) on this minimal stand-in with the same API subset and the same
// JSON output, so bench/report.mjs can compare the two builds measured in one run.
#ifndef __EMSCRIPTEN__
#include <benchmark/benchmark.h>
#else
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace benchmark {

enum TimeUnit { kNanosecond, kMicrosecond, kMillisecond, kSecond };

class State {
 public:
  State(std::int64_t iterations, std::vector<std::int64_t> args) : max_(iterations), args_(std::move(args)) {}
  struct Iterator {
    State* s;
    std::int64_t left;
    bool operator!=(const Iterator&) const { return left > 0; }
    void operator++() { --left; }
    int operator*() const { return 0; }
  };
  Iterator begin() {
    start_ = std::chrono::steady_clock::now();
    return Iterator{this, max_};
  }
  Iterator end() { return Iterator{this, 0}; }
  std::int64_t range(int i = 0) const { return args_.at(static_cast<std::size_t>(i)); }
  std::int64_t iterations() const { return max_; }
  void SetLabel(const std::string& label) { label_ = label; }
  void PauseTiming() { paused_at_ = std::chrono::steady_clock::now(); }
  void ResumeTiming() { paused_ += std::chrono::steady_clock::now() - paused_at_; }
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_ - paused_).count();
  }
  std::map<std::string, double> counters;
  std::string label_;

 private:
  std::int64_t max_;
  std::vector<std::int64_t> args_;
  std::chrono::steady_clock::time_point start_, paused_at_;
  std::chrono::steady_clock::duration paused_{};
};

template <class T>
inline void DoNotOptimize(T const& value) {
  asm volatile("" : : "r"(&value) : "memory");
}

struct Benchmark {
  std::string name;
  std::function<void(State&)> fn;
  std::vector<std::vector<std::int64_t> > args;
  TimeUnit unit = kNanosecond;
  Benchmark* Arg(std::int64_t a) {
    args.push_back({a});
    return this;
  }
  Benchmark* Unit(TimeUnit u) {
    unit = u;
    return this;
  }
};

inline std::vector<Benchmark*>& registry() {
  static std::vector<Benchmark*> all;
  return all;
}
inline Benchmark* RegisterBenchmark(const char* name, std::function<void(State&)> fn) {
  registry().push_back(new Benchmark{name, std::move(fn), {}, kNanosecond});
  return registry().back();
}

inline int RunAll() {
  std::printf("{\n  \"context\": {\"executable\": \"wasm (node)\"},\n  \"benchmarks\": [\n");
  bool first = true;
  for (Benchmark* b : registry()) {
    std::vector<std::vector<std::int64_t> > arg_sets =
        b->args.empty() ? std::vector<std::vector<std::int64_t> >{{}} : b->args;
    for (const auto& args : arg_sets) {
      std::string name = b->name;
      for (auto a : args) name += "/" + std::to_string(a);
      // Grow the iteration count until a run lasts 0.5 s, as Google Benchmark does.
      std::int64_t n = 1;
      double seconds = 0;
      std::string label;
      std::map<std::string, double> counters;
      for (;;) {
        State s(n, args);
        b->fn(s);
        seconds = s.elapsed();
        label = s.label_;
        counters = s.counters;
        if (seconds >= 0.5 || n >= (std::int64_t(1) << 40)) break;
        n = seconds < 1e-3 ? n * 100 : static_cast<std::int64_t>(n * 0.7 / seconds) + 1;
      }
      const double ns = seconds * 1e9 / static_cast<double>(n);
      std::printf(
          "%s    {\"name\": \"%s\", \"iterations\": %lld, \"real_time\": %.6g, \"cpu_time\": %.6g, "
          "\"time_unit\": \"ns\", \"label\": \"%s\"",
          first ? "" : ",\n", name.c_str(), static_cast<long long>(n), ns, ns, label.c_str());
      for (const auto& [k, v] : counters) std::printf(", \"%s\": %.9g", k.c_str(), v);
      std::printf("}");
      std::fflush(stdout);
      first = false;
    }
  }
  std::printf("\n  ]\n}\n");
  return 0;
}

}  // namespace benchmark

#define NUMEN_BENCH_CONCAT2(a, b) a##b
#define NUMEN_BENCH_CONCAT(a, b) NUMEN_BENCH_CONCAT2(a, b)
#define BENCHMARK(fn) \
  static ::benchmark::Benchmark* NUMEN_BENCH_CONCAT(numen_bench_, __LINE__) = ::benchmark::RegisterBenchmark(#fn, fn)
#define BENCHMARK_MAIN() \
  int main() { return ::benchmark::RunAll(); }
#endif

#include <fstream>
#include <sstream>
#include <string>

namespace numen::bench {

/// Reads a file of the repository (benchmarks run from the repository root).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace numen::bench
