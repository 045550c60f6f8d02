#!/usr/bin/env bash
# Fuzzes every reader of outside input with libFuzzer (clang, AddressSanitizer,
# UndefinedBehaviorSanitizer, leak checks): builds the targets in tests/fuzz/ from the
# engine sources each needs, writes their seed corpora (tests/fuzz/make_seeds.py), runs
# each target in turn and prints, per target, the executions, the coverage (libFuzzer's
# cov/ft), the crashes and the peak memory. Exits non-zero on any crash, sanitizer
# report, leak, hang over 1 s, input needing over 256 MB, or build failure; the input
# that caused it is saved as build/fuzz/TARGET/crash-* (or leak-, timeout-, oom-).
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default $NNPLAY_FUZZ_SECONDS, else 20
#   TARGET              safetensors idx checkpoint settings strokes layer_list (default: all)
# Env: NNPLAY_FUZZ_CXX (clang++), NNPLAY_FUZZ_DIR (build/fuzz), NNPLAY_JOBS (build jobs).
# Needs clang, its libFuzzer runtime (Debian: libclang-rt-14-dev), ninja and zlib:
# scripts/setup.sh --test installs them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ALL_TARGETS=(safetensors idx checkpoint settings strokes layer_list)

seconds="${NNPLAY_FUZZ_SECONDS:-20}"
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
  seconds="$1"
  shift
fi
targets=("$@")
(( ${#targets[@]} )) || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (known: ${ALL_TARGETS[*]})" >&2; exit 2; }
done

OUT="${NNPLAY_FUZZ_DIR:-$ROOT/build/fuzz}"
CXX="${NNPLAY_FUZZ_CXX:-clang++}"
JOBS="${NNPLAY_JOBS:-2}"
mkdir -p "$OUT"

# ---------------------------------------------------------------------------------------
# What each target is built from: its harness and the sources it needs. The IDX and
# stroke readers stand alone; the others need the engine's model code, which is taken
# whole (every engine/src file but the CUDA backend and the GEMM's instruction-set
# variants), so that the list cannot fall behind the engine's files.
ENGINE_SOURCES=($(ls engine/src/*.cpp engine/src/cpu/*.cpp | grep -v -E 'gemm_kernel_(avx2|avx512)\.cpp$'))
target_sources() {
  case "$1" in
    safetensors) echo tests/fuzz/fuzz_safetensors.cpp "${ENGINE_SOURCES[@]}" ;;
    idx) echo tests/fuzz/fuzz_idx.cpp engine/src/idx.cpp ;;
    checkpoint) echo tests/fuzz/fuzz_checkpoint.cpp "${ENGINE_SOURCES[@]}" ;;
    settings) echo tests/fuzz/fuzz_settings.cpp ui/shell/settings.cpp ui/mnist/mnist_model.cpp ui/widgets/value_text.cpp ui/widgets/translations*.cpp ui/*/translations_ko_*.cpp "${ENGINE_SOURCES[@]}" ;;
    strokes) echo tests/fuzz/fuzz_strokes.cpp ui/mnist/mnist_pad.cpp engine/src/digit_preprocess.cpp ;;
    layer_list) echo tests/fuzz/fuzz_layer_list.cpp "${ENGINE_SOURCES[@]}" ;;
  esac
}

# ---------------------------------------------------------------------------------------
# Build: a ninja file, so objects are shared between targets and rebuilt only when a
# source or a header it includes changed. ui/ and tests/fuzz/ are searched for
# #include "..." only: a ui/*/strings.h must not stand in for the C library's <strings.h>.
CXXFLAGS="-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
-fno-sanitize-recover=undefined -I$ROOT/engine/include -I$ROOT/engine/src -iquote $ROOT/ui -iquote $ROOT/tests/fuzz \
'-DNNPLAY_VERSION=\"fuzz\"'"
{
  echo "# Written by scripts/fuzz.sh; do not edit."
  echo "cxx = $CXX"
  echo "cxxflags = $CXXFLAGS"
  echo "rule cxx"
  echo "  command = \$cxx \$cxxflags \$extra -MMD -MF \$out.d -c \$in -o \$out"
  echo "  depfile = \$out.d"
  echo "  deps = gcc"
  echo "  description = CXX \$in"
  echo "rule link"
  echo "  command = \$cxx \$cxxflags \$in -o \$out -lz -lpthread"
  echo "  description = LINK \$out"
  declare -A seen=()
  for t in "${targets[@]}"; do
    objs=()
    for src in $(target_sources "$t"); do
      obj="obj/${src%.cpp}.o"
      objs+=("$obj")
      [[ -n "${seen[$obj]:-}" ]] && continue
      seen[$obj]=1
      echo "build $obj: cxx $ROOT/$src"
      case "$src" in
        # The GEMM's run-time dispatch is left to the portable kernel here: the
        # instruction-set variants are not what these targets test.
        */gemm_fast.cpp) echo "  extra = -DNNPLAY_GEMM_X86_KERNELS=0" ;;
        */gemm_kernel_portable.cpp) echo "  extra = -ffp-contract=fast" ;;
      esac
    done
    echo "build bin/fuzz_$t: link ${objs[*]}"
  done
} > "$OUT/build.ninja"

