// The loss lab's settings (the shareable part of its state) and their limits.
#pragma once

#include <cstdint>
#include <vector>

namespace nnplay::ui {

constexpr int kLogitRows = 3, kLogitCols = 5;  // the tutorial's torch.rand(3, 5)
constexpr float kMaxScale = 1000.0f;  // the logits' multiplier: up to 1000 (where the naive costs break)

struct LossLabSettings {
  uint64_t seed = 1;              // draws the logits and labels
  float scale = 1.0f;             // logits are multiplied by this before every cost
  std::vector<float> logits;      // kLogitRows × kLogitCols when edited by hand, else empty (drawn from seed)
  std::vector<int32_t> labels;    // kLogitRows when edited by hand, else empty
  bool operator==(const LossLabSettings&) const = default;
};

}  // namespace nnplay::ui
