#!/usr/bin/env python3
"""Independent safetensors writer and reader, used to check nnplay against PyTorch.

The models and their training are PyTorch's; the file format is written and read with
json + struct only (no safetensors package), laid out the way safetensors.torch.save_file
lays it out: tensors sorted by name, an 8-byte little-endian header length, a compact
JSON header padded with spaces to a multiple of 8, then the raw little-endian bytes.

  write_safetensors.py train --data DIR --out FILE [--model linear|mlp] [--hidden 64]
                             [--epochs 1] [--limit N] [--seed 1] [--dtype F32|F16|BF16]
      Trains the tutorial's model (nn.Linear(784, 10), or nn.Sequential(Linear, ReLU,
      Linear)) on MNIST in PyTorch, writes its state_dict to FILE (no metadata, as PyTorch
      does) and prints "correct=<n> count=<m>" for the test set, computed with the weights
      as stored (rounded to F16/BF16 when asked).

      --model cnn --layers LIST trains the nn.Sequential CNN a layer list describes
      (tests/torch_layers.py), with Adam, on images reshaped to [N, 1, 28, 28].

  write_safetensors.py eval --data DIR --weights FILE [--layers LIST]
      Reads an F32 safetensors file (nnplay's included) with json + struct, builds the torch
      model its nnplay metadata (or else its tensor names, or --layers) describes, loads the
      state_dict strictly, and prints "correct=<n> count=<m>", plus "max_logit_diff=<x>"
      against the logits nnplay recorded in the file's proof, when there is one.

  write_safetensors.py step --model FILE --batch FILE --out FILE [--lr 0.1]
      One SGD step in PyTorch on nnplay's model (a layer-list file) and batch ("x" and
      "labels" tensors): writes the logits before the step ("logits"), the loss ("loss")
      and every parameter after it, under its own name.
"""
import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_layers import build_layer_list


def read_idx(folder, name):
    """An IDX file as a numpy uint8 array, raw or gzip'ed (recognised by its magic)."""
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        path += ".gz"
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    magic = struct.unpack(">I", data[:4])[0]
    if magic >> 8 != 0x08:
        sys.exit(f"{path}: not an IDX file of unsigned bytes (magic {magic:#x})")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(folder, prefix):
    images = read_idx(folder, f"{prefix}-images-idx3-ubyte")
    labels = read_idx(folder, f"{prefix}-labels-idx1-ubyte")
    # The same float32 arithmetic as nnplay's loader: pixel * (1/255 as a float).
    x = images.reshape(len(images), -1).astype(np.float32) * np.float32(1.0 / 255.0)
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def build_model(sizes, hidden="relu", output="none"):
    acts = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}
    if len(sizes) == 2 and output == "none":
        return nn.Linear(sizes[0], sizes[1])
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        act = hidden if i + 2 < len(sizes) else output
        if act != "none":
            layers.append(acts[act]())
    return nn.Sequential(*layers)


def evaluate(model, x, y):
    model.eval()  # Dropout passes everything through, as in nnplay's evaluation
    with torch.no_grad():
        logits = model(x)
    return int((logits.argmax(dim=1) == y).sum()), logits


# ---------------------------------------------------------------------------------------
# The file format

DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2)}


def tensor_bytes(t, dtype):
    t = t.detach().to(DTYPES[dtype][0]).contiguous()
    # numpy has no bfloat16: reinterpret 2-byte types as int16 to get their raw bytes.
    raw = t.view(torch.int16) if DTYPES[dtype][1] == 2 else t
    assert sys.byteorder == "little", "safetensors data is little-endian"
    return raw.numpy().tobytes()


def write_file(path, tensors, dtype="F32", metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        blob = tensor_bytes(tensors[name], dtype)
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_file(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n :]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} is {info['dtype']}; this reader takes F32")
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.astype(np.float32))
    return tensors, metadata


