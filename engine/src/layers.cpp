// Linear and activation layers, and Sequential: the forward/backward pairs of the
// engine's models, written once against the Backend interface.
#include "nnplay/layers.h"

#include <cmath>

#include "nnplay/error.h"

namespace nnplay {

// ---------------------------------------------------------------------------------------
// Module: shape checks around the layer's own forward/backward

const Tensor& Module::forward(const Tensor& x) {
  if (x.rank() != 2)
    throw Error(kind() + ".forward: expected a (N, features) input, got shape " + shape_str(x.shape()));
  if (in_features() != 0 && x.dim(1) != in_features())
    throw Error(kind() + ".forward: expected " + std::to_string(in_features()) + " input features, got shape " +
                shape_str(x.shape()));
  x_ = &x;
  if (!y_.backend()) y_ = Tensor(backend_, {0});
  y_.resize({x.dim(0), out_features(x.dim(1))});
  forward_impl(x, y_);
  return y_;
}

const Tensor& Module::backward(const Tensor& dy, bool need_dx) {
  if (!x_) throw Error(kind() + ".backward called before forward");
  if (dy.shape() != y_.shape())
    throw Error(kind() + ".backward: gradient shape " + shape_str(dy.shape()) + " does not match output shape " +
                shape_str(y_.shape()));
  Tensor* dx = nullptr;
  if (need_dx) {
    if (!dx_.backend()) dx_ = Tensor(backend_, {0});
    dx_.resize(x_->shape());
    dx = &dx_;
  }
  backward_impl(*x_, y_, dy, dx);
  return dx_;
}

// ---------------------------------------------------------------------------------------
// Linear

Linear::Linear(Backend& backend, ParameterSet& params, int weight_index, int bias_index, int64_t in, int64_t out)
    : Module(backend), in_(in), out_(out) {
  W_ = params.value_view(weight_index);
  dW_ = params.grad_view(weight_index);
  if (bias_index >= 0) {
    b_ = params.value_view(bias_index);
    db_ = params.grad_view(bias_index);
  }
}

std::string Linear::describe() const {
  return "Linear(" + std::to_string(in_) + ", " + std::to_string(out_) + (b_.empty() ? ", bias=False)" : ")");
}

void Linear::reset_parameters(Rng& rng) {
  // PyTorch: kaiming_uniform_(a=sqrt(5)) on the weight reduces to U(±1/sqrt(fan_in)),
  // and the bias uses the same bound. Weight first, row by row, then bias.
  float bound = 1.0f / std::sqrt(static_cast<float>(in_));
  std::vector<float> w(static_cast<size_t>(W_.numel()));
  for (float& v : w) v = rng.uniform(-bound, bound);
  W_.from_host(w);
  if (!b_.empty()) {
    std::vector<float> b(static_cast<size_t>(b_.numel()));
    for (float& v : b) v = rng.uniform(-bound, bound);
    b_.from_host(b);
  }
}

void Linear::forward_impl(const Tensor& x, Tensor& y) { backend_.linear_forward(x, W_, bias_handed_ ? no_bias_ : b_, y); }

void Linear::backward_impl(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) {
  backend_.linear_backward(x, W_, dy, dx, dW_, bias_handed_ ? no_bias_ : db_);
}

// ---------------------------------------------------------------------------------------
// Activations

std::string ActivationLayer::kind() const {
  switch (act_) {
    case Activation::Sigmoid: return "Sigmoid";
    case Activation::ReLU: return "ReLU";
    case Activation::Tanh: return "Tanh";
    case Activation::Step: return "Step";
    case Activation::None: return "Identity";
  }
  return "?";
}

void ActivationLayer::forward_impl(const Tensor& x, Tensor& y) {
  if (!bias_from_) return backend_.activation_forward(act_, x, y);
  Tensor& z = bias_from_->output_for_fused_bias();
  if (&x != &z) throw Error(kind() + ".forward: this activation adds its Linear's bias, so its input must be that "
                            "layer's output");
  backend_.bias_activation_forward(act_, z, bias_from_->bias(), y);
}

void ActivationLayer::backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) {
  if (!bias_from_) {
    if (dx) backend_.activation_backward(act_, x, y, dy, *dx);
    return;
  }
  // The bias gradient needs dz, so it is computed even when the caller needs no dx.
  if (!dx) throw Error(kind() + ".backward: the bias gradient of the Linear before it needs the input gradient");
  backend_.activation_bias_backward(act_, x, y, dy, *dx, bias_from_->bias_grad());
}

