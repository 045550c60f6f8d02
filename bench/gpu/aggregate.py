"""Turns the logs of bench/gpu/run-gpu-bench.sh into OUT_DIR/gpu-bench.md: the device,
the epoch times of nnplay's CUDA backend and of PyTorch (eager, torch.compile, the
tutorial's DataLoader program) on the same GPU, the time to 98% test accuracy, each goal
met or not, the GPU's measured constants, and an estimate of what bounds nnplay's epoch.

Usage: aggregate.py OUT_DIR   (reads machine.log, status.txt, constants.log,
nnplay-linear.log, nnplay-mlp.log and torch.log there; any of them may be missing or cut
short, and the report then says what is missing instead of failing)."""
import math
import os
import re
import sys

# --- goals (the GPU backend's targets) ------------------------------------------------
LINEAR_EPOCH_MS_GOAL = 5.0
LINEAR_15_MS_GOAL = 75.0
LINEAR_VS_EAGER_GOAL = 15.0
MLP_EPOCH_MS_GOAL = 15.0
MLP_VS_EAGER_GOAL = 10.0
MLP_VS_COMPILE_GOAL = 2.0
MLP_TARGET_ACC = 0.98
MLP_TARGET_S_GOAL = 0.25

# --- the shape of one nnplay training step (estimates, for the bounds section) ---------
# Kernels (graph nodes) per step, counted from the step's ops. linear: batch gather, GEMM
# forward, bias add, softmax + cross-entropy forward/backward, gradient zeroing, GEMM dW,
# bias gradient, SGD update = 8. MLP (3 Linear, 2 ReLU; a hidden layer's bias is added in
# its ReLU's pass and its gradient summed in the ReLU's backward): gather 1 + zeroing 1 +
# forward GEMM x3 + fused bias/ReLU x2 + output bias 1 = 6 + loss 1 + backward GEMM dW x3 +
# output bias gradient 1 + GEMM dx x2 (the first layer needs none) + fused ReLU/bias
# backward x2 = 8 + Adam 1 = 18. (test_cuda_parity prints the count recorded in the graph.)
NODES_PER_STEP = {"linear": 8, "mlp": 18}
GEMMS_PER_STEP = {"linear": 2, "mlp": 8}
LAYERS = {"linear": [784, 10], "mlp": [784, 256, 256, 10]}
BATCH = {"linear": 100, "mlp": 128}
STEPS = {"linear": 600, "mlp": 468}
OPTIMIZER_TENSORS = {"linear": 3, "mlp": 7}  # floats per parameter read+written: SGD p,g->p; Adam p,g,m,v->p,m,v


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return None


def kvs(text):
    d = {}
    for tok in text.split():
        k, sep, v = tok.partition("=")
        if not sep:
            continue
        try:
            d[k] = float(v)
        except ValueError:
            d[k] = v
    return d


def parse_status(text):
    parts = {}
    for line in (text or "").splitlines():
        name, _, rest = line.partition(" ")
        if name:
            parts[name] = kvs(rest)
    return parts


def parse_machine(text):
    m = {"raw": text or ""}
    lines = (text or "").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("date_utc:"):
            m["date"] = line.split(":", 1)[1].strip()
        elif line.startswith("host_cpu:"):
            m["host_cpu"] = line.split(":", 1)[1].strip()
        elif line.startswith("nvcc:"):
            m["nvcc"] = line.split(":", 1)[1].strip()
        elif line.startswith("git:"):
            m["git"] = line.split(":", 1)[1].strip()
        elif line.startswith("name,") and i + 1 < len(lines) and "," in lines[i + 1]:
            # nvidia-smi --format=csv: a header line, then one line per GPU.
            keys = [k.strip() for k in line.split(",")]
            vals = [v.strip() for v in lines[i + 1].split(",")]
            m["smi"] = dict(zip(keys, vals))
    return m


def parse_constants(text):
    c = {"const": {}, "units": {}, "gemm": [], "device": None, "error": None}
    for line in (text or "").splitlines():
        if line.startswith("DEVICE "):
            c["device"] = line[7:].strip()
        elif line.startswith("CONST "):
            m = re.match(r"CONST (\w+)=(\S+) unit=(\S+)", line)
            if m:
                try:
                    c["const"][m.group(1)] = float(m.group(2))
                    c["units"][m.group(1)] = m.group(3)
                except ValueError:
                    pass
        elif line.startswith("GEMM "):
            c["gemm"].append(kvs(line[5:]))
        elif line.startswith("gpu-constants:"):
            c["error"] = line.strip()
    return c


