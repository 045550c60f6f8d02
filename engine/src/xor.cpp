// The XOR MLP experiment, shared by the CLI, the tests and the front end.
#include "nnplay/xor.h"

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

XorResult train_xor(Backend& backend, const XorConfig& cfg, const std::function<void(int, float)>& on_epoch) {
  if (cfg.epochs < 0) throw Error("epochs must be >= 0");
  if (cfg.loss == LossKind::CrossEntropy || cfg.loss == LossKind::NLL)
    throw Error("the XOR model has one output: use the bce or mse loss");
  ModelSpec spec;
  spec.sizes.push_back(2);
  for (int64_t h : cfg.hidden) spec.sizes.push_back(h);
  spec.sizes.push_back(1);
  spec.hidden = cfg.activation;
  // BCE needs probabilities, so the output goes through a sigmoid as in the tutorial.
  spec.output = Activation::Sigmoid;
  Rng rng(cfg.seed);
  Sequential model(backend, spec, rng);
  auto opt = make_optimizer(model.parameters(), cfg.optimizer);

  Tensor x(backend, {4, 2}), y(backend, {4, 1}), dpred(backend, {4, 1});
  x.from_host(xor_inputs());
  y.from_host(xor_targets());
  XorResult r;
  for (int epoch = 0; epoch < cfg.epochs; ++epoch) {
    float loss = train_step(model, *opt, cfg.loss, x, &y, nullptr, dpred, epoch, 1);
    r.final_loss = loss;
    if (on_epoch) on_epoch(epoch, loss);
  }
  r.outputs = model.forward(x).to_host();
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
