// Single-digit inference on the UI thread with the engine's own layers.
#include "mnist_predictor.h"

#include <algorithm>
#include <cmath>
#include <numeric>


namespace nnplay::ui {

MnistPredictor::MnistPredictor() : backend_(make_cpu_backend(1)) {}
MnistPredictor::~MnistPredictor() = default;

void MnistPredictor::set_weights(const ModelSpec& spec, const std::vector<float>& params, uint64_t version) {
  const bool same_spec = model_ && spec.sizes == spec_.sizes && spec.hidden == spec_.hidden &&
                         spec.output == spec_.output && spec.bias == spec_.bias;
  if (same_spec && version == version_ && params.size() == params_.size()) return;
  if (!same_spec) {
    Rng unused(0);
    model_ = std::make_unique<Sequential>(*backend_, spec, unused);
    spec_ = spec;
  }
  if (int64_t(params.size()) != model_->parameters().total()) {
    model_.reset();  // weights that do not fit: no predictions rather than wrong ones
    return;
  }
  model_->parameters().data().from_host(params);
  params_ = params;
  version_ = version;
}

const float* MnistPredictor::first_layer(int64_t& rows) const {
  rows = 0;
  if (!model_) return nullptr;
  const ParameterEntry& w = model_->parameters().entries().front();  // "0.weight", [out, 784]
  rows = w.shape[0];
  return params_.data() + w.offset;
}

DigitProbabilities MnistPredictor::probabilities(const float* image) {
  DigitProbabilities p;
  p.fill(NAN);
  if (!model_) return p;
  if (x_.backend() == nullptr) x_ = Tensor(*backend_, {1, 784});
  x_.from_host(image, 784);
  const std::vector<float> logits = model_->forward(x_).to_host();
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