def parse_nnplay(text):
    d = {"epochs": [], "acc": {}, "eval": {}, "result": None, "target": None, "missed": None, "errors": []}
    for line in (text or "").splitlines():
        if m := re.match(r"TIME epoch (\d+) ([\d.]+)$", line):
            d["epochs"].append(float(m.group(2)))
        elif m := re.match(r"TIME eval_epoch (\d+) ([\d.]+)$", line):
            d["eval"][int(m.group(1))] = float(m.group(2))
        elif m := re.match(r"ACC epoch (\d+) ([\d.]+)$", line):
            d["acc"][int(m.group(1))] = float(m.group(2))
        elif m := re.match(r"TIME (train|eval|load) ([\d.]+)$", line):
            d["t_" + m.group(1)] = float(m.group(2))
        elif line.startswith("TARGET_REACHED "):
            d["target"] = kvs(line[15:])
        elif line.startswith("TARGET_NOT_REACHED "):
            d["missed"] = kvs(line[19:])
        elif line.startswith("RESULT "):
            d["result"] = kvs(line[7:])
        elif line.startswith("NOTE "):
            d["note"] = line[5:].strip()
        elif line.startswith("nnplay-bench:") or "error" in line.lower():
            d["errors"].append(line.strip())
    if d["result"] is None and d["epochs"]:
        # Cut short (out of time): the epochs it finished still say something.
        e = sorted(d["epochs"])
        mid = len(e) // 2
        d["result"] = {"epoch_median": e[mid] if len(e) % 2 else (e[mid - 1] + e[mid]) / 2, "epoch_min": e[0],
                       "partial": 1}
    return d


def parse_torch(text):
    t = {"runs": {}, "epochs": {}, "target": {}, "missed": {}, "errors": [], "warnings": [], "skips": [],
         "device": None, "info": {}}
    for line in (text or "").splitlines():
        if line.startswith("TORCH_DEVICE "):
            t["device"] = line[13:].strip()
        elif line.startswith("TORCH_INFO "):
            t["info"] = kvs(line[11:])
        elif line.startswith("TORCH_EPOCH "):
            d = kvs(line[12:])
            t["epochs"].setdefault((d.get("variant"), d.get("workload")), []).append(d)
        elif line.startswith("TORCH_TARGET_MISSED "):
            d = kvs(line[20:])
            t["missed"][(d.get("variant"), d.get("workload"))] = d
        elif line.startswith("TORCH_TARGET "):
            d = kvs(line[13:])
            t["target"][(d.get("variant"), d.get("workload"))] = d
        elif line.startswith("TORCH_ERROR "):
            t["errors"].append(line[12:].strip())
        elif line.startswith("TORCH_WARN "):
            t["warnings"].append(line[11:].strip())
        elif line.startswith("TORCH_SKIP "):
            t["skips"].append(line[11:].strip())
        elif line.startswith("TORCH "):
            d = kvs(line[6:])
            t["runs"][(d.get("variant"), d.get("workload"))] = d
    return t


# --- formatting -------------------------------------------------------------------------

def num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def f(x, digits=2):
    return f"{x:.{digits}f}" if num(x) else "–"


def ratio(a, b):
    return a / b if num(a) and num(b) and b > 0 else None


def times(x):
    return f"{x:.1f}×" if num(x) else "–"


def goal(label, value, limit, better, shown):
    """better: 'le' (value <= limit) or 'ge'."""
    if not num(value):
        return f"| {label} | not measured | – |"
    ok = value <= limit if better == "le" else value >= limit
    return f"| {label} | {shown} | {'met' if ok else 'NOT met'} |"


# --- the bounds -----------------------------------------------------------------------

def step_bytes(w):
    """Bytes read + written by one training step (an estimate from the ops' operands)."""
    sizes, b = LAYERS[w], BATCH[w]
    params = sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 1))
    total = b * sizes[0] + b * 4 + b * sizes[0] * 4  # gather: uint8 rows and labels in, floats out
    for i in range(len(sizes) - 1):
        n_in, n_out = sizes[i], sizes[i + 1]
        x, y, wgt = b * n_in * 4, b * n_out * 4, n_in * n_out * 4
        total += x + wgt + y + 2 * y + n_out * 4  # forward GEMM, then bias add in place
        total += y + x + 2 * wgt  # dW += dy^T x (read dy, x; read and write dW)
        total += y + 2 * n_out * 4  # bias gradient
        if i > 0:
            total += y + wgt + x  # dx = dy W
        if i < len(sizes) - 2:
            total += 2 * y + 3 * y  # ReLU forward (read, write) and backward (x, dy -> dx)
    total += 2 * b * sizes[-1] * 4  # loss: logits in, gradient out
    total += params * 4  # zeroing the gradients
    total += OPTIMIZER_TENSORS[w] * params * 4  # the optimizer's flat update
    return total


