#!/bin/bash
# The WebAssembly benchmark in one command: nnplay's WASM build (SIMD128, one thread) in
# node and in headless Chromium against TensorFlow.js 4.22 on its WebAssembly backend
# (SIMD, one thread; bench/reference/tfjs_softmax.mjs, a hand-written loop and model.fit),
# on the full-MNIST linear softmax model; nnplay's WASM MLP in node; and nnplay native
# (one thread) in the same run for the WASM/native ratio. Runs are repeated REPS times and
# interleaved (every run of rep 1, then every run of rep 2, ...) so that drift on a shared
# machine hits both sides. bench/web/aggregate.py prints the medians, spreads and ratios
# and writes results.md. About 3.5 minutes on a loaded 2-vCPU machine, plus the build
# (about 1 minute for build/web-bench from scratch).
# WORKLOADS=cnn runs the CNN comparison instead (WORKLOADS="linear cnn" both): nnplay's WASM
# build against TF.js (bench/reference/tfjs_cnn.mjs) training the same convolutional
# network, Adam, batch 32, on the first CNN_TRAIN MNIST training images, in headless
# Chromium, with nnplay also in node. TF.js's wasm backend cannot train a convolution (no
# Conv2DBackpropFilter kernel): tfjs_cnn.mjs logs that error and trains on TF.js's CPU
# backend, which takes minutes per epoch, so TF.js may time only the first steps. With
# WORKLOADS=cnn and the defaults: about 11.5 minutes on a loaded 2-vCPU machine.
# docs/benchmarks-web.md describes it and its latest numbers.
#
# Usage: bench/run-web-bench.sh [OUT_DIR]       (default /tmp/nnplay-web-bench/<UTC time>)
# Env:   REPS=3            repetitions of every run
#        LINEAR_EPOCHS=5   epochs per nnplay linear run (native and WASM)
#        TFJS_EPOCHS=3     epochs per TF.js run (each takes seconds)
#        MLP_EPOCHS=3      epochs per nnplay WASM MLP run
#        PHASES=1          one extra op-by-op run (nnplay-bench --phases) of the WASM and
#                          native linear and MLP steps, to see what bounds an epoch
#        BUILD=1           configure and build build/web-bench and build/native's nnplay-bench
#        DATA=data/mnist   the four MNIST IDX files (raw or .gz; scripts/fetch-mnist.sh)
#        WORKLOADS=linear  linear: the runs above; cnn: the CNN comparison; or both
#        CNN_NETS="small recipe"   small: conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10 with Adam
#                          lr 0.005 (the page's small CNN); recipe: mnist_cnn_recipe,
#                          conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10, Adam lr 1e-3
#        CNN_TRAIN=10000   training images (the first ones; the page's subset); test: all
#        CNN_EPOCHS=1      epochs per CNN run, both sides
#        TFJS_SMALL_STEPS=0, TFJS_RECIPE_STEPS=64
#                          steps per epoch that TF.js times (0: the whole epoch; TF.js's
#                          CPU backend takes about 7.5 minutes for the recipe's)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${1:-/tmp/nnplay-web-bench/$(date -u +%Y%m%d-%H%M%S)}
REPS=${REPS:-3}
LINEAR_EPOCHS=${LINEAR_EPOCHS:-5}
TFJS_EPOCHS=${TFJS_EPOCHS:-3}
MLP_EPOCHS=${MLP_EPOCHS:-3}
PHASES=${PHASES:-1}
BUILD=${BUILD:-1}
WORKLOADS=${WORKLOADS:-linear}
CNN_NETS=${CNN_NETS:-small recipe}
CNN_TRAIN=${CNN_TRAIN:-10000}
CNN_EPOCHS=${CNN_EPOCHS:-1}
TFJS_SMALL_STEPS=${TFJS_SMALL_STEPS:-0}
TFJS_RECIPE_STEPS=${TFJS_RECIPE_STEPS:-64}
has_workload() { [[ " $WORKLOADS " == *" $1 "* ]]; }
has_workload linear || has_workload cnn || { echo "WORKLOADS must name linear, cnn or both" >&2; exit 1; }
for net in $CNN_NETS; do
  [ "$net" = small ] || [ "$net" = recipe ] || { echo "unknown CNN_NETS entry $net (small, recipe)" >&2; exit 1; }
done
DATA=$(cd "${DATA:-data/mnist}" 2>/dev/null && pwd) || { echo "no MNIST folder: run scripts/fetch-mnist.sh" >&2; exit 1; }
WASM_BUILD=$ROOT/build/web-bench
NATIVE=$ROOT/build/native/bench/nnplay-bench
WASM_NODE=$WASM_BUILD/bench/nnplay-bench.js
SITE=$WASM_BUILD/site
TFJS_MODULES=$ROOT/bench/web/node_modules/@tensorflow
# emcc's JS optimizer needs Debian's node modules (the node on PATH may not be Debian's).
export NODE_PATH=/usr/share/nodejs

