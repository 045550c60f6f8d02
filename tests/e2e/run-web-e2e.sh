#!/usr/bin/env bash
# Runs the browser end-to-end tests (*.test.mjs) against the built page: starts
# scripts/serve.sh on 127.0.0.1 (a free port unless NNPLAY_E2E_PORT is set), waits until
# it answers, runs the tests in headless Chromium, and always stops the server again.
# Needs: the `web` preset built, and `npm ci` done in tests/e2e (scripts/setup.sh does it).
# Usage: tests/e2e/run-web-e2e.sh [node options...]   e.g. --test-name-pattern=phone
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/e2e"
# shellcheck source=scripts/local-server.sh
source "$ROOT/scripts/local-server.sh"
PORT="${NNPLAY_E2E_PORT:-$(free_local_port)}"
URL="http://127.0.0.1:$PORT/"

[[ -d "$HERE/node_modules/playwright-core" ]] || { echo "run-web-e2e.sh: run 'npm ci' in tests/e2e first (scripts/setup.sh does)" >&2; exit 1; }

# The server's log goes with the test artifacts (screenshots), where a failure is looked into.
artifacts="${NNPLAY_ARTIFACTS:-$ROOT/build/e2e-artifacts}"
mkdir -p "$artifacts"
start_local_server "$artifacts/server.log" "$PORT" "" bash "$ROOT/scripts/serve.sh" "$PORT"
cd "$HERE"
# Each file in its own node process, one after the other (one Chromium at a time).
# NNPLAY_E2E_FILES picks some, e.g. NNPLAY_E2E_FILES=mnist.test.mjs.
status=0
for file in ${NNPLAY_E2E_FILES:-web.test.mjs mnist.test.mjs layout.test.mjs hostile.test.mjs}; do
  echo "run-web-e2e.sh: page served at $URL; running tests/e2e/$file"
  NNPLAY_URL="$URL" node "$@" "$file" || status=1
done
exit "$status"
