#!/usr/bin/python3
# Turns the logs of bench/run-bench.sh (OUT/NAME.repK.log, OUT/NAME.repK.time,
# OUT/bench_gemm.json, OUT/machine.txt) into the markdown tables of docs/benchmarks.md:
# per-run medians with min/max, ratios taken within each rep against the goals, the
# thread scaling, the GEMM rates, and the bound each workload runs into.
# Usage: aggregate.py OUT_DIR
import glob
import json
import os
import re
import statistics
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
TUTORIAL_EPOCHS = 15

# Per-sample / per-step shapes (M, N, K as bench_gemm names them) of each workload.
LINEAR_SHAPES = ["mnist_fwd_100x10x784", "mnist_dw_10x784x100"]
MLP_SHAPES = ["mlp1_fwd_128x256x784", "mlp2_fwd_128x256x256", "mlp3_fwd_128x10x256",
              "mlp1_dw_256x784x128", "mlp2_dw_256x256x128", "mlp3_dw_10x256x128",
              "mlp2_dx_128x256x256", "mlp3_dx_128x256x10"]  # no dx for the input layer
MLP_PARAMS = 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10
# XOR per step: 4 forward GEMMs, 4 weight-gradient GEMMs, 3 input-gradient GEMMs.
XOR_GEMMS_PER_STEP = 11


def med(v):
    return statistics.median(v) if v else float("nan")


def spread(v, fmt="{:.3f}"):
    if not v:
        return "-"
    return (fmt + " [" + fmt + "–" + fmt + "]").format(med(v), min(v), max(v))


def parse_wall(s):
    parts = [float(p) for p in s.split(":")]
    secs = 0.0
    for p in parts:
        secs = secs * 60 + p
    return secs


def parse_run(log_path):
    d = {"_epochs": [], "_epochs_cpu": []}
    with open(log_path, errors="replace") as f:
        for line in f:
            m = re.match(r"TIME epoch (\d+) ([\d.]+)", line)
            if m:
                d["_epochs"].append(float(m.group(2)))
                continue
            m = re.match(r"TIME epoch_cpu (\d+) ([\d.]+)", line)
            if m:
                d["_epochs_cpu"].append(float(m.group(2)))
                continue
            m = re.match(r"TIME (\w+) ([\d.]+)", line)
            if m:
                d["t_" + m.group(1)] = float(m.group(2))
                continue
            m = re.match(r"PHASE (.+) ([\d.]+) ([\d.]+)$", line.strip())
            if m:
                d.setdefault("phases", []).append((m.group(1), float(m.group(2)), float(m.group(3))))
                continue
            if line.startswith("RESULT"):
                for kv in line.split()[1:]:
                    k, _, v = kv.partition("=")
                    try:
                        d[k] = float(v)
                    except ValueError:
                        d[k] = v
                continue
            m = re.match(r"Learning finished in ([\d.]+) s", line)
            if m:
                d["train_s"] = float(m.group(1))
            m = re.match(r"Accuracy:\s*([\d.]+)", line)
            if m and "acc" not in d:
                d["acc"] = float(m.group(1))
            m = re.match(r"Epoch: (\d+) cost = ([\d.]+)", line)
            if m:
                d["final_cost"] = float(m.group(2))
    tpath = log_path[:-4] + ".time"
    if os.path.exists(tpath):
        with open(tpath) as f:
            for line in f:
                line = line.strip()
                if line.startswith("Maximum resident set size"):
                    d["rss_mb"] = int(line.split(":")[1]) / 1024.0
                elif line.startswith("Elapsed (wall clock)"):
                    d["wall"] = parse_wall(line.split("):")[1].strip())
                elif line.startswith("User time"):
                    d["user"] = float(line.split(":")[1])
                elif line.startswith("System time"):
                    d["sys"] = float(line.split(":")[1])
                elif line.startswith("Exit status"):
                    d["exit"] = int(line.split(":")[1])
    if d["_epochs"]:
        d["epoch"] = med(d["_epochs"])
    if d["_epochs_cpu"]:
        d["epoch_cpu"] = med(d["_epochs_cpu"])
    if "user" in d:
        d["cpu"] = d["user"] + d.get("sys", 0.0)
    return d


runs = {}  # name -> {rep: dict}
for path in sorted(glob.glob(os.path.join(OUT, "*.rep*.log"))):
    base = os.path.basename(path)
    name, rep = re.match(r"(.+)\.rep(\d+)\.log$", base).groups()
    runs.setdefault(name, {})[int(rep)] = parse_run(path)