command -v node >/dev/null || { echo "node is missing: scripts/setup.sh" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is missing: scripts/setup.sh" >&2; exit 1; }
[ -d tests/e2e/node_modules/playwright-core ] || { echo "playwright-core is missing: scripts/setup.sh" >&2; exit 1; }
[ -f "$TFJS_MODULES/tfjs/package.json" ] && [ -f "$TFJS_MODULES/tfjs-backend-wasm/package.json" ] ||
  { echo "TensorFlow.js is missing in bench/web/node_modules: scripts/setup.sh --bench" >&2; exit 1; }

if [ "$BUILD" = 1 ]; then
  # Its own build folder with the web preset's compiler settings: the web preset builds
  # the page and the tests, with benchmarks switched off (bench/web/CMakeLists.txt).
  if [ ! -f "$WASM_BUILD/build.ninja" ]; then
    emcmake cmake -S bench/web -B "$WASM_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      "-DCMAKE_CXX_FLAGS=-fexceptions -include $ROOT/web/compat/libcxx13.h" \
      -DCMAKE_EXE_LINKER_FLAGS=-fexceptions \
      "-DZLIB_INCLUDE_DIR=$ROOT/third_party/wasm-libs/include" \
      "-DZLIB_LIBRARY=$ROOT/third_party/wasm-libs/lib/libz.a" \
      "-Dnlohmann_json_DIR=$ROOT/third_party/wasm-libs/share/cmake/nlohmann_json" >"$ROOT/build/web-bench.configure.log" 2>&1 ||
      { tail -30 "$ROOT/build/web-bench.configure.log" >&2; exit 1; }
  fi
  cmake --build "$WASM_BUILD" -j2 --target nnplay-bench nnplay-bench-web
  # Only the linear runs compare with the native build.
  if has_workload linear; then
    [ -f build/native/build.ninja ] || cmake --preset native >/dev/null
    cmake --build build/native -j2 --target nnplay-bench
  fi
fi
has_workload linear || NATIVE=$WASM_NODE   # not needed: check something that is
for f in "$NATIVE" "$WASM_NODE" "$SITE/nnplay-bench-web.js" "$SITE/nnplay.html" "$SITE/tfjs.html"; do
  [ -e "$f" ] || { echo "$f is missing: run with BUILD=1" >&2; exit 1; }
done

mkdir -p "$OUT"
echo "results in $OUT"

# The raw IDX files in one folder: the pages fetch them over HTTP, and every program gets
# the same bytes.
source "$ROOT/bench/raw-mnist.sh"
raw_mnist_into "$DATA" "$OUT/mnist"

# The served folder: the pages and nnplay's browser build (from the build), TF.js's
# browser bundles and .wasm files and the data (linked in).
ln -sfn "$OUT/mnist" "$SITE/mnist"
mkdir -p "$SITE/tfjs"
for f in tfjs/dist/tf.min.js tfjs-backend-wasm/dist/tf-backend-wasm.min.js tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm \
         tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm; do
  ln -sfn "$TFJS_MODULES/$f" "$SITE/tfjs/$(basename "$f")"
done

# shellcheck source=scripts/local-server.sh
source "$ROOT/scripts/local-server.sh"
PORT=$(free_local_port)
start_local_server "$OUT/http-server.log" "$PORT" nnplay.html \
  python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE"
export NNPLAY_BENCH_URL="http://127.0.0.1:$PORT/"
# tests/e2e/lib/browser.mjs keeps screenshots there; none are taken, but it makes the folder.
export NNPLAY_ARTIFACTS="$OUT/artifacts"

{
  echo "date_utc: $(date -u '+%Y-%m-%d %H:%M')"
  echo "cpu_model: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "cpus: $(nproc)  threads_per_core: $(lscpu | sed -n 's/^Thread(s) per core: *//p')"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -r)"
  echo "node: $(node --version)"
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  echo "emcc: $(emcc --version 2>/dev/null | head -1)"
  echo "native_compiler: $(c++ --version | head -1)"
  echo "tfjs: $(node -p "require('$TFJS_MODULES/tfjs/package.json').version") tfjs-backend-wasm: $(node -p "require('$TFJS_MODULES/tfjs-backend-wasm/package.json').version")"
  echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "workloads: $WORKLOADS"
  if has_workload linear; then
    echo "reps: $REPS linear_epochs: $LINEAR_EPOCHS tfjs_epochs: $TFJS_EPOCHS mlp_epochs: $MLP_EPOCHS"
  fi
  if has_workload cnn; then
    echo "reps: $REPS cnn_nets: $CNN_NETS cnn_train: $CNN_TRAIN cnn_epochs: $CNN_EPOCHS tfjs_small_steps: $TFJS_SMALL_STEPS tfjs_recipe_steps: $TFJS_RECIPE_STEPS"
  fi
} >"$OUT/machine.txt"

# run NAME REP COMMAND...   (stdout+stderr to NAME.repK.log; the load average around it)
run() {
  local name=$1 rep=$2
  shift 2
  printf '  %-22s rep %s\n' "$name" "$rep"
  local log=$OUT/$name.rep$rep.log
  echo "LOAD before $(cut -d' ' -f1 /proc/loadavg)" >"$log"
  # Peak memory: node processes through /usr/bin/time; drive.mjs prints its page's renderer's.
  if [ -x /usr/bin/time ] && [ "$2" != bench/web/drive.mjs ]; then
    /usr/bin/time -f "PEAK_RSS_KB %M" "$@" >>"$log" 2>&1 || echo "    $name rep $rep failed: see $log" >&2
  else
    "$@" >>"$log" 2>&1 || echo "    $name rep $rep failed: see $log" >&2
  fi
  echo "LOAD after $(cut -d' ' -f1 /proc/loadavg)" >>"$log"
}

NODE=(node --no-experimental-fetch)   # Debian's emcc 3.1.6 loader under node 20
LIN=(linear --threads 1 --epochs "$LINEAR_EPOCHS")
# The CNN runs: the network's nnplay-bench options and tfjs_cnn.mjs options.
cnn_args() {
  case $1 in
    small) echo "--layers conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10 --lr 0.005" ;;
    recipe) echo "--layers conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10 --lr 0.001 --lr-every 1 --lr-gamma 0.2" ;;
  esac
}
cnn_rep() {
  local rep=$1 net nn_args tf_args steps
  for net in $CNN_NETS; do
    read -ra tf_args <<<"$(cnn_args "$net")"
    # nnplay's recipe network is mnist_cnn_recipe itself (its schedule, which TF.js is
    # given too, starts at epoch 2); the small one is a layer list trained like it.
    if [ "$net" = recipe ]; then nn_args=(cnn); else nn_args=(cnn "${tf_args[@]}"); fi
    nn_args+=(--threads 1 --epochs "$CNN_EPOCHS" --train-limit "$CNN_TRAIN")
    if [ "$net" = recipe ]; then steps=$TFJS_RECIPE_STEPS; else steps=$TFJS_SMALL_STEPS; fi
    tf_args+=(--epochs "$CNN_EPOCHS" --train-limit "$CNN_TRAIN" --steps "$steps" --backend wasm)
    run "wasm_chromium_cnn_$net" "$rep" node bench/web/drive.mjs nnplay "${nn_args[@]}"
    # TF.js on its CPU backend needs minutes for an epoch.
    NNPLAY_BENCH_TIMEOUT_S=1800 run "tfjs_chromium_cnn_$net" "$rep" node bench/web/drive.mjs tfjs-cnn "${tf_args[@]}"
    run "wasm_node_cnn_$net" "$rep" "${NODE[@]}" "$WASM_NODE" "${nn_args[@]}" --data "$OUT/mnist"
  done
}

