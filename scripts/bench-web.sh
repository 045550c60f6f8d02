#!/usr/bin/env bash
# Measures the web page's budgets (first frame within 1 s in English and Korean, the page under 3 MB, frame
# time under 16.7 ms while the network lab and the MNIST CNN train; the MNIST subset's load, a 10,000-image epoch
# and drawing-to-prediction in the page; the WebAssembly heap) in headless Chromium and prints them.
# Builds the `web` preset if needed, serves it on 127.0.0.1 for the run, then stops the server.
# Usage: scripts/bench-web.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${NNPLAY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

if [[ ! -f build/web/site/nnplay.wasm ]]; then
  cmake --preset web >/dev/null
  cmake --build --preset web -j "$JOBS" --target nnplay_web
fi
[[ -d tests/e2e/node_modules/playwright-core ]] || (cd tests/e2e && npm ci --ignore-scripts --no-audit --no-fund)

# shellcheck source=scripts/local-server.sh
source scripts/local-server.sh
PORT="$(free_local_port)"
start_local_server /dev/null "$PORT" "" bash scripts/serve.sh "$PORT"

NNPLAY_URL="http://127.0.0.1:$PORT/" node tests/e2e/bench.mjs
