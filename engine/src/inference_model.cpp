// The UI thread's read-only copy of a model (see inference_model.h).
#include "nnplay/inference_model.h"

namespace nnplay {

InferenceModel::InferenceModel() : backend_(make_cpu_backend(1)) {}
InferenceModel::~InferenceModel() = default;

bool InferenceModel::set_weights(const ModelSpec& spec, const std::vector<float>& params, uint64_t version) {
  const bool same_layers = model_ && spec.sizes == spec_.sizes && spec.output == spec_.output && spec.bias == spec_.bias &&
                           spec.layers == spec_.layers && spec.input == spec_.input;
  if (same_layers && spec.hidden == spec_.hidden && version == version_ && params.size() == params_.size()) return true;
  if (!same_layers) {
    Rng unused(0);  // the weights are overwritten below
    model_ = std::make_unique<Sequential>(*backend_, spec, unused);
  } else if (spec.hidden != spec_.hidden) {
    model_->set_hidden_activation(spec.hidden);
  }
  spec_ = spec;
  if (int64_t(params.size()) != model_->parameters().total()) {
    model_.reset();
    params_.clear();
    return false;
  }
  model_->parameters().data().from_host(params);
  params_ = params;
  version_ = version;
  return true;
}

const float* InferenceModel::parameter(size_t index, Shape* shape) const {
  if (!model_ || index >= model_->parameters().entries().size()) return nullptr;
  const ParameterEntry& e = model_->parameters().entries()[index];
  if (shape) *shape = e.shape;
  return params_.data() + e.offset;
}

std::vector<float> InferenceModel::forward(const float* x, int64_t rows) {
  if (!model_ || rows <= 0) return {};
  if (!x_.backend()) x_ = Tensor(*backend_, {0});
  x_.resize({rows, model_->in_features()});
  x_.from_host(x, rows * model_->in_features());
  return model_->forward(x_).to_host();
}

std::vector<float> InferenceModel::layer_output(size_t i) const {
  if (!model_ || i >= model_->size()) return {};
  return model_->layer(i).output().to_host();
}

}  // namespace nnplay
