// Each MNIST experiment's defaults and seed streams, in one place. The CLI's options and
// the panels' settings override a recipe's fields; they do not restate them. (The XOR
// experiment's recipe is XorConfig, in xor.h.)
//
// Seed streams: the initial weights draw from Rng(seed), the loader's shuffle from
// shuffle_seed(seed), so a change of model never changes the order the data is seen in,
// and every client given the same recipe trains the same bits.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "nnplay/dataset.h"
#include "nnplay/layers.h"
#include "nnplay/optim.h"
#include "nnplay/trainer.h"

namespace nnplay {

struct Recipe {
  ModelSpec spec;  // logits out
  OptimizerConfig optimizer;
  int64_t batch = 100;
  int epochs = 15;
  uint64_t seed = 777;
  // The learning rate is multiplied by lr_gamma every lr_every epochs (0: constant).
  int lr_every = 0;
  float lr_gamma = 1.0f;
};

uint64_t shuffle_seed(uint64_t seed);

// The tutorial's run: Linear(inputs, 10), cross-entropy, SGD lr 0.1, batch 100, shuffled
// with drop_last, 15 epochs, seed 777.
Recipe mnist_linear_recipe(int64_t inputs = 784);
// An MLP: inputs-256-256-10 ReLU, Adam lr 1e-3, batch 128, 10 epochs, seed 777.
Recipe mnist_mlp_recipe(int64_t inputs = 784);
// A small CNN on rows×cols images: conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10 (ReLU),
// Adam lr 1e-3 then 2e-4 from epoch 2 on, batch 32, 2 epochs, seed 777. On MNIST:
// 215,194 parameters and 2.49 MFLOPs per image forward (model_cost()); test accuracy
// 0.9909 after its 2 epochs.
Recipe mnist_cnn_recipe(int64_t rows = 28, int64_t cols = 28);
// A learner's own network: a layer list (layer_list.h) on rows×cols images, trained like
// the CNN recipe (Adam lr 1e-3, batch 32, 2 epochs, seed 777, no schedule).
Recipe mnist_layers_recipe(const std::string& layers, int64_t rows = 28, int64_t cols = 28);

// A classifier trained by recipe on a dataset: its model (initialised from the seed),
// optimizer, shuffling loader (drop_last) and trainer, with cross-entropy. The dataset
// and backend must outlive it.
class ClassifierRun {
 public:
  ClassifierRun(Backend& backend, const Recipe& recipe, const Dataset& train);

  const Recipe& recipe() const { return recipe_; }
  Sequential& model() { return model_; }
  Optimizer& optimizer() { return *optimizer_; }
  BatchLoader& loader() { return loader_; }
  Trainer& trainer() { return trainer_; }

 private:
  Recipe recipe_;
  Rng init_rng_;
  Sequential model_;
  std::unique_ptr<Optimizer> optimizer_;
  BatchLoader loader_;
  Trainer trainer_;
};

}  // namespace nnplay
