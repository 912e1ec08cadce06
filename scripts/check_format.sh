#!/usr/bin/env bash
# The format checks `npm test` runs, one per language:
#   cpp: every tracked C++ file of core/, cli/, wasm/, tests/, bench/ and python/ must be as clang-format (the
#        .clang-format at the root) writes it;
#   web: every JavaScript file (web/, e2e/, bench/, scripts/, tests/wasm/; .prettierignore says which) must be as
#        Prettier (.prettierrc, the version package-lock.json pins) writes it.
# Usage: scripts/check_format.sh [--fix] [cpp|web]   (both when neither is named; npm run format is --fix of both)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fix=0
langs=()
for arg in "$@"; do
  case "$arg" in
    --fix) fix=1 ;;
    cpp | web) langs+=("$arg") ;;
    *) echo "check_format.sh: unknown argument $arg (usage: check_format.sh [--fix] [cpp|web])" >&2; exit 2 ;;
  esac
done
[ "${#langs[@]}" -gt 0 ] || langs=(cpp web)

check_cpp() {
  local clang_format="${CLANG_FORMAT:-clang-format}"
  command -v "$clang_format" >/dev/null \
    || { echo "check_format: $clang_format not found (scripts/setup.sh installs it)" >&2; return 1; }
  local files
  mapfile -t files < <(git ls-files -- 'core/*' 'cli/*' 'wasm/*' 'tests/*' 'bench/*' 'python/*' \
                         | grep -E '\.(cpp|cc|h|hpp)$')
  if [ "$fix" = 1 ]; then
    "$clang_format" -i "${files[@]}"
    return 0
  fi
  local report
  report="$(mktemp)"
  if ! "$clang_format" --dry-run --Werror "${files[@]}" 2>"$report"; then
    grep -E '^[^ ].*: (error|warning):' "$report" | cut -d: -f1 | sort -u | sed 's/^/  not formatted: /' >&2
    echo "format: run scripts/check_format.sh --fix cpp (clang-format $("$clang_format" --version | grep -oE '[0-9]+\.[0-9.]+'))" >&2
    rm -f "$report"
    return 1
  fi
  rm -f "$report"
  echo "format: ${#files[@]} C++ files as .clang-format writes them: ok"
}

check_web() {
  # The pinned Prettier from node_modules, never npx (which would offer to download another one and wait for stdin).
  local prettier="$root/node_modules/.bin/prettier"
  [ -x "$prettier" ] || { echo "check_format: $prettier not found (scripts/setup.sh runs npm ci)" >&2; return 1; }
  if [ "$fix" = 1 ]; then
    "$prettier" --write --log-level warn . </dev/null
    return 0
  fi
  local bad
  # --list-different prints each file Prettier would change; it exits 1 for those, 2 when it cannot run.
  if bad="$("$prettier" --list-different . </dev/null)"; then
    echo "format: JavaScript files as .prettierrc writes them (prettier $("$prettier" --version)): ok"
    return 0
  fi
  [ -n "$bad" ] || { echo "check_format: prettier failed" >&2; return 1; }
  sed 's/^/  not formatted: /' <<<"$bad" >&2
  echo "format: run scripts/check_format.sh --fix web (prettier $("$prettier" --version))" >&2
  return 1
}

status=0
for lang in "${langs[@]}"; do
  "check_$lang" || status=1
done
exit "$status"
