#!/usr/bin/env bash
# npm test: install what is missing, build native and wasm, run every test (C++, the Python package with the cluster
# recipes and Dask, wasm under Node, browser).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
start=$SECONDS
stage() { printf '\n\033[1;34m== %s\033[0m (%ss)\n' "$1" "$((SECONDS - start))"; }

stage "setup"
bash scripts/setup.sh
stage "layers (scripts/check_layers.mjs)"
node scripts/check_layers.mjs
stage "C++ format (scripts/check_format.sh cpp, .clang-format)"
bash scripts/check_format.sh cpp
stage "JavaScript format (scripts/check_format.sh web, .prettierrc)"
bash scripts/check_format.sh web
stage "native build"
bash scripts/build.sh native
stage "C++ tests (ctest)"
(cd build/native && ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)")
stage "Python tests (pytest: the numen package, pip install, cluster recipes, Dask)"
# Debian's interpreter, which has Debian's pybind11, numpy and dask (the python3 first on PATH may be another one).
PYTHONPATH="$root/build/python" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python </dev/null
stage "wasm build"
bash scripts/build.sh wasm
stage "wasm tests (node)"
node --test tests/wasm/
stage "web build"
bash scripts/build.sh web
stage "browser tests (Playwright, Chromium)"
npx playwright test
stage "all tests passed in $((SECONDS - start)) s"
