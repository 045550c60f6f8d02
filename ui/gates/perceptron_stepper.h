// The perceptron learning rule one input at a time, for the gates panel's animation.
// It follows train_perceptron (gates.h) exactly: inputs in the order (0,0), (0,1), (1,0),
// (1,1), weights kept as integer multiples of the learning rate, an epoch without errors
// means converged, and weights that repeat at an epoch's end mean a cycle (XOR's fate).
// The self-test checks that both agree.
#pragma once

#include <vector>

#include "nnplay/gates.h"

namespace nnplay::ui {

struct PerceptronUpdate {
  int x1 = 0, x2 = 0;  // the input just shown
  int target = 0, output = 0;
  bool updated = false;  // output != target, so the weights moved by lr·(t − y)·x
};

class PerceptronStepper {
 public:
  void reset(Gate g, float lr);  // zero weights, before epoch 1
  // Shows the next input and applies the rule. Does nothing once finished().
  void step();
  bool finished() const { return converged_ || cycled_ || epoch_ >= kMaxEpochs; }

  static constexpr int kMaxEpochs = 1000;
  Gate gate() const { return gate_; }
  float lr() const { return lr_; }
  Perceptron weights() const;
  int epoch() const { return epoch_ + (sample_ > 0 ? 1 : 0); }  // the epoch in progress (1-based), 0 before any step
  int completed_epochs() const { return epoch_; }
  int next_sample() const { return sample_; }  // 0..3: which input comes next
  bool converged() const { return converged_; }
  bool cycled() const { return cycled_; }
  int cycle_start() const { return cycle_start_; }  // with cycled(): the epoch whose end weights came back
  const PerceptronUpdate& last() const { return last_; }
  bool started() const { return steps_ > 0; }
  // Weights and error count at the end of every completed epoch.
  const std::vector<PerceptronEpoch>& history() const { return history_; }

 private:
  Gate gate_ = Gate::AND;
  float lr_ = 0.1f;
  long k1_ = 0, k2_ = 0, kb_ = 0;  // weights in units of lr
  int epoch_ = 0, sample_ = 0, errors_ = 0;
  long steps_ = 0;
  bool converged_ = false, cycled_ = false;
  int cycle_start_ = 0;
  PerceptronUpdate last_;
  std::vector<PerceptronEpoch> history_;
  struct State {
    long k1, k2, kb;
    int epoch;
  };
  std::vector<State> seen_;  // epoch-end states, for the cycle check (epoch 0 = start)
};

}  // namespace nnplay::ui
