// A model for reading only: a CPU copy of weights that a training run publishes, so that
// a UI thread can predict (the drawing pad, the network lab's decision map) without
// touching the model being trained, a worker thread or a GPU, and with the same engine
// code as training.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/layers.h"

namespace nnplay {

class InferenceModel {
 public:
  InferenceModel();
  ~InferenceModel();

  // Takes these weights for this architecture: rebuilds the model when the spec differs
  // (an activation change alone is applied in place), otherwise copies the values only
  // when version differs from the last one. Weights that do not fit leave no model (no
  // predictions rather than wrong ones) and return false.
  bool set_weights(const ModelSpec& spec, const std::vector<float>& params, uint64_t version);
  bool ready() const { return model_ != nullptr; }
  uint64_t version() const { return version_; }
  const ModelSpec& spec() const { return spec_; }
  const std::vector<float>& params() const { return params_; }  // the host copy
  // The host copy's values of one parameter ("0.weight"), and its shape; null when not ready.
  const float* parameter(size_t index, Shape* shape = nullptr) const;

  // The outputs for `rows` inputs (row-major, in_features each), [rows, out_features].
  // Empty when not ready.
  std::vector<float> forward(const float* x, int64_t rows);
  // After forward: layer i's output for those rows (the hidden activations).
  std::vector<float> layer_output(size_t i) const;
  size_t layers() const { return model_ ? model_->size() : 0; }
  const Module* layer(size_t i) const { return model_ ? &model_->layer(i) : nullptr; }

 private:
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Sequential> model_;
  ModelSpec spec_;
  std::vector<float> params_;
  uint64_t version_ = 0;
  Tensor x_;
};

}  // namespace nnplay
