// Grid and point evaluation of a snapshot's weights on a private copy of the model.
#include "training/network_view.h"

#include "nnplay/error.h"

namespace nnplay::ui {

PlaneBox plane_box_for(Toy2D kind) {
  if (kind == Toy2D::Xor) return PlaneBox{-0.25f, -0.25f, 1.25f, 1.25f};
  return PlaneBox{};
}

std::vector<LayerWeights> layer_weights(const NetworkSnapshot& snap) {
  std::vector<LayerWeights> layers;
  const std::vector<int64_t>& sizes = snap.config.spec.sizes;
  size_t offset = 0;
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    LayerWeights l;
    l.in = sizes[i];
    l.out = sizes[i + 1];
    const size_t need = size_t(l.out * l.in + (snap.config.spec.bias ? l.out : 0));
    if (offset + need > snap.params.size()) throw Error("snapshot parameters are shorter than the model's layers");
    l.W = snap.params.data() + offset;
    l.b = snap.config.spec.bias ? l.W + l.out * l.in : nullptr;
    offset += need;
    layers.push_back(l);
  }
  return layers;
}

void NetworkView::update(const NetworkSnapshot& snap, int grid) {
  if (grid < 2) grid = 2;
  if (snap.version == version_ && snap.generation == generation_ && grid == grid_) return;
  // Every snapshot is new weights: the version given to the model is a count of its own.
  if (!model_.set_weights(snap.config.spec, snap.params, model_.version() + 1))
    throw Error("network view: snapshot has " + std::to_string(snap.params.size()) +
                " parameters, not those of " + snap.config.spec.describe());
  version_ = snap.version;
  generation_ = snap.generation;
  grid_ = grid;
  box_ = plane_box_for(snap.config.data.kind);

  // Grid cell centres, row 0 at the top (largest x2), as they are drawn.
  std::vector<float> xy(size_t(grid) * size_t(grid) * 2);
  for (int r = 0; r < grid; ++r)
    for (int c = 0; c < grid; ++c) {
      size_t k = (size_t(r) * size_t(grid) + size_t(c)) * 2;
      xy[k] = box_.x0 + (box_.x1 - box_.x0) * (float(c) + 0.5f) / float(grid);
      xy[k + 1] = box_.y1 - (box_.y1 - box_.y0) * (float(r) + 0.5f) / float(grid);
    }
  output_map_ = model_.forward(xy.data(), int64_t(grid) * grid);

  // After that forward pass every hidden activation layer holds its (cells, width) output.
  hidden_maps_.clear();
  const size_t cells = size_t(grid) * size_t(grid);
  for (size_t i = 0; i + 1 < model_.layers(); ++i) {
    if (dynamic_cast<const ActivationLayer*>(model_.layer(i)) == nullptr) continue;
    std::vector<float> act = model_.layer_output(i);
    const size_t width = act.size() / cells;
    std::vector<std::vector<float>> maps(width, std::vector<float>(cells));
    for (size_t cell = 0; cell < cells; ++cell)
      for (size_t j = 0; j < width; ++j) maps[j][cell] = act[cell * width + j];
    hidden_maps_.push_back(std::move(maps));
  }
  train_outputs_ = model_.forward(snap.data->train.x.data(), snap.data->train.size());
  test_outputs_ = model_.forward(snap.data->test.x.data(), snap.data->test.size());
}

}  // namespace nnplay::ui