def step_flops(w):
    sizes, b = LAYERS[w], BATCH[w]
    fl = 0
    for i in range(len(sizes) - 1):
        fl += 2 * 2 * b * sizes[i] * sizes[i + 1]  # forward and dW
        if i > 0:
            fl += 2 * b * sizes[i] * sizes[i + 1]  # dx
    return fl


def bounds(w, steps, const, gemms):
    """Rows (name, ms, how) of lower-bound estimates for one nnplay epoch."""
    rows = []
    nodes = NODES_PER_STEP[w]
    node_us = const.get("graph_node_us")
    launch_us = const.get("launch_us")
    sync_us = const.get("launch_sync_us")
    traffic = const.get("d2d_traffic_gbs")
    if num(node_us):
        rows.append(("launches, replayed graph", steps * nodes * node_us / 1e3,
                     f"{steps} steps × {nodes} nodes (estimate) × {node_us:.3f} µs per graph node"))
    if num(launch_us):
        rows.append(("launches, stream (no graph)", steps * nodes * launch_us / 1e3,
                     f"{steps} steps × {nodes} kernels (estimate) × {launch_us:.3f} µs per back-to-back launch"))
    if num(sync_us):
        rows.append(("one host round trip per step", steps * sync_us / 1e3,
                     f"{steps} steps × {sync_us:.2f} µs launch + sync (only if a step waits for the host)"))
    if num(traffic):
        by = step_bytes(w)
        rows.append(("memory bandwidth", steps * by / (traffic * 1e9) * 1e3,
                     f"{steps} steps × {by / 1e6:.2f} MB moved (estimate) / {traffic:.0f} GB/s (D2D read+write); "
                     "the working set fits in L2, so this is loose"))
    fp32 = [g for g in gemms if g.get("model") == w and g.get("math") == "fp32" and num(g.get("us"))]
    if len(fp32) == GEMMS_PER_STEP[w]:
        gemm_us = sum(g["us"] for g in fp32)
        rows.append(("cuBLAS SGEMM time", steps * gemm_us / 1e3,
                     f"{steps} steps × {gemm_us:.2f} µs, the step's {len(fp32)} FP32 GEMMs as measured"))
        if num(node_us):
            chain = gemm_us + (nodes - len(fp32)) * node_us
            rows.append(("serial chain (GEMMs + other nodes)", steps * chain / 1e3,
                         f"{steps} steps × ({gemm_us:.2f} µs GEMMs + {nodes - len(fp32)} other nodes × "
                         f"{node_us:.3f} µs)"))
    all_fp32 = [g["gflops"] for g in gemms if g.get("math") == "fp32" and num(g.get("gflops"))]
    if all_fp32:
        best = max(all_fp32)
        fl = step_flops(w)
        rows.append(("FLOPs at the best measured SGEMM rate", steps * fl / (best * 1e9) * 1e3,
                     f"{steps} steps × {fl / 1e6:.2f} MFLOP / {best:.0f} GFLOP/s (best FP32 shape measured)"))
    return rows


