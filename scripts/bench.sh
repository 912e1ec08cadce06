#!/usr/bin/env bash
# Benchmarks (not tests): native and wasm builds of the same benchmark sources, measured in one run, reported as
# ratios. Results land in build/bench/*.json; the table is printed (copy it into bench/README.md when it changes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --bench
bash scripts/build.sh native -DNUMEN_BUILD_BENCH=ON
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S . -B build/wasm-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DNUMEN_BUILD_BENCH=ON >/dev/null 2>&1
cmake --build build/wasm-bench --target numen_bench_wasm
out="$root/build/bench"
mkdir -p "$out"
filter="${NUMEN_BENCH_FILTER:-.}"
./build/native/bench/numen_bench --benchmark_filter="$filter" --benchmark_format=json > "$out/model-native.json"
# emcc writes CommonJS; the repository's package.json says ES modules, so run it as .cjs.
cp build/wasm-bench/bench/numen_bench_wasm.js build/wasm-bench/bench/numen_bench_wasm.cjs
node build/wasm-bench/bench/numen_bench_wasm.cjs > "$out/model-wasm.json"
echo
echo "Model compiler and tapes (wasm in Node $(node --version), same machine, same run):"
node bench/report.mjs native="$out/model-native.json" wasm="$out/model-wasm.json"
echo
echo "fluid_poppet's solve against the same model by hand on Boost.Odeint's dopri5 (bench/poppet_odeint.h), each build"
echo "against its own anchor in the same run (issue 16's target: 0.3):"
node bench/report.mjs --anchor BM_FluidPoppetSolve/Odeint_dopri5_dense_by_hand native="$out/model-native.json" \
  wasm="$out/model-wasm.json"
# Against CVODE (Kepler, the Test Set's stiff problems, the heat rod) and scipy: setup.sh --bench installed them.
if [ -x ./build/native/bench/numen_solver_bench ] && [ -x ./build/native/bench/numen_heat_bench ]; then
  bash bench/solvers.sh "$out"
else
  echo "bench.sh: SUNDIALS was not found when build/native was configured; the CVODE comparisons are skipped" >&2
fi
# The workbench in Chromium: first plot, bytes on the wire, re-solve, sweep speed-up (bench/browser/).
bash scripts/build.sh wasm
# Large models and the tape compilers: the stiff chain at 1k/4k/16k states, CLI process and wasm core.
node bench/chain/chain.mjs
bash scripts/build.sh web
npx playwright test --config bench/browser.config.js
# Cold start (issues 12 and 16): navigation to first plot on a desktop and a 4x-throttled phone profile, median of 7.
node bench/startup/startup.mjs --no-build
