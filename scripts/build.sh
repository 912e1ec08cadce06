#!/usr/bin/env bash
# Builds what is asked: native (core, CLI, tests), wasm (the browser core), web (the production site), or all.
# Incremental: a second run rebuilds only what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"

build_native() {
  cmake -S "$root" -B "$root/build/native" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$root/build/native" -j "$jobs"
}

build_wasm() {
  export NODE_PATH=/usr/share/nodejs  # Debian's emcc needs the acorn module from here
  emcmake cmake -S "$root" -B "$root/build/wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null 2>&1 \
    || emcmake cmake -S "$root" -B "$root/build/wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build "$root/build/wasm" -j "$jobs"
}

build_web() {
  (cd "$root" && npx vite build --config web/vite.config.js --logLevel warn)
}

case "${1:-all}" in
  native) shift; build_native "$@" ;;
  wasm) build_wasm ;;
  web) build_web ;;
  all) build_native && build_wasm && build_web ;;
  *) echo "usage: scripts/build.sh [native|wasm|web|all]" >&2; exit 2 ;;
esac