def infer_sizes(tensors):
    """Layer sizes of a Linear chain from state_dict names, as nnplay infers them."""
    if "weight" in tensors:
        return list(reversed(tensors["weight"].shape))
    indices = sorted({int(k.split(".")[0]) for k in tensors if k.endswith(".weight")})
    sizes = [tensors[f"{indices[0]}.weight"].shape[1]]
    for i in indices:
        sizes.append(tensors[f"{i}.weight"].shape[0])
    return sizes


# ---------------------------------------------------------------------------------------

def cmd_train(args):
    torch.manual_seed(args.seed)
    x, y = load_split(args.data, "train")
    if args.limit:
        x, y = x[: args.limit], y[: args.limit]
    xt, yt = load_split(args.data, "t10k")
    if args.model == "linear":
        model = build_model([784, 10])
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
    elif args.model == "cnn":
        model = build_layer_list(args.layers, (1, 28, 28))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x, xt = x.view(-1, 1, 28, 28), xt.view(-1, 1, 28, 28)
    else:
        model = build_model([784, args.hidden, 10])
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(args.seed)
    for _ in range(args.epochs):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x) - 99, 100):
            idx = perm[i : i + 100]
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    state = model.state_dict()
    write_file(args.out, state, args.dtype)
    # Evaluate with exactly the weights the file holds.
    stored = {k: v.to(DTYPES[args.dtype][0]).to(torch.float32) for k, v in state.items()}
    model.load_state_dict(stored)
    correct, _ = evaluate(model, xt, yt)
    print(f"correct={correct} count={len(yt)}")


def cmd_eval(args):
    tensors, meta = read_file(args.weights)
    tensors = {k: v for k, v in tensors.items() if not k.startswith("nnplay.")}  # checkpoint state
    xt, yt = load_split(args.data, "t10k")
    layers = meta.get("layer_list", args.layers)
    if layers:
        shape = tuple(int(v) for v in meta.get("input_shape", "1x28x28").split("x"))
        model = build_layer_list(layers, shape)
        xt = xt.view(-1, *shape)
    elif "sizes" in meta:
        sizes = [int(s) for s in meta["sizes"].split("-")]
        model = build_model(sizes, meta["hidden_activation"], meta["output_activation"])
    else:
        model = build_model(infer_sizes(tensors))
    model.load_state_dict(tensors, strict=True)
    correct, logits = evaluate(model, xt, yt)
    print(f"correct={correct} count={len(yt)}")
    if "proof" in meta:
        recorded = torch.tensor(json.loads(meta["proof"])["first_logits"], dtype=torch.float32)
        diff = (logits[: len(recorded)] - recorded).abs().max().item()
        print(f"max_logit_diff={diff:.9g}")


def cmd_step(args):
    torch.set_default_dtype(torch.float32)
    tensors, meta = read_file(args.model)
    shape = tuple(int(v) for v in meta["input_shape"].split("x"))
    model = build_layer_list(meta["layer_list"], shape)
    model.load_state_dict(tensors, strict=True)
    batch, _ = read_file(args.batch)
    x = batch["x"].view(-1, *shape)
    labels = batch["labels"].to(torch.int64)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr)
    opt.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    opt.step()
    out = {k: v for k, v in model.state_dict().items()}
    out["logits"] = logits.detach()
    out["loss"] = loss.detach().reshape(1)
    write_file(args.out, out)


def main():
    torch.set_num_threads(1)  # deterministic and polite to the other tests
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--model", choices=["linear", "mlp", "cnn"], default="linear")
    t.add_argument("--layers", default="conv5x5x8,pool2,fc10")
    t.add_argument("--hidden", type=int, default=64)
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--limit", type=int, default=0)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--dtype", choices=sorted(DTYPES), default="F32")
    e = sub.add_parser("eval")
    e.add_argument("--data", required=True)
    e.add_argument("--weights", required=True)
    e.add_argument("--layers", default="")
    s = sub.add_parser("step")
    s.add_argument("--model", required=True)
    s.add_argument("--batch", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--lr", type=float, default=0.1)
    args = p.parse_args()
    {"train": cmd_train, "eval": cmd_eval, "step": cmd_step}[args.cmd](args)


if __name__ == "__main__":
    main()