# Derived figures.
for rep, d in runs.get("tutorial_t1", {}).items():
    if "wall" in d and "epoch" in d:
        # The whole 15-epoch run: this run's process wall plus the epochs it skipped.
        d["whole_est"] = d["wall"] + (TUTORIAL_EPOCHS - len(d["_epochs"])) * d["epoch"]
    if "cpu" in d and "epoch_cpu" in d:
        d["whole_est_cpu"] = d["cpu"] + (TUTORIAL_EPOCHS - len(d["_epochs_cpu"])) * d["epoch_cpu"]
for name in ("nnplay_train_linear_t1", "nnplay_train_linear_full_t1"):
    for d in runs.get(name, {}).values():
        if "train_s" in d:
            d["epoch"] = d["train_s"] / TUTORIAL_EPOCHS
for name in ("torch_xor_t1", "nnplay_xor_t1"):
    for d in runs.get(name, {}).values():
        if "train_s" in d:
            d["train"] = d["train_s"]
        if "train_cpu_s" in d:
            d["train_cpu"] = d["train_cpu_s"]


def flops(shape):
    m, n, k = (int(x) for x in shape.rsplit("_", 1)[1].split("x"))
    return 2.0 * m * n * k


def values(name, key):
    return [d[key] for _, d in sorted(runs.get(name, {}).items()) if key in d]


def ratios(num, nkey, den, dkey):
    out = []
    for rep, d in sorted(runs.get(num, {}).items()):
        e = runs.get(den, {}).get(rep)
        if e and nkey in d and dkey in e and e[dkey] > 0:
            out.append(d[nkey] / e[dkey])
    return out


def p(s=""):
    print(s)


# --------------------------------------------------------------------------------------
machine = {}
if os.path.exists(os.path.join(OUT, "machine.txt")):
    with open(os.path.join(OUT, "machine.txt")) as f:
        for line in f:
            k, _, v = line.partition(":")
            machine[k.strip()] = v.strip()
probe = runs.get("machine", {}).get(1, {})

p("## Machine")
p()
for k, v in machine.items():
    p("- %s: %s" % (k, v))
if probe:
    p("- probe: 2 threads of FP work run %.2fx the throughput of 1 at best, %.2fx typically "
      "(2.0 = two independent cores, 1.0 = one core shared); one-thread read bandwidth: L2-sized "
      "%.0f GB/s, L3-sized %.0f GB/s, DRAM-sized %.1f GB/s"
      % (probe.get("fp_scaling_2threads", 0), probe.get("fp_scaling_2threads_median", 0),
         probe.get("read_gbs_l2", 0), probe.get("read_gbs_l3", 0), probe.get("read_gbs_dram", 0)))
p()

# --------------------------------------------------------------------------------------
p("## Goals (one thread on both sides)")
p()
p("Ratios are reference time / nnplay time, taken within each rep, then median [min–max] over reps. "
  "The CPU-time column uses process CPU seconds instead of wall time (less sensitive to other "
  "programs on the machine). A goal counts as met when both medians reach it.")
p()
p("| goal | nnplay | reference | ratio (wall) | ratio (CPU time) | target | met |")
p("|---|---|---|---|---|---|---|")


def goal_row(label, num, nkey, den, dkey, target, unit="s", ckey_num=None, ckey_den=None):
    r = ratios(num, nkey, den, dkey)
    rc = ratios(num, ckey_num, den, ckey_den) if ckey_num else []
    # Met only if the wall-time ratio and (where measured) the CPU-time ratio agree.
    if not r:
        met = "-"
    elif med(r) >= target and (not rc or med(rc) >= target):
        met = "**met**"
    elif med(r) < target and (not rc or med(rc) < target):
        met = "**not met**"
    else:
        met = "borderline (%s met, %s not)" % (("wall", "CPU") if med(r) >= target else ("CPU", "wall"))
    p("| %s | %s %s | %s %s | %s | %s | ≥ %g× | %s |"
      % (label, spread(values(den, dkey)), unit, spread(values(num, nkey)), unit,
         spread(r, "{:.2f}"), spread(rc, "{:.2f}") if rc else "-", target, met))


goal_row("linear epoch vs preloaded PyTorch", "torch_linear_t1", "epoch", "nnplay_linear_t1", "epoch", 3,
         ckey_num="epoch_cpu", ckey_den="epoch_cpu")
