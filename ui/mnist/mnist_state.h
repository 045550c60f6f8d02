// The MNIST panel's working state: the training runner and the data
// loader, where the current weights came from, the UI-thread predictor, and what the
// views show (the test image browsed, the confusion cell picked, the drawing pad, the
// personal fine-tuning set). Its settings are MnistSettings; this is what they drive.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mnist/mnist_data.h"
#include "mnist/mnist_settings.h"
#include "mnist/mnist_pad.h"
#include "mnist/mnist_predictor.h"
#include "mnist/mnist_runner.h"
#include "mnist/mnist_weights.h"
#include "nnplay/rng.h"
#include "widgets/panel_context.h"

namespace nnplay::ui {

struct MnistState {
  std::unique_ptr<MnistRunner> runner;
  MnistDataLoader loader;
  bool started = false;   // the data and default weights were asked for (on first use)
  std::string message;    // what the last action did, shown in the panel
  std::string error;      // the last problem (data, weights, configuration, saving)
  MnistOrigin origin;     // the current session's starting weights (reused while untrained)
  std::shared_ptr<const MnistWeights> loaded;  // the last weights file loaded
  bool waiting_for_page_weights = false;      // the page has been asked for the default model
  bool page_fetch_wanted = false;   // the page's glue should fetch the subset and a model (once)
  bool page_picker_wanted = false;  // the page's glue should open its file picker
  std::string page_weights_wanted;  // a model under the site for the glue to fetch and load ("": none)
  float open_rect[4] = {0, 0, 0, 0};  // the page's "open a weights file" button (screen px), for tests

  // Text fields (desktop paths) and the page's download folder.
  std::string data_field, weights_field;
  std::string layers_field, layers_field_for;  // the layer list being typed, and the setting it started from
  std::string save_path = "out/mnist-model.safetensors";
  std::string png_path = "out/mnist-digit.png";
  std::vector<std::string> downloads;  // files written for the page to hand to the browser
  size_t downloads_handed = 0;         // how many of them App::take_page_requests() reported

  MnistPredictor predictor;
  uint64_t predictor_generation = 0;

  int sample = -1;  // the test image in the browser (-1: pick one at random when data arrives)
  DigitProbabilities sample_probs{};
  uint64_t sample_key = 0;  // (image, weights) the probabilities were computed for
  int confusion_truth = -1, confusion_pred = -1;  // the picked cell, or -1

  DrawingPad pad;
  float pad_rect[4] = {0, 0, 0, 0};  // where the pad was last drawn (screen px: x0, y0, x1, y1), for tests
  DigitProbabilities pad_probs{};
  uint64_t pad_key = 0;
  double pad_latency_ms = 0;  // the last drawing → probabilities (preprocess + forward)
  std::vector<FeatureMaps> pad_maps;  // a CNN's conv layers' outputs for the pad's image
  PersonalSet personal;

  Rng pick{777, 0x7069636b};  // random test images (the tutorial's random sample)
  int cuda = -1;              // cuda_available(), asked once (-1: not yet)
  std::string cuda_why;
  int self_test_phase = 0;    // where the self-test's MNIST check is
};

// What the panel's functions take: its settings, its state and the shell's context.
struct MnistPanel {
  MnistSettings& s;
  MnistState& state;
  PanelContext& ui;
};

}  // namespace nnplay::ui
