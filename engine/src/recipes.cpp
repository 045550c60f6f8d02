// The MNIST recipes and the run they build (see recipes.h).
#include "nnplay/recipes.h"

namespace nnplay {

uint64_t shuffle_seed(uint64_t seed) { return seed ^ 0x5eed5eedULL; }

Recipe mnist_linear_recipe(int64_t inputs) {
  Recipe r;
  r.spec.sizes = {inputs, 10};
  r.optimizer = {"sgd", 0.1f, 0.0f, 0.0f};
  r.batch = 100;
  r.epochs = 15;
  r.seed = 777;
  return r;
}

Recipe mnist_mlp_recipe(int64_t inputs) {
  Recipe r;
  r.spec.sizes = {inputs, 256, 256, 10};
  r.spec.hidden = Activation::ReLU;
  r.optimizer = {"adam", 1e-3f, 0.0f, 0.0f};
  r.batch = 128;
  r.epochs = 10;
  r.seed = 777;
  return r;
}

Recipe mnist_cnn_recipe(int64_t rows, int64_t cols) {
  Recipe r = mnist_layers_recipe("conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10", rows, cols);
  // A lower rate for the second epoch settles the weights the first one found.
  r.lr_every = 1;
  r.lr_gamma = 0.2f;
  return r;
}

Recipe mnist_layers_recipe(const std::string& layers, int64_t rows, int64_t cols) {
  Recipe r;
  r.spec = ModelSpec::from_layers(layers, {1, rows, cols});
  r.optimizer = {"adam", 1e-3f, 0.0f, 0.0f};
  r.batch = 32;
  r.epochs = 2;
  r.seed = 777;
  return r;
}

ClassifierRun::ClassifierRun(Backend& backend, const Recipe& recipe, const Dataset& train)
    : recipe_(recipe),
      init_rng_(recipe.seed),
      model_(backend, recipe.spec, init_rng_),
      optimizer_(make_optimizer(model_.parameters(), recipe.optimizer)),
      loader_(backend, train, recipe.batch, /*shuffle=*/true, /*drop_last=*/true, shuffle_seed(recipe.seed)),
      trainer_(model_, *optimizer_, LossKind::CrossEntropy, loader_) {
  if (recipe.lr_every > 0) trainer_.set_lr_schedule({recipe.optimizer.lr, recipe.lr_every, recipe.lr_gamma});
}

}  // namespace nnplay
