// The settings of a small network trained on 2-D points: the network lab's (the
// shareable part of its state) and the gates panel's 2-2-1 XOR network's, with their limits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/datasets2d.h"
#include "nnplay/xor.h"

namespace nnplay::ui {

struct NetworkSettings {
  Toy2D dataset = Toy2D::Xor;
  int points = 200;
  float noise = 0.05f;
  float test_fraction = 0.3f;
  // The model and its training default to the tutorial's XOR recipe (XorConfig, xor.h).
  std::vector<int64_t> layers = xor_model_spec(XorConfig{}).sizes;
  Activation activation = XorConfig{}.activation;
  LossKind loss = XorConfig{}.loss;
  std::string optimizer = XorConfig{}.optimizer.name;
  float lr = XorConfig{}.optimizer.lr;
  int batch = 0;  // 0: the whole training set in one batch (the tutorial's full-batch XOR)
  uint64_t seed = XorConfig{}.seed;
  int epochs = XorConfig{}.epochs;  // training pauses when this many epochs are done
  int speed = 0;       // epochs per second at most, to watch training unfold; 0: as fast as it goes
  bool operator==(const NetworkSettings&) const = default;
};

constexpr int kMaxHiddenLayers = 6;
constexpr int kMaxWidth = 64;
constexpr int kMaxBatch = 20000;
constexpr int kMaxEpochs = 10000000;
constexpr int kMaxSpeed = 100000;

}  // namespace nnplay::ui
