// Settings that learn each 2D dataset, one click away in the network lab, and the check
// that tells a learner when a run has stopped making progress. The presets change the
// model and its training (layers, activation, loss, optimizer, learning rate, batch,
// epochs) and, where a few hundred points cannot show the shape (the spiral), the number
// of points; noise, test share, seed and speed stay as the learner set them.
#pragma once

#include <string>
#include <vector>

#include "training/network_session.h"
#include "training/network_settings.h"

namespace nnplay::ui {

struct NetworkPreset {
  Toy2D dataset;
  std::vector<int64_t> layers;
  Activation activation;
  LossKind loss;
  const char* optimizer;  // "sgd" or "adam"
  float lr;
  int batch;   // 0: the whole training set
  int epochs;
  int min_points;  // the data grows to at least this many points (0: as it is)
};

// The settings that learn a dataset (XOR: the tutorial's own).
const NetworkPreset& learning_preset(Toy2D dataset);

// Puts the preset's model and training settings (and its minimum of points) into s.
void apply_preset(NetworkSettings& s, const NetworkPreset& p);

// Whether s already has the preset's model and training settings.
bool uses_preset(const NetworkSettings& s, const NetworkPreset& p);

// "2-16-16-1, tanh, adam, learning rate 0.01, batch 32, 400 epochs" in the current language.
std::string describe_preset(const NetworkPreset& p);

// Epochs since the run's held-out accuracy last improved by a point or more, when it is
// still below a good score; 0 while the run is improving or has learnt the data.
int stalled_epochs(const NetworkSnapshot& snap);
// How long no progress counts as a stall worth a hint.
constexpr int kStallEpochs = 1000;

}  // namespace nnplay::ui