goal_row("tutorial whole run (15 epochs + test, whole process) vs the tutorial's program",
         "tutorial_t1", "whole_est", "nnplay_train_linear_t1", "wall", 50, ckey_num="whole_est_cpu", ckey_den="cpu")
goal_row("MLP epoch vs preloaded PyTorch", "torch_mlp_t1", "epoch", "nnplay_mlp_t1", "epoch", 1.3,
         ckey_num="epoch_cpu", ckey_den="epoch_cpu")
goal_row("XOR 10001 epochs (training loop)", "torch_xor_t1", "train", "nnplay_xor_t1", "train", 30,
         ckey_num="train_cpu", ckey_den="train_cpu")
rss = values("nnplay_train_linear_t1", "rss_mb")
if rss:
    p("| peak RSS of `nnplay-train mnist` | %s MB | - | - | - | < 150 MB | %s |"
      % (spread(rss, "{:.0f}"), "**met**" if max(rss) < 150 else "**not met**"))
p()
p("Other ratios (one thread):")
p()
p("| ratio | value |")
p("|---|---|")
for label, a, ak, b, bk in [
        ("tutorial program epoch / nnplay epoch", "tutorial_t1", "epoch", "nnplay_linear_t1", "epoch"),
        ("tutorial program epoch / preloaded PyTorch epoch", "tutorial_t1", "epoch", "torch_linear_t1", "epoch"),
        ("whole run, real 15 epochs (1 rep): tutorial program / nnplay-train", "tutorial_full_t1", "wall",
         "nnplay_train_linear_full_t1", "wall"),
        ("whole run estimate / real 15-epoch run of the tutorial program", "tutorial_t1", "whole_est",
         "tutorial_full_t1", "wall"),
        ("XOR whole process: python3 xor_mlp.py / nnplay-train xor", "torch_xor_t1", "wall", "nnplay_train_xor_t1",
         "wall"),
        ("nnplay-train mnist epoch / nnplay-bench linear epoch (CLI overhead)", "nnplay_train_linear_t1", "epoch",
         "nnplay_linear_t1", "epoch")]:
    r = ratios(a, ak, b, bk)
    if a == "tutorial_t1" and b == "tutorial_full_t1":
        full = values("tutorial_full_t1", "wall")
        r = [x / full[0] for x in values("tutorial_t1", "whole_est")] if full else []
    if r:
        p("| %s | %s |" % (label, spread(r, "{:.2f}")))
p()

# --------------------------------------------------------------------------------------
p("## Every run")
p()
p("Seconds, median [min–max] over reps. *epoch*: the median epoch of a run (XOR: the whole "
  "10001-step loop); *CPU*: process CPU seconds of that epoch; *wall*: the whole process "
  "(/usr/bin/time); *RSS*: peak resident set (/usr/bin/time -v).")
p()
p("| run | reps | epoch s | epoch CPU s | process wall s | peak RSS MB | test acc | final cost |")
p("|---|---|---|---|---|---|---|---|")
order = ["tutorial_t1", "tutorial_full_t1", "nnplay_train_linear_t1", "nnplay_train_linear_full_t1",
         "torch_linear_t1", "nnplay_linear_t1", "torch_linear_t2", "nnplay_linear_t2",
         "torch_mlp_t1", "nnplay_mlp_t1", "torch_mlp_t2", "nnplay_mlp_t2",
         "torch_xor_t1", "nnplay_xor_t1", "nnplay_train_xor_t1"]
for name in order + sorted(set(runs) - set(order) - {"machine"}):
    if name not in runs:
        continue
    ek = "train" if name in ("torch_xor_t1", "nnplay_xor_t1") else "epoch"
    ck = "train_cpu" if ek == "train" else "epoch_cpu"
    accs = values(name, "acc")
    costs = values(name, "final_cost")
    bad = [r for r, d in runs[name].items() if d.get("exit", 0) != 0]
    p("| %s%s | %d | %s | %s | %s | %s | %s | %s |"
      % (name, " (failed reps: %s)" % bad if bad else "", len(runs[name]), spread(values(name, ek), "{:.4f}"),
         spread(values(name, ck), "{:.4f}"), spread(values(name, "wall"), "{:.2f}"),
         spread(values(name, "rss_mb"), "{:.0f}"), ("%.4f" % med(accs)) if accs else "-",
         ("%.6f" % med(costs)) if costs else "-"))