def bounds_section(w, label, nn, const, gemms, out):
    res = nn["result"] or {}
    measured = res.get("epoch_median")
    steps = int(res["steps_per_epoch"]) if num(res.get("steps_per_epoch")) else STEPS[w]
    rows = bounds(w, steps, const, gemms)
    out.append(f"\n### {label}\n")
    if not rows:
        out.append("Not computed: the GPU constants are missing.\n")
        return
    measured_ms = measured * 1e3 if num(measured) else None
    out.append("| bound | ms per epoch | measured / bound | how |")
    out.append("|---|---:|---:|---|")
    for name, ms, how in rows:
        out.append(f"| {name} | {f(ms, 3)} | {times(ratio(measured_ms, ms))} | {how} |")
    if measured_ms is None:
        out.append("\nnnplay's epoch was not measured, so no bound can be compared with it.")
        return
    # A bound above the measured epoch is not what limits it (e.g. stream launches when the
    # epoch is replayed as a graph): the nearest is sought among those below it first.
    valid = [r for r in rows if 0 < r[1] <= measured_ms] or [r for r in rows if r[1] > 0]
    nearest = min(valid, key=lambda r: abs(math.log(measured_ms / r[1])))
    above = [r[0] for r in rows if r[1] > measured_ms]
    out.append(f"\nMeasured median epoch: {measured_ms:.3f} ms. Nearest bound: **{nearest[0]}** at "
               f"{nearest[1]:.3f} ms (measured / bound = {measured_ms / nearest[1]:.2f}×).")
    if above:
        out.append(f"Above the measured epoch (the step does better than these constants alone suggest, e.g. "
                   f"kernels overlapping or shorter inside a graph), so not what limits it: {', '.join(above)}.")
    out.append("Node counts and bytes moved are estimates (bench/gpu/aggregate.py says how they are counted).")


# --- the report -----------------------------------------------------------------------

