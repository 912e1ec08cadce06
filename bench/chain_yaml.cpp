// Writes the benchmark chain (bench/chain_model.h) as a model file, so that scripts time the CLI and the wasm core
// on the very model the C++ benchmarks compile: numen_chain_yaml MASSES [K [KICK]] > chain.yaml
#include <cstdio>
#include <cstdlib>
#include <string>

#include "chain_model.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MASSES [K (N/m, default 100) [KICK (m/s, default 0)]]\n", argv[0]);
    return 2;
  }
  const int n = std::atoi(argv[1]);
  const std::string k = argc > 2 ? argv[2] : "100";
  const double kick = argc > 3 ? std::atof(argv[3]) : 0.0;
  std::fputs(numen::bench::chain_model(n, true, k, kick).c_str(), stdout);
  return 0;
}
