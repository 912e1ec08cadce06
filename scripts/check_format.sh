#!/usr/bin/env bash
# The C++ format check `npm test` runs: every tracked C++ file of core/, cli/, wasm/, tests/, bench/ and python/
# must be as clang-format (the .clang-format at the root) writes it. Fix with: scripts/check_format.sh --fix
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clang_format="${CLANG_FORMAT:-clang-format}"
command -v "$clang_format" >/dev/null || { echo "check_format: $clang_format not found (scripts/setup.sh installs it)" >&2; exit 1; }
mapfile -t files < <(git ls-files -- 'core/*' 'cli/*' 'wasm/*' 'tests/*' 'bench/*' 'python/*' \
                       | grep -E '\.(cpp|cc|h|hpp)$')
if [ "${1:-}" = "--fix" ]; then
  "$clang_format" -i "${files[@]}"
  exit 0
fi
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
if ! "$clang_format" --dry-run --Werror "${files[@]}" 2>"$report"; then
  grep -E '^[^ ].*: (error|warning):' "$report" | cut -d: -f1 | sort -u | sed 's/^/  not formatted: /' >&2
  echo "format: run scripts/check_format.sh --fix (clang-format $("$clang_format" --version | grep -oE '[0-9]+\.[0-9.]+'))" >&2
  exit 1
fi
echo "format: ${#files[@]} C++ files as .clang-format writes them: ok"
