// Linear and activation layers, and Sequential: the forward/backward pairs of the
// engine's models, written once against the Backend interface. Sequential builds any
// model from its module plan (layer_list.h), MLPs and convolutional networks alike.
#include "nnplay/layers.h"

#include <cmath>

#include "nnplay/conv_layers.h"
#include "nnplay/error.h"
#include "nnplay/layer_list.h"

namespace nnplay {

// ---------------------------------------------------------------------------------------
// Module: shape checks around the layer's own forward/backward

const Tensor& Module::forward(const Tensor& x) {
  if (x.rank() < 2)
    throw Error(kind() + ".forward: expected a (N, features) input, got shape " + shape_str(x.shape()));
  const int64_t features = x.dim(0) ? x.numel() / x.dim(0) : shape_numel(Shape(x.shape().begin() + 1, x.shape().end()));
  if (in_features() != 0 && features != in_features())
    throw Error(kind() + ".forward: expected " + std::to_string(in_features()) + " input features, got shape " +
                shape_str(x.shape()));
  x_ = &x;
  if (!y_.backend()) y_ = Tensor(backend_, {0});
  y_.resize(output_shape(x.shape()));
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

Shape Linear::output_shape(const Shape& x) const {
  if (x.size() != 2)
    throw Error("Linear.forward: expected a (N, features) input, got shape " + shape_str(x) +
                " (a Flatten before it turns images into rows)");
  return {x[0], out_};
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
  if (is_layer_list()) return layers + " on " + shape_text(input);
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

bool ModelSpec::same_architecture(const ModelSpec& o) const {
  return sizes == o.sizes && hidden == o.hidden && output == o.output && bias == o.bias && layers == o.layers &&
         input == o.input;
}

ModelSpec ModelSpec::from_layers(const std::string& text, const Shape& input) {
  ModelSpec spec;
  spec.layers = format_layer_list(parse_layer_list(text));
  spec.input = input;
  const std::vector<ModulePlan> plan = plan_modules(spec);  // checks that every layer fits
  spec.sizes = {shape_numel(input), shape_numel(plan.back().out)};
  spec.hidden = Activation::ReLU;
  spec.output = Activation::None;
  spec.bias = true;
  return spec;
}

Sequential::Sequential(Backend& backend, const ModelSpec& spec, Rng& rng) : backend_(backend), spec_(spec) {
  // Parameter names follow PyTorch's state_dict: a bare nn.Linear has "weight"/"bias";
  // inside nn.Sequential each module (activations, pooling, Flatten included) takes the
  // next index. All are declared first, so that they share one buffer, then each layer
  // is built and initialised in order.
  const std::vector<ModulePlan> plan = plan_modules(spec);
  std::vector<int> weight(plan.size(), -1), bias(plan.size(), -1);
  for (size_t i = 0; i < plan.size(); ++i) {
    const ModulePlan& m = plan[i];
    if (m.layer.kind == LayerKind::Linear) {
      weight[i] = params_.declare(m.prefix + "weight", {m.out[0], m.in[0]});
      if (m.bias) bias[i] = params_.declare(m.prefix + "bias", {m.out[0]});
    } else if (m.layer.kind == LayerKind::Conv2d) {
      weight[i] = params_.declare(m.prefix + "weight", {m.layer.out, m.in[0], m.layer.kh, m.layer.kw});
      if (m.bias) bias[i] = params_.declare(m.prefix + "bias", {m.layer.out});
    }
  }
  params_.allocate(backend);
  for (const ModulePlan& m : plan)
    if (m.layer.kind == LayerKind::Dropout) dropout_rng_ = std::make_unique<Rng>();
  for (size_t i = 0; i < plan.size(); ++i) {
    const ModulePlan& m = plan[i];
    const LayerDesc& d = m.layer;
    switch (d.kind) {
      case LayerKind::Linear: {
        auto lin = std::make_unique<Linear>(backend, params_, weight[i], bias[i], m.in[0], m.out[0]);
        lin->reset_parameters(rng);
        layers_.push_back(std::move(lin));
        break;
      }
      case LayerKind::Conv2d: {
        const Conv2dGeometry g{m.in[0], m.in[1], m.in[2], d.out, d.kh, d.kw, d.stride, d.padding};
        auto conv = std::make_unique<Conv2d>(backend, params_, weight[i], bias[i], g);
        conv->reset_parameters(rng);
        layers_.push_back(std::move(conv));
        break;
      }
      case LayerKind::MaxPool2d:
        layers_.push_back(std::make_unique<MaxPool2d>(backend, Pool2dGeometry{m.in[0], m.in[1], m.in[2], d.kh, d.stride}));
        break;
      case LayerKind::Flatten:
        layers_.push_back(std::make_unique<Flatten>(backend));
        break;
      case LayerKind::Dropout:
        layers_.push_back(std::make_unique<Dropout>(backend, d.p, *dropout_rng_));
        break;
      case LayerKind::Activation: {
        auto act = std::make_unique<ActivationLayer>(backend, d.act);
        // Bias and activation in one pass over a Linear layer's output (Backend::bias_activation_forward).
        auto* linear = layers_.empty() ? nullptr : dynamic_cast<Linear*>(layers_.back().get());
        if (linear && !linear->bias().empty()) {
          linear->hand_bias_to_next_activation();
          act->take_bias_from(linear);
        }
        layers_.push_back(std::move(act));
        break;
      }
    }
  }
  // Drawn after the weights, so that adding Dropout changes no initial weight.
  if (dropout_rng_) {
    const uint64_t lo = rng.next_u32(), hi = rng.next_u32();
    dropout_rng_->reseed(lo | (hi << 32));
  }
}

void Sequential::set_training(bool on) {
  training_ = on;
  for (auto& l : layers_) l->set_training(on);
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
