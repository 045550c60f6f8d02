// Evaluates a snapshot's weights where the panels need them: over a grid of the input
// plane (the decision heat map, and one small map per hidden neuron) and on the data
// points (the outputs table, misclassified points), with the engine's InferenceModel, so
// it never touches the model being trained; it recomputes only when the snapshot changes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "nnplay/inference_model.h"
#include "training/network_session.h"

namespace nnplay::ui {

// The part of the plane the maps cover.
struct PlaneBox {
  float x0 = -1.25f, y0 = -1.25f, x1 = 1.25f, y1 = 1.25f;
};
PlaneBox plane_box_for(Toy2D kind);  // XOR: around the unit square; the rest: [-1.25, 1.25]²

// One Linear layer's weights inside a snapshot's flat buffer: W is (out, in) row-major,
// followed by b (out), layer after layer, as Sequential declares them.
struct LayerWeights {
  int64_t in = 0, out = 0;
  const float* W = nullptr;
  const float* b = nullptr;
  float w(int64_t to, int64_t from) const { return W[to * in + from]; }
};
std::vector<LayerWeights> layer_weights(const NetworkSnapshot& snap);

class NetworkView {
 public:
  // Recomputes when the snapshot's version or the grid size changed.
  void update(const NetworkSnapshot& snap, int grid);

  int grid() const { return grid_; }
  PlaneBox box() const { return box_; }
  // Output probability at grid cell (row r from the top, column c), row-major grid×grid.
  const std::vector<float>& output_map() const { return output_map_; }
  // hidden_maps()[layer][neuron] is grid×grid activations of that hidden neuron.
  const std::vector<std::vector<std::vector<float>>>& hidden_maps() const { return hidden_maps_; }
  const std::vector<float>& train_outputs() const { return train_outputs_; }
  const std::vector<float>& test_outputs() const { return test_outputs_; }

 private:
  InferenceModel model_;
  uint64_t version_ = 0, generation_ = UINT64_MAX;
  int grid_ = 0;
  PlaneBox box_;
  std::vector<float> output_map_;
  std::vector<std::vector<std::vector<float>>> hidden_maps_;
  std::vector<float> train_outputs_, test_outputs_;
};

}  // namespace nnplay::ui
