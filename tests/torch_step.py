#!/usr/bin/env python3
"""One training step in PyTorch, every quantity recorded, to check nnplay's step trace.

  torch_step.py CASE OUT [--max-values 2048]

CASE is a step case file nnplay writes (engine/include/nnplay/step_record.h): the initial
parameters under their state_dict names, the batch ("x", and "labels" or "targets") and
metadata naming the model, the loss and the learning rate. The step is PyTorch's own:
torch.nn modules, nn.CrossEntropyLoss on the logits (or nn.BCELoss on sigmoid outputs,
nn.MSELoss), loss.backward() and torch.optim.SGD.

OUT gets PyTorch's values under the keys of nnplay's trace: out.<i> and dout.<i> (each
module's output and dL/d that output), softmax and onehot (cross-entropy), loss, and
grad.<name>, lr_grad.<name>, new.<name> per parameter. A tensor of more than --max-values
values is kept every k-th value, k = ceil(size / max), with metadata "stride.<key>" = k,
so that recordings of the MNIST models stay small. The metadata also carries the case's
hash ("case"), model, loss, lr and the torch version.
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from torch_layers import build_layer_list  # noqa: E402
from write_safetensors import build_model, read_file, write_file  # noqa: E402

BATCH_KEYS = ("x", "labels", "targets")


def build(meta):
    if "layer_list" in meta:
        shape = tuple(int(v) for v in meta["input_shape"].split("x"))
        return build_layer_list(meta["layer_list"], shape), shape
    sizes = [int(v) for v in meta["sizes"].split("-")]
    return build_model(sizes, meta.get("hidden_activation", "relu"), meta.get("output_activation", "none")), None


def step(tensors, meta):
    model, shape = build(meta)
    model.load_state_dict({k: v for k, v in tensors.items() if k not in BATCH_KEYS}, strict=True)
    model.train()
    modules = list(model) if isinstance(model, nn.Sequential) else [model]
    x = tensors["x"] if shape is None else tensors["x"].view(-1, *shape)
    lr = float(meta["lr"])
    loss_kind = meta["loss"]

    opt = torch.optim.SGD(model.parameters(), lr=lr)
    opt.zero_grad()
    outs = []
    h = x
    for m in modules:
        h = m(h)
        h.retain_grad()  # dL/d(each module's output), as nnplay's backward leaves it
        outs.append(h)
    if loss_kind == "cross_entropy":
        labels = tensors["labels"].to(torch.int64)
        loss = nn.CrossEntropyLoss()(h, labels)
    elif loss_kind == "bce":
        loss = nn.BCELoss()(h, tensors["targets"])
    elif loss_kind == "mse":
        loss = nn.MSELoss()(h, tensors["targets"])
    else:
        sys.exit(f"torch_step.py: loss {loss_kind} is not supported")
    loss.backward()

    rec = {"loss": loss.detach().reshape(1)}
    for i, o in enumerate(outs):
        rec[f"out.{i}"] = o.detach()
        rec[f"dout.{i}"] = o.grad.detach()
    if loss_kind == "cross_entropy":
        rec["softmax"] = torch.softmax(h.detach(), dim=1)
        rec["onehot"] = F.one_hot(labels, h.shape[1]).to(torch.float32)
    named = dict(model.named_parameters())
    for name, p in named.items():
        rec[f"grad.{name}"] = p.grad.detach().clone()
        rec[f"lr_grad.{name}"] = (lr * p.grad).detach()
    opt.step()
    for name, p in named.items():
        rec[f"new.{name}"] = p.detach().clone()
    return rec


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("case")
    p.add_argument("out")
    p.add_argument("--max-values", type=int, default=2048)
    args = p.parse_args()
    torch.set_num_threads(1)  # deterministic and polite to the other tests
    torch.set_default_dtype(torch.float32)
    tensors, meta = read_file(args.case)
    rec = step(tensors, meta)

    out_meta = {k: meta[k] for k in ("case", "model", "loss", "lr")}
    out_meta["torch"] = torch.__version__
    kept = {}
    for key, t in rec.items():
        flat = t.reshape(-1)
        if flat.numel() > args.max_values:
            stride = math.ceil(flat.numel() / args.max_values)
            out_meta[f"stride.{key}"] = str(stride)
            kept[key] = flat[::stride].contiguous()
        else:
            kept[key] = t.contiguous()
    write_file(args.out, kept, metadata=out_meta)
    print(f"loss={float(rec['loss'][0]):.9g} quantities={len(kept)}")


if __name__ == "__main__":
    main()
