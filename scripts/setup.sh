#!/usr/bin/env bash
# Install nnplay's dependencies (Debian packages, third-party sources) and fetch MNIST.
# Idempotent and fast when everything is present: apt-get only runs if a package is missing.
# Usage: scripts/setup.sh [--test] [--headless] [--bench]
#   (none)      what scripts/run.sh needs: build the CLI, the desktop app and the web page, serve it
#   --test      also what scripts/test.sh needs: PyTorch, Chromium, Xvfb, ImageMagick, libFuzzer
#   --headless  also Xvfb, to run the desktop app without a display (scripts/run-desktop.sh)
#   --bench     also the benchmarks' reference implementations (PyTorch, OpenBLAS, TF.js)
set -euo pipefail

# Building and serving: the native build (the `native` preset also compiles the test
# suites, so GoogleTest is needed to configure it), the desktop app (SDL2 + OpenGL, and
# Mesa to draw where there is no GPU driver) and the page (Emscripten, which brings its
# own clang, Python and Node.js).
PACKAGES=(
  build-essential
  cmake
  ninja-build
  g++
  pkg-config
  libgtest-dev
  libgmock-dev
  libcli11-dev
  nlohmann-json3-dev
  libfmt-dev
  zlib1g-dev
  libstb-dev
  xz-utils
  emscripten
  libsdl2-dev
  libgl-dev
  libgl1-mesa-dri
  fonts-noto-core      # the UI's type: Noto Sans for Latin...
  fonts-nanum          # ...Nanum Gothic for Korean...
  python3-fonttools    # ...both subset at build time to the UI's characters (scripts/subset-fonts.sh)
)

# A display for the desktop app where there is none (--headless; --test needs it too).
HEADLESS_PACKAGES=(
  xvfb
  xauth
)

# Only the tests need these (--test): references, browsers, screenshots and fuzzing.
TEST_PACKAGES=(
  "${HEADLESS_PACKAGES[@]}"
  python3-torch        # PyTorch reference for the weights-file interop tests
  chromium             # the web page's end-to-end tests (driven by playwright-core)
  imagemagick          # the desktop test's screenshot checks
  clang                # scripts/fuzz.sh: libFuzzer targets...
  libclang-rt-14-dev   # ...and clang's fuzzing and sanitizer runtime
  libbenchmark-dev     # the benchmark programs the native preset compiles when it is present
  libopenblas-dev      # ...and the GEMM benchmark's reference, so that CI builds that path too
)

# Extra packages for --bench (reference implementations / comparison baselines).
BENCH_PACKAGES=(
  python3-torch
  python3-torchvision
  libopenblas-dev
  libbenchmark-dev
  time                 # /usr/bin/time -v: wall time and peak RSS in bench/run-bench.sh
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

want_bench=0
want_test=0
want_headless=0
for arg in "$@"; do
  case "$arg" in
    --bench) want_bench=1 ;;
    --test) want_test=1 ;;
    --headless) want_headless=1 ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

wanted=("${PACKAGES[@]}")
if (( want_test )); then wanted+=("${TEST_PACKAGES[@]}"); fi
if (( want_headless )); then wanted+=("${HEADLESS_PACKAGES[@]}"); fi
if (( want_bench )); then wanted+=("${BENCH_PACKAGES[@]}"); fi
# Each package once (the groups overlap).
mapfile -t wanted < <(printf '%s\n' "${wanted[@]}" | awk '!seen[$0]++')
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
# --test: playwright-core for the browser tests: it drives Debian's chromium and downloads
# no browser.
if (( want_test )); then
  e2e_version() { node -p "require('$ROOT/tests/e2e/$1').$2" 2>/dev/null || true; }
  if [[ "$(e2e_version node_modules/playwright-core/package.json version)" != \
        "$(e2e_version package-lock.json "packages['node_modules/playwright-core'].version")" ]]; then
    (cd "$ROOT/tests/e2e" && npm ci --ignore-scripts --no-audit --no-fund)
  else
    echo "setup.sh: tests/e2e node modules already installed"
  fi
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
