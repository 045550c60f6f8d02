// The perceptron & gates panel's settings (the shareable part of its state; the shell
// reads and writes them as gate=, w1=, ... in the settings string) and their limits.
#pragma once

#include <cstdint>

#include "nnplay/gates.h"

namespace nnplay::ui {

struct GatesSettings {
  Gate gate = Gate::AND;
  float w1 = 0.5f, w2 = 0.5f, b = -0.7f;  // the sliders; the tutorial's AND to start
  float perceptron_lr = 0.1f;             // the learning rule's step
  float xor_lr = 1.0f;                    // the 2-2-1 network that learns XOR
  uint64_t xor_seed = 1;
  bool operator==(const GatesSettings&) const = default;
};

// The gate sliders' range: [-2, 2].
constexpr float kWeightLimit = 2.0f;
// The learning rule's weights reach ±3 steps on these gates, so a rate up to 0.5 keeps
// them on the sliders.
constexpr float kMaxPerceptronLr = 0.5f;

}  // namespace nnplay::ui