// ---------------------------------------------------------------------------------------
// ModelSpec and Sequential

std::string ModelSpec::describe() const {
  std::string s;
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
  if (sizes.size() > 2) s += std::string(" ") + activation_name(hidden);
  if (output != Activation::None) s += std::string(", ") + activation_name(output) + " output";
  return s;
}

std::vector<int64_t> ModelSpec::parse_sizes(const std::string& s) {
  std::vector<int64_t> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('-', i);
    if (j == std::string::npos) j = s.size();
    std::string part = s.substr(i, j - i);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 9)
      throw Error("layer sizes '" + s + "': expected positive integers separated by '-', like 784-256-10");
    int64_t v = std::stoll(part);
    if (v <= 0) throw Error("layer sizes '" + s + "': every size must be positive");
    out.push_back(v);
    i = j + 1;
  }
  if (out.size() < 2) throw Error("layer sizes '" + s + "': need at least an input and an output size");
  return out;
}

Sequential::Sequential(Backend& backend, const ModelSpec& spec, Rng& rng) : backend_(backend), spec_(spec) {
  if (spec.sizes.size() < 2) throw Error("Sequential: a model needs at least an input and an output size");
  for (int64_t s : spec.sizes)
    if (s <= 0) throw Error("Sequential: layer sizes must be positive, got " + spec.describe());

  // Parameter names follow PyTorch's state_dict: a bare nn.Linear has "weight"/"bias";
  // inside nn.Sequential each module (activations included) takes the next index.
  const size_t n_linear = spec.sizes.size() - 1;
  const bool bare_linear = n_linear == 1 && spec.output == Activation::None;
  struct Pending { int w, b; int64_t in, out; Activation after; };
  std::vector<Pending> pending;
  int module_index = 0;
  for (size_t i = 0; i < n_linear; ++i) {
    std::string prefix = bare_linear ? "" : std::to_string(module_index) + ".";
    int64_t in = spec.sizes[i], out = spec.sizes[i + 1];
    int w = params_.declare(prefix + "weight", {out, in});
    int b = spec.bias ? params_.declare(prefix + "bias", {out}) : -1;
    Activation after = (i + 1 < n_linear) ? spec.hidden : spec.output;
    pending.push_back({w, b, in, out, after});
    module_index += (after == Activation::None) ? 1 : 2;
  }
  params_.allocate(backend);
  for (const Pending& p : pending) {
    auto lin = std::make_unique<Linear>(backend, params_, p.w, p.b, p.in, p.out);
    lin->reset_parameters(rng);
    Linear* linear = lin.get();
    layers_.push_back(std::move(lin));
    if (p.after != Activation::None) {
      auto act = std::make_unique<ActivationLayer>(backend, p.after);
      // Bias and activation in one pass over the layer's output (Backend::bias_activation_forward).
      if (p.b >= 0) {
        linear->hand_bias_to_next_activation();
        act->take_bias_from(linear);
      }
      layers_.push_back(std::move(act));
    }
  }
}

const Tensor& Sequential::forward(const Tensor& x) {
  const Tensor* h = &x;
  for (auto& layer : layers_) h = &layer->forward(*h);
  return *h;
}

void Sequential::backward(const Tensor& dy) {
  const Tensor* g = &dy;
  for (size_t i = layers_.size(); i-- > 0;) g = &layers_[i]->backward(*g, /*need_dx=*/i > 0);
}

std::vector<Linear*> Sequential::linears() {
  std::vector<Linear*> out;
  for (auto& l : layers_)
    if (auto* lin = dynamic_cast<Linear*>(l.get())) out.push_back(lin);
  return out;
}

void Sequential::set_hidden_activation(Activation a) {
  if (a == Activation::None) throw Error("hidden activation cannot be none");
  spec_.hidden = a;
  // Every activation but one that follows the last Linear is a hidden one.
  for (size_t i = 0; i + 1 < layers_.size(); ++i)
    if (auto* act = dynamic_cast<ActivationLayer*>(layers_[i].get())) act->set_activation(a);
}

}  // namespace nnplay
