// Grid and point evaluation of a snapshot's weights on a private copy of the model.
#include "network_view.h"

#include "nnplay/error.h"

namespace nnplay::ui {

namespace {

std::vector<float> forward_points(Sequential& model, Backend& backend, const std::vector<float>& xy) {
  const int64_t n = int64_t(xy.size() / 2);
  if (n == 0) return {};
  Tensor x(backend, {n, 2});
  x.from_host(xy);
  return model.forward(x).to_host();
}

}  // namespace

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

NetworkView::NetworkView() : backend_(make_cpu_backend(1)) {}
NetworkView::~NetworkView() = default;

void NetworkView::update(const NetworkSnapshot& snap, int grid) {
  if (grid < 2) grid = 2;
  if (snap.version == version_ && snap.generation == generation_ && grid == grid_) return;
  const ModelSpec& spec = snap.config.spec;
  if (!model_ || sizes_ != spec.sizes || generation_ != snap.generation) {
    Rng unused(0);  // the weights are overwritten from the snapshot below
    model_ = std::make_unique<Sequential>(*backend_, spec, unused);
    sizes_ = spec.sizes;
  }
  if (model_->spec().hidden != spec.hidden) model_->set_hidden_activation(spec.hidden);
  if (int64_t(snap.params.size()) != model_->parameters().total())
    throw Error("network view: snapshot has " + std::to_string(snap.params.size()) + " parameters, model " +
                std::to_string(model_->parameters().total()));
  model_->parameters().data().from_host(snap.params);
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
  output_map_ = forward_points(*model_, *backend_, xy);

  // After that forward pass every hidden activation layer holds its (cells, width) output.
  hidden_maps_.clear();
  const size_t cells = size_t(grid) * size_t(grid);
  for (size_t i = 0; i + 1 < model_->size(); ++i) {
    auto* layer = dynamic_cast<ActivationLayer*>(&model_->layer(i));
    if (layer == nullptr) continue;
    std::vector<float> act = layer->output().to_host();
    const size_t width = act.size() / cells;
    std::vector<std::vector<float>> maps(width, std::vector<float>(cells));
    for (size_t cell = 0; cell < cells; ++cell)
      for (size_t j = 0; j < width; ++j) maps[j][cell] = act[cell * width + j];
    hidden_maps_.push_back(std::move(maps));
  }
  train_outputs_ = forward_points(*model_, *backend_, snap.data->train.x);
  test_outputs_ = forward_points(*model_, *backend_, snap.data->test.x);
}

}  // namespace nnplay::ui
