#!/usr/bin/env bash
# Build SDL2 for WebAssembly from Debian's source package `libsdl2` and install it into a
# git-ignored cache folder (default third_party/sdl2-wasm), for the web page to link.
# Why not emcc's -sUSE_SDL=2: it downloads SDL from the internet, which is unreachable here,
# and Debian's emscripten ships a read-only port cache.
# Idempotent: does nothing when the cached libSDL2.a is there and matches the source version.
# Usage: scripts/build-sdl2-wasm.sh [PREFIX]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${1:-$ROOT/third_party/sdl2-wasm}"
JOBS="${NNPLAY_JOBS:-$(nproc 2>/dev/null || echo 2)}"
# emcc's JS optimizer needs Debian's node modules (acorn); the node on PATH may not be Debian's.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

STAMP="$PREFIX/.nnplay-sdl2-source"

# The version Debian would give us now; the cache is reused only when it was built from it.
want_version="$(apt-cache showsrc libsdl2 2>/dev/null | sed -n 's/^Version: //p' | head -n1 || true)"
if [[ -f "$PREFIX/lib/libSDL2.a" && -f "$STAMP" ]]; then
  if [[ -z "$want_version" || "$(cat "$STAMP")" == "$want_version" ]]; then
    echo "build-sdl2-wasm.sh: SDL2 for WebAssembly already in $PREFIX ($(cat "$STAMP"))"
    exit 0
  fi
fi

for tool in emcmake cmake apt-get; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-sdl2-wasm.sh: ERROR: '$tool' not found (run scripts/setup.sh)" >&2; exit 1; }
done

SUDO=()
if [[ "$(id -u)" -ne 0 ]] && command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi

# Source packages need a deb-src entry. Derive it from the machine's own apt configuration
# (same archive, same suites), so no archive host is written anywhere in the project.
if [[ -z "$want_version" ]]; then
  src_list=/etc/apt/sources.list.d/nnplay-debian-src.sources
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | "${SUDO[@]}" tee "$src_list" >/dev/null
  elif [[ -f /etc/apt/sources.list ]]; then
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | "${SUDO[@]}" tee /etc/apt/sources.list.d/nnplay-debian-src.list >/dev/null
  else
    echo "build-sdl2-wasm.sh: ERROR: no apt source configuration found to derive a deb-src entry from" >&2
    exit 1
  fi
  echo "build-sdl2-wasm.sh: enabled Debian source packages ($src_list); apt-get update ..."
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  want_version="$(apt-cache showsrc libsdl2 | sed -n 's/^Version: //p' | head -n1)"
fi

# The downloaded tarball is kept (git-ignored) so a rebuild needs no network.
CACHE="$ROOT/third_party/.downloads"
mkdir -p "$CACHE"
upstream="${want_version#*:}"; upstream="${upstream%-*}"
orig="$(ls "$CACHE"/libsdl2_"$upstream".orig.tar.* 2>/dev/null | head -n1 || true)"
if [[ -z "$orig" ]]; then
  echo "build-sdl2-wasm.sh: fetching Debian source package libsdl2 $want_version ..."
  (cd "$CACHE" && apt-get source --download-only "libsdl2=$want_version" >/dev/null)
  orig="$(ls "$CACHE"/libsdl2_"$upstream".orig.tar.* | head -n1)"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
tar -xf "$orig" -C "$work/src" --strip-components=1

echo "build-sdl2-wasm.sh: building SDL2 with Emscripten (a couple of minutes) ..."
rm -rf "$PREFIX"
emcmake cmake -S "$work/src" -B "$work/build" -G Ninja \
  -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" >"$work/configure.log" 2>&1 \
  || { tail -n 40 "$work/configure.log" >&2; exit 1; }
cmake --build "$work/build" -j "$JOBS" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; exit 1; }
cmake --install "$work/build" >/dev/null
echo "$want_version" >"$STAMP"
echo "build-sdl2-wasm.sh: installed SDL2 $want_version for WebAssembly into $PREFIX"
