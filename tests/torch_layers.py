"""nnplay's layer lists (engine/include/nnplay/layer_list.h) as PyTorch nn.Sequential models.

Written from the list's documented grammar, independently of nnplay's parser, so that the
tests compare two readings of the same text: an activation after every conv and every fc
but the last, nn.Flatten before the first fc that follows a [C, H, W] shape, and PyTorch's
own layers and initialisation throughout.
"""
import re

import torch.nn as nn

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
CONV = re.compile(r"conv(\d+)x(\d+)(?:x(\d+))?((?:/?[sp]\d+)*)$")
POOL = re.compile(r"pool(\d+)((?:/?s\d+)?)$")


def modifiers(text):
    return {k: int(v) for k, v in re.findall(r"([sp])(\d+)", text)}


def build_layer_list(text, input_shape):
    tokens = [t.strip() for t in text.split(",")]
    last_fc = max(i for i, t in enumerate(tokens) if t.startswith("fc"))
    shape = list(input_shape)
    act = nn.ReLU
    modules = []
    for i, t in enumerate(tokens):
        if t in ACTIVATIONS:
            act = ACTIVATIONS[t]
        elif CONV.match(t):
            a, b, c, mods = CONV.match(t).groups()
            kh, kw, out = (int(a), int(b), int(c)) if c else (int(a), int(a), int(b))
            m = modifiers(mods)
            stride, pad = m.get("s", 1), m.get("p", 0)
            modules += [nn.Conv2d(shape[0], out, (kh, kw), stride=stride, padding=pad), act()]
            shape = [out, (shape[1] + 2 * pad - kh) // stride + 1, (shape[2] + 2 * pad - kw) // stride + 1]
        elif POOL.match(t):
            k, mods = POOL.match(t).groups()
            k = int(k)
            stride = modifiers(mods).get("s", k)
            modules.append(nn.MaxPool2d(k, stride))
            shape = [shape[0], (shape[1] - k) // stride + 1, (shape[2] - k) // stride + 1]
        elif t == "flatten" or (t.startswith("fc") and len(shape) > 1):
            modules.append(nn.Flatten())
            shape = [shape[0] * shape[1] * shape[2]] if len(shape) == 3 else [shape[0] * shape[1]]
        if t.startswith("fc"):
            out = int(t[2:])
            modules.append(nn.Linear(shape[0], out))
            shape = [out]
            if i != last_fc:
                modules.append(act())
        elif t.startswith("dropout"):
            modules.append(nn.Dropout(float(t[7:])))
    return nn.Sequential(*modules)
