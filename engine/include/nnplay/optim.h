// Optimizers: SGD (learning rate, momentum, weight decay) and Adam, with PyTorch's
// update rules (torch.optim.SGD, torch.optim.Adam, weight decay added to the gradient).
// State (momentum, moments) lives in buffers of the parameter buffer's layout, so a
// step is one flat loop over all parameters.
#pragma once

#include <memory>
#include <string>

#include "nnplay/backend.h"
#include "nnplay/parameters.h"

namespace nnplay {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual void step() = 0;
  virtual std::string describe() const = 0;
  virtual float lr() const = 0;
  virtual void set_lr(float lr) = 0;  // allowed between steps (e.g. from the UI)
  void zero_grad() { params_.zero_grad(); }

 protected:
  explicit Optimizer(ParameterSet& params) : params_(params) {}
  ParameterSet& params_;
};

class Sgd : public Optimizer {
 public:
  Sgd(ParameterSet& params, SgdParams p);
  void step() override;
  std::string describe() const override;
  float lr() const override { return p_.lr; }
  void set_lr(float lr) override { p_.lr = lr; }

  // State, for checkpoints: the momentum buffer (empty when momentum is 0) and whether
  // the next step is the first (PyTorch starts the buffer at the first gradient).
  const SgdParams& params() const { return p_; }
  Tensor& momentum_buffer() { return momentum_; }
  bool first_step() const { return first_; }
  void set_first_step(bool first) { first_ = first; }

 private:
  SgdParams p_;
  Tensor momentum_;
  bool first_ = true;
};

class Adam : public Optimizer {
 public:
  Adam(ParameterSet& params, AdamParams p);
  void step() override;
  std::string describe() const override;
  float lr() const override { return p_.lr; }
  void set_lr(float lr) override { p_.lr = lr; }

  // State, for checkpoints: the moment estimates and the number of steps taken (the
  // bias corrections depend on it).
  const AdamParams& params() const { return p_; }
  Tensor& first_moment() { return m_; }
  Tensor& second_moment() { return v_; }
  long step_count() const { return t_; }
  void set_step_count(long t) { t_ = t; }

 private:
  AdamParams p_;
  Tensor m_, v_;
  long t_ = 0;
};

struct OptimizerConfig {
  std::string name = "sgd";  // "sgd" or "adam"
  float lr = 0.1f;
  float momentum = 0.0f;
  float weight_decay = 0.0f;
};
// Throws Error on an unknown name or a non-positive / non-finite learning rate.
std::unique_ptr<Optimizer> make_optimizer(ParameterSet& params, const OptimizerConfig& cfg);

}  // namespace nnplay
