// Classifying single digits on the UI thread (the drawing pad, the test-image browser):
// the engine's InferenceModel, kept in step with the weights the training session
// publishes, with the softmax of its ten logits.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nnplay/inference_model.h"
#include "widgets/digit_probabilities.h"

namespace nnplay::ui {


// One convolutional layer's output for one image: `channels` maps of height × width,
// after the layer's activation (what the next layer reads).
struct FeatureMaps {
  std::string layer;  // the Conv2d as PyTorch prints it
  int channels = 0, height = 0, width = 0;
  std::vector<float> values;  // channels × height × width
};

class MnistPredictor {
 public:
  // Takes these weights for this architecture (see InferenceModel::set_weights).
  void set_weights(const ModelSpec& spec, const std::vector<float>& params, uint64_t version) {
    model_.set_weights(spec, params, version);
  }
  bool ready() const { return model_.ready(); }
  uint64_t version() const { return model_.version(); }
  const ModelSpec& spec() const { return model_.spec(); }
  const std::vector<float>& params() const { return model_.params(); }
  // The first Linear layer's weights, rows × 784 in the host copy (null when not ready or
  // when the model starts with a convolution).
  const float* first_layer(int64_t& rows) const;
  // The first Conv2d's filters, [out_c, in_c, kh, kw] in the host copy (null when the model
  // has no convolution first).
  const float* first_filters(Shape& shape) const;
  // After probabilities(): each Conv2d's output for that image (empty for an MLP).
  std::vector<FeatureMaps> feature_maps() const;

  // Softmax probabilities of one 784-value image in [0, 1] (all NaN when not ready).
  DigitProbabilities probabilities(const float* image);
  // Probabilities of a uint8 image (0..255), as the loader scales them.
  DigitProbabilities probabilities(const uint8_t* image);

 private:
  InferenceModel model_;
  std::vector<float> scratch_;
};

}  // namespace nnplay::ui
