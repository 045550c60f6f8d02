"""Seeds for the safetensors target: small files, valid and not, and the format's helpers
(the checkpoint seeds build on them). Uses json + struct only."""
import json
import struct


def image(header, data=b"", length=None):
    """A safetensors file: the 8-byte header length, the JSON header padded to 8 bytes, the data."""
    text = header if isinstance(header, bytes) else json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text) if length is None else length) + text + data


def f32(values):
    return struct.pack("<%df" % len(values), *values)


def entry(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


def seeds():
    w = f32([0.5 * i for i in range(12)])
    b = f32([1.0, -1.0, 2.0])
    return {
        # nnplay's own layout: metadata, a bare Linear(4, 3)
        "nnplay_linear": image({"__metadata__": {"format": "nnplay-model", "sizes": "4-3", "hidden_activation": "relu",
                                                 "output_activation": "none", "bias": "true"},
                                "weight": entry("F32", [3, 4], 0, 48), "bias": entry("F32", [3], 48, 60)}, w + b),
        # PyTorch nn.Sequential names, no metadata: inferred 2-3-2
        "torch_sequential": image({"0.bias": entry("F32", [3], 0, 12), "0.weight": entry("F32", [3, 2], 12, 36),
                                   "2.bias": entry("F32", [2], 36, 44), "2.weight": entry("F32", [2, 3], 44, 68)},
                                  b + f32([0.1] * 6) + f32([0.2, 0.3]) + f32([0.4] * 6)),
        "f16": image({"h": entry("F16", [2, 2], 0, 8)}, struct.pack("<4H", 0x3C00, 0xC000, 0x0001, 0x7BFF)),
        "bf16": image({"b": entry("BF16", [3], 0, 6)}, struct.pack("<3H", 0x3F80, 0xC040, 0x0001)),
        "empty": image(b"{}"),
        "empty_tensor": image({"e": entry("F32", [0, 4], 0, 0), "w": entry("F32", [1], 0, 4)}, f32([1.0])),
        "truncated": image({"weight": entry("F32", [3, 4], 0, 48)}, w[:20]),
        "bad_json": image(b'{"weight":{"dtype":"F32",'),
        "overlap": image({"a": entry("F32", [2], 0, 8), "b": entry("F32", [2], 4, 12)}, f32([1, 2, 3])),
        "huge_length": image(b"{}", length=1 << 62),
        "wrong_dtype": image({"i": entry("I32", [1], 0, 4)}, b"\0\0\0\0"),
    }
