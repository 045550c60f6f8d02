# raw-mnist.sh - sourced by the benchmark scripts: puts the four raw (uncompressed) MNIST
# IDX files into one folder, as links to DATA's raw files or inflated from its .gz ones,
# so that every program of a benchmark (Python, node, the pages) reads the same bytes.
#
#   source bench/raw-mnist.sh
#   raw_mnist_into "$DATA" "$DEST"     (exits with a message if a file is missing)
raw_mnist_into() {
  local data=$1 dest=$2 f
  mkdir -p "$dest"
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    if [ -f "$data/$f" ]; then
      ln -sf "$data/$f" "$dest/$f"
    elif [ -f "$data/$f.gz" ]; then
      gzip -dc "$data/$f.gz" >"$dest/$f"
    else
      echo "$data has no $f[.gz]" >&2
      exit 1
    fi
  done
}
