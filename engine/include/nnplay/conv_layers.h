// The layers of convolutional networks, as forward/backward pairs like Linear's:
// Conv2d, MaxPool2d, Flatten and Dropout, with PyTorch's layouts and behaviour.
//
// Shapes are NCHW. A layer takes its input as (N, C, H, W), or as the same numbers in
// (N, C·H·W) rows (so the first Conv2d reads the MNIST loader's [N, 784] as [N, 1, 28, 28]),
// and gives (N, C', H', W'); Flatten turns that into (N, C'·H'·W') for a Linear layer.
#pragma once

#include <vector>

#include "nnplay/layers.h"

namespace nnplay {

// y = conv(x, W) + b with W (out_c, in_c, kh, kw) and b (out_c): nn.Conv2d's layout.
class Conv2d : public Module {
 public:
  Conv2d(Backend& backend, ParameterSet& params, int weight_index, int bias_index, const Conv2dGeometry& g);
  std::string kind() const override { return "Conv2d"; }
  std::string describe() const override;
  int64_t in_features() const override { return g_.in_c * g_.in_h * g_.in_w; }
  int64_t out_features(int64_t) const override { return g_.out_c * g_.out_h() * g_.out_w(); }
  Shape output_shape(const Shape& x) const override { return {x[0], g_.out_c, g_.out_h(), g_.out_w()}; }
  const Conv2dGeometry& geometry() const { return g_; }
  // PyTorch's default initialisation: weight and bias uniform in ±1/sqrt(in_c·kh·kw).
  void reset_parameters(Rng& rng);
  Tensor& weight() { return W_; }
  Tensor& bias() { return b_; }

 protected:
  void forward_impl(const Tensor& x, Tensor& y) override;
  void backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;

 private:
  Conv2dGeometry g_;
  Tensor W_, b_, dW_, db_;
};

// The maximum of each k×k window, moving by stride: nn.MaxPool2d(k, stride).
class MaxPool2d : public Module {
 public:
  MaxPool2d(Backend& backend, const Pool2dGeometry& g) : Module(backend), g_(g) {}
  std::string kind() const override { return "MaxPool2d"; }
  std::string describe() const override;
  int64_t in_features() const override { return g_.c * g_.in_h * g_.in_w; }
  int64_t out_features(int64_t) const override { return g_.c * g_.out_h() * g_.out_w(); }
  Shape output_shape(const Shape& x) const override { return {x[0], g_.c, g_.out_h(), g_.out_w()}; }
  const Pool2dGeometry& geometry() const { return g_; }

 protected:
  void forward_impl(const Tensor& x, Tensor& y) override;
  void backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;

 private:
  Pool2dGeometry g_;
};

// (N, C, H, W) to (N, C·H·W): the same numbers in the same order (nn.Flatten).
class Flatten : public Module {
 public:
  explicit Flatten(Backend& backend) : Module(backend) {}
  std::string kind() const override { return "Flatten"; }
  Shape output_shape(const Shape& x) const override { return {x[0], shape_numel(x) / (x[0] ? x[0] : 1)}; }

 protected:
  void forward_impl(const Tensor& x, Tensor& y) override;
  void backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;
};

// nn.Dropout(p): in training mode each element is zeroed with probability p and the rest
// are scaled by 1/(1−p); in evaluation mode the input passes unchanged. The mask comes
// from the generator given (the model's: Sequential::dropout_rng()), so a seed fixes it.
class Dropout : public Module {
 public:
  Dropout(Backend& backend, float p, Rng& rng) : Module(backend), p_(p), rng_(rng) {}
  std::string kind() const override { return "Dropout"; }
  std::string describe() const override;
  void set_training(bool on) override { training_ = on; }
  float p() const { return p_; }

 protected:
  void forward_impl(const Tensor& x, Tensor& y) override;
  void backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;

 private:
  float p_;
  Rng& rng_;
  bool training_ = false;
  bool masked_ = false;  // the last forward applied mask_ (training with p > 0)
  Tensor mask_;
  std::vector<float> mask_host_;
};

}  // namespace nnplay
