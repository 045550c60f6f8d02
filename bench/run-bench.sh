#!/bin/bash
# The benchmark in one command: nnplay (native CPU, 1 and 2 threads) against the PyTorch
# programs its users would otherwise run (bench/reference/), on the tutorial's workloads,
# plus the GEMM micro-benchmark, a probe of the machine and then the WebAssembly benchmark
# (bench/run-web-bench.sh, against TensorFlow.js). Runs are repeated REPS times
# and interleaved (every run of rep 1, then every run of rep 2, ...) so that drift on a
# shared machine hits both sides; bench/aggregate.py turns the logs into the tables of
# docs/benchmarks.md. Not part of CI. About 7.5 minutes on a 2-vCPU machine that other
# programs load moderately (11 under heavy load), plus the build, plus 3.5 for WebAssembly.
#
# Usage: bench/run-bench.sh [OUT_DIR]       (default /tmp/nnplay-bench/<UTC time>)
# Env:   REPS=5          repetitions of every run
#        TUT_EPOCHS=2    epochs per run of the tutorial's DataLoader program (its whole
#                        15-epoch run is estimated from them, and run once for real when
#                        FULL_TUTORIAL=1)
#        FULL_TUTORIAL=1 one real 15-epoch run of the tutorial's program
#        LINEAR_EPOCHS=5 MLP_EPOCHS=3   epochs of the per-epoch timings
#        GEMM=1          run build/native/bench/bench_gemm (Google Benchmark)
#        WEB=1           then bench/run-web-bench.sh (WebAssembly against TensorFlow.js;
#                        needs scripts/setup.sh --bench), into OUT_DIR/web
#        BUILD=1         configure and build the native preset first
#        DATA=data/mnist the four MNIST IDX files (scripts/fetch-mnist.sh)
#        PYTHON=/usr/bin/python3   a python with Debian's python3-torch
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${1:-/tmp/nnplay-bench/$(date -u +%Y%m%d-%H%M%S)}
REPS=${REPS:-5}
TUT_EPOCHS=${TUT_EPOCHS:-2}
FULL_TUTORIAL=${FULL_TUTORIAL:-1}
LINEAR_EPOCHS=${LINEAR_EPOCHS:-5}
MLP_EPOCHS=${MLP_EPOCHS:-3}
GEMM=${GEMM:-1}
WEB=${WEB:-1}
BUILD=${BUILD:-1}
DATA=$(cd "${DATA:-data/mnist}" 2>/dev/null && pwd) || { echo "no MNIST folder: run scripts/fetch-mnist.sh" >&2; exit 1; }
PYTHON=${PYTHON:-/usr/bin/python3}
BIN=$ROOT/build/native
REF=$ROOT/bench/reference
TIME=/usr/bin/time

[ -x "$TIME" ] || { echo "$TIME is missing: scripts/setup.sh --bench" >&2; exit 1; }
"$PYTHON" -c 'import torch, torchvision, numpy' 2>/dev/null ||
  { echo "$PYTHON lacks torch/torchvision/numpy: scripts/setup.sh --bench" >&2; exit 1; }

if [ "$BUILD" = 1 ]; then
  cmake --preset native >/dev/null
  cmake --build --preset native -j2 --target nnplay-train nnplay-bench bench_gemm
fi
for b in native/nnplay-train bench/nnplay-bench; do
  [ -x "$BIN/$b" ] || { echo "$BIN/$b is missing: build the native preset" >&2; exit 1; }
done

mkdir -p "$OUT"
echo "results in $OUT"

# torchvision's MNIST(root='MNIST_data/') finds the raw IDX files in MNIST_data/MNIST/raw
# and then reads them without downloading anything.
RUN=$OUT/run
RAW=$RUN/MNIST_data/MNIST/raw
source "$ROOT/bench/raw-mnist.sh"
raw_mnist_into "$DATA" "$RAW"

# The machine and the versions.
{
  echo "date_utc: $(date -u '+%Y-%m-%d %H:%M')"
  echo "cpu_model: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "cpu_family_model: $(lscpu | sed -n 's/^CPU family: *//p') / $(lscpu | sed -n 's/^Model: *//p')"
  echo "cpus: $(nproc)  threads_per_core: $(lscpu | sed -n 's/^Thread(s) per core: *//p')"
  echo "caches: L1d $(lscpu | sed -n 's/^L1d cache: *//p'), L2 $(lscpu | sed -n 's/^L2 cache: *//p'), L3 $(lscpu | sed -n 's/^L3 cache: *//p')"
  echo "simd: $(grep -o -w -E 'avx2|fma|avx512f|avx512bw|avx512vl|avx512_bf16|avx512_vnni' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -r)"
  echo "compiler: $(c++ --version | head -1)"
  echo "python: $("$PYTHON" -c 'import sys, torch, torchvision, numpy; print(sys.version.split()[0], "torch", torch.__version__, "torchvision", torchvision.__version__, "numpy", numpy.__version__, "torch default threads", torch.get_num_threads())')"
  echo "openblas_env: OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-unset} OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}"
  echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "reps: $REPS tut_epochs: $TUT_EPOCHS linear_epochs: $LINEAR_EPOCHS mlp_epochs: $MLP_EPOCHS"
} >"$OUT/machine.txt"