for rep in $(seq 1 "$REPS"); do
  echo "rep $rep/$REPS"
  if has_workload cnn; then cnn_rep "$rep"; fi
  has_workload linear || continue
  run native_linear "$rep" "$NATIVE" "${LIN[@]}" --data "$OUT/mnist"
  run wasm_node_linear "$rep" "${NODE[@]}" "$WASM_NODE" "${LIN[@]}" --data "$OUT/mnist"
  run wasm_chromium_linear "$rep" node bench/web/drive.mjs nnplay "${LIN[@]}"
  run tfjs_node_loop "$rep" node bench/reference/tfjs_softmax.mjs loop --epochs "$TFJS_EPOCHS" --data "$OUT/mnist"
  run tfjs_chromium_loop "$rep" node bench/web/drive.mjs tfjs loop "$TFJS_EPOCHS"
  run tfjs_node_fit "$rep" node bench/reference/tfjs_softmax.mjs fit --epochs "$TFJS_EPOCHS" --data "$OUT/mnist"
  run tfjs_chromium_fit "$rep" node bench/web/drive.mjs tfjs fit "$TFJS_EPOCHS"
  run wasm_node_mlp "$rep" "${NODE[@]}" "$WASM_NODE" mlp --threads 1 --epochs "$MLP_EPOCHS" --data "$OUT/mnist"
done

if [ "$PHASES" = 1 ] && has_workload linear; then
  echo "op-by-op runs"
  run wasm_node_linear_phases 1 "${NODE[@]}" "$WASM_NODE" "${LIN[@]}" --phases --data "$OUT/mnist"
  run native_linear_phases 1 "$NATIVE" "${LIN[@]}" --phases --data "$OUT/mnist"
  run wasm_node_mlp_phases 1 "${NODE[@]}" "$WASM_NODE" mlp --threads 1 --epochs 2 --phases --data "$OUT/mnist"
  run native_mlp_phases 1 "$NATIVE" mlp --threads 1 --epochs 2 --phases --data "$OUT/mnist"
fi
echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

python3 bench/web/aggregate.py "$OUT"
echo "results: $OUT/results.md"
