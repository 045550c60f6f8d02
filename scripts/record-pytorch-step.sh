#!/usr/bin/env bash
# Records PyTorch's side of the step view's default cases into assets/step/: for each of
# xor, linear and mlp (and linear on the page's subset, linear-page), nnplay-train
# writes the step's inputs (initial weights from the recipe's seed, the first batch),
# tests/torch_step.py takes the same step in PyTorch and keeps every quantity (large ones
# every k-th value). Re-run it when a recipe, the data order or the trace's keys change;
# tests/test_step_torch.cpp checks the files.
#
#   scripts/record-pytorch-step.sh [BUILD_DIR]   (default build/native; needs data/mnist
#                                                 and python3 with torch)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/native}
exe="$build/native/nnplay-train"
python=${NNPLAY_PYTHON:-/usr/bin/python3}
if [[ ! -x "$exe" ]]; then
  echo "record-pytorch-step: $exe is missing: build nnplay-train first (cmake --build --preset native)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p assets/step
for model in xor linear mlp; do
  "$exe" step --model "$model" --data data/mnist --write-case "$work/case-$model.safetensors" >/dev/null
  "$python" tests/torch_step.py "$work/case-$model.safetensors" "assets/step/pytorch-step-$model.safetensors"
done
# The page trains on a subset (the first 10,000 training images), whose shuffle starts with
# another batch: its default case is recorded as linear-page.
bash scripts/pack-mnist-subset.sh data/mnist "$work/subset" >/dev/null
"$exe" step --model linear --data "$work/subset" --write-case "$work/case-linear-page.safetensors" >/dev/null
"$python" tests/torch_step.py "$work/case-linear-page.safetensors" "assets/step/pytorch-step-linear-page.safetensors"

ls -l assets/step/
