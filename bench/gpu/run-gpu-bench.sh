#!/usr/bin/env bash
# The GPU benchmark in one command, for scripts/gpu-check on a GPU machine: the GPU's own
# constants (gpu-constants), nnplay's CUDA backend on the tutorial's linear model and on
# the MLP (nnplay-bench --device cuda), and PyTorch on the same GPU (torch_mnist.py), then
# bench/gpu/aggregate.py turns the logs into OUT_DIR/gpu-bench.md.
#
#   bench/gpu/run-gpu-bench.sh BUILD_DIR MNIST_DIR OUT_DIR
#
# BUILD_DIR is a CMake build with the CUDA backend and the benchmarks built (targets
# nnplay-bench and gpu-constants); this script builds nothing. Each part runs under its
# own time limit and writes its whole output to OUT_DIR/<part>.log; a part that fails or
# runs out of time is recorded (OUT_DIR/status.txt and the report) and the others still
# run. Exit status: 0 when every part succeeded, 1 otherwise (the report is written
# either way), 2 for bad arguments. Under 5 minutes in all, whatever happens.
# Env: PYTHON (default python3), the interpreter with PyTorch.
set -uo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 BUILD_DIR MNIST_DIR OUT_DIR" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="$(cd "$1" 2>/dev/null && pwd)" || { echo "run-gpu-bench: no build folder $1" >&2; exit 2; }
DATA="$(cd "$2" 2>/dev/null && pwd)" || { echo "run-gpu-bench: no MNIST folder $2" >&2; exit 2; }
OUT="$3"
mkdir -p "$OUT" || exit 2
OUT="$(cd "$OUT" && pwd)"
PYTHON="${PYTHON:-python3}"
export PYTHONUNBUFFERED=1  # a part cut short by its time limit still leaves its lines
STATUS="$OUT/status.txt"
: >"$STATUS"
failures=0

# run NAME LIMIT_S COMMAND...: the command's stdout and stderr into NAME.log, and one line
# "NAME rc=<status> s=<seconds> limit=<limit>" into status.txt (rc 124: out of time).
run() {
  local name="$1" limit="$2"
  shift 2
  local log="$OUT/$name.log" t0 rc
  echo "== $name: $*"
  t0=$(date +%s.%N)
  if [[ ! -x "$1" && "$1" != "$PYTHON" ]]; then
    echo "run-gpu-bench: $1 is missing or not executable (build it first)" | tee "$log" >&2
    rc=127
  else
    { echo "# $*"; timeout -k 5 "$limit" "$@"; } >"$log" 2>&1
    rc=$?
  fi
  local secs
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  echo "$name rc=$rc s=$secs limit=$limit" >>"$STATUS"
  if [[ $rc -ne 0 ]]; then
    failures=$((failures + 1))
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
      echo "   $name: FAILED, out of time after ${limit}s (partial output in $log)"
    else
      echo "   $name: FAILED with status $rc (see $log)"
    fi
    tail -n 5 "$log" | sed 's/^/   | /'
  else
    echo "   $name: ok (${secs}s)"
  fi
}

# The machine, for the report's header (not a failure if nvidia-smi is absent).
{
  echo "date_utc: $(date -u '+%Y-%m-%d %H:%M')"
  echo "host_cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p') ($(nproc) cores)"
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit --format=csv 2>&1
  else
    echo "nvidia-smi: not found"
  fi
  echo "nvcc: $(command -v nvcc >/dev/null 2>&1 && nvcc --version | tail -n 1 || echo 'not found')"
  echo "git: $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$OUT/machine.log" 2>&1

# Time limits (seconds): the expected times on an H100 are about 5, 10, 15 and 120; the
# limits and their 5-second grace for a kill add up to under 5 minutes.
BENCH="$BUILD/bench/nnplay-bench"
run constants 25 "$BUILD/bench/gpu/gpu-constants"
run nnplay-linear 35 "$BENCH" linear --device cuda --epochs 15 --data "$DATA"
run nnplay-mlp 45 "$BENCH" mlp --device cuda --epochs 10 --target-acc 0.98 --data "$DATA"
run torch 165 "$PYTHON" "$HERE/torch_mnist.py" "$DATA" --device cuda

echo "== report"
if "$PYTHON" "$HERE/aggregate.py" "$OUT" >"$OUT/aggregate.log" 2>&1 ||
  python3 "$HERE/aggregate.py" "$OUT" >"$OUT/aggregate.log" 2>&1; then
  echo "   $OUT/gpu-bench.md"
else
  echo "   aggregate.py FAILED (see $OUT/aggregate.log)"
  failures=$((failures + 1))
fi

if [[ $failures -ne 0 ]]; then
  echo "run-gpu-bench: $failures part(s) failed; results so far in $OUT"
  exit 1
fi
echo "run-gpu-bench: done; results in $OUT"