def main():
    if len(sys.argv) != 2:
        print("usage: aggregate.py OUT_DIR", file=sys.stderr)
        return 2
    out_dir = sys.argv[1]
    P = lambda name: os.path.join(out_dir, name)  # noqa: E731
    status = parse_status(read(P("status.txt")))
    machine = parse_machine(read(P("machine.log")))
    consts = parse_constants(read(P("constants.log")))
    nn_lin = parse_nnplay(read(P("nnplay-linear.log")))
    nn_mlp = parse_nnplay(read(P("nnplay-mlp.log")))
    torch = parse_torch(read(P("torch.log")))
    const, gemms = consts["const"], consts["gemm"]

    missing = []
    device = (machine.get("smi") or {}).get("name") or consts["device"] or torch["device"]
    out = ["# nnplay on the GPU against PyTorch", ""]
    out.append(f"- Device: {device or 'unknown (no nvidia-smi, no gpu-constants or PyTorch output)'}")
    smi = machine.get("smi") or {}
    if smi:
        out.append("- nvidia-smi: " + ", ".join(f"{k} {v}" for k, v in smi.items() if k != "name"))
    out.append(f"- Date (UTC): {machine.get('date', 'unknown')}")
    if machine.get("host_cpu"):
        out.append(f"- Host CPU: {machine['host_cpu']}")
    if torch["info"]:
        i = torch["info"]
        out.append(f"- PyTorch {i.get('torch', '?')} (CUDA {i.get('cuda', '?')}), TF32 matmul "
                   f"{'on' if i.get('tf32_matmul') == 1 else 'off'}; nnplay's cuBLAS runs plain FP32")
    if machine.get("nvcc"):
        out.append(f"- nvcc: {machine['nvcc']}")
    if machine.get("git"):
        out.append(f"- nnplay commit: {machine['git']}")
    out.append("")

    # Parts
    out.append("## Parts of the run\n")
    out.append("| part | status | seconds |")
    out.append("|---|---|---:|")
    for name in ("constants", "nnplay-linear", "nnplay-mlp", "torch"):
        s = status.get(name)
        if s is None:
            out.append(f"| {name} | not run | – |")
            missing.append(f"{name}: not run")
            continue
        rc = int(s.get("rc", -1)) if num(s.get("rc")) else -1
        if rc == 0:
            st = "ok"
        elif rc in (124, 137):
            st = f"out of time (limit {f(s.get('limit'), 0)} s; partial results kept)"
            missing.append(f"{name}: ran out of time")
        elif rc == 127:
            st = "program missing (not built?)"
            missing.append(f"{name}: program missing")
        else:
            st = f"failed (exit {rc})"
            missing.append(f"{name}: exit status {rc}")
        out.append(f"| {name} | {st} | {f(s.get('s'), 1)} |")
    reasons = []
    if consts["error"]:
        reasons.append(f"gpu-constants: `{consts['error']}`")
    for nn, name in ((nn_lin, "nnplay-linear"), (nn_mlp, "nnplay-mlp")):
        if nn["result"] is None and nn["errors"]:
            reasons.append(f"{name}: `{nn['errors'][-1]}`")
    for e in torch["errors"]:
        reasons.append(f"PyTorch: `{e}`")
    for e in torch["warnings"]:
        reasons.append(f"PyTorch (then retried with the model alone compiled): `{e}`")
    for e in torch["skips"]:
        reasons.append(f"PyTorch skipped: `{e}`")
    tlog = read(P("torch.log"))
    if tlog and not torch["runs"] and not torch["errors"]:
        last = [l for l in tlog.splitlines() if l.strip()][-1:]
        if last:
            reasons.append(f"torch: `{last[0].strip()[:200]}`")
    if reasons:
        out.append("\nWhy:\n")
        out.extend(f"- {r}" for r in reasons)
    out.append("")

    # Linear model
    def trow(variant, workload):
        return torch["runs"].get((variant, workload))

    nl = nn_lin["result"] or {}
    nl_med = nl.get("epoch_median") * 1e3 if num(nl.get("epoch_median")) else None
    nl_eps = [e * 1e3 for e in nn_lin["epochs"]]
    nl_15 = sum(nl_eps) if len(nl_eps) == 15 else None
    eager, comp, tut = trow("eager", "linear"), trow("compile", "linear"), trow("tutorial", "linear")

    out.append("## Linear model (the tutorial's: 784→10, SGD lr 0.1, batch 100, 600 steps per epoch)\n")
    out.append("| run | epoch median (ms) | epoch min (ms) | first epoch (ms) | 15 epochs (ms) | warm-up (s) | "
               "test acc | nnplay faster by |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    if nl:
        out.append(f"| nnplay, CUDA backend{' (cut short)' if nl.get('partial') else ''} | {f(nl_med, 3)} | {f(nl.get('epoch_min', 0) * 1e3, 3)} | "
                   f"{f(nl_eps[0] if nl_eps else None, 3)} | {f(nl_15, 2)} | – | {f(nl.get('acc'), 4)} | 1.0× |")
    else:
        out.append("| nnplay, CUDA backend | – | – | – | – | – | – | – |")
        missing.append("nnplay linear results")
    for name, r, note in (("PyTorch eager", eager, ""), ("PyTorch torch.compile(reduce-overhead)", comp, ""),
                          ("tutorial program (DataLoader)", tut, "")):
        if not r:
            out.append(f"| {name} | – | – | – | – | – | – | – |")
            missing.append(f"{name} (linear)")
            continue
        if r.get("variant") == "tutorial":
            total = f"{f(r.get('extrapolated15_ms'), 1)} (extrapolated from {int(r.get('epochs', 0))} epochs)"
            warm = "–"
        else:
            total = f(r.get("total_ms"), 2) if int(r.get("epochs", 0)) == 15 else \
                f"{f(r.get('total_ms'), 2)} ({int(r.get('epochs', 0))} epochs)"
            warm = f(r.get("warmup_s"), 2)
        if r.get("compile_scope") == "model":
            name += " (model only)"
        out.append(f"| {name} | {f(r.get('epoch_median_ms'), 3)} | {f(r.get('epoch_min_ms'), 3)} | "
                   f"{f(r.get('epoch_first_ms'), 3)} | {total} | {warm} | {f(r.get('acc'), 4)} | "
                   f"{times(ratio(r.get('epoch_median_ms'), nl_med))} |")
    out.append("")
    out.append("nnplay's 15 epochs are the sum of its 15 epoch times, the first included (it may carry "
               "one-time set-up, and the second records the epoch for replay); PyTorch's are 15 epochs after one "
               "warm-up epoch (which, for torch.compile, compiles and captures: the warm-up column). "
               "Ratios compare median epochs.\n")

    # MLP
    nm = nn_mlp["result"] or {}
    nm_med = nm.get("epoch_median") * 1e3 if num(nm.get("epoch_median")) else None
    nm_eps = [e * 1e3 for e in nn_mlp["epochs"]]
    me, mc = trow("eager", "mlp"), trow("compile", "mlp")
    out.append("## MLP (784-256-256-10 ReLU, Adam lr 1e-3, batch 128, 468 steps per epoch)\n")
    out.append("| run | epoch median (ms) | epoch min (ms) | first epoch (ms) | epoch reaching the target | "
               "training time to it (s) | final test acc | nnplay faster by |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")

    def target_cells(hit, miss):
        if hit:
            return f"{int(hit.get('epoch', 0))}", f(hit.get("train_s"), 4)
        if miss:
            return f"not reached in {int(miss.get('epochs', 0))} (best {f(miss.get('best_acc'), 4)})", "–"
        return "–", "–"

    nm_hit = nn_mlp["target"]
    if nm:
        e, s = target_cells(nm_hit, nn_mlp["missed"])
        out.append(f"| nnplay, CUDA backend{' (cut short)' if nm.get('partial') else ''} | {f(nm_med, 3)} | {f(nm.get('epoch_min', 0) * 1e3, 3)} | "
                   f"{f(nm_eps[0] if nm_eps else None, 3)} | {e} | {s} | {f(nm.get('acc'), 4)} | 1.0× |")
    else:
        out.append("| nnplay, CUDA backend | – | – | – | – | – | – | – |")
        missing.append("nnplay MLP results")
    for name, r, v in (("PyTorch eager", me, "eager"), ("PyTorch torch.compile(reduce-overhead)", mc, "compile")):
        if not r:
            out.append(f"| {name} | – | – | – | – | – | – | – |")
            missing.append(f"{name} (MLP)")
            continue
        if r.get("compile_scope") == "model":
            name += " (model only)"
        e, s = target_cells(torch["target"].get((v, "mlp")), torch["missed"].get((v, "mlp")))
        out.append(f"| {name} | {f(r.get('epoch_median_ms'), 3)} | {f(r.get('epoch_min_ms'), 3)} | "
                   f"{f(r.get('epoch_first_ms'), 3)} | {e} | {s} | {f(r.get('acc'), 4)} | "
                   f"{times(ratio(r.get('epoch_median_ms'), nm_med))} |")
    out.append("")
    targets = sorted({d.get("target") for d in [nm_hit, nn_mlp["missed"], *torch["target"].values(),
                                                *torch["missed"].values()] if d and num(d.get("target"))})
    out.append("Target: test accuracy ≥ " + (" / ".join(f"{t:g}" for t in targets) if targets else "–") + ". "
               "Training time to the target adds the epoch times up to the first epoch whose test accuracy "
               "reaches it; the evaluations after each epoch are timed apart and left out. nnplay's includes its "
               "first epochs (set-up, recording); PyTorch's starts after its warm-up epoch (and compilation), "
               "from the same seeded initialisation.\n")

    # Goals
    out.append("## Goals\n")
    out.append("| goal | measured | result |")
    out.append("|---|---|---|")
    out.append(goal(f"linear: nnplay epoch ≤ {LINEAR_EPOCH_MS_GOAL:g} ms", nl_med, LINEAR_EPOCH_MS_GOAL, "le",
                    f"{f(nl_med, 3)} ms (median)"))
    out.append(goal(f"linear: nnplay 15 epochs ≤ {LINEAR_15_MS_GOAL:g} ms", nl_15, LINEAR_15_MS_GOAL, "le",
                    f"{f(nl_15, 2)} ms"))
    r = ratio(eager.get("epoch_median_ms") if eager else None, nl_med)
    out.append(goal(f"linear: nnplay ≥ {LINEAR_VS_EAGER_GOAL:g}× faster than PyTorch eager", r, LINEAR_VS_EAGER_GOAL,
                    "ge", times(r)))
    out.append(goal(f"MLP: nnplay epoch ≤ {MLP_EPOCH_MS_GOAL:g} ms", nm_med, MLP_EPOCH_MS_GOAL, "le",
                    f"{f(nm_med, 3)} ms (median)"))
    r = ratio(me.get("epoch_median_ms") if me else None, nm_med)
    out.append(goal(f"MLP: nnplay ≥ {MLP_VS_EAGER_GOAL:g}× faster than PyTorch eager", r, MLP_VS_EAGER_GOAL, "ge",
                    times(r)))
    r = ratio(mc.get("epoch_median_ms") if mc else None, nm_med)
    out.append(goal(f"MLP: nnplay ≥ {MLP_VS_COMPILE_GOAL:g}× faster than torch.compile", r, MLP_VS_COMPILE_GOAL,
                    "ge", times(r)))
    nm_target = (nm_hit or nn_mlp["missed"] or {}).get("target")
    if num(nm_target) and abs(nm_target - MLP_TARGET_ACC) > 1e-9:
        out.append(f"| MLP: {MLP_TARGET_ACC:.0%} test accuracy within {MLP_TARGET_S_GOAL:g} s of training | not "
                   f"measured (the run's target was {nm_target:g}) | – |")
    elif nm_hit:
        out.append(goal(f"MLP: {MLP_TARGET_ACC:.0%} test accuracy within {MLP_TARGET_S_GOAL:g} s of training",
                        nm_hit.get("train_s"), MLP_TARGET_S_GOAL, "le",
                        f"{f(nm_hit.get('train_s'), 4)} s (epoch {int(nm_hit.get('epoch', 0))})"))
    elif nn_mlp["missed"]:
        out.append(f"| MLP: {MLP_TARGET_ACC:.0%} test accuracy within {MLP_TARGET_S_GOAL:g} s of training | not "
                   f"reached in {int(nn_mlp['missed'].get('epochs', 0))} epochs | NOT met |")
    else:
        out.append(f"| MLP: {MLP_TARGET_ACC:.0%} test accuracy within {MLP_TARGET_S_GOAL:g} s of training | "
                   "not measured | – |")
    tr = ratio(tut.get("epoch_median_ms") if tut else None, nl_med)
    cr = ratio(comp.get("epoch_median_ms") if comp else None, nl_med)
    out.append(f"\nFor context, linear model: the tutorial program's epoch lasts {times(tr)} nnplay's, "
               f"torch.compile's {times(cr)}.\n")

    # Constants
    out.append("## The GPU's constants (gpu-constants)\n")
    if const:
        out.append("| constant | value | unit |")
        out.append("|---|---:|---|")
        for k, v in const.items():
            out.append(f"| {k} | {v:.4g} | {consts['units'].get(k, '')} |")
    else:
        out.append("Not measured" + (f": `{consts['error']}`" if consts["error"] else "") + ".")
        missing.append("GPU constants")
    if gemms:
        out.append("\ncuBLAS SGEMM, row-major y[N,out] = x[N,in]·Wᵀ and its gradients (fwd: M=batch, N=out, "
                   "K=in; dW += dyᵀ·x: M=out, N=in, K=batch; dx = dy·W: M=batch, N=in, K=out); median of 51 "
                   "event-timed runs of 20 back-to-back calls:\n")
        out.append("| model | op | layer | M | N | K | FP32 µs | TF32 µs | FP32 GFLOP/s | host µs per call |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        keyed = {}
        for g in gemms:
            key = (g.get("model"), g.get("op"), g.get("layer"), g.get("M"), g.get("N"), g.get("K"))
            keyed.setdefault(key, {})[g.get("math")] = g
        for (model, op, layer, M, N, K), by in keyed.items():
            a, b = by.get("fp32", {}), by.get("tf32", {})
            out.append(f"| {model} | {op} | {f(layer, 0)} | {f(M, 0)} | {f(N, 0)} | {f(K, 0)} | "
                       f"{f(a.get('us'), 2)} | {f(b.get('us'), 2)} | {f(a.get('gflops'), 0)} | "
                       f"{f(a.get('host_us'), 2)} |")
    out.append("")

    # Bounds
    out.append("## What bounds the remaining time (estimates)\n")
    out.append("Each row is a lower bound on one nnplay epoch from one constant above; the row nearest the "
               "measured epoch says which limit nnplay runs against. Nodes per step are counted from the step's "
               f"ops (linear {NODES_PER_STEP['linear']}, MLP {NODES_PER_STEP['mlp']}), not measured.")
    bounds_section("linear", "Linear model", nn_lin, const, gemms, out)
    bounds_section("mlp", "MLP", nn_mlp, const, gemms, out)
    out.append("")

    # Per-epoch detail
    out.append("## Per-epoch times (ms)\n")
    rows = [("nnplay linear", nl_eps), ("nnplay MLP", nm_eps)]
    for (v, w), eps in sorted(torch["epochs"].items(), key=lambda kv: (str(kv[0][1]), str(kv[0][0]))):
        rows.append((f"PyTorch {v} {w}", [e.get("ms") for e in eps]))
    for name, eps in rows:
        out.append(f"- {name}: " + (", ".join(f(e, 2) for e in eps) if eps else "–"))
    if nn_mlp["acc"]:
        out.append("- nnplay MLP test accuracy after each epoch: " +
                   ", ".join(f"{nn_mlp['acc'][k]:.4f}" for k in sorted(nn_mlp["acc"])))
    out.append("")

    if missing:
        out.append("## Missing\n")
        out.extend(f"- {m}" for m in dict.fromkeys(missing))
        out.append("")
    out.append("Logs: constants.log, nnplay-linear.log, nnplay-mlp.log, torch.log, machine.log, status.txt "
               "(bench/gpu/run-gpu-bench.sh).")

    path = P("gpu-bench.md")
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
