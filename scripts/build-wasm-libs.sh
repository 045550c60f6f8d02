#!/usr/bin/env bash
# Prepare the libraries the engine needs for its WebAssembly build (besides SDL2, which
# scripts/build-sdl2-wasm.sh builds) in a git-ignored prefix, default third_party/wasm-libs:
#   - zlib, compiled with emcc from Debian's source package `zlib` (IDX .gz reading);
#     Emscripten's -sUSE_ZLIB=1 would download it, which is impossible here.
#   - nlohmann/json headers and CMake package, copied from Debian's nlohmann-json3-dev:
#     the host's /usr/include must never be on Emscripten's include path (glibc headers
#     would shadow Emscripten's libc), so the header-only library gets a prefix of its own.
# The `web` CMake preset points ZLIB_* and nlohmann_json_DIR at this prefix.
# Idempotent: does nothing when the prefix is complete for the current zlib source version.
# Usage: scripts/build-wasm-libs.sh [PREFIX]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${1:-$ROOT/third_party/wasm-libs}"
CACHE="$ROOT/third_party/.downloads"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
STAMP="$PREFIX/.nnplay-wasm-libs"
JSON_CONFIG=/usr/share/cmake/nlohmann_json

[[ -d /usr/include/nlohmann && -d "$JSON_CONFIG" ]] || {
  echo "build-wasm-libs.sh: ERROR: nlohmann-json3-dev is not installed (run scripts/setup.sh)" >&2; exit 1; }

# An empty answer means no deb-src entries are configured yet (scripts/build-sdl2-wasm.sh,
# which setup.sh runs first, adds them).
want_version="$(apt-cache showsrc zlib 2>/dev/null | sed -n 's/^Version: //p' | head -n1 || true)"
if [[ -f "$PREFIX/lib/libz.a" && -f "$PREFIX/include/nlohmann/json.hpp" && -f "$STAMP" ]]; then
  if [[ -z "$want_version" || "$(cat "$STAMP")" == "$want_version" ]]; then
    echo "build-wasm-libs.sh: zlib + nlohmann/json for WebAssembly already in $PREFIX ($(cat "$STAMP"))"
    exit 0
  fi
fi
[[ -n "$want_version" ]] || {
  echo "build-wasm-libs.sh: ERROR: apt knows no source package 'zlib'; enable deb-src entries (scripts/build-sdl2-wasm.sh does)" >&2
  exit 1; }
command -v emcc >/dev/null 2>&1 || { echo "build-wasm-libs.sh: ERROR: emcc not found (run scripts/setup.sh)" >&2; exit 1; }

mkdir -p "$CACHE"
upstream="${want_version#*:}"; upstream="${upstream%-*}"
orig="$(ls "$CACHE"/zlib_"$upstream".orig.tar.* 2>/dev/null | head -n1 || true)"
if [[ -z "$orig" ]]; then
  echo "build-wasm-libs.sh: fetching Debian source package zlib $want_version ..."
  (cd "$CACHE" && apt-get source --download-only "zlib=$want_version" >/dev/null)
  orig="$(ls "$CACHE"/zlib_"$upstream".orig.tar.* | head -n1)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/obj"
tar -xf "$orig" -C "$work/src" --strip-components=1

echo "build-wasm-libs.sh: compiling zlib with emcc ..."
# zlib's library sources (its own Makefile's OBJZ + OBJG lists); examples and contrib are not needed.
ZSRC=(adler32 crc32 deflate infback inffast inflate inftrees trees zutil compress uncompr
      gzclose gzlib gzread gzwrite)
for f in "${ZSRC[@]}"; do
  emcc -O2 -DHAVE_UNISTD_H -DHAVE_STDARG_H -c "$work/src/$f.c" -o "$work/obj/$f.o"
done
rm -rf "$PREFIX"
mkdir -p "$PREFIX/lib" "$PREFIX/include" "$PREFIX/share/cmake"
emar rcs "$PREFIX/lib/libz.a" "$work"/obj/*.o
cp "$work/src/zlib.h" "$work/src/zconf.h" "$PREFIX/include/"

# The header-only JSON library: headers plus its CMake package files, whose imported
# target resolves its include folder relative to where the files lie (so: this prefix).
cp -r /usr/include/nlohmann "$PREFIX/include/"
cp -r "$JSON_CONFIG" "$PREFIX/share/cmake/"

echo "$want_version" >"$STAMP"
echo "build-wasm-libs.sh: zlib $want_version and nlohmann/json staged for WebAssembly in $PREFIX"
