#!/usr/bin/env python3
"""Turns the logs of bench/run-web-bench.sh into its tables: every run's median epoch over
the reps with [min-max], the goal ratios (taken within each rep, so that both sides of a
ratio ran seconds apart), and the op-by-op split of one step; with WORKLOADS=cnn, the CNN
runs (nnplay against TF.js) and their ratios. Prints them and writes OUT/results.md.

Usage: bench/web/aggregate.py OUT_DIR
"""
import re
import statistics
import sys
from pathlib import Path

# Run name -> what it is (in table order).
RUNS = [
    ("native_linear", "nnplay native, linear (1 thread)"),
    ("wasm_node_linear", "nnplay WASM, linear, node"),
    ("wasm_chromium_linear", "nnplay WASM, linear, Chromium"),
    ("tfjs_node_loop", "TF.js WASM, linear, hand-written loop, node"),
    ("tfjs_chromium_loop", "TF.js WASM, linear, hand-written loop, Chromium"),
    ("tfjs_node_fit", "TF.js WASM, linear, model.fit, node"),
    ("tfjs_chromium_fit", "TF.js WASM, linear, model.fit, Chromium"),
    ("wasm_node_mlp", "nnplay WASM, MLP 784-256-256-10, node"),
]

# (label, numerator run, denominator run, kind, target): ratio = numerator / denominator.
RATIOS = [
    ("TF.js loop / nnplay WASM, node", "tfjs_node_loop", "wasm_node_linear", ">=", 10.0),
    ("TF.js loop / nnplay WASM, Chromium", "tfjs_chromium_loop", "wasm_chromium_linear", ">=", 10.0),
    ("nnplay WASM node / native", "wasm_node_linear", "native_linear", "<=", 7.0),
    ("nnplay WASM Chromium / native", "wasm_chromium_linear", "native_linear", "<=", 7.0),
    ("TF.js model.fit / nnplay WASM, node", "tfjs_node_fit", "wasm_node_linear", None, None),
    ("TF.js model.fit / nnplay WASM, Chromium", "tfjs_chromium_fit", "wasm_chromium_linear", None, None),
    ("nnplay WASM: Chromium / node", "wasm_chromium_linear", "wasm_node_linear", None, None),
    ("TF.js loop: Chromium / node", "tfjs_chromium_loop", "tfjs_node_loop", None, None),
    ("TF.js: model.fit / loop, node", "tfjs_node_fit", "tfjs_node_loop", None, None),
]
MLP_TARGET_S = 2.5

# The CNN comparison (WORKLOADS=cnn): network -> what it is.
CNN_NETS = [
    ("small", "small CNN conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10 (27,690 parameters), Adam 0.005"),
    ("recipe", "recipe CNN conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10 (215,194 parameters), Adam 1e-3"),
]
CNN_SIDES = [
    ("wasm_chromium_cnn", "nnplay WASM, Chromium"),
    ("tfjs_chromium_cnn", "TF.js, Chromium"),
    ("wasm_node_cnn", "nnplay WASM, node"),
]
CNN_EPOCH_TARGET_S = 5.0   # one epoch of the 10,000-image subset in the browser
CNN_SPEEDUP_TARGET = 2.0   # nnplay at least this many times faster than TF.js


def parse(path):
    text = path.read_text(errors="replace")
    out = {"epochs": [], "phases": [], "result": None, "load": []}
    for line in text.splitlines():
        if line.startswith("RESULT "):
            out["result"] = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
        elif m := re.match(r"TIME epoch (\d+) ([0-9.]+)$", line):
            out["epochs"].append(float(m.group(2)))
        elif m := re.match(r"PHASE (.+) ([0-9.]+) ([0-9.]+)$", line):
            out["phases"].append((m.group(1), float(m.group(2)), float(m.group(3))))
        elif m := re.match(r"LOAD \w+ ([0-9.]+)", line):
            out["load"].append(float(m.group(1)))
        elif m := re.match(r"PEAK_RSS_KB (\d+)$", line):
            out["rss_mb"] = int(m.group(1)) / 1024
        elif line.startswith("BROWSER "):
            out["browser"] = line.split(" ", 1)[1]
        elif m := re.match(r"TIME eval ([0-9.]+)$", line):
            out["eval"] = float(m.group(1))
        elif line.startswith("BACKEND_FALLBACK "):
            out["fallback"] = line.split(" ", 1)[1]
    return out


