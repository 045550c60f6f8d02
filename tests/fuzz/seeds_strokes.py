"""Seeds for the strokes target: drawings in the "mnist.draw=" JSON form (pad units,
[0, 1] across the pad), malformed JSON, and raw float strokes for the engine."""
import struct


def floats(*values):
    return struct.pack("<%df" % len(values), *values)


def seeds():
    one = "[[[0.5,0.2],[0.5,0.8]]]"
    return {
        "one": one,
        "seven": "[[[0.3,0.25],[0.7,0.25],[0.45,0.8]]]",
        "dot": "[[[0.5,0.5]]]",
        "two_strokes": "[[[0.2,0.2],[0.8,0.8]], [[0.8,0.2],[0.2,0.8]]]",
        "empty": "[]",
        "empty_stroke": "[[]]",
        "outside": "[[[-5,-5],[6,7]],[[1e30,-1e30],[3.4e38,0]]]",
        "tiny": "[[[0.5,0.5],[0.5000001,0.5]]]",
        "malformed": "[[[0.5,0.2],[0.5,]]]",
        "raw_floats": floats(0.045, 0.5, 0.2, 0.5, 0.8, 1e6, 0, 0.3, 0.3, 0.6, 0.6),
        "raw_extremes": floats(3.0e38, float("inf"), float("nan"), -1e38, 1e38, 0.5, 0.5),
        "raw_huge_radius": floats(1e30, 0.5, 0.5, 0.6, 0.6),
    }
