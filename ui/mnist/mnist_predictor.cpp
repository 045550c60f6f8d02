// Single-digit inference on the UI thread: the softmax of the InferenceModel's logits.
#include "mnist/mnist_predictor.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "nnplay/conv_layers.h"


namespace nnplay::ui {

const float* MnistPredictor::first_layer(int64_t& rows) const {
  Shape shape;
  const float* w = model_.parameter(0, &shape);  // "0.weight", [out, 784]
  if (!w || shape.size() != 2 || shape[1] != 784) w = nullptr;
  rows = w ? shape[0] : 0;
  return w;
}

const float* MnistPredictor::first_filters(Shape& shape) const {
  if (!model_.ready() || model_.layers() == 0 || !dynamic_cast<const Conv2d*>(model_.layer(0))) return nullptr;
  return model_.parameter(0, &shape);  // "0.weight", [out_c, in_c, kh, kw]
}

std::vector<FeatureMaps> MnistPredictor::feature_maps() const {
  std::vector<FeatureMaps> maps;
  for (size_t i = 0; i < model_.layers(); ++i) {
    const auto* conv = dynamic_cast<const Conv2d*>(model_.layer(i));
    if (!conv) continue;
    // The activation's output when one follows: that is what the next layer sees.
    const bool activated = i + 1 < model_.layers() && dynamic_cast<const ActivationLayer*>(model_.layer(i + 1));
    const Conv2dGeometry& g = conv->geometry();
    FeatureMaps f;
    f.layer = conv->describe();
    f.channels = int(g.out_c);
    f.height = int(g.out_h());
    f.width = int(g.out_w());
    f.values = model_.layer_output(activated ? i + 1 : i);
    // Only the first image's maps (a forward of one image leaves exactly those).
    f.values.resize(size_t(f.channels) * size_t(f.height) * size_t(f.width));
    maps.push_back(std::move(f));
  }
  return maps;
}

DigitProbabilities MnistPredictor::probabilities(const float* image) {
  DigitProbabilities p;
  p.fill(NAN);
  const std::vector<float> logits = model_.forward(image, 1);
  if (logits.size() != 10) return p;
  // Softmax with the maximum subtracted, so large logits cannot overflow exp().
  const float m = *std::max_element(logits.begin(), logits.end());
  float sum = 0;
  for (int k = 0; k < 10; ++k) sum += (p[size_t(k)] = std::exp(logits[size_t(k)] - m));
  for (float& v : p) v /= sum;
  return p;
}

DigitProbabilities MnistPredictor::probabilities(const uint8_t* image) {
  scratch_.resize(784);
  for (int i = 0; i < 784; ++i) scratch_[size_t(i)] = float(image[i]) * (1.0f / 255.0f);
  return probabilities(scratch_.data());
}

}  // namespace nnplay::ui
