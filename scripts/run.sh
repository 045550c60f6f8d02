#!/usr/bin/env bash
# The main job: setup deps/data, build the `native` preset, then train on MNIST with nnplay-train.
# Extra arguments are passed through to `nnplay-train mnist`, e.g. scripts/run.sh --epochs 1
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${NNPLAY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

bash scripts/setup.sh
cmake --preset native
cmake --build --preset native -j "$JOBS"
exec build/native/native/nnplay-train mnist --data data/mnist "$@"