def spread(xs, digits=3):
    if not xs:
        return "–"
    f = f"{{:.{digits}f}}"
    if len(xs) == 1:
        return f.format(xs[0])
    return f"{f.format(statistics.median(xs))} [{f.format(min(xs))}–{f.format(max(xs))}]"


def main():
    out_dir = Path(sys.argv[1])
    logs = {}  # run -> rep -> parsed
    for p in sorted(out_dir.glob("*.rep*.log")):
        m = re.match(r"(.+)\.rep(\d+)\.log$", p.name)
        logs.setdefault(m.group(1), {})[int(m.group(2))] = parse(p)

    def epoch(run, rep):
        r = logs.get(run, {}).get(rep)
        return float(r["result"]["epoch_median"]) if r and r["result"] else None

    lines = ["# nnplay WebAssembly benchmark", ""]
    machine = out_dir / "machine.txt"
    if machine.exists():
        lines += ["```", machine.read_text().rstrip(), "```", ""]

    if any(run in logs for run, _ in RUNS):
        lines += linear_tables(logs, epoch)
    if any(f"{side}_{net}" in logs for side, _ in CNN_SIDES for net, _ in CNN_NETS):
        lines += cnn_tables(logs)

    text = "\n".join(lines) + "\n"
    (out_dir / "results.md").write_text(text)
    print(text)


def step_ms(r):
    """Milliseconds per training step of one run: TF.js prints it (it may time only the
    first steps of its epoch); nnplay's is its median epoch over its steps."""
    res = r["result"]
    if "step_ms_median" in res:
        return float(res["step_ms_median"])
    return float(res["epoch_median"]) / int(res["steps_per_epoch"]) * 1e3


