// Conv2d, MaxPool2d, Flatten and Dropout: the forward/backward pairs of convolutional
// networks, written once against the Backend interface (see conv_layers.h).
#include "nnplay/conv_layers.h"

#include <cmath>
#include <cstdio>

namespace nnplay {

// ---------------------------------------------------------------------------------------
// Conv2d

Conv2d::Conv2d(Backend& backend, ParameterSet& params, int weight_index, int bias_index, const Conv2dGeometry& g)
    : Module(backend), g_(g) {
  W_ = params.value_view(weight_index);
  dW_ = params.grad_view(weight_index);
  if (bias_index >= 0) {
    b_ = params.value_view(bias_index);
    db_ = params.grad_view(bias_index);
  }
}

std::string Conv2d::describe() const {
  std::string s = "Conv2d(" + std::to_string(g_.in_c) + ", " + std::to_string(g_.out_c) + ", kernel_size=(" +
                  std::to_string(g_.kh) + ", " + std::to_string(g_.kw) + ")";
  if (g_.stride != 1) s += ", stride=" + std::to_string(g_.stride);
  if (g_.padding != 0) s += ", padding=" + std::to_string(g_.padding);
  return s + (b_.empty() ? ", bias=False)" : ")");
}

void Conv2d::reset_parameters(Rng& rng) {
  // As Linear: PyTorch's kaiming_uniform_(a=sqrt(5)) is U(±1/sqrt(fan_in)), fan_in being
  // the inputs one output sees; weight first, in its [out, in, kh, kw] order, then bias.
  const float bound = 1.0f / std::sqrt(static_cast<float>(g_.in_c * g_.kh * g_.kw));
  std::vector<float> w(static_cast<size_t>(W_.numel()));
  for (float& v : w) v = rng.uniform(-bound, bound);
  W_.from_host(w);
  if (!b_.empty()) {
    std::vector<float> b(static_cast<size_t>(b_.numel()));
    for (float& v : b) v = rng.uniform(-bound, bound);
    b_.from_host(b);
  }
}

void Conv2d::forward_impl(const Tensor& x, Tensor& y) { backend_.conv2d_forward(g_, x, W_, b_, y); }

void Conv2d::backward_impl(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) {
  backend_.conv2d_backward(g_, x, W_, dy, dx, dW_, db_);
}

// ---------------------------------------------------------------------------------------
// MaxPool2d

std::string MaxPool2d::describe() const {
  return "MaxPool2d(kernel_size=" + std::to_string(g_.k) + ", stride=" + std::to_string(g_.stride) + ")";
}

void MaxPool2d::forward_impl(const Tensor& x, Tensor& y) { backend_.maxpool2d_forward(g_, x, y); }

void MaxPool2d::backward_impl(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) {
  if (dx) backend_.maxpool2d_backward(g_, x, dy, *dx);
}

// ---------------------------------------------------------------------------------------
// Flatten: a copy under a new shape (the identity activation copies on every backend).

void Flatten::forward_impl(const Tensor& x, Tensor& y) { backend_.activation_forward(Activation::None, x, y); }

void Flatten::backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) {
  if (dx) backend_.activation_backward(Activation::None, x, y, dy, *dx);
}

// ---------------------------------------------------------------------------------------
// Dropout

std::string Dropout::describe() const {
  char buf[48];
  std::snprintf(buf, sizeof buf, "Dropout(p=%g)", double(p_));
  return buf;
}

void Dropout::forward_impl(const Tensor& x, Tensor& y) {
  masked_ = training_ && p_ > 0.0f;
  if (!masked_) return backend_.activation_forward(Activation::None, x, y);
  // The mask is drawn on the host, element by element in order, from the model's
  // generator: the same seed gives the same mask on every platform.
  const float scale = 1.0f / (1.0f - p_);
  mask_host_.resize(size_t(x.numel()));
  for (float& m : mask_host_) m = rng_.uniform() < p_ ? 0.0f : scale;
  if (!mask_.backend()) mask_ = Tensor(backend_, {0});
  mask_.resize(x.shape());
  mask_.from_host(mask_host_);
  backend_.dropout_forward(x, mask_, y);
}

void Dropout::backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) {
  if (!dx) return;
  if (!masked_) return backend_.activation_backward(Activation::None, x, y, dy, *dx);
  backend_.dropout_backward(dy, mask_, *dx);
}

}  // namespace nnplay
