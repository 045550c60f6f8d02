#!/usr/bin/env bash
# Run every nnplay test: setup deps/data, then build + ctest the `native` (Release)
# and `native-asan` (AddressSanitizer/UBSan) CMake presets. Exits non-zero on any failure.
# Env: NNPLAY_SKIP_ASAN=1 skips the asan stage (quick local runs); NNPLAY_JOBS=N sets build parallelism;
# NNPLAY_SKIP_FUZZ=1 skips the safetensors fuzz stage, NNPLAY_FUZZ_SECONDS=N sets its length (60).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${NNPLAY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

stage="(start)"
section() {
  stage="$1"
  printf '\n==== %s ====\n' "$1"
}
on_exit() {
  local rc=$?
  if (( rc != 0 )); then
    printf '\n==== FAILED in stage: %s (exit %d) ====\n' "$stage" "$rc" >&2
  fi
}
trap on_exit EXIT

section "setup"
bash scripts/setup.sh

presets=(native)
if [[ "${NNPLAY_SKIP_ASAN:-0}" == "1" ]]; then
  echo "test.sh: NNPLAY_SKIP_ASAN=1 -> skipping native-asan"
else
  presets+=(native-asan)
fi

for p in "${presets[@]}"; do
  section "configure: $p"
  cmake --preset "$p"
  section "build: $p"
  cmake --build --preset "$p" -j "$JOBS"
  section "test: $p"
  ctest --preset "$p" --output-on-failure
done

# Bounded fuzzing of the safetensors reader (clang + libFuzzer, installed by setup.sh).
if [[ "${NNPLAY_SKIP_FUZZ:-0}" == "1" ]]; then
  echo "test.sh: NNPLAY_SKIP_FUZZ=1 -> skipping the fuzz stage"
else
  section "fuzz: safetensors reader (${NNPLAY_FUZZ_SECONDS:-60} s)"
  bash scripts/fuzz-safetensors.sh "${NNPLAY_FUZZ_SECONDS:-60}"
fi

section "done"
echo "test.sh: all stages passed (${presets[*]})"
