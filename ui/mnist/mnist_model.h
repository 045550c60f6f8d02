// The MNIST panel's model setting (mlayers): either MLP widths ("784-10", "784-128-10") or
// a layer list ("conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10", layer_list.h) on 1x28x28
// images, and the presets the model combo offers. Parsing and formatting live here so that
// the settings string, the combo and the session read the setting the same way.
#pragma once

#include <string>

#include "mnist/mnist_settings.h"
#include "nnplay/layers.h"

namespace nnplay::ui {

// The CNN the page trains by default: small enough that an epoch of the page's 10,000
// images takes a few seconds in WebAssembly, and past 0.95 test accuracy after it.
// Trained with Adam at a higher rate than the recipe's 0.001 (0.005, batch 32): one epoch of
// 10,000 images is only 312 steps (0.9672 test accuracy with seed 777, 0.93 at 0.001).
constexpr const char* kMnistPageCnn = "conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10";
constexpr float kMnistPageCnnLr = 0.005f;
// `mlayers=cnn` names the engine's CNN recipe (mnist_cnn_recipe), which the shipped
// default CNN was trained with.
constexpr const char* kMnistCnnAlias = "cnn";
// The default CNN file, trained with `nnplay-train mnist --model cnn --save ...`.
constexpr const char* kMnistDefaultCnn = "assets/models/mnist-cnn.safetensors";
// Bounds on a layer list typed into the settings, so a link cannot ask the page for a
// network that would not fit in its memory or train in a human's lifetime.
constexpr int64_t kMnistMaxParameters = 4'000'000;
constexpr int64_t kMnistMaxFlops = 100'000'000;

// Parses mlayers into the settings (widths or a layer list); returns the problem, or "".
std::string parse_mnist_model(const std::string& v, MnistSettings& s);
// The mlayers text of the settings: "784-10" or the canonical layer list.
std::string format_mnist_model(const MnistSettings& s);
// The engine's model description of the settings (logits out).
ModelSpec mnist_model_spec(const MnistSettings& s);
// The CNN recipe's layer list (what `mlayers=cnn` means).
std::string mnist_recipe_cnn_layers();
// Whether the settings ask for a convolutional network.
inline bool mnist_is_cnn(const MnistSettings& s) { return !s.layer_list.empty(); }
// Switches the settings to a layer list with the CNN recipe's optimizer, rate and batch
// (Adam lr 0.001, batch 32; kMnistPageCnnLr for the small CNN), since the linear model's
// SGD lr 0.1 suits it poorly.
void mnist_choose_cnn(MnistSettings& s, const std::string& layers);
// Back to MLP widths with the tutorial's optimizer, rate and batch.
void mnist_choose_mlp(MnistSettings& s, const std::vector<int64_t>& sizes);

}  // namespace nnplay::ui
