#!/usr/bin/env bash
# Runs the solver work-precision benchmarks (called by scripts/bench.sh with its output folder).
set -euo pipefail
out="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./build/native/bench/numen_solver_bench --benchmark_format=json --benchmark_min_time=0.2 > "$out/solvers-native.json"
/usr/bin/python3 bench/scipy_nonstiff.py > "$out/scipy.json"
echo
echo "Stiff problems, same C++ right-hand side and Jacobian (CVODE: SUNDIALS 6.4 BDF with a dense direct solver):"
node bench/work_precision.mjs CVODE "$out/solvers-native.json"
echo
echo "Non-stiff Kepler orbit (ten revolutions):"
node bench/work_precision.mjs BoostDopri5 "$out/solvers-native.json" "$out/scipy.json"
echo
# The heat rod (issue 16): repetitions interleaved at random so that every variant meets the same load on a shared
# machine; medians are printed.
./build/native/bench/numen_heat_bench --benchmark_format=json --benchmark_min_time=0.2 \
  --benchmark_repetitions="${NUMEN_HEAT_REPETITIONS:-7}" --benchmark_enable_random_interleaving=true > "$out/heat-native.json"
echo "Heat rod, u_t = alpha u_xx, BDF at rtol 1e-6, atol 1e-8 over 0.1 s (CVODE: SUNDIALS 6.4 BDF, banded solver):"
node bench/heat_rod.mjs "$out/heat-native.json"
