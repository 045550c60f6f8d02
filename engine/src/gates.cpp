// Logic gates as perceptrons, XOR as a circuit of them, and the perceptron learning rule.
#include "nnplay/gates.h"

#include <cmath>
#include <map>
#include <tuple>

#include "nnplay/error.h"

namespace nnplay {

const char* gate_name(Gate g) {
  switch (g) {
    case Gate::AND: return "AND";
    case Gate::NAND: return "NAND";
    case Gate::OR: return "OR";
    case Gate::XOR: return "XOR";
  }
  return "?";
}

Gate parse_gate(const std::string& s) {
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR, Gate::XOR}) {
    std::string name = gate_name(g), lower;
    for (char c : name) lower += char(c - 'A' + 'a');
    if (s == name || s == lower) return g;
  }
  throw Error("unknown gate '" + s + "' (expected and, nand, or or xor)");
}

int gate_target(Gate g, int x1, int x2) {
  switch (g) {
    case Gate::AND: return x1 & x2;
    case Gate::NAND: return 1 - (x1 & x2);
    case Gate::OR: return x1 | x2;
    case Gate::XOR: return x1 ^ x2;
  }
  return 0;
}

Perceptron tutorial_perceptron(Gate g) {
  switch (g) {
    case Gate::AND: return {0.5f, 0.5f, -0.7f};
    case Gate::NAND: return {-0.5f, -0.5f, 0.7f};
    case Gate::OR: return {0.6f, 0.6f, -0.5f};
    case Gate::XOR: break;
  }
  throw Error("XOR has no single-perceptron weights: it is not linearly separable");
}

int xor_composed(int x1, int x2) {
  const Perceptron nand = tutorial_perceptron(Gate::NAND), orp = tutorial_perceptron(Gate::OR),
                   andp = tutorial_perceptron(Gate::AND);
  return andp(float(nand(float(x1), float(x2))), float(orp(float(x1), float(x2))));
}

PerceptronRun train_perceptron(Gate g, float lr, int max_epochs, Perceptron start) {
  if (!(lr > 0.0f) || !std::isfinite(lr)) throw Error("perceptron learning rate must be positive");
  if (max_epochs < 1) throw Error("perceptron epochs must be at least 1");
  // With inputs in {0, 1}, every update adds ±lr to a weight, so each weight stays an
  // integer multiple of lr and the sign of w·x + b is that of the integer sum: exact
  // arithmetic, so a repeated state is recognised for certain.
  long k1 = std::lround(start.w1 / lr), k2 = std::lround(start.w2 / lr), kb = std::lround(start.b / lr);
  auto weights = [&] { return Perceptron{float(k1) * lr, float(k2) * lr, float(kb) * lr}; };
  std::map<std::tuple<long, long, long>, int> seen;  // state at an epoch's end → that epoch
  seen[{k1, k2, kb}] = 0;
  PerceptronRun run;
  for (int epoch = 1; epoch <= max_epochs; ++epoch) {
    int errors = 0;
    for (int x1 = 0; x1 <= 1; ++x1)
      for (int x2 = 0; x2 <= 1; ++x2) {
        int y = (k1 * x1 + k2 * x2 + kb) > 0 ? 1 : 0;
        int t = gate_target(g, x1, x2);
        if (y != t) {
          ++errors;
          k1 += (t - y) * x1;
          k2 += (t - y) * x2;
          kb += (t - y);
        }
      }
    run.epochs = epoch;
    run.history.push_back({epoch, errors, weights()});
    if (errors == 0) {
      run.converged = true;
      break;
    }
    auto [it, inserted] = seen.emplace(std::make_tuple(k1, k2, kb), epoch);
    if (!inserted) {
      run.cycled = true;
      run.cycle_start = it->second;
      break;
    }
  }
  run.final_weights = weights();
  return run;
}

}  // namespace nnplay
