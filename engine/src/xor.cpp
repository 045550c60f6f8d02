// The XOR MLP experiment, shared by the CLI, the tests and the front end.
#include "nnplay/xor.h"

#include "nnplay/batches.h"
#include "nnplay/error.h"
#include "nnplay/rng.h"
#include "nnplay/trainer.h"

namespace nnplay {

const std::vector<float>& xor_inputs() {
  static const std::vector<float> x = {0, 0, 0, 1, 1, 0, 1, 1};
  return x;
}

const std::vector<float>& xor_targets() {
  static const std::vector<float> y = {0, 1, 1, 0};
  return y;
}

ModelSpec xor_model_spec(const XorConfig& cfg) {
  ModelSpec spec;
  spec.sizes.push_back(2);
  for (int64_t h : cfg.hidden) spec.sizes.push_back(h);
  spec.sizes.push_back(1);
  spec.hidden = cfg.activation;
  spec.output = Activation::Sigmoid;
  return spec;
}

XorResult train_xor(Backend& backend, const XorConfig& cfg, const std::function<void(int, float)>& on_epoch) {
  if (cfg.epochs < 0) throw Error("epochs must be >= 0");
  if (cfg.loss == LossKind::CrossEntropy || cfg.loss == LossKind::NLL)
    throw Error("the XOR model has one output: use the bce or mse loss");
  Rng rng(cfg.seed);
  Sequential model(backend, xor_model_spec(cfg), rng);
  auto opt = make_optimizer(model.parameters(), cfg.optimizer);
  PointBatches points(backend, xor_inputs(), xor_targets(), 2);  // one full batch
  Trainer trainer(model, *opt, cfg.loss, points);
  XorResult r;
  for (int epoch = 0; epoch < cfg.epochs; ++epoch) {
    r.final_loss = trainer.step();
    if (on_epoch) on_epoch(epoch, r.final_loss);
  }
  r.outputs = model.forward(points.inputs()).to_host();
  r.targets = {0, 1, 1, 0};
  int correct = 0;
  for (size_t i = 0; i < 4; ++i) {
    r.predictions.push_back(r.outputs[i] > 0.5f ? 1 : 0);
    correct += r.predictions[i] == r.targets[i];
  }
  r.accuracy = correct / 4.0;
  r.parameters = model.parameters().data().to_host();
  return r;
}

}  // namespace nnplay
