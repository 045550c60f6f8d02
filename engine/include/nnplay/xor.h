// The tutorial's XOR experiment: an MLP trained full-batch on the four XOR points.
// Default: 2-10-10-10-1, sigmoid after every layer, BCE, SGD lr 1, 10001 epochs, seed 777.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/layers.h"
#include "nnplay/optim.h"

namespace nnplay {

struct XorConfig {
  std::vector<int64_t> hidden = {10, 10, 10};
  Activation activation = Activation::Sigmoid;
  LossKind loss = LossKind::BCE;
  OptimizerConfig optimizer = {"sgd", 1.0f, 0.0f, 0.0f};
  int epochs = 10001;
  uint64_t seed = 777;
};

struct XorResult {
  std::vector<float> outputs;    // the model's output for (0,0), (0,1), (1,0), (1,1)
  std::vector<int> predictions;  // output > 0.5
  std::vector<int> targets;      // 0, 1, 1, 0
  double accuracy = 0.0;
  float final_loss = 0.0f;
  std::vector<float> parameters;  // the trained flat parameter buffer
};

// 2-<hidden>-1 with the hidden activation, and a sigmoid output as in the tutorial (BCE
// needs probabilities).
ModelSpec xor_model_spec(const XorConfig& cfg);

// The four inputs and targets, row-major.
const std::vector<float>& xor_inputs();
const std::vector<float>& xor_targets();

// Trains (full batch, one step an epoch, through the engine's Trainer) and evaluates.
// on_epoch(epoch, loss) is called for every epoch (0-based, like the tutorial's loop).
// Throws DivergenceError if the loss turns NaN/inf.
XorResult train_xor(Backend& backend, const XorConfig& cfg,
                    const std::function<void(int epoch, float loss)>& on_epoch = {});

}  // namespace nnplay
