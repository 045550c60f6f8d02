// The MNIST panel's share of the settings string (keys m*, plus weights): the model, the
// training hyper-parameters, how much data to use and where it and the weights come
// from. Defaults are the tutorial's run: Linear(784, 10), SGD lr 0.1, batch 100, 15
// epochs, seed 777. Parsed and formatted by settings.cpp's key table like every key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/backend.h"

namespace nnplay::ui {

struct MnistSettings {
  std::vector<int64_t> layers = {784, 10};   // mlayers: 784-10 (the tutorial) or an MLP 784-128-10
  Activation activation = Activation::ReLU;  // mact: between hidden layers
  std::string optimizer = "sgd";             // mopt: sgd or adam
  float lr = 0.1f;                           // mlr
  int batch = 100;                           // mbatch
  int epochs = 15;                           // mepochs: training pauses after this many
  uint64_t seed = 777;                       // mseed: initial weights and shuffling
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