def cnn_tables(logs):
    lines = ["## CNN: nnplay against TF.js", "",
             "*train*: the epoch's training (TF.js: the steps it timed, `steps`); *step*: ms per",
             "training step (batch 32); *eval*: the whole test set (10,000 images); *eval, wasm*:",
             "TF.js's second evaluation, on its wasm backend, after training on another. Median",
             "[min–max] over the reps.", "",
             "| network | run | reps | steps | train s | step ms | eval s | eval s, wasm | test acc | peak RSS MB | load avg (1 min) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    fallbacks = set()
    for net, _ in CNN_NETS:
        for side, what in CNN_SIDES:
            reps = logs.get(f"{side}_{net}", {})
            if not reps:
                continue
            ok = [r for r in reps.values() if r["result"]]
            failed = len(reps) - len(ok)
            for r in ok:
                if "fallback" in r:
                    fallbacks.add(r["fallback"])
            backend = sorted({r["result"].get("backend", "") for r in ok} - {""})
            label = what + (f" ({', '.join(backend)} backend)" if backend else "")
            steps = sorted({f'{r["result"].get("steps_timed", r["result"].get("steps_per_epoch"))} of '
                            f'{r["result"].get("steps_per_epoch")}' for r in ok})
            load = [x for r in reps.values() for x in r["load"]]
            lines.append(
                f"| {net} | {label} | {len(ok)}{f' ({failed} failed)' if failed else ''} | {', '.join(steps) or '–'} | "
                f"{spread([float(r['result']['epoch_median']) for r in ok])} | {spread([step_ms(r) for r in ok], 1)} | "
                f"{spread([r['eval'] for r in ok if 'eval' in r])} | "
                f"{spread([float(r['result']['eval_wasm_s']) for r in ok if 'eval_wasm_s' in r['result']])} | "
                f"{', '.join(sorted({r['result'].get('acc', '–') for r in ok})) or '–'} | "
                f"{spread([r['rss_mb'] for r in ok if r.get('rss_mb')], 0)} | "
                f"{f'{min(load):.1f}–{max(load):.1f}' if load else '–'} |")
    for f in sorted(fallbacks):
        lines += ["", f"TF.js: `BACKEND_FALLBACK {f}`"]

    def per_rep(num_run, den_run, fn):
        a, b = logs.get(num_run, {}), logs.get(den_run, {})
        return [fn(a[k]) / fn(b[k]) for k in sorted(set(a) & set(b)) if a[k]["result"] and b[k]["result"]]

    lines += ["", "Ratios within each rep, median [min–max]:", "",
              "| network | ratio | median [min–max] | goal | met |", "|---|---|---|---|---|"]
    for net, _ in CNN_NETS:
        nn, tf, node = f"wasm_chromium_cnn_{net}", f"tfjs_chromium_cnn_{net}", f"wasm_node_cnn_{net}"
        if nn not in logs:
            continue
        eps = [float(r["result"]["epoch_median"]) for r in logs[nn].values() if r["result"]]
        if eps:
            med = statistics.median(eps)
            ok = med <= CNN_EPOCH_TARGET_S
            verdict = ("**met**" + ("" if max(eps) <= CNN_EPOCH_TARGET_S else " (median only)")) if ok else "**not met**"
            lines.append(f"| {net} | nnplay WASM epoch in Chromium (s) | {spread(eps)} | ≤ {CNN_EPOCH_TARGET_S:g} s | {verdict} |")
        rs = per_rep(nn, tf, step_ms)
        if rs:
            lines.append(f"| {net} | nnplay / TF.js, training step, Chromium | {spread(rs, 4)} | "
                         f"≤ {1 / CNN_SPEEDUP_TARGET:g} | "
                         f"{('**met**' + ('' if max(rs) <= 1 / CNN_SPEEDUP_TARGET else ' (median only)')) if statistics.median(rs) <= 1 / CNN_SPEEDUP_TARGET else '**not met**'} |")
            sp = [1 / x for x in rs]
            lines.append(f"| {net} | TF.js / nnplay (nnplay's speed-up), training step, Chromium | {spread(sp, 1)} | "
                         f"≥ {CNN_SPEEDUP_TARGET:g}× | – |")
        ev = per_rep(nn, tf, lambda r: r.get("eval", float("nan")))
        if ev:
            lines.append(f"| {net} | nnplay / TF.js, test evaluation, Chromium | {spread(ev, 3)} | – | – |")
        # Against TF.js's own wasm backend (its second evaluation), where the log has one.
        tf_wasm = {k: r for k, r in logs.get(tf, {}).items() if r["result"] and "eval_wasm_s" in r["result"]}
        ew = [logs[nn][k]["eval"] / float(r["result"]["eval_wasm_s"]) for k, r in sorted(tf_wasm.items())
              if k in logs[nn] and "eval" in logs[nn][k]]
        if ew:
            lines.append(f"| {net} | nnplay / TF.js wasm backend, test evaluation, Chromium | {spread(ew, 3)} | – | – |")
        cn = per_rep(nn, node, lambda r: float(r["result"]["epoch_median"]))
        if cn:
            lines.append(f"| {net} | nnplay WASM epoch: Chromium / node | {spread(cn, 2)} | – | – |")
    return lines


def linear_tables(logs, epoch):
    lines = []
    lines += ["## Every run", "",
              "Epoch: each process's median epoch; the cell gives the median and [min–max] over the reps.", "",
              "*Peak RSS*: the node process's peak resident memory (/usr/bin/time), or in Chromium that",
              "of the page's renderer process (VmHWM); native: nnplay-bench's own getrusage figure.", "",
              "| run | what | reps | epoch s | peak RSS MB | test acc | final cost | load avg (1 min) |",
              "|---|---|---|---|---|---|---|---|"]
    for run, what in RUNS:
        reps = logs.get(run, {})
        ok = [r for r in reps.values() if r["result"]]
        ep = [float(r["result"]["epoch_median"]) for r in ok]
        acc = sorted({r["result"].get("acc", "–") for r in ok})
        cost = sorted({r["result"].get("final_cost", "–")[:8] for r in ok})
        load = [x for r in reps.values() for x in r["load"]]
        failed = len(reps) - len(ok)
        rss = [r["rss_mb"] for r in ok if r.get("rss_mb")] or \
              [float(r["result"]["peak_rss_mb"]) for r in ok if float(r["result"].get("peak_rss_mb", 0)) > 0]
        lines.append(f"| {run} | {what} | {len(ok)}{f' ({failed} failed)' if failed else ''} | {spread(ep)} | "
                     f"{spread(rss, 0)} | "
                     f"{', '.join(acc) or '–'} | {', '.join(cost) or '–'} | "
                     f"{f'{min(load):.1f}–{max(load):.1f}' if load else '–'} |")
    browsers = sorted({r["browser"] for reps in logs.values() for r in reps.values() if "browser" in r})
    if browsers:
        lines += ["", f"Chromium (as playwright reports it): {', '.join(browsers)}"]

    lines += ["", "## Ratios and goals", "",
              "Ratios are taken within each rep; median [min–max] over the reps.", "",
              "| ratio | median [min–max] | goal | met |", "|---|---|---|---|"]
    for label, num, den, kind, target in RATIOS:
        reps = sorted(set(logs.get(num, {})) & set(logs.get(den, {})))
        rs = [epoch(num, k) / epoch(den, k) for k in reps if epoch(num, k) and epoch(den, k)]
        if not rs:
            lines.append(f"| {label} | – | {f'{kind} {target:g}×' if kind else '–'} | no data |")
            continue
        med = statistics.median(rs)
        if kind is None:
            verdict, goal = "–", "–"
        else:
            good = (lambda x: x >= target) if kind == ">=" else (lambda x: x <= target)
            goal = f"{'≥' if kind == '>=' else '≤'} {target:g}×"
            verdict = ("**met**" + ("" if all(good(x) for x in rs) else " (median only)")) if good(med) else "**not met**"
        lines.append(f"| {label} | {spread(rs, 2)} | {goal} | {verdict} |")
    mlp = [epoch("wasm_node_mlp", k) for k in sorted(logs.get("wasm_node_mlp", {})) if epoch("wasm_node_mlp", k)]
    if mlp:
        med = statistics.median(mlp)
        verdict = ("**met**" + ("" if max(mlp) < MLP_TARGET_S else " (median only)")) if med < MLP_TARGET_S else "**not met**"
        lines.append(f"| nnplay WASM MLP epoch, node (s) | {spread(mlp)} | < {MLP_TARGET_S:g} s | {verdict} |")

    # The GEMM work of a Linear layer's op, so that its time reads as a FLOP rate: forward
    # 2*B*in*out; backward the weight gradient, plus the input gradient except for the
    # first layer (nnplay skips it there).
    def gflops(name, batch, us):
        m = re.match(r"(fwd|bwd)(\d+)_Linear\((\d+), (\d+)\)", name)
        if not m or not us:
            return None
        flop = 2.0 * batch * int(m.group(3)) * int(m.group(4))
        if m.group(1) == "bwd" and int(m.group(2)) > 0:
            flop *= 2
        return flop / (us * 1e-6) / 1e9

    phase_runs = [("linear", "wasm_node_linear_phases", "native_linear_phases", 100),
                  ("MLP", "wasm_node_mlp_phases", "native_mlp_phases", 128)]
    for title, wasm_run, native_run, batch in phase_runs:
        w = logs.get(wasm_run, {}).get(1)
        n = logs.get(native_run, {}).get(1)
        if not w or not w["phases"]:
            continue
        nat = {name: us for name, _, us in (n["phases"] if n else [])}
        lines += ["", f"## One {title} step, op by op (nnplay-bench --phases, one run each)", "",
                  "| op | WASM node µs/step | native µs/step | WASM / native | GEMM GFLOP/s WASM | GEMM GFLOP/s native |",
                  "|---|---|---|---|---|---|"]
        tw = sum(us for _, _, us in w["phases"])
        tn = sum(nat.values())
        fmt = lambda x, d=1: f"{x:.{d}f}" if x else "–"
        for name, _, us in w["phases"]:
            nu = nat.get(name)
            lines.append(f"| {name} | {us:.1f} | {fmt(nu)} | {fmt(nu and us / nu)} | "
                         f"{fmt(gflops(name, batch, us))} | {fmt(gflops(name, batch, nu))} |")
        lines.append(f"| **sum** | {tw:.1f} | {fmt(tn)} | {fmt(tn and tw / tn)} | | |")
        lines.append(f"| per epoch (s), from the sum | {tw * 1e-6 * (60000 // batch):.3f} | "
                     f"{fmt(tn and tn * 1e-6 * (60000 // batch), 3)} | | | |")
    lines.append("")
    return lines


if __name__ == "__main__":
    main()
