#!/usr/bin/env bash
# Serve the built web page (build/web/site: index.html, nnplay-glue.js, nnplay.js,
# nnplay.wasm) on http://127.0.0.1:PORT/ with Python's static file server, local only.
# Build it first: cmake --preset web && cmake --build --preset web   (scripts/run.sh does both)
# Usage: scripts/serve.sh [PORT]   (default 8080; NNPLAY_SITE overrides the folder)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SITE="${NNPLAY_SITE:-$ROOT/build/web/site}"
PORT="${1:-${NNPLAY_PORT:-8080}}"

for f in index.html gl-state-shadow.js nnplay-glue.js nnplay.js nnplay.wasm; do
  if [[ ! -f "$SITE/$f" ]]; then
    echo "serve.sh: $SITE/$f is missing; build the page first: cmake --preset web && cmake --build --preset web" >&2
    exit 1
  fi
done

echo "serve.sh: nnplay web demo at http://127.0.0.1:$PORT/  (Ctrl-C stops it)"
# exec: the server gets this script's process id, so whoever started it can stop it by that id.
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE"
