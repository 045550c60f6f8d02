#!/usr/bin/env bash
# Fuzz the safetensors reader: builds tests/fuzz/fuzz_safetensors.cpp with clang's
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer, writes the seed corpus, and
# runs for a bounded time. Exits non-zero on any crash, sanitizer report or unexpected
# exception (the input that caused it is saved under build/fuzz/).
# Usage: scripts/fuzz-safetensors.sh [SECONDS]   (default 60)
# Needs clang and its libFuzzer runtime (Debian: clang, libclang-rt-14-dev; scripts/setup.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_TO_RUN="${1:-60}"
OUT="$ROOT/build/fuzz"
CXX="${NNPLAY_FUZZ_CXX:-clang++}"
mkdir -p "$OUT/corpus"

# Only the reader and what it needs: the format, the model-file inference, names, shapes
# (and step_log.cpp, which holds the Backend interface's out-of-line defaults).
SOURCES=(
  tests/fuzz/fuzz_safetensors.cpp
  engine/src/safetensors.cpp
  engine/src/atomic_file.cpp
  engine/src/model_file.cpp
  engine/src/layers.cpp
  engine/src/names.cpp
  engine/src/parameters.cpp
  engine/src/rng.cpp
  engine/src/step_log.cpp
  engine/src/tensor.cpp
)
cd "$ROOT"
echo "fuzz-safetensors.sh: building $OUT/fuzz_safetensors with $CXX"
if ! "$CXX" -std=c++20 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Iengine/include -Iengine/src -DNNPLAY_VERSION='"fuzz"' \
    "${SOURCES[@]}" -o "$OUT/fuzz_safetensors"; then
  echo "fuzz-safetensors.sh: build failed (is libclang-rt-14-dev installed? run scripts/setup.sh)" >&2
  exit 1
fi

python3 tests/fuzz/make_seeds.py "$OUT/seeds"
echo "fuzz-safetensors.sh: fuzzing for ${SECONDS_TO_RUN} s"
# -max_len keeps inputs small enough to be fast; the corpus grows in build/fuzz/corpus.
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
  "$OUT/fuzz_safetensors" "$OUT/corpus" "$OUT/seeds" \
    -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$OUT/" -print_final_stats=1
echo "fuzz-safetensors.sh: no crash in ${SECONDS_TO_RUN} s"
