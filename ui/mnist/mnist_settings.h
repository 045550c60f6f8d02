// The MNIST panel's share of the settings string (keys m*, plus weights): the model, the
// training hyper-parameters, how much data to use and where it and the weights come
// from. Defaults are the tutorial's recipe (mnist_linear_recipe in the engine's
// recipes.h). Parsed and formatted by settings.cpp's key table like every key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/recipes.h"

namespace nnplay::ui {

struct MnistSettings {
  std::vector<int64_t> layers = mnist_linear_recipe().spec.sizes;  // mlayers: 784-10 or an MLP 784-128-10
  std::string layer_list;  // mlayers as a layer list ("conv5x5x8,pool2,fc10"; mnist_model.h); when set it wins
  Activation activation = Activation::ReLU;  // mact: between hidden layers
  std::string optimizer = mnist_linear_recipe().optimizer.name;  // mopt: sgd or adam
  float lr = mnist_linear_recipe().optimizer.lr;                 // mlr
  int batch = int(mnist_linear_recipe().batch);                  // mbatch
  int epochs = mnist_linear_recipe().epochs;                     // mepochs: training pauses after this many
  uint64_t seed = mnist_linear_recipe().seed;                    // mseed: initial weights and shuffling
  int train = 0;                             // mtrain: training images used; 0: all that are loaded
  int test = 0;                              // mtest: test images evaluated; 0: all that are loaded
  std::string device = "cpu";                // mdevice: cpu, cuda or auto
  std::string data;     // mdata: folder of the IDX files (desktop; empty: data/mnist)
  std::string weights;  // weights: a model file loaded at start (desktop: a path; page: a URL the page
                        // fetches); empty: the default model from assets/models
  bool operator==(const MnistSettings&) const = default;
};

// Limits shared by the parser and the widgets.
constexpr int kMnistMaxHidden = 3;
constexpr int kMnistMaxWidth = 1024;
constexpr int kMnistMaxBatch = 10000;
constexpr int kMnistMaxEpochs = 1000;
constexpr int kMnistMaxImages = 1000000;

}  // namespace nnplay::ui
