#!/usr/bin/env bash
# Runs the browser end-to-end tests (*.test.mjs) against the built page: starts
# scripts/serve.sh on 127.0.0.1 (a free port unless NNPLAY_E2E_PORT is set), waits until
# it answers, runs the tests in headless Chromium, and always stops the server again.
# Needs: the `web` preset built, and `npm ci` done in tests/e2e (scripts/setup.sh does it).
# Usage: tests/e2e/run-web-e2e.sh [node options...]   e.g. --test-name-pattern=phone
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/e2e"
PORT="${NNPLAY_E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
URL="http://127.0.0.1:$PORT/"

[[ -d "$HERE/node_modules/playwright-core" ]] || { echo "run-web-e2e.sh: run 'npm ci' in tests/e2e first (scripts/setup.sh does)" >&2; exit 1; }

server_log="$(mktemp)"
bash "$ROOT/scripts/serve.sh" "$PORT" >"$server_log" 2>&1 &
server_pid=$!
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$server_log"
}
trap stop_server EXIT

for _ in $(seq 1 50); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run-web-e2e.sh: the server did not start:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$URL" 2>/dev/null; then break; fi
  sleep 0.2
done
cd "$HERE"
# Each file in its own node process, one after the other (one Chromium at a time).
# NNPLAY_E2E_FILES picks some, e.g. NNPLAY_E2E_FILES=mnist.test.mjs.
status=0
for file in ${NNPLAY_E2E_FILES:-web.test.mjs mnist.test.mjs}; do
  echo "run-web-e2e.sh: page served at $URL; running tests/e2e/$file"
  NNPLAY_URL="$URL" node "$@" "$file" || status=1
done
exit "$status"