# run NAME REP DIR [VAR=value ...] -- COMMAND...   (stdout+stderr to NAME.repK.log,
# /usr/bin/time -v to NAME.repK.time)
run() {
  local name=$1 rep=$2 dir=$3
  shift 3
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  printf '  %-22s rep %s\n' "$name" "$rep"
  (cd "$dir" && env "${envs[@]}" "$TIME" -v -o "$OUT/$name.rep$rep.time" "$@" >"$OUT/$name.rep$rep.log" 2>&1) ||
    echo "    $name rep $rep failed: see $OUT/$name.rep$rep.log" >&2
}

# One thread on both sides: torch.set_num_threads(1) and one OpenBLAS thread (Debian's
# torch calls OpenBLAS, which keeps its own thread pool).
T1=(THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
# Two threads on both sides: 2 OpenMP threads, OpenBLAS's 2 threads, and passive waiting
# so that the two pools do not spin against each other on 2 vCPUs.
T2=(THREADS=2 OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive)

echo "machine probe"
run machine 1 "$ROOT" -- "$BIN/bench/nnplay-bench" machine

for rep in $(seq 1 "$REPS"); do
  echo "rep $rep/$REPS"
  # 1. linear softmax regression, one thread
  run tutorial_t1 "$rep" "$RUN" "${T1[@]}" EPOCHS="$TUT_EPOCHS" -- "$PYTHON" "$REF/tutorial_softmax.py"
  run nnplay_train_linear_t1 "$rep" "$ROOT" -- "$BIN/native/nnplay-train" mnist --data "$DATA" --threads 1 \
    --progress never
  run torch_linear_t1 "$rep" "$RUN" "${T1[@]}" DATA="$DATA" EPOCHS="$LINEAR_EPOCHS" -- "$PYTHON" "$REF/fast_softmax.py"
  run nnplay_linear_t1 "$rep" "$ROOT" -- "$BIN/bench/nnplay-bench" linear --data "$DATA" --threads 1 --epochs "$LINEAR_EPOCHS"
  # 2. MLP, one thread
  run torch_mlp_t1 "$rep" "$RUN" "${T1[@]}" DATA="$DATA" EPOCHS="$MLP_EPOCHS" -- "$PYTHON" "$REF/mlp.py"
  run nnplay_mlp_t1 "$rep" "$ROOT" -- "$BIN/bench/nnplay-bench" mlp --data "$DATA" --threads 1 --epochs "$MLP_EPOCHS"
  # 3. XOR, one thread
  run torch_xor_t1 "$rep" "$RUN" "${T1[@]}" -- "$PYTHON" "$REF/xor_mlp.py"
  run nnplay_xor_t1 "$rep" "$ROOT" -- "$BIN/bench/nnplay-bench" xor --threads 1
  run nnplay_train_xor_t1 "$rep" "$ROOT" -- "$BIN/native/nnplay-train" xor
  # Two threads (reported separately)
  run torch_linear_t2 "$rep" "$RUN" "${T2[@]}" DATA="$DATA" EPOCHS="$LINEAR_EPOCHS" -- "$PYTHON" "$REF/fast_softmax.py"
  run nnplay_linear_t2 "$rep" "$ROOT" -- "$BIN/bench/nnplay-bench" linear --data "$DATA" --threads 2 --epochs "$LINEAR_EPOCHS"
  run torch_mlp_t2 "$rep" "$RUN" "${T2[@]}" DATA="$DATA" EPOCHS="$MLP_EPOCHS" -- "$PYTHON" "$REF/mlp.py"
  run nnplay_mlp_t2 "$rep" "$ROOT" -- "$BIN/bench/nnplay-bench" mlp --data "$DATA" --threads 2 --epochs "$MLP_EPOCHS"
done

echo "nnplay's step op by op (one thread)"
run nnplay_linear_phases_t1 1 "$ROOT" -- "$BIN/bench/nnplay-bench" linear --data "$DATA" --threads 1 --epochs 3 --phases
run nnplay_mlp_phases_t1 1 "$ROOT" -- "$BIN/bench/nnplay-bench" mlp --data "$DATA" --threads 1 --epochs 2 --phases

if [ "$FULL_TUTORIAL" = 1 ]; then
  echo "the tutorial's program, whole 15-epoch run, once"
  run tutorial_full_t1 1 "$RUN" "${T1[@]}" EPOCHS=15 -- "$PYTHON" "$REF/tutorial_softmax.py"
  run nnplay_train_linear_full_t1 1 "$ROOT" -- "$BIN/native/nnplay-train" mnist --data "$DATA" --threads 1 \
    --progress never
fi

if [ "$GEMM" = 1 ] && [ -x "$BIN/bench/bench_gemm" ]; then
  echo "GEMM micro-benchmark"
  "$BIN/bench/bench_gemm" --benchmark_repetitions=3 --benchmark_min_time=0.1 \
    --benchmark_report_aggregates_only=true --benchmark_out_format=json \
    --benchmark_out="$OUT/bench_gemm.json" >"$OUT/bench_gemm.txt" 2>&1 ||
    echo "  bench_gemm failed: see $OUT/bench_gemm.txt" >&2
fi

echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
"$PYTHON" "$ROOT/bench/aggregate.py" "$OUT" | tee "$OUT/results.md"

# The WebAssembly side (nnplay in node and Chromium against TensorFlow.js), so that one
# command measures every goal; its results go to $OUT/web/results.md.
if [ "$WEB" = 1 ]; then
  echo
  REPS="$REPS" BUILD="$BUILD" bash "$ROOT/bench/run-web-bench.sh" "$OUT/web"
fi
