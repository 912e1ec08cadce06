#!/usr/bin/env bash
# The C++ test suite under AddressSanitizer and UBSan (CMakePresets.json: asan-ubsan, in build/asan). CI runs it after
# `npm test` (.ci/run); it is not part of `npm test` because it builds the core a second time (about 20 minutes on
# two cores). Any report fails the run: UBSan halts on its first finding, ASan on every error it detects, and
# LeakSanitizer reports what a test process leaves allocated at exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j "$jobs"
ctest --preset asan-ubsan -j "$jobs"
