"""PyTorch on the GPU, the reference for nnplay's CUDA backend (bench/gpu/run-gpu-bench.sh).

Two workloads, with the training set preloaded on the device as floats in [0, 1]:
  linear  the tutorial's model: nn.Linear(784, 10), cross-entropy, SGD lr 0.1, batch 100
  mlp     784-256-256-10 ReLU, cross-entropy, Adam lr 1e-3, batch 128
and three ways of running them:
  eager     a plain training loop, one optimizer step per batch
  compile   the same step through torch.compile(mode="reduce-overhead") (CUDA Graphs)
  tutorial  (linear only) the tutorial's program as its readers run it: a TensorDataset
            and DataLoader(batch_size=100, shuffle=True, drop_last=True) over the tensors
            on the device, printing the mean cost of every epoch

eager and compile train one warm-up epoch first (for compile it includes compilation and
the capture of the graphs, reported as warmup_s), then reset the weights and optimizer
state in place to the seeded initialisation and time a run from there: the linear model
for 15 epochs, the MLP for up to 10 with the test accuracy after each (evaluation timed
apart) to find the first epoch reaching the target (98%). The tutorial program is slow
(a Python-level DataLoader), so it runs a few epochs and its 15-epoch time is extrapolated.

Usage: torch_mnist.py MNIST_DIR [--device cuda|cpu] [--quick] [--limit N]
                      [--variants eager,tutorial,compile] [--workloads linear,mlp]
--quick (a smoke test, e.g. on a CPU) trains on 6,000 images unless --limit says otherwise,
for fewer epochs. Output lines (parsed by bench/gpu/aggregate.py):
  TORCH_DEVICE <name>
  TORCH_INFO torch=<version> cuda=<version> device_type=<cuda|cpu> tf32_matmul=<0|1> ...
  TORCH_EPOCH variant=<v> workload=<w> epoch=<k> ms=<t> cost=<mean loss> [eval_ms=<t> acc=<a>]
  TORCH variant=<v> workload=<w> epochs=<E> epoch_median_ms=... epoch_min_ms=... ...
  TORCH_TARGET variant=<v> workload=mlp target=0.98 epoch=<k> train_s=<training seconds>
  TORCH_TARGET_MISSED variant=<v> workload=mlp target=0.98 epochs=<E> best_acc=<a>
  TORCH_SKIP variant=<v> workload=<w> reason=<why>
  TORCH_WARN variant=compile workload=<w> scope=step error=<one line>   (then scope=model is tried)
  TORCH_ERROR variant=<v> workload=<w> scope=<s> error=<one line>   (the traceback goes to stderr)
Exit status: 0, 1 if any variant failed (the others still run), 2 for bad arguments or data.
"""
import argparse
import gzip
import os
import statistics
import sys
import time
import traceback

import numpy as np
import torch
import torch.nn as nn

SEED = 777


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
    print(f"torch_mnist.py: {d}: {name} (or {name}.gz) is missing", file=sys.stderr)
    sys.exit(2)


def load(d, prefix, dev, limit=0):
    """Images as float32 in [0, 1] (like the tutorial's ToTensor) and int64 labels, on dev."""
    x = read_idx(find(d, f"{prefix}-images-idx3-ubyte")).reshape(-1, 784)
    y = read_idx(find(d, f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
    if limit:
        x, y = x[:limit], y[:limit]
    x = torch.from_numpy(x.astype(np.float32) / np.float32(255.0)).to(dev)
    return x, torch.from_numpy(y).to(dev)


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def emit(line):
    print(line, flush=True)


def kv(**fields):
    """key=value pairs; floats with enough digits for millisecond epochs."""
    out = []
    for k, v in fields.items():
        if isinstance(v, float):
            v = f"{v:.6g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.3e}"
        out.append(f"{k}={v}")
    return " ".join(out)


def make_linear(dev):
    torch.manual_seed(SEED)
    model = nn.Linear(784, 10).to(dev)
    return model, torch.optim.SGD(model.parameters(), lr=0.1)


def make_mlp(dev):
    torch.manual_seed(SEED)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 10)).to(dev)
    return model, torch.optim.Adam(model.parameters(), lr=1e-3)


