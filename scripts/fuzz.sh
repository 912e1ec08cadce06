#!/usr/bin/env bash
# Fuzzes the model compiler, the expression parser and the plan reader with libFuzzer (clang-14, ASan + UBSan).
# Usage: scripts/fuzz.sh [seconds per target, default 600] [targets...]. Seeds: models/, models/plans/ and the
# bad-model catalogue.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-600}"
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(model expression plan)
bash "$root/scripts/setup.sh" --fuzz
build="$root/build/fuzz"
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNUMEN_BUILD_FUZZ=ON -DNUMEN_BUILD_TESTS=OFF -DNUMEN_BUILD_CLI=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" >/dev/null
cmake --build "$build" --target fuzz_model fuzz_expression fuzz_plan
corpus="$build/corpus"
mkdir -p "$corpus/model" "$corpus/expression" "$corpus/plan"
cp "$root"/models/plans/*.yaml "$root"/tests/fuzz/plan_seed.yaml "$corpus/plan/"
cp "$root"/models/*.yaml "$root"/tests/bad_models/*.yaml "$corpus/model/"
grep -h -o '"[^"]*"' "$root"/models/*.yaml | tr -d '"' | head -200 | split -l 1 - "$corpus/expression/seed-"
for target in "${targets[@]}"; do
  dict="$root/tests/fuzz/model.dict"
  [[ $target == plan ]] && dict="$root/tests/fuzz/plan.dict"
  echo "== fuzz_$target for $seconds s"
  (cd "$build" && ./tests/fuzz/fuzz_$target -max_total_time="$seconds" -max_len=8192 -timeout=10 \
     -rss_limit_mb=4096 -dict="$dict" -print_final_stats=1 "$corpus/$target")
done
