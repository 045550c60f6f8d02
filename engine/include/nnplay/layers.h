// Layers with an explicit forward and backward pass, and Sequential to chain them.
// (Conv2d, MaxPool2d, Flatten and Dropout are in conv_layers.h.)
//
// Shapes: x is (N, in), y is (N, out); convolutional layers take NCHW tensors, (N, C, H, W),
// or the same numbers as (N, C·H·W). Each layer keeps its output and its input
// gradient in tensors it owns (resized, not reallocated, when N changes), and keeps a
// pointer to its input for the backward pass, so the caller must keep x alive between
// forward and backward (Sequential does). backward() accumulates into the parameter
// gradients (+=); ParameterSet::zero_grad() clears them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/parameters.h"
#include "nnplay/rng.h"
#include "nnplay/tensor.h"

namespace nnplay {

class Module {
 public:
  virtual ~Module() = default;

  // Checks x's shape, then runs the layer. Returns the layer's output tensor.
  const Tensor& forward(const Tensor& x);
  // Given dL/dy, accumulates parameter gradients and returns dL/dx (when need_dx).
  const Tensor& backward(const Tensor& dy, bool need_dx = true);

  virtual std::string kind() const = 0;  // "Linear", "Sigmoid", ...
  virtual std::string describe() const { return kind(); }
  // The input width (numbers per sample) this layer accepts, or 0 for any (activations).
  virtual int64_t in_features() const { return 0; }
  virtual int64_t out_features(int64_t in) const { return in; }
  // The output's shape for an input of shape x (N first); elementwise layers keep x's.
  virtual Shape output_shape(const Shape& x) const { return x; }
  // Training or evaluation mode (only Dropout behaves differently); see Sequential.
  virtual void set_training(bool) {}

  const Tensor& output() const { return y_; }
  // dL/dx from the last backward (empty when it was not asked for: the first layer's).
  const Tensor& input_grad() const { return dx_; }

 protected:
  explicit Module(Backend& backend) : backend_(backend) {}
  virtual void forward_impl(const Tensor& x, Tensor& y) = 0;
  virtual void backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) = 0;

  Backend& backend_;
  const Tensor* x_ = nullptr;
  Tensor y_;
  Tensor dx_;
};

// y = x·Wᵀ + b with W (out, in) and b (out): the layout and names of PyTorch's nn.Linear.
class Linear : public Module {
 public:
  Linear(Backend& backend, ParameterSet& params, int weight_index, int bias_index, int64_t in, int64_t out);
  std::string kind() const override { return "Linear"; }
  std::string describe() const override;
  int64_t in_features() const override { return in_; }
  int64_t out_features(int64_t) const override { return out_; }
  Shape output_shape(const Shape& x) const override;
  // PyTorch's default initialisation: weight and bias uniform in ±1/sqrt(in).
  void reset_parameters(Rng& rng);
  Tensor& weight() { return W_; }
  Tensor& bias() { return b_; }

  // Sequential hands the bias to the activation after this layer, which adds it in the
  // same pass over the output (Backend::bias_activation_forward) and sums its gradient in
  // the same pass as its own backward: this layer then leaves both out.
  void hand_bias_to_next_activation() { bias_handed_ = true; }
  Tensor& output_for_fused_bias() { return y_; }
  Tensor& bias_grad() { return db_; }

 protected:
  void forward_impl(const Tensor& x, Tensor& y) override;
  void backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;

 private:
  int64_t in_, out_;
  Tensor W_, b_, dW_, db_;
  bool bias_handed_ = false;
  Tensor no_bias_;  // empty: "no bias" for the backend's linear ops
};

