#!/usr/bin/env bash
# Measures the web page's budgets (first frame within 2 s, .wasm + .js under 3 MB, frame
# time under 20 ms while the network lab trains; the MNIST subset's load, a 10,000-image epoch
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

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
bash scripts/serve.sh "$PORT" >/dev/null 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "http://127.0.0.1:$PORT/" 2>/dev/null && break
  sleep 0.2
done

NNPLAY_URL="http://127.0.0.1:$PORT/" node tests/e2e/bench.mjs
