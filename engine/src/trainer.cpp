// The training step, the epoch loop and evaluation, shared by the CLI and the front ends.
#include "nnplay/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "nnplay/error.h"

namespace nnplay {

namespace {

DivergenceError divergence(float value, int epoch, int64_t step, float lr) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "loss became %s at epoch %d, step %lld (learning rate %g): training stopped before the weights "
                "were updated. Hint: lower the learning rate.",
                std::isnan(value) ? "NaN" : "infinite", epoch, static_cast<long long>(step), double(lr));
  return DivergenceError(buf, epoch, long(step), value);
}

}  // namespace

float train_step(Sequential& model, Optimizer& optimizer, LossKind loss, const Tensor& x, const Tensor* targets,
                 const Labels* labels, Tensor& dpred, int epoch, int64_t step) {
  Backend& be = model.backend();
  model.zero_grad();
  const Tensor& pred = model.forward(x);
  if (!dpred.backend()) dpred = Tensor(be, {0});
  dpred.resize(pred.shape());
  float value = be.loss_forward_backward(loss, pred, targets, labels, dpred);
  if (!std::isfinite(value)) throw divergence(value, epoch, step, optimizer.lr());
  model.backward(dpred);
  optimizer.step();
  return value;
}

Trainer::Trainer(Sequential& model, Optimizer& optimizer, LossKind loss)
    : model_(model), optimizer_(optimizer), loss_(loss) {
  if (loss != LossKind::CrossEntropy && loss != LossKind::NLL)
    throw Error(std::string("Trainer: classification training needs cross_entropy or nll, not ") + loss_name(loss));
  Backend& be = model.backend();
  x_ = Tensor(be, {0});
  dpred_ = Tensor(be, {0});
  labels_ = Labels(be, 0);
  log_.losses = Tensor(be, {0});
  log_.halt = Labels(be, 1);
}

std::string Trainer::recording_key(const BatchLoader& loader) const {
  // Everything a recorded epoch has baked in: the loader (its device copies and batch
  // shapes), the model, and the optimizer's settings (its learning rate included).
  char buf[160];
  std::snprintf(buf, sizeof buf, "%p/%lld/%lld/%p/", static_cast<const void*>(&loader),
                static_cast<long long>(loader.dataset().count), static_cast<long long>(loader.batch_size()),
                static_cast<const void*>(&model_));
  return buf + optimizer_.describe();
}

void Trainer::read_log(int64_t from, int64_t to, int epoch, int64_t steps, double& sum,
                       const std::function<void(const StepInfo&)>& on_step) {
  if (to <= from) return;
  Backend& be = model_.backend();
  int32_t halt = 0;
  be.download(&halt, log_.halt.data(), sizeof halt);
  losses_host_.resize(size_t(to - from));
  be.download(losses_host_.data(), log_.losses.data() + from, size_t(to - from) * sizeof(float));
  // Steps from the halted one on were not applied: the optimizer forgets them, and the
  // epoch's losses stop before it.
  const int64_t bad = halt > 0 ? int64_t(halt) - 1 : -1;
  if (bad >= 0 && bad < from) throw Error("loss log: halted at step " + std::to_string(bad) + " before it was read");
  const int64_t end = bad >= 0 ? std::min(bad, to) : to;
  for (int64_t i = from; i < end; ++i) {
    const float value = losses_host_[size_t(i - from)];
    sum += value;
    if (on_step) on_step(StepInfo{epoch, i + 1, steps, value});
  }
  if (bad >= 0 && bad < to) {
    const long skipped = long(to - bad);  // steps issued since (and with) the bad one
    optimizer_.set_step_count(optimizer_.step_count() - skipped);
    throw divergence(losses_host_[size_t(bad - from)], epoch, bad + 1, optimizer_.lr());
  }
}

