#!/usr/bin/env bash
# Packs the MNIST subset the web page trains on: the first N training and M test images
# of a folder of IDX files (raw or .gz), written as the four usual file names, gzipped,
# into an output folder (the web build's site/mnist/). The page fetches them and the
# engine's IDX reader inflates them with zlib. Run at build time; nothing of it goes in git.
#
#   scripts/pack-mnist-subset.sh [--train 10000] [--test 10000] [SOURCE_DIR] OUT_DIR
#
# Defaults: SOURCE_DIR data/mnist (scripts/fetch-mnist.sh); 10,000 training images and all
# 10,000 test images (a model file's recorded results cover the whole test set, so the page
# needs all of it to check them). The output is byte-for-byte reproducible (gzip -n).
set -euo pipefail

train=10000
test=10000
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --train) train="$2"; shift 2 ;;
    --test) test="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
case ${#args[@]} in
  1) src="data/mnist"; out="${args[0]}" ;;
  2) src="${args[0]}"; out="${args[1]}" ;;
  *) echo "usage: $0 [--train N] [--test N] [SOURCE_DIR] OUT_DIR" >&2; exit 2 ;;
esac
for n in "$train" "$test"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "pack-mnist-subset: counts must be positive whole numbers, got '$n'" >&2; exit 2; }
done

# The path of an IDX file, raw or gzipped.
locate() {
  local name="$1"
  if [[ -f "$src/$name" ]]; then
    echo "$src/$name"
  elif [[ -f "$src/$name.gz" ]]; then
    echo "$src/$name.gz"
  else
    echo "pack-mnist-subset: $src has no $name[.gz] (run scripts/fetch-mnist.sh)" >&2
    return 1
  fi
}

# A file's bytes, inflated when it is gzip (by content, as the engine's reader does). The
# readers below stop early on purpose; the writer's broken pipe is not an error.
read_idx() { gzip -dcf "$1" || true; }

# Four bytes, big-endian, as IDX headers store counts.
be32() {
  printf "\\\\x%02x\\\\x%02x\\\\x%02x\\\\x%02x" $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255))
}

# pack NAME COUNT HEADER_BYTES ITEM_BYTES MAGIC [ROWS COLS]
pack() {
  local name="$1" count="$2" header="$3" item="$4" magic="$5"
  local path have
  path=$(locate "$name")
  have=$(read_idx "$path" | head -c 8 | od -An -tu1 | awk '{print $5 * 16777216 + $6 * 65536 + $7 * 256 + $8}')
  if (( have < count )); then
    echo "pack-mnist-subset: $src/$name holds $have items, $count asked for" >&2
    return 1
  fi
  {
    printf "$(be32 "$magic")$(be32 "$count")"
    if (( header == 16 )); then printf "$(be32 28)$(be32 28)"; fi
    read_idx "$path" | head -c $((header + count * item)) | tail -c +$((header + 1))
  } | gzip -9n > "$out/$name.gz.tmp"
  mv "$out/$name.gz.tmp" "$out/$name.gz"
}

mkdir -p "$out"
pack train-images-idx3-ubyte "$train" 16 784 2051
pack train-labels-idx1-ubyte "$train" 8 1 2049
pack t10k-images-idx3-ubyte "$test" 16 784 2051
pack t10k-labels-idx1-ubyte "$test" 8 1 2049
echo "pack-mnist-subset: $train training and $test test images from $src in $out ($(du -sh "$out" | cut -f1))"
