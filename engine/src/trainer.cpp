// The training step, the epoch loop and evaluation, shared by the CLI and the front ends.
#include "nnplay/trainer.h"

#include <cmath>
#include <cstdio>
#include <numeric>

#include "nnplay/error.h"

namespace nnplay {

float train_step(Sequential& model, Optimizer& optimizer, LossKind loss, const Tensor& x, const Tensor* targets,
                 const Labels* labels, Tensor& dpred, int epoch, int64_t step) {
  Backend& be = model.backend();
  model.zero_grad();
  const Tensor& pred = model.forward(x);
  if (!dpred.backend()) dpred = Tensor(be, {0});
  dpred.resize(pred.shape());
  float value = be.loss_forward_backward(loss, pred, targets, labels, dpred);
  if (!std::isfinite(value)) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "loss became %s at epoch %d, step %lld (learning rate %g): training stopped before the weights "
                  "were updated. Hint: lower the learning rate.",
                  std::isnan(value) ? "NaN" : "infinite", epoch, static_cast<long long>(step),
                  double(optimizer.lr()));
    throw DivergenceError(buf, epoch, long(step), value);
  }
  model.backward(dpred);
  optimizer.step();
  return value;
}

Trainer::Trainer(Sequential& model, Optimizer& optimizer, LossKind loss)
    : model_(model), optimizer_(optimizer), loss_(loss) {
  if (loss != LossKind::CrossEntropy && loss != LossKind::NLL)
    throw Error(std::string("Trainer: classification training needs cross_entropy or nll, not ") + loss_name(loss));
  x_ = Tensor(model.backend(), {0});
  dpred_ = Tensor(model.backend(), {0});
  labels_ = Labels(model.backend(), 0);
}

EpochResult Trainer::train_epoch(BatchLoader& loader, int epoch, const std::function<void(const StepInfo&)>& on_step) {
  if (loader.dataset().dim() != model_.in_features())
    throw Error("model takes " + std::to_string(model_.in_features()) + " inputs but " + loader.dataset().name +
                " has " + std::to_string(loader.dataset().dim()) + " pixels per image");
  EpochResult r;
  r.epoch = epoch;
  const int64_t steps = loader.batches_per_epoch();
  double sum = 0.0;
  loader.start_epoch();
  while (loader.next(x_, labels_)) {
    ++r.steps;
    float value = train_step(model_, optimizer_, loss_, x_, nullptr, &labels_, dpred_, epoch, r.steps);
    sum += value;
    r.samples += x_.dim(0);
    if (on_step) on_step(StepInfo{epoch, r.steps, steps, value});
  }
  r.mean_loss = r.steps ? sum / double(r.steps) : 0.0;
  return r;
}

EvalResult Trainer::evaluate(const Dataset& data, int64_t batch_size) {
  if (data.dim() != model_.in_features())
    throw Error("model takes " + std::to_string(model_.in_features()) + " inputs but " + data.name + " has " +
                std::to_string(data.dim()) + " pixels per image");
  EvalResult r;
  r.confusion = ConfusionMatrix(int(model_.out_features()));
  r.predictions.resize(size_t(data.count));
  BatchLoader loader(model_.backend(), data, batch_size, /*shuffle=*/false, /*drop_last=*/false, 0);
  double loss_sum = 0.0;
  int64_t done = 0;
  while (loader.next(x_, labels_)) {
    const Tensor& out = model_.forward(x_);
    int64_t n = x_.dim(0);
    loss_sum += double(model_.backend().loss_forward(loss_, out, nullptr, &labels_)) * double(n);
    model_.backend().argmax_rows(out, r.predictions.data() + done);
    done += n;
  }
  for (int64_t i = 0; i < data.count; ++i) r.confusion.add(data.labels[size_t(i)], r.predictions[size_t(i)]);
  r.loss = data.count ? loss_sum / double(data.count) : 0.0;
  r.accuracy = r.confusion.accuracy();
  return r;
}

}  // namespace nnplay
