// Perceptrons and logic gates: the step perceptron with the tutorial's hand-set weights
// for AND, NAND and OR, XOR composed from them, and the perceptron learning rule, which
// converges on every linearly separable gate and provably never on XOR.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace nnplay {

struct Perceptron {
  float w1 = 0.0f, w2 = 0.0f, b = 0.0f;
  // The tutorial's threshold: output 1 only when w·x + b > 0 (0 at exactly 0).
  int operator()(float x1, float x2) const { return (w1 * x1 + w2 * x2 + b) > 0.0f ? 1 : 0; }
};

enum class Gate { AND, NAND, OR, XOR };
const char* gate_name(Gate g);
Gate parse_gate(const std::string& s);  // throws Error
int gate_target(Gate g, int x1, int x2);  // the truth table

// The tutorial's weights: AND (0.5, 0.5, −0.7), NAND (−0.5, −0.5, 0.7), OR (0.6, 0.6, −0.5).
// XOR has none: no single perceptron computes it.
Perceptron tutorial_perceptron(Gate g);
// XOR as a two-layer circuit: AND(NAND(x1, x2), OR(x1, x2)).
int xor_composed(int x1, int x2);

struct PerceptronEpoch {
  int epoch;           // 1-based
  int errors;          // misclassified inputs seen during this epoch
  Perceptron weights;  // at the end of the epoch
};

struct PerceptronRun {
  bool converged = false;  // an epoch without errors
  bool cycled = false;     // weights returned to an earlier epoch's: it will loop forever
  int epochs = 0;          // epochs run
  int cycle_start = 0;     // with cycled: the epoch whose weights came back
  Perceptron final_weights;
  std::vector<PerceptronEpoch> history;
};

// Rosenblatt's rule w += lr·(t − y)·x over the four inputs in order, from the given start
// weights, until an epoch makes no error, the weights repeat (a proof that it never
// converges: the rule is deterministic, so a repeated state repeats forever), or
// max_epochs pass. Weights are tracked as integer multiples of lr so that the repeat
// check is exact, which is why the start weights must be multiples of lr too (zero is).
PerceptronRun train_perceptron(Gate g, float lr = 0.1f, int max_epochs = 1000, Perceptron start = {});

}  // namespace nnplay
