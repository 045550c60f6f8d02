#!/usr/bin/env bash
# Soak tests: the page (tests/e2e/soak.mjs, in headless Chromium, training in per-frame
# slices) and the desktop app (its --soak option, under Xvfb, training on a worker thread)
# each run a one-minute cycle of panels, training, settings and weights for a while and
# report memory and frame time every 10 s, a table per minute and a verdict: memory must
# stop growing after the first minute and frame time must not creep. Runs under three
# minutes only check that everything keeps working (scripts/test.sh runs such a short one).
#
# Usage: scripts/soak.sh [--seconds N] [--web-build DIR] [--native-build DIR] [web|desktop|both]
#   --seconds N         length of each soak (default $NNPLAY_SOAK_SECONDS, else 600)
#   --web-build DIR     build folder of the `web` preset whose site/ is served (build/web)
#   --native-build DIR  build folder of the `native` preset with the desktop app (build/native)
#   web|desktop|both    which soak to run (default both, the page first)
# Needs what the e2e tests need: the page built, `npm ci` in tests/e2e, xvfb-run.
# Exits non-zero when either soak fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${NNPLAY_SOAK_SECONDS:-600}"
web_build="$ROOT/build/web"
native_build="$ROOT/build/native"
which=both
while (( $# )); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --web-build) web_build="$(cd "$2" && pwd)"; shift 2 ;;
    --native-build) native_build="$(cd "$2" && pwd)"; shift 2 ;;
    web|desktop|both) which="$1"; shift ;;
    *) echo "soak.sh: unknown argument '$1' (see the usage at the top of scripts/soak.sh)" >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && (( seconds > 0 )) || { echo "soak.sh: --seconds must be a positive whole number" >&2; exit 2; }

artifacts="${NNPLAY_ARTIFACTS:-$ROOT/build/e2e-artifacts}"
mkdir -p "$artifacts"
status=0

if [[ "$which" == web || "$which" == both ]]; then
  [[ -d "$ROOT/tests/e2e/node_modules/playwright-core" ]] || { echo "soak.sh: run 'npm ci' in tests/e2e first (scripts/setup.sh does)" >&2; exit 1; }
  # The server runs in a subshell, so that its clean-up (an EXIT trap) ends with the page's soak.
  (
    # shellcheck source=scripts/local-server.sh
    source "$ROOT/scripts/local-server.sh"
    port="$(free_local_port)"
    export NNPLAY_SITE="$web_build/site"
    start_local_server "$artifacts/soak-server.log" "$port" "" \
      bash "$ROOT/scripts/serve.sh" "$port"
    echo "soak.sh: the page from $web_build/site, $seconds s"
    cd "$ROOT/tests/e2e"
    NNPLAY_URL="http://127.0.0.1:$port/" NNPLAY_ARTIFACTS="$artifacts" node soak.mjs --seconds "$seconds"
  ) || status=1
fi

if [[ "$which" == desktop || "$which" == both ]]; then
  app="$native_build/native/app/nnplay"
  [[ -x "$app" ]] || { echo "soak.sh: $app not found; build the native preset first" >&2; exit 1; }
  echo "soak.sh: the desktop app $app, $seconds s"
  # Run from the source tree, where the app finds assets/ (the one-step view's recordings).
  # 24-bit colour: xvfb-run's default 8-bit screen has no visual an OpenGL context can use.
  # The limit leaves room for start-up and MNIST's loading on a busy machine.
  (cd "$ROOT" && timeout $((seconds + 180)) xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --soak "$seconds") \
    | tee "$artifacts/soak-desktop.log" || status=1
fi

exit "$status"
