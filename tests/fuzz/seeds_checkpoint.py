"""Seeds for the checkpoint target: checkpoints of the three runs fuzz_checkpoint.cpp
holds (linear + SGD, linear + SGD with momentum, 4-5-3 MLP + Adam), written with the
metadata save_checkpoint writes, and damaged copies."""
import struct

from seeds_safetensors import entry, f32, image


def f32_text(x):
    """save_checkpoint's float format: nine significant digits of the float32 value."""
    return "%.9g" % struct.unpack("<f", struct.pack("<f", x))[0]


def checkpoint(sizes, opt, lr, momentum, extra_meta, state_names, epoch="1"):
    layers, params = [], 0
    for i in range(len(sizes) - 1):
        # A single Linear is saved under PyTorch's bare names, a stack under nn.Sequential's.
        prefix = "" if len(sizes) == 2 else f"{2 * i}."
        layers.append((prefix + "weight", [sizes[i + 1], sizes[i]]))
        layers.append((prefix + "bias", [sizes[i + 1]]))
    for _, shape in layers:
        n = 1
        for d in shape:
            n *= d
        params += n
    meta = {"format": "nnplay-checkpoint", "nnplay_version": "fuzz", "sizes": "-".join(map(str, sizes)),
            "hidden_activation": "relu", "output_activation": "none", "bias": "true",
            "checkpoint.epoch": epoch, "optimizer.name": opt, "optimizer.lr": f32_text(lr),
            "optimizer.momentum": f32_text(momentum), "optimizer.weight_decay": "0", "batch": "2", "seed": "7",
            "train_count": "6", "dataset": "fuzz set", "loader.rng_state": "12345", "loader.rng_inc": "54321"}
    meta.update(extra_meta)
    header, data = {"__metadata__": meta}, b""
    tensors = [(name, shape) for name, shape in layers] + [(name, [params]) for name in state_names]
    for k, (name, shape) in enumerate(tensors):
        n = 1
        for d in shape:
            n *= d
        values = f32([0.01 * ((k * 7 + i) % 13) for i in range(n)])
        header[name] = entry("F32", shape, len(data), len(data) + len(values))
        data += values
    return image(header, data)


def seeds():
    sgd = checkpoint([4, 3], "sgd", 0.1, 0.0, {"optimizer.first_step": "false"}, [])
    momentum = checkpoint([4, 3], "sgd", 0.1, 0.9, {"optimizer.first_step": "false"},
                          ["nnplay.optimizer.momentum_buffer"])
    adam = checkpoint([4, 5, 3], "adam", 0.001, 0.0, {"optimizer.step": "3"},
                      ["nnplay.optimizer.exp_avg", "nnplay.optimizer.exp_avg_sq"])
    return {
        "sgd": sgd,
        "momentum": momentum,
        "adam": adam,
        "adam_wrong_step": checkpoint([4, 5, 3], "adam", 0.001, 0.0, {"optimizer.step": "-1"},
                                      ["nnplay.optimizer.exp_avg", "nnplay.optimizer.exp_avg_sq"]),
        "even_rng_inc": checkpoint([4, 3], "sgd", 0.1, 0.0,
                                   {"optimizer.first_step": "true", "loader.rng_inc": "2"}, []),
        "huge_epoch": checkpoint([4, 3], "sgd", 0.1, 0.0, {"optimizer.first_step": "true"}, [],
                                 epoch="99999999999999999999999"),
        "model_not_checkpoint": checkpoint([4, 3], "sgd", 0.1, 0.0, {"format": "nnplay-model"}, []),
        "adam_state_in_sgd": checkpoint([4, 3], "sgd", 0.1, 0.9, {"optimizer.first_step": "false"},
                                        ["nnplay.optimizer.momentum_buffer", "nnplay.optimizer.exp_avg"]),
        "truncated": adam[:-40],
    }
