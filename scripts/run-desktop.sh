#!/usr/bin/env bash
# Build and start the desktop app `nnplay` (SDL2 + OpenGL 3 window with the same panels
# as the web page; training runs on a worker thread). Arguments go to the app, e.g.
#   scripts/run-desktop.sh --settings "panel=network&dataset=spiral"
#   scripts/run-desktop.sh --self-test
# Without a display (no $DISPLAY / $WAYLAND_DISPLAY) it runs under xvfb-run, which suits
# --self-test and --screenshot FILE.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${NNPLAY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  bash scripts/setup.sh --headless  # Xvfb, for the window below
else
  bash scripts/setup.sh
fi
cmake --preset native
cmake --build --preset native -j "$JOBS" --target nnplay
APP=build/native/native/app/nnplay
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "run-desktop.sh: no display; running under xvfb-run"
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "$APP" "$@"
fi
exec "$APP" "$@"