echo "fuzz.sh: building ${targets[*]} with $CXX in $OUT"
if ! ninja -C "$OUT" -j "$JOBS" $(printf 'bin/fuzz_%s ' "${targets[@]}"); then
  echo "fuzz.sh: build failed (are clang, ninja and libclang-rt-14-dev installed? run scripts/setup.sh --test)" >&2
  exit 1
fi

# ---------------------------------------------------------------------------------------
# Run each target in turn and read its figures from libFuzzer's output.
failed=0
summary="$OUT/summary.txt"
printf '%-12s %8s %12s %7s %7s %8s %8s\n' target seconds executions cov ft crashes peak_mb > "$summary"
for t in "${targets[@]}"; do
  dir="$OUT/$t"
  mkdir -p "$dir/corpus"
  rm -rf "$dir/seeds"
  python3 tests/fuzz/make_seeds.py "$t" "$dir/seeds" >/dev/null
  before="$(ls "$dir" | grep -E '^(crash|leak|timeout|oom)-' || true)"
  log="$dir/last-run.log"
  : > "$log"
  echo "fuzz.sh: fuzzing $t for $seconds s (log: $log)"
  # A timeout that does not come back when its input is run again was the machine being
  # busy (the 1 s limit is wall-clock time), not a hang: it is set aside in unconfirmed/
  # and fuzzing goes on for the rest of the target's time.
  spent=0
  while :; do
    rc=0
    t0="$(date +%s)"
    # The seeds are read, never written: new inputs go to the target's own corpus folder.
    # AddressSanitizer's quarantine of freed memory (256 MB by default) would count
    # against the 256 MB limit on its own; 32 MB still catches a use soon after a free.
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=32 \
      "$OUT/bin/fuzz_$t" "$dir/corpus" "$dir/seeds" \
        -max_total_time="$((seconds - spent))" -rss_limit_mb=256 -timeout=1 -max_len=4096 \
        -artifact_prefix="$dir/" -print_final_stats=1 >> "$log" 2>&1 || rc=$?
    spent=$((spent + $(date +%s) - t0))
    after="$(ls "$dir" | grep -E '^(crash|leak|timeout|oom)-' || true)"
    new="$(comm -13 <(echo "$before" | sort) <(echo "$after" | sort) | sed '/^$/d')"
    (( rc != 0 )) || break
    [[ -n "$new" ]] && ! grep -qv '^timeout-' <<< "$new" || break
    unconfirmed=1
    for f in $new; do
      ASAN_OPTIONS=detect_leaks=1 "$OUT/bin/fuzz_$t" -timeout=1 -runs=3 "$dir/$f" > /dev/null 2>&1 || unconfirmed=0
    done
    (( unconfirmed )) || break
    mkdir -p "$dir/unconfirmed"
    for f in $new; do mv "$dir/$f" "$dir/unconfirmed/"; done
    echo "fuzz.sh: $t: a timeout did not come back on a second run (a busy machine); set aside in $dir/unconfirmed"
    new=""
    (( spent < seconds - 1 )) || { rc=0; break; }
  done
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{ s += $1 } END { print s }')"
  peak="$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | sort -n | tail -1)"
  cov="$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)"
  ft="$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)"
  crashes="$(echo -n "$new" | grep -c . || true)"
  if (( rc != 0 )) && (( crashes == 0 )); then crashes=1; fi
  printf '%-12s %8s %12s %7s %7s %8s %8s\n' "$t" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes" \
    "${peak:-?}" >> "$summary"
  if (( crashes )); then
    failed=1
    echo "fuzz.sh: $t FAILED (exit $rc); input: ${new:-none saved}" >&2
    grep -E 'ERROR: |SUMMARY: |runtime error|broken promise|uncaught exception|terminate called' "$log" | head -5 >&2 || true
  fi
done

echo
cat "$summary"
if (( failed )); then
  echo "fuzz.sh: FAILED: reproduce with build/fuzz/bin/fuzz_TARGET FILE (see the logs above)" >&2
  exit 1
fi
echo "fuzz.sh: no crash, leak, hang or sanitizer report in ${#targets[@]} target(s), $seconds s each"