p()

# --------------------------------------------------------------------------------------
p("## Two threads (reported separately)")
p()
p("| ratio | median [min–max] |")
p("|---|---|")
for label, a, b in [("nnplay linear: 1 thread / 2 threads (speed-up)", "nnplay_linear_t1", "nnplay_linear_t2"),
                    ("nnplay MLP: 1 thread / 2 threads", "nnplay_mlp_t1", "nnplay_mlp_t2"),
                    ("PyTorch linear: 1 thread / 2 threads", "torch_linear_t1", "torch_linear_t2"),
                    ("PyTorch MLP: 1 thread / 2 threads", "torch_mlp_t1", "torch_mlp_t2"),
                    ("linear, 2 threads: PyTorch / nnplay", "torch_linear_t2", "nnplay_linear_t2"),
                    ("MLP, 2 threads: PyTorch / nnplay", "torch_mlp_t2", "nnplay_mlp_t2")]:
    r = ratios(a, "epoch", b, "epoch")
    if r:
        p("| %s | %s |" % (label, spread(r, "{:.2f}")))
p()

# --------------------------------------------------------------------------------------
gemm = {}
gpath = os.path.join(OUT, "bench_gemm.json")
if os.path.exists(gpath):
    with open(gpath) as f:
        j = json.load(f)
    ctx = j.get("context", {})
    for b in j.get("benchmarks", []):
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"]).replace("/real_time", "")
        kind, _, shape = name.partition("/")
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
        gemm.setdefault(shape, {})[kind] = {"gflops": b.get("GFLOP/s", float("nan")),
                                            "real_s": b["real_time"] * scale, "cpu_s": b["cpu_time"] * scale}
    p("## GEMM on the workloads' shapes (bench_gemm, median of 3 repetitions)")
    p()
    p("gemm kernel: %s; %s. GFLOP/s count 2·M·N·K per call over CPU time (wall time for the "
      "2-thread column, where CPU time would count only the calling thread)."
      % (ctx.get("gemm_kernel", "?"), ctx.get("openblas", "no OpenBLAS").strip()))
    p()
    p("| shape (M×N×K) | nnplay 1t GFLOP/s | OpenBLAS 1t GFLOP/s | nnplay / OpenBLAS (1t) | nnplay 1t GFLOP/s "
      "(wall) | nnplay 2t GFLOP/s (wall) | nnplay 1t µs/call (wall) |")
    p("|---|---|---|---|---|---|---|")
    for shape, k in gemm.items():
        g1 = k.get("gemm", {}).get("gflops", float("nan"))
        g2 = k.get("gemm_2t", {}).get("gflops", float("nan"))
        ob = k.get("openblas_1t", {}).get("gflops", float("nan"))
        us = k.get("gemm", {}).get("real_s", float("nan")) * 1e6
        g1w = flops(shape) / (us * 1e3)
        p("| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |"
          % (shape, g1, ob, g1 / ob if ob == ob and ob else float("nan"), g1w, g2, us))
    p()

# --------------------------------------------------------------------------------------
p("## Bounds (one thread)")
p()


def gemm_s(shape):
    """Seconds for one call of this shape at nnplay's measured 1-thread rate (CPU time)."""
    r = gemm.get(shape, {}).get("gemm", {}).get("gflops")
    return flops(shape) / (r * 1e9) if r else float("nan")


def find_shape(prefix, m, n, k):
    """The bench_gemm shape with these dimensions (any layer prefix)."""
    for shape in gemm:
        if shape.startswith(prefix) and shape.endswith("_%dx%dx%d" % (m, n, k)):
            return shape
    return None


l2 = probe.get("read_gbs_l2") or float("nan")
l3 = probe.get("read_gbs_l3") or float("nan")
dram = probe.get("read_gbs_dram") or float("nan")


