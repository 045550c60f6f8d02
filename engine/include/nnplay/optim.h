// Optimizers: SGD (learning rate, momentum, weight decay) and Adam, with PyTorch's
// update rules (torch.optim.SGD, torch.optim.Adam, weight decay added to the gradient).
// State (momentum, moments) lives in buffers of the parameter buffer's layout, so a
// step is one flat loop over all parameters.
#pragma once

#include <algorithm>
#include <memory>
#include <string>

#include "nnplay/backend.h"
#include "nnplay/parameters.h"

namespace nnplay {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One update from the current gradients.
  void step() { update(nullptr); }
  // One update that does nothing while *halt (in the backend's memory) is not 0: a device
  // epoch's step log halted at a loss that was not finite (device_steps.h).
  void step_unless_halted(const int32_t* halt) { update(halt); }
  virtual std::string describe() const = 0;
  virtual float lr() const = 0;
  virtual void set_lr(float lr) = 0;  // allowed between steps (e.g. from the UI)
  void zero_grad() { params_.zero_grad(); }

  // The number of updates made so far. step() counts one even when the backend skipped
  // it for a halted log; the trainer then takes the skipped ones back with
  // set_step_count(), so that the count stays the number of updates really applied.
  long step_count() const { return t_; }
  void set_step_count(long t) { t_ = t; }

 protected:
  explicit Optimizer(ParameterSet& params) : params_(params) {}
  virtual void update(const int32_t* halt) = 0;  // counts the step, then updates
  ParameterSet& params_;
  long t_ = 0;
};

class Sgd : public Optimizer {
 public:
  Sgd(ParameterSet& params, SgdParams p);
  std::string describe() const override;
  float lr() const override { return p_.lr; }
  void set_lr(float lr) override { p_.lr = lr; }

  // State, for checkpoints: the momentum buffer (empty when momentum is 0) and whether
  // the next step is the first (PyTorch starts the buffer at the first gradient).
  const SgdParams& params() const { return p_; }
  Tensor& momentum_buffer() { return momentum_; }
  bool first_step() const { return t_ == 0; }
  void set_first_step(bool first) { t_ = first ? 0 : std::max(t_, 1L); }

 protected:
  void update(const int32_t* halt) override;

 private:
  SgdParams p_;
  Tensor momentum_;
};

class Adam : public Optimizer {
 public:
  Adam(ParameterSet& params, AdamParams p);
  std::string describe() const override;
  float lr() const override { return p_.lr; }
  void set_lr(float lr) override { p_.lr = lr; }

  // State, for checkpoints: the moment estimates and step_count() (the bias corrections
  // depend on it).
  const AdamParams& params() const { return p_; }
  Tensor& first_moment() { return m_; }
  Tensor& second_moment() { return v_; }

 protected:
  void update(const int32_t* halt) override;

 private:
  AdamParams p_;
  Tensor m_, v_;
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
