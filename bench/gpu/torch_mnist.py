"""PyTorch on the GPU, the reference for nnplay's CUDA backend: the tutorial's linear model
(784->10, SGD lr 0.1, batch 100) and the MLP 784-256-256-10 ReLU (Adam, batch 128), data
preloaded on the device, timed per epoch in eager mode and with
torch.compile(mode="reduce-overhead"). Usage: torch_mnist.py MNIST_DIR (IDX files, .gz ok)."""
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(d, name):
    for p in (os.path.join(d, name), os.path.join(d, name + ".gz")):
        if os.path.exists(p):
            return p
    raise SystemExit(f"{d}: {name} missing")


def load(d, prefix, dev):
    x = torch.tensor(read_idx(find(d, f"{prefix}-images-idx3-ubyte")).reshape(-1, 784), device=dev)
    y = torch.tensor(read_idx(find(d, f"{prefix}-labels-idx1-ubyte")).astype(np.int64), device=dev)
    return x, y


def epoch(model, opt, loss_fn, x_u8, y, batch, step):
    perm = torch.randperm(x_u8.shape[0], device=x_u8.device)
    for i in range(x_u8.shape[0] // batch):
        idx = perm[i * batch:(i + 1) * batch]
        step(model, opt, loss_fn, x_u8[idx].float() / 255.0, y[idx])


def plain_step(model, opt, loss_fn, x, y):
    opt.zero_grad(set_to_none=True)
    loss_fn(model(x), y).backward()
    opt.step()


def run(name, make, batch, epochs, data, compiled):
    torch.manual_seed(777)
    model, opt = make()
    loss_fn = nn.CrossEntropyLoss()
    step = torch.compile(plain_step, mode="reduce-overhead") if compiled else plain_step
    (xtr, ytr), (xte, yte) = data
    epoch(model, opt, loss_fn, xtr, ytr, batch, step)  # warm-up (and compilation)
    torch.cuda.synchronize()
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        epoch(model, opt, loss_fn, xtr, ytr, batch, step)
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        acc = (model(xte.float() / 255.0).argmax(1) == yte).float().mean().item()
    print(f"{name:<28} {'compile' if compiled else 'eager':<8} median epoch {np.median(times) * 1e3:8.2f} ms"
          f"  min {min(times) * 1e3:8.2f} ms  test accuracy {acc:.4f}")


def main():
    dev = torch.device("cuda")
    data = (load(sys.argv[1], "train", dev), load(sys.argv[1], "t10k", dev))

    def linear():
        m = nn.Linear(784, 10).to(dev)
        return m, torch.optim.SGD(m.parameters(), lr=0.1)

    def mlp():
        m = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)).to(dev)
        return m, torch.optim.Adam(m.parameters(), lr=1e-3)

    print(torch.cuda.get_device_name(0), "torch", torch.__version__)
    for compiled in (False, True):
        run("linear 784-10 SGD b100", linear, 100, 5, data, compiled)
        run("mlp 784-256-256-10 Adam b128", mlp, 128, 5, data, compiled)


if __name__ == "__main__":
    main()
