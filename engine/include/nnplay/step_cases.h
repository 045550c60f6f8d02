// The step view's cases: a model as its recipe initialises it and the first batch its
// recipe would train on, ready for trace_step(). The XOR case is XorConfig's model, seed,
// SGD rate and the four points; the MNIST cases use a recipe's model, seed and batch
// size with its shuffle stream (recipes.h), trained by plain SGD.
#pragma once

#include <memory>
#include <string>

#include "nnplay/batches.h"
#include "nnplay/dataset.h"
#include "nnplay/layers.h"
#include "nnplay/optim.h"
#include "nnplay/recipes.h"
#include "nnplay/rng.h"
#include "nnplay/step_trace.h"
#include "nnplay/xor.h"

namespace nnplay {

// The recipe the step view uses for "linear" (the tutorial's, SGD lr 0.1 as it is) and
// "mlp" (784-256-256-10 ReLU, batch 128, its seed; SGD lr 0.1 instead of Adam, since the
// view shows the SGD update). Throws Error on another name.
Recipe step_mnist_recipe(const std::string& name);

class StepCase {
 public:
  // The backend (and, for MNIST, the dataset) must outlive the case.
  static std::unique_ptr<StepCase> make_xor(Backend& backend, const XorConfig& cfg = {});
  static std::unique_ptr<StepCase> make_mnist(Backend& backend, const Recipe& recipe, const Dataset& train);
  ~StepCase();

  Sequential& model() { return *model_; }
  const Batch& batch() const { return batch_; }
  LossKind loss() const { return loss_; }
  const OptimizerConfig& optimizer() const { return sgd_; }
  uint64_t seed() const { return seed_; }

  // The one step, traced. A case takes its step once; the model is then updated.
  StepTrace run();

 private:
  StepCase() = default;
  Rng init_rng_;
  std::unique_ptr<Sequential> model_;
  std::unique_ptr<BatchSource> source_;
  Batch batch_;
  LossKind loss_ = LossKind::CrossEntropy;
  OptimizerConfig sgd_;
  uint64_t seed_ = 0;
  bool done_ = false;
};

}  // namespace nnplay