WORKLOADS = {"linear": (make_linear, 100), "mlp": (make_mlp, 128)}


def train_step(model, opt, loss_fn, x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss.detach()


def mark_step():
    # With CUDA Graphs (reduce-overhead) this tells PyTorch that a new training step
    # begins, so the previous step's outputs may be overwritten; absent in old versions.
    f = getattr(getattr(torch, "compiler", None), "cudagraph_mark_step_begin", None)
    if f is not None:
        f()


def run_epoch(step, compiled, model, opt, loss_fn, x, y, batch):
    """One shuffled pass, drop_last. Returns the mean step loss as a device tensor (read
    by the caller after the clock stops, so no step waits for the host)."""
    n = x.shape[0]
    steps = n // batch
    perm = torch.randperm(n, device=x.device)
    total = torch.zeros((), device=x.device)
    for i in range(steps):
        idx = perm[i * batch:(i + 1) * batch]
        xb, yb = x[idx], y[idx]  # fresh tensors each step, as a loader would give
        if compiled:
            mark_step()
        total += step(model, opt, loss_fn, xb, yb)
    return total / max(steps, 1)


@torch.no_grad()
def accuracy(model, x, y):
    correct = 0
    for i in range(0, x.shape[0], 2000):
        correct += (model(x[i:i + 2000]).argmax(1) == y[i:i + 2000]).sum().item()
    return correct / x.shape[0]


@torch.no_grad()
def reset_state(model, opt, init):
    """Back to the seeded initialisation in place: the same tensors (a captured graph holds
    their addresses), the same values as a freshly built model and optimizer."""
    for k, v in model.state_dict().items():
        v.copy_(init[k])
    for state in opt.state.values():
        for k, v in list(state.items()):
            if torch.is_tensor(v):
                v.zero_()  # Adam's moments and step count; a fresh optimizer starts at 0
            elif k == "step":
                state[k] = 0
    # The state entries are now those of a fresh optimizer after 0 steps.


def run_variant(dev, data, workload, variant, epochs, target, scope="step"):
    """scope (compile only): "step" compiles the whole training step (forward, backward,
    optimizer); "model" compiles only the model's forward (and so its backward), the
    optimizer staying eager: the fallback should compiling the whole step fail."""
    make, batch = WORKLOADS[workload]
    (xtr, ytr), (xte, yte) = data
    model, opt = make(dev)
    init = {k: v.detach().clone() for k, v in model.state_dict().items()}
    loss_fn = nn.CrossEntropyLoss()
    compiled = variant == "compile"
    step, fwd = train_step, model
    if compiled and scope == "step":
        step = torch.compile(train_step, mode="reduce-overhead")
    elif compiled:
        fwd = torch.compile(model, mode="reduce-overhead")

    # Warm-up: cuBLAS handles and kernels (eager), compilation and graph capture (compile).
    sync(dev)
    t0 = time.perf_counter()
    run_epoch(step, compiled, fwd, opt, loss_fn, xtr, ytr, batch)
    sync(dev)
    warmup_s = time.perf_counter() - t0

    reset_state(model, opt, init)
    torch.manual_seed(SEED)  # the timed run's shuffles as from a fresh start
    times, costs = [], []
    hit, best = None, 0.0
    for e in range(1, epochs + 1):
        sync(dev)
        t0 = time.perf_counter()
        mean = run_epoch(step, compiled, fwd, opt, loss_fn, xtr, ytr, batch)
        sync(dev)
        times.append(time.perf_counter() - t0)
        costs.append(float(mean.item()))
        extra = {}
        if target:
            sync(dev)
            t1 = time.perf_counter()
            acc = accuracy(model, xte, yte)
            sync(dev)
            extra = {"eval_ms": (time.perf_counter() - t1) * 1e3, "acc": acc}
            best = max(best, acc)
            if hit is None and acc >= target:
                hit = e
                emit("TORCH_TARGET " + kv(variant=variant, workload=workload, target=target, epoch=e,
                                          train_s=sum(times)))
        emit("TORCH_EPOCH " + kv(variant=variant, workload=workload, epoch=e, ms=times[-1] * 1e3, cost=costs[-1],
                                 **extra))
    if target and hit is None:
        emit("TORCH_TARGET_MISSED " + kv(variant=variant, workload=workload, target=target, epochs=epochs,
                                         best_acc=best))
    acc = accuracy(model, xte, yte)
    med = statistics.median(times)
    fields = dict(variant=variant, workload=workload, epochs=epochs, batch=batch,
                  steps_per_epoch=xtr.shape[0] // batch, epoch_median_ms=med * 1e3, epoch_min_ms=min(times) * 1e3,
                  epoch_first_ms=times[0] * 1e3, total_ms=sum(times) * 1e3, warmup_s=warmup_s)
    if compiled:
        # The warm-up epoch less an ordinary epoch: the cost of compiling and capturing.
        fields["compile_s"] = max(warmup_s - med, 0.0)
        fields["compile_scope"] = scope
    fields.update(acc=acc, final_cost=costs[-1])
    emit("TORCH " + kv(**fields))


def run_tutorial(dev, data, epochs):
    """The tutorial's linear MNIST program, written plainly: a DataLoader over a
    TensorDataset, the loss accumulated as a tensor, its mean printed every epoch."""
    from torch.utils.data import DataLoader, TensorDataset

    (xtr, ytr), (xte, yte) = data
    torch.manual_seed(SEED)
    if dev.type == "cuda":
        torch.cuda.manual_seed_all(SEED)
    batch_size, total_epochs = 100, 15
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=batch_size, shuffle=True, drop_last=True)
    model = nn.Linear(784, 10, bias=True).to(dev)
    criterion = nn.CrossEntropyLoss().to(dev)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    total_batch = len(loader)
    times = []
    for epoch in range(epochs):
        sync(dev)
        t0 = time.perf_counter()
        avg_cost = 0
        for X, Y in loader:
            X = X.view(-1, 28 * 28)
            optimizer.zero_grad()
            hypothesis = model(X)
            cost = criterion(hypothesis, Y)
            cost.backward()
            optimizer.step()
            avg_cost += cost / total_batch
        # The tutorial prints the cost here, which waits for the device, as it would.
        print("Epoch:", "%04d" % (epoch + 1), "cost =", "{:.9f}".format(float(avg_cost)), flush=True)
        sync(dev)
        times.append(time.perf_counter() - t0)
        emit("TORCH_EPOCH " + kv(variant="tutorial", workload="linear", epoch=epoch + 1, ms=times[-1] * 1e3,
                                 cost=float(avg_cost)))
    acc = accuracy(model, xte, yte)
    med = statistics.median(times)
    emit("TORCH " + kv(variant="tutorial", workload="linear", epochs=epochs, batch=batch_size,
                       steps_per_epoch=total_batch, epoch_median_ms=med * 1e3, epoch_min_ms=min(times) * 1e3,
                       epoch_first_ms=times[0] * 1e3, total_ms=sum(times) * 1e3,
                       extrapolated15_ms=med * 1e3 * total_epochs, acc=acc, final_cost=float(avg_cost)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", help="folder with the four MNIST IDX files (raw or .gz)")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    ap.add_argument("--quick", action="store_true", help="smoke test: a 6,000-image subset, fewer epochs")
    ap.add_argument("--limit", type=int, default=None, help="train on the first N images (default all; 6000 with --quick)")
    ap.add_argument("--variants", default="eager,tutorial,compile")
    ap.add_argument("--workloads", default="linear,mlp")
    ap.add_argument("--target", type=float, default=0.98, help="the MLP's test-accuracy target")
    ap.add_argument("--linear-epochs", type=int, default=None)
    ap.add_argument("--mlp-epochs", type=int, default=None)
    ap.add_argument("--tutorial-epochs", type=int, default=None)
    ap.add_argument("--compile-scope", default="step,model",
                    help="what torch.compile wraps, tried in order: step (the whole training step), model")
    args = ap.parse_args()

    variants = [v for v in args.variants.split(",") if v]
    workloads = [w for w in args.workloads.split(",") if w]
    for v in variants:
        if v not in ("eager", "tutorial", "compile"):
            ap.error(f"unknown variant {v!r}")
    for w in workloads:
        if w not in WORKLOADS:
            ap.error(f"unknown workload {w!r}")
    limit = args.limit if args.limit is not None else (6000 if args.quick else 0)
    linear_epochs = args.linear_epochs or (3 if args.quick else 15)
    mlp_epochs = args.mlp_epochs or (3 if args.quick else 10)
    tutorial_epochs = args.tutorial_epochs or (2 if args.quick else 3)

    if args.device == "cuda" and not torch.cuda.is_available():
        print("torch_mnist.py: no usable CUDA device for PyTorch (torch.cuda.is_available() is False); "
              "--device cpu runs on the CPU", file=sys.stderr)
        sys.exit(2)
    dev = torch.device(args.device)
    torch.manual_seed(SEED)

    if dev.type == "cuda":
        emit("TORCH_DEVICE " + torch.cuda.get_device_name(dev))
    else:
        emit("TORCH_DEVICE cpu")
    tf32 = int(bool(torch.backends.cuda.matmul.allow_tf32))
    emit("TORCH_INFO " + kv(torch=torch.__version__, cuda=torch.version.cuda or "none", device_type=dev.type,
                            tf32_matmul=tf32, threads=torch.get_num_threads(), limit=limit or "all",
                            quick=int(args.quick)))

    t0 = time.perf_counter()
    data = (load(args.data, "train", dev, limit), load(args.data, "t10k", dev))
    sync(dev)
    emit(f"TORCH_LOAD s={time.perf_counter() - t0:.3f} train={data[0][0].shape[0]} test={data[1][0].shape[0]}")

    # The quick, robust runs first, torch.compile last: should the run be cut short,
    # what finished is already printed.
    plan = []
    for v in ("eager", "tutorial", "compile"):
        for w in ("linear", "mlp"):
            if v in variants and w in workloads and not (v == "tutorial" and w != "linear"):
                plan.append((v, w))

    failed = 0
    for variant, workload in plan:
        if variant == "compile" and not hasattr(torch, "compile"):
            emit("TORCH_SKIP " + kv(variant=variant, workload=workload,
                                    reason=f"torch.compile_not_in_torch_{torch.__version__}"))
            continue
        epochs = linear_epochs if workload == "linear" else mlp_epochs
        target = args.target if workload == "mlp" else None
        # compile: the whole step first; if that fails, the model alone (reported as
        # compile_scope=model) rather than no compiled figure at all.
        scopes = args.compile_scope.split(",") if variant == "compile" else ["step"]
        for n, scope in enumerate(scopes):
            try:
                if variant == "tutorial":
                    run_tutorial(dev, data, tutorial_epochs)
                else:
                    run_variant(dev, data, workload, variant, epochs, target, scope)
                break
            except Exception as e:  # one variant's failure must not lose the others
                last = n == len(scopes) - 1
                failed += int(last)
                msg = " ".join(f"{type(e).__name__}: {e}".split())[:300]
                tag = "TORCH_ERROR " if last else "TORCH_WARN "
                emit(tag + kv(variant=variant, workload=workload, scope=scope) + " error=" + msg)
                traceback.print_exc()
                try:  # leave nothing half-compiled or queued for the next attempt
                    if variant == "compile":
                        torch._dynamo.reset()
                    sync(dev)
                except Exception:
                    pass
    emit(f"TORCH_DONE failed={failed} s={time.perf_counter() - t0:.1f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
