// Single-digit inference on the UI thread: the softmax of the InferenceModel's logits.
#include "mnist_predictor.h"

#include <algorithm>
#include <cmath>
#include <numeric>


namespace nnplay::ui {

const float* MnistPredictor::first_layer(int64_t& rows) const {
  Shape shape;
  const float* w = model_.parameter(0, &shape);  // "0.weight", [out, 784]
  rows = w ? shape[0] : 0;
  return w;
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

int argmax(const DigitProbabilities& p) {
  int best = 0;
  for (int k = 1; k < 10; ++k)
    if (p[size_t(k)] > p[size_t(best)]) best = k;
  return best;
}

std::array<int, 3> top3(const DigitProbabilities& p) {
  std::array<int, 10> order;
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
  return {order[0], order[1], order[2]};
}

}  // namespace nnplay::ui
