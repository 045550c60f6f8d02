#!/usr/bin/env bash
# The main job: setup deps/data, build the `native` preset (nnplay-train CLI, desktop app
# nnplay) and the `web` page, then serve the web demo on http://127.0.0.1:PORT/ (printing
# the address; Ctrl-C stops it). Usage: scripts/run.sh [PORT]   (default 8080)
# MNIST training on the command line: build/native/native/nnplay-train mnist --data data/mnist
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${NNPLAY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

bash scripts/setup.sh
cmake --preset native
cmake --build --preset native -j "$JOBS"
cmake --preset web
cmake --build --preset web -j "$JOBS" --target nnplay_web
echo "run.sh: built the CLI (build/native/native/nnplay-train), the desktop app (scripts/run-desktop.sh)"
echo "run.sh: and the web page (build/web/site); serving it now"
exec bash scripts/serve.sh "${1:-${NNPLAY_PORT:-8080}}"
