// Classifying single digits on the UI thread (the drawing pad, the test-image browser):
// a CPU copy of the model, kept in step with the weights the training session publishes,
// so that a prediction never waits for the trainer (or a GPU) and always uses the same
// engine code as training.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/layers.h"

namespace nnplay::ui {

using DigitProbabilities = std::array<float, 10>;

class MnistPredictor {
 public:
  MnistPredictor();
  ~MnistPredictor();

  // Takes these weights for this architecture (rebuilds the model when the spec changes;
  // otherwise copies the values only when `version` differs from the last one).
  void set_weights(const ModelSpec& spec, const std::vector<float>& params, uint64_t version);
  bool ready() const { return model_ != nullptr; }
  uint64_t version() const { return version_; }
  const ModelSpec& spec() const { return spec_; }
  const std::vector<float>& params() const { return params_; }  // the host copy
  // The first Linear layer's weights, rows × 784 in the host copy (null when not ready).
  const float* first_layer(int64_t& rows) const;

  // Softmax probabilities of one 784-value image in [0, 1] (all NaN when not ready).
  DigitProbabilities probabilities(const float* image);
  // Probabilities of a uint8 image (0..255), as the loader scales them.
  DigitProbabilities probabilities(const uint8_t* image);

 private:
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Sequential> model_;
  ModelSpec spec_;
  std::vector<float> params_;
  uint64_t version_ = 0;
  Tensor x_;
  std::vector<float> scratch_;
};

// The index of the largest probability, and the three largest in order.
int argmax(const DigitProbabilities& p);
std::array<int, 3> top3(const DigitProbabilities& p);

}  // namespace nnplay::ui