// Elementwise activation: Sigmoid, ReLU, Tanh, or Step (Heaviside: 1 where x > 0, the
// tutorial's perceptron threshold; its derivative is 0 almost everywhere, so gradients
// do not flow through it: perceptrons learn with their own rule, see gates.h).
class ActivationLayer : public Module {
 public:
  ActivationLayer(Backend& backend, Activation a) : Module(backend), act_(a) {}
  std::string kind() const override;
  Activation activation() const { return act_; }
  void set_activation(Activation a) { act_ = a; }
  // Adds linear's bias before the activation, in the same pass (set by Sequential, see
  // Linear::hand_bias_to_next_activation). The input must then be linear's output.
  void take_bias_from(Linear* linear) { bias_from_ = linear; }

 protected:
  void forward_impl(const Tensor& x, Tensor& y) override;
  void backward_impl(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;

 private:
  Activation act_;
  Linear* bias_from_ = nullptr;
};

// What a Sequential is made of: Linear layers of the given widths, with an activation
// after each hidden one and (optionally) after the output; or, when `layers` is set, a
// layer list (layer_list.h: convolutions, pooling, dropout, Linear layers) on inputs of
// per-sample shape `input`.
struct ModelSpec {
  std::vector<int64_t> sizes;              // {784, 10} or {2, 10, 10, 10, 1}; a layer list: {inputs, outputs}
  Activation hidden = Activation::ReLU;    // after every Linear but the last
  Activation output = Activation::None;    // after the last Linear
  bool bias = true;
  std::string layers;  // (optional) a canonical layer list: "conv5x5x16,pool2,fc10"
  Shape input;         // with layers: the per-sample input shape, {1, 28, 28} for MNIST

  bool is_layer_list() const { return !layers.empty(); }
  std::string describe() const;  // "784-256-256-10 relu", "conv5x5x16,pool2,fc10 on 1x28x28"
  // Same modules and shapes (the hidden activation of an MLP included).
  bool same_architecture(const ModelSpec& other) const;
  // Parses "784-256-256-10" into sizes; throws Error on anything malformed.
  static std::vector<int64_t> parse_sizes(const std::string& s);
  // A layer-list model on inputs of shape input ({C, H, W} or {features}); throws Error
  // naming the bad token, or the layer that does not fit its input.
  static ModelSpec from_layers(const std::string& text, const Shape& input);
};

class Sequential {
 public:
  // Builds the layers and the parameter buffer, and initialises weights from rng.
  Sequential(Backend& backend, const ModelSpec& spec, Rng& rng);

  const Tensor& forward(const Tensor& x);
  void backward(const Tensor& dy);  // after forward on the same x

  // Training mode (Dropout drops) or evaluation mode (it passes everything through), as
  // PyTorch's model.train() / model.eval(). A model starts in evaluation mode: train_step
  // switches to training for its step, the evaluator back to evaluation.
  void set_training(bool on);
  bool training() const { return training_; }
  // The generator of the Dropout layers' masks (drawn from the initialisation generator
  // after the weights, only when the model has Dropout). Checkpoints save its state.
  bool has_dropout() const { return dropout_rng_ != nullptr; }
  Rng& dropout_rng() { return *dropout_rng_; }

  ParameterSet& parameters() { return params_; }
  const ParameterSet& parameters() const { return params_; }
  void zero_grad() { params_.zero_grad(); }

  const ModelSpec& spec() const { return spec_; }
  size_t size() const { return layers_.size(); }
  Module& layer(size_t i) { return *layers_[i]; }
  std::vector<Linear*> linears();
  // Changes every hidden activation (e.g. from the UI while training).
  void set_hidden_activation(Activation a);
  int64_t in_features() const { return spec_.sizes.front(); }
  int64_t out_features() const { return spec_.sizes.back(); }
  Backend& backend() { return backend_; }

 private:
  Backend& backend_;
  ModelSpec spec_;
  ParameterSet params_;
  std::vector<std::unique_ptr<Module>> layers_;
  std::unique_ptr<Rng> dropout_rng_;  // its own allocation: the layers keep its address
  bool training_ = false;
};

}  // namespace nnplay
