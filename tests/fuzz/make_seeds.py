#!/usr/bin/env python3
"""Writes one fuzz target's seed corpus: small inputs, valid and not, each under the
4096 bytes scripts/fuzz.sh lets libFuzzer use. The seeds of each target are in
seeds_TARGET.py; nothing but the standard library is needed.

Usage: make_seeds.py TARGET OUT_DIR   (TARGET: safetensors idx checkpoint settings strokes layer_list)
"""
import importlib
import os
import sys

MAX_LEN = 4096


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    target, out = sys.argv[1], sys.argv[2]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    seeds = importlib.import_module("seeds_" + target).seeds()
    os.makedirs(out, exist_ok=True)
    for name, data in seeds.items():
        data = data.encode() if isinstance(data, str) else data
        assert len(data) <= MAX_LEN, f"{target} seed {name} is {len(data)} bytes"
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"make_seeds.py: {len(seeds)} {target} seeds in {out}")


if __name__ == "__main__":
    main()