EpochResult Trainer::train_epoch(BatchLoader& loader, int epoch, const std::function<void(const StepInfo&)>& on_step) {
  if (loader.dataset().dim() != model_.in_features())
    throw Error("model takes " + std::to_string(model_.in_features()) + " inputs but " + loader.dataset().name +
                " has " + std::to_string(loader.dataset().dim()) + " pixels per image");
  Backend& be = model_.backend();
  EpochResult r;
  r.epoch = epoch;
  const int64_t steps = loader.batches_per_epoch();
  // Reading the log costs a round trip on a device: once per epoch there, or about 50
  // times an epoch for a progress bar. In host memory it is free: every step.
  const int64_t read_every =
      be.uses_host_memory() ? 1 : (on_step ? std::max<int64_t>(1, steps / 50) : std::max<int64_t>(1, steps));
  // Resizing allocates only the first time (or for a longer epoch), before any recording.
  log_.losses.resize({std::max<int64_t>(1, steps)});
  const int32_t zero = 0;
  be.upload(log_.halt.data(), &zero, sizeof zero);
  loader.start_epoch();
  double sum = 0.0;

  // Recording pays when nothing is read back in the middle of the epoch: the second
  // epoch with unchanged settings is recorded (the first one allocates what the steps
  // need, and recording allows no allocation), later ones are replayed.
  const std::string key = be.can_record() && steps > 0 && read_every >= steps ? recording_key(loader) : std::string();
  if (!key.empty() && recording_ && key == recording_key_ &&
      be.replay(*recording_, optimizer_.step_count() - recording_step_)) {
    loader.skip_to_end();
    optimizer_.set_step_count(optimizer_.step_count() + long(steps));
    ++replayed_epochs_;
    r.steps = steps;
    r.samples = loader.samples_per_epoch();
    read_log(0, steps, epoch, steps, sum, on_step);
    r.mean_loss = steps ? sum / double(steps) : 0.0;
    return r;
  }
  if (key != eager_key_) {
    eager_key_ = key;
    eager_epochs_ = 0;
  }
  const bool record = !key.empty() && eager_epochs_ >= 1;
  ++eager_epochs_;
  const long step_before = optimizer_.step_count();
  if (record) {
    recording_.reset();
    be.begin_recording();
  }
  int64_t read = 0;
  try {
    while (loader.next(x_, labels_)) {
      model_.zero_grad();
      const Tensor& pred = model_.forward(x_);
      dpred_.resize(pred.shape());
      be.loss_forward_backward_logged(loss_, pred, nullptr, &labels_, dpred_, log_, r.steps);
      model_.backward(dpred_);
      optimizer_.step_unless_halted(log_);
      ++r.steps;
      r.samples += x_.dim(0);
      if (!record && r.steps - read >= read_every) {
        read_log(read, r.steps, epoch, steps, sum, on_step);
        read = r.steps;
      }
    }
  } catch (...) {
    if (record) be.cancel_recording();
    throw;
  }
  if (record) {
    recording_ = be.end_recording();
    recording_key_ = key;
    recording_step_ = step_before;
    if (!be.replay(*recording_, 0)) throw Error("training: an epoch just recorded could not be replayed");
  }
  read_log(read, r.steps, epoch, steps, sum, on_step);
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
  // The loader (and a device backend's copy of the set) is reused while it is the same
  // dataset object with the same buffers, size and batch size. (A device backend would
  // not see pixels changed in place in between; nothing in nnplay does that.)
  if (!eval_loader_ || &eval_loader_->dataset() != &data || eval_images_ != data.images.data() ||
      eval_loader_->batch_size() != batch_size || eval_loader_->count() != data.count) {
    eval_loader_.reset();
    eval_loader_ = std::make_unique<BatchLoader>(model_.backend(), data, batch_size, /*shuffle=*/false,
                                                 /*drop_last=*/false, 0);
    eval_images_ = data.images.data();
  }
  BatchLoader& loader = *eval_loader_;
  loader.start_epoch();
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
