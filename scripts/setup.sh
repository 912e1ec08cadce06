#!/usr/bin/env bash
# Brings a bare Debian bookworm machine to the point where Numen builds and tests, and costs seconds on a ready one.
#   1. Debian packages (only the missing ones; apt-get update first): the C++ toolchain and libraries, clang-format,
#      emscripten, Chromium for the browser tests, and for the Python package Debian's Python 3 with pybind11, numpy,
#      pytest, dask.distributed, pip and venv; GNU parallel for the cluster recipes,
#   2. yaml-cpp compiled to WebAssembly from Debian's source package (emscripten cannot use the native library),
#   3. npm packages (npm ci, only when package-lock.json changed).
# Usage: scripts/setup.sh [--bench] [--fuzz]   (extras for benchmarks against SUNDIALS/scipy, and for libFuzzer)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deps="$root/build/deps"
want_bench=0
want_fuzz=0
for arg in "$@"; do
  case "$arg" in
    --bench) want_bench=1 ;;
    --fuzz) want_fuzz=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# ---- 1. Debian packages -------------------------------------------------------------------------------------------
packages=(cmake ninja-build g++ libgtest-dev libbenchmark-dev
          libeigen3-dev libboost-dev nlohmann-json3-dev libyaml-cpp-dev libcli11-dev llvm-14-dev clang-format
          emscripten chromium
          python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest python3-distributed python3-yaml
          python3-pip python3-venv parallel)
[ "$want_bench" = 1 ] && packages+=(libsundials-dev python3-scipy valgrind)
[ "$want_fuzz" = 1 ] && packages+=(clang-14 libclang-rt-14-dev)

missing=()
installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)"
for p in "${packages[@]}"; do
  grep -q "^$p install ok installed$" <<<"$installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q "${missing[@]}"
fi

# ---- 2. yaml-cpp for WebAssembly ----------------------------------------------------------------------------------
# emcc's sysroot must not see /usr/include, so the header-only libraries are reached through a folder of symlinks.
wasm_prefix="$deps/wasm"
mkdir -p "$wasm_prefix/sysinc"
ln -sfn /usr/include/boost "$wasm_prefix/sysinc/boost"
ln -sfn /usr/include/nlohmann "$wasm_prefix/sysinc/nlohmann"
ln -sfn /usr/include/eigen3/Eigen "$wasm_prefix/sysinc/Eigen"
ln -sfn /usr/include/eigen3/unsupported "$wasm_prefix/sysinc/unsupported"

yaml_stamp="$wasm_prefix/yaml-cpp.stamp"
if [ ! -f "$yaml_stamp" ] || [ ! -f "$wasm_prefix/lib/libyaml-cpp.a" ]; then
  src="$deps/src"
  mkdir -p "$src"
  if ! ls "$src"/yaml-cpp_*.orig.tar.* >/dev/null 2>&1; then
    if ! apt-cache showsrc yaml-cpp >/dev/null 2>&1 || [ -z "$(apt-cache showsrc yaml-cpp 2>/dev/null)" ]; then
      say "enabling Debian source packages (deb-src) to fetch yaml-cpp's source"
      list=/etc/apt/sources.list.d/numen-deb-src.sources
      if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | as_root tee "$list" >/dev/null
      else
        grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | sed 's/^deb /deb-src /' \
          | as_root tee /etc/apt/sources.list.d/numen-deb-src.list >/dev/null
      fi
      as_root apt-get update -q
    fi
    say "downloading yaml-cpp source package"
    (cd "$src" && apt-get source --download-only yaml-cpp >/dev/null 2>&1 \
      || (cd "$src" && as_root apt-get source --download-only yaml-cpp))
  fi
  tarball="$(ls "$src"/yaml-cpp_*.orig.tar.* | head -n 1)"
  rm -rf "$src/yaml-cpp" && mkdir -p "$src/yaml-cpp"
  tar -xf "$tarball" -C "$src/yaml-cpp" --strip-components=1
  say "building yaml-cpp for WebAssembly"
  export NODE_PATH=/usr/share/nodejs
  emcmake cmake -S "$src/yaml-cpp" -B "$deps/yaml-cpp-wasm-build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$wasm_prefix" \
    -DCMAKE_CXX_FLAGS="-fwasm-exceptions" \
    -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF -DYAML_CPP_BUILD_CONTRIB=OFF >/dev/null
  cmake --build "$deps/yaml-cpp-wasm-build" --target install >/dev/null
  # yaml-cpp 0.7 installs to lib/ or lib64/ depending on GNUInstallDirs; the build looks in lib/.
  [ -f "$wasm_prefix/lib/libyaml-cpp.a" ] || cp "$wasm_prefix"/lib*/libyaml-cpp.a "$wasm_prefix/lib/" 2>/dev/null || true
  touch "$yaml_stamp"
fi

# ---- 3. npm packages ----------------------------------------------------------------------------------------------
lock_sum="$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)"
npm_stamp="$root/node_modules/.numen-lock-sha256"
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$lock_sum" ]; then
  say "installing npm packages (npm ci)"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$npm_stamp"
fi
say "ready"