def phase_bound(name, batch, widths, n_params, optimizer):
    """(seconds per step, how) for one phase of the step, from the GEMM rates and the probe."""
    m = re.match(r"(fwd|bwd)(\d+)_Linear\((\d+), (\d+)\)", name)
    if m:
        kind, i, fin, fout = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
        if kind == "fwd":
            sh = [find_shape("", batch, fout, fin)]
        else:
            sh = [find_shape("", fout, fin, batch)] + ([find_shape("", batch, fin, fout)] if i > 0 else [])
        if None in sh:
            return float("nan"), "no bench shape"
        return sum(gemm_s(x) for x in sh), "GEMM " + " + ".join(x.split("_")[-1] for x in sh)
    m = re.match(r"(fwd|bwd)(\d+)_ReLU", name)
    if m:
        n = batch * widths[int(m.group(2))]
        nbytes = n * 4 * (2 if m.group(1) == "fwd" else 3)
        return nbytes / (l2 * 1e9), "%.0f KB at L2 speed" % (nbytes / 1e3)
    if name == "gather":
        n = batch * 784
        return n / (dram * 1e9) + 4 * n / (l2 * 1e9), "%.0f KB uint8 from DRAM + floats to L2" % (n / 1e3)
    if name == "zero_grad":
        return 4 * n_params / ((l2 if 4 * n_params < 1e6 else l3) * 1e9), "%.2f MB written" % (4 * n_params / 1e6)
    if name == "optimizer":
        nbytes = (28 if optimizer == "adam" else 12) * n_params
        return nbytes / ((l2 if nbytes < 1e6 else l3) * 1e9), "%s: %.2f MB moved" % (optimizer, nbytes / 1e6)
    return 0.0, "negligible"


def phase_table(run, label, batch, widths, n_params, optimizer, steps, shapes):
    d = runs.get(run, {}).get(1)
    if not d or not d.get("phases") or not gemm:
        return
    g = steps * sum(gemm_s(x) for x in shapes)
    p("%s: %.2f GFLOP per epoch in GEMMs, %.3f s at the measured GEMM rates; the epoch took "
      "%.3f s CPU." % (label, steps * sum(flops(x) for x in shapes) / 1e9, g, d.get("epoch_cpu", float("nan"))))
    p()
    # Wall clock around each op; scaled by the epoch's CPU/wall ratio so that time the
    # process spent descheduled (other programs on the machine) is taken out.
    scale = d["epoch_cpu"] / d["epoch"] if d.get("epoch") and d.get("epoch_cpu") else 1.0
    total = sum(us for _, _, us in d["phases"]) * scale
    p("**%s** (%d steps/epoch; phase times scaled by the epoch's CPU/wall ratio %.2f):" % (label, steps, scale))
    p()
    p("| phase | µs/step | share | bound µs/step | bound from | measured / bound |")
    p("|---|---|---|---|---|---|")
    tb = 0.0
    for name, _, us in d["phases"]:
        b, how = phase_bound(name, batch, widths, n_params, optimizer)
        tb += b if b == b else 0.0
        p("| %s | %.1f | %.0f %% | %.1f | %s | %s |" % (name, us * scale, 100 * us * scale / total, b * 1e6, how,
                                                        "%.1f×" % (us * scale / (b * 1e6)) if b > 0 else "-"))
    p("| **step** | **%.1f** | 100 %% | **%.1f** | sum | **%.1f×** |" % (total, tb * 1e6, total / (tb * 1e6)))
    p()
    return total, tb


phase_table("nnplay_linear_phases_t1", "linear 784→10, batch 100", 100, {}, 7850, "sgd", 600, LINEAR_SHAPES)
phase_table("nnplay_mlp_phases_t1", "MLP 784-256-256-10, batch 128", 128, {1: 256, 3: 256}, MLP_PARAMS, "adam", 468,
            MLP_SHAPES)

xor = values("nnplay_xor_t1", "train_cpu") or values("nnplay_xor_t1", "train")
if xor and gemm.get("xor_fwd_4x10x2", {}).get("gemm"):
    call = gemm["xor_fwd_4x10x2"]["gemm"]["real_s"]
    m = med(xor)
    p("**XOR** 10001 full-batch steps: %.4f s CPU, %.2f µs/step. Its %d GEMM calls per step on 4×10 "
      "matrices cost about %.0f ns each in bench_gemm (%.2f µs/step): the step is bound by per-op "
      "overhead (about 20 backend calls per step), %.1f× the GEMM calls alone."
      % (m, m / 10001 * 1e6, XOR_GEMMS_PER_STEP, call * 1e9, XOR_GEMMS_PER_STEP * call * 1e6,
         m / (10001 * XOR_GEMMS_PER_STEP * call)))
txor = values("torch_xor_t1", "train_cpu") or values("torch_xor_t1", "train")
if txor:
    p("PyTorch's XOR step costs %.1f µs of CPU time: its per-op dispatch and autograd, not arithmetic."
      % (med(txor) / 10001 * 1e6))
p()
