// Rosenblatt's rule, one input per step (see perceptron_stepper.h for why integers).
#include "gates/perceptron_stepper.h"

namespace nnplay::ui {

void PerceptronStepper::reset(Gate g, float lr) {
  *this = PerceptronStepper();
  gate_ = g;
  lr_ = lr;
  seen_.push_back({0, 0, 0, 0});
}

Perceptron PerceptronStepper::weights() const {
  return Perceptron{float(k1_) * lr_, float(k2_) * lr_, float(kb_) * lr_};
}

void PerceptronStepper::step() {
  if (finished()) return;
  const int x1 = sample_ / 2, x2 = sample_ % 2;
  const int y = (k1_ * x1 + k2_ * x2 + kb_) > 0 ? 1 : 0;
  const int t = gate_target(gate_, x1, x2);
  last_ = PerceptronUpdate{x1, x2, t, y, y != t};
  if (y != t) {
    ++errors_;
    k1_ += (t - y) * x1;
    k2_ += (t - y) * x2;
    kb_ += (t - y);
  }
  ++steps_;
  if (++sample_ < 4) return;
  // End of an epoch: record it, then check for convergence or a repeated state.
  sample_ = 0;
  ++epoch_;
  history_.push_back({epoch_, errors_, weights()});
  if (errors_ == 0) {
    converged_ = true;
    return;
  }
  errors_ = 0;
  for (const State& s : seen_)
    if (s.k1 == k1_ && s.k2 == k2_ && s.kb == kb_) {
      cycled_ = true;
      cycle_start_ = s.epoch;
      return;
    }
  seen_.push_back({k1_, k2_, kb_, epoch_});
}

}  // namespace nnplay::ui
