// The step view's cases: XOR and the MNIST recipes, each at its first step (see step_cases.h).
#include "nnplay/step_cases.h"

#include "nnplay/error.h"

namespace nnplay {

Recipe step_mnist_recipe(const std::string& name) {
  if (name == "linear") return mnist_linear_recipe();
  if (name == "mlp") {
    Recipe r = mnist_mlp_recipe();
    r.optimizer = {"sgd", 0.1f, 0.0f, 0.0f};
    return r;
  }
  throw Error("unknown step model '" + name + "' (expected xor, linear or mlp)");
}

StepCase::~StepCase() = default;

std::unique_ptr<StepCase> StepCase::make_xor(Backend& backend, const XorConfig& cfg) {
  std::unique_ptr<StepCase> c(new StepCase());
  c->seed_ = cfg.seed;
  c->init_rng_ = Rng(cfg.seed);  // as train_xor draws its weights
  c->model_ = std::make_unique<Sequential>(backend, xor_model_spec(cfg), c->init_rng_);
  c->loss_ = cfg.loss;
  c->sgd_ = cfg.optimizer;
  auto points = std::make_unique<PointBatches>(backend, xor_inputs(), xor_targets(), 2);  // one full batch
  points->start_epoch();
  if (!points->next(c->batch_)) throw Error("the XOR points gave no batch");
  c->source_ = std::move(points);
  return c;
}

std::unique_ptr<StepCase> StepCase::make_mnist(Backend& backend, const Recipe& recipe, const Dataset& train) {
  std::unique_ptr<StepCase> c(new StepCase());
  c->seed_ = recipe.seed;
  c->init_rng_ = Rng(recipe.seed);  // the recipe's streams, as ClassifierRun draws them
  c->model_ = std::make_unique<Sequential>(backend, recipe.spec, c->init_rng_);
  c->loss_ = LossKind::CrossEntropy;
  c->sgd_ = recipe.optimizer;
  auto loader = std::make_unique<BatchLoader>(backend, train, recipe.batch, /*shuffle=*/true, /*drop_last=*/true,
                                              shuffle_seed(recipe.seed));
  loader->start_epoch();
  if (!loader->next(c->batch_)) throw Error("the training set is smaller than one batch");
  c->source_ = std::move(loader);
  return c;
}

StepTrace StepCase::run() {
  if (done_) throw Error("a step case takes its step once");
  done_ = true;
  return trace_step(*model_, sgd_, loss_, batch_);
}

}  // namespace nnplay
