#!/usr/bin/env bash
# Install nnplay's build/test dependencies (Debian packages) and fetch MNIST.
# Idempotent and fast when everything is present: apt-get only runs if a package is missing.
# Usage: scripts/setup.sh [--bench]   (--bench also installs the PyTorch/OpenBLAS/node comparison deps)
set -euo pipefail

# Debian packages always needed. Append new features' packages here (SDL2, emscripten, chromium, ...).
PACKAGES=(
  build-essential
  cmake
  ninja-build
  g++
  clang
  pkg-config
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libcli11-dev
  nlohmann-json3-dev
  libfmt-dev
  zlib1g-dev
  libstb-dev
  libclang-rt-14-dev   # libFuzzer runtime for scripts/fuzz-safetensors.sh
  python3-torch        # PyTorch reference for the weights-file interop tests
  xz-utils
  # Front end: the desktop app (SDL2 + OpenGL, tested in Xvfb) and the web page
  # (Emscripten, tested in Debian's headless Chromium).
  emscripten
  libsdl2-dev
  libgl-dev
  libgl1-mesa-dri
  xvfb
  xauth
  imagemagick
  chromium
)

# Extra packages for --bench (reference implementations / comparison baselines).
BENCH_PACKAGES=(
  python3-torch
  python3-torchvision
  libopenblas-dev
  time                 # /usr/bin/time -v: wall time and peak RSS in bench/run-bench.sh
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

want_bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) want_bench=1 ;;
    -h|--help) sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

wanted=("${PACKAGES[@]}")
if (( want_bench )); then
  wanted+=("${BENCH_PACKAGES[@]}")
fi
# node/npm (web tests under node, browser tests, MNIST download) may come from a non-Debian
# source (e.g. a vendor nodejs that bundles npm): only ask apt when the commands are absent.
command -v node >/dev/null 2>&1 || wanted+=(nodejs)
command -v npm  >/dev/null 2>&1 || wanted+=(npm)

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing=()
for pkg in "${wanted[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if (( ${#missing[@]} )); then
  echo "setup.sh: installing missing Debian packages: ${missing[*]}"
  SUDO=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup.sh: not root and sudo not found; cannot install: ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
  fi
  # Wait (up to 10 min) for any other apt/dpkg process holding the lock instead of failing.
  APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
  "${APT[@]}" update -qq
  "${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup.sh: all ${#wanted[@]} Debian packages already installed"
fi

bash "$ROOT/scripts/fetch-third-party.sh"
bash "$ROOT/scripts/build-sdl2-wasm.sh"
bash "$ROOT/scripts/build-wasm-libs.sh"
# playwright-core for the browser tests: it drives Debian's chromium and downloads no browser.
e2e_version() { node -p "require('$ROOT/tests/e2e/$1').$2" 2>/dev/null || true; }
if [[ "$(e2e_version node_modules/playwright-core/package.json version)" != \
      "$(e2e_version package-lock.json "packages['node_modules/playwright-core'].version")" ]]; then
  (cd "$ROOT/tests/e2e" && npm ci --ignore-scripts --no-audit --no-fund)
else
  echo "setup.sh: tests/e2e node modules already installed"
fi
# --bench: TensorFlow.js (tfjs + tfjs-backend-wasm, pinned in bench/web/package-lock.json),
# the reference of bench/run-web-bench.sh. Plain JS and .wasm files: no install scripts needed.
if (( want_bench )); then
  web_bench_version() { node -p "require('$ROOT/bench/web/$1').$2" 2>/dev/null || true; }
  if [[ "$(web_bench_version node_modules/@tensorflow/tfjs-backend-wasm/package.json version)" != \
        "$(web_bench_version package-lock.json "packages['node_modules/@tensorflow/tfjs-backend-wasm'].version")" ||
        "$(web_bench_version node_modules/@tensorflow/tfjs/package.json version)" != \
        "$(web_bench_version package-lock.json "packages['node_modules/@tensorflow/tfjs'].version")" ]]; then
    (cd "$ROOT/bench/web" && npm ci --ignore-scripts --no-audit --no-fund)
  else
    echo "setup.sh: bench/web node modules (TensorFlow.js) already installed"
  fi
fi
bash "$ROOT/scripts/fetch-mnist.sh"
