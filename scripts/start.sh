#!/usr/bin/env bash
# npm start: install what is missing, build everything, serve the workbench on localhost.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh all
port="${PORT:-5173}"
printf '\n  Numen Workbench: http://localhost:%s/\n\n' "$port"
exec npx vite preview --config web/vite.config.js --port "$port" --strictPort --host localhost
