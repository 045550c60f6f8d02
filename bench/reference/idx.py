# Reads MNIST-like IDX files (raw or .gz) into numpy arrays, for the reference programs
# that preload the data set as tensors (no torchvision download, no DataLoader).
import gzip
import os

import numpy as np


def _open(path):
    if os.path.exists(path):
        return open(path, "rb")
    if os.path.exists(path + ".gz"):
        return gzip.open(path + ".gz", "rb")
    raise FileNotFoundError(path + "[.gz] not found")


def read_idx(path):
    with _open(path) as f:
        data = f.read()
    zero, dtype_code, ndim = data[0] * 256 + data[1], data[2], data[3]
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(path + ": not an unsigned-byte IDX file")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(folder):
    """(train_images, train_labels, test_images, test_labels) as uint8 arrays."""
    return (read_idx(os.path.join(folder, "train-images-idx3-ubyte")),
            read_idx(os.path.join(folder, "train-labels-idx1-ubyte")),
            read_idx(os.path.join(folder, "t10k-images-idx3-ubyte")),
            read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte")))
