// Whole epochs on a device: the step-loss log, recording and replay (see device_epochs.h).
#include "device_epochs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "nnplay/error.h"

namespace nnplay {

DivergenceError divergence_error(float value, int epoch, int64_t step, float lr) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "loss became %s at epoch %d, step %lld (learning rate %g): training stopped before the weights "
                "were updated. Hint: lower the learning rate.",
                std::isnan(value) ? "NaN" : "infinite", epoch, static_cast<long long>(step), double(lr));
  return DivergenceError(buf, epoch, long(step), value);
}

DeviceEpochs::DeviceEpochs(Sequential& model, Optimizer& optimizer, LossKind loss)
    : model_(model), optimizer_(optimizer), loss_(loss) {
  if (!model.backend().device_steps())
    throw Error(std::string("the ") + model.backend().name() + " backend has no device epochs");
  if (loss != LossKind::CrossEntropy && loss != LossKind::NLL)
    throw Error(std::string("device epochs train classifiers (cross_entropy or nll), not ") + loss_name(loss));
  Backend& be = model.backend();
  x_ = Tensor(be, {0});
  dpred_ = Tensor(be, {0});
  labels_ = Labels(be, 0);
  log_.losses = Tensor(be, {0});
  log_.halt = Labels(be, 1);
}

std::string DeviceEpochs::recording_key(const BatchLoader& loader) const {
  // Everything a recorded epoch has baked in: the loader (its device copies and batch
  // shapes), the model and its activations, and the optimizer's settings, the learning
  // rate to the last bit (%a), since it can change between epochs.
  char buf[192];
  std::snprintf(buf, sizeof buf, "%p/%lld/%lld/%p/%a/", static_cast<const void*>(&loader),
                static_cast<long long>(loader.dataset().count), static_cast<long long>(loader.batch_size()),
                static_cast<const void*>(&model_), double(optimizer_.lr()));
  std::string key = buf + optimizer_.describe();
  for (size_t i = 0; i < model_.size(); ++i) key += "/" + model_.layer(i).describe();
  return key;
}

void DeviceEpochs::check_labels(const BatchLoader& loader) {
  // A device reports a label outside the classes only as a NaN loss, which would read as
  // divergence; the labels are on the host, so they are checked here once per loader.
  if (labels_checked_ == &loader) return;
  const Dataset& d = loader.dataset();
  const int64_t classes = model_.out_features();
  for (size_t i = 0; i < d.labels.size(); ++i)
    if (int64_t(d.labels[i]) >= classes)
      throw Error(d.name + ": label " + std::to_string(int(d.labels[i])) + " of sample " + std::to_string(i) +
                  " is outside the model's " + std::to_string(classes) + " classes [0, " + std::to_string(classes) +
                  ")");
  labels_checked_ = &loader;
}

void DeviceEpochs::read_log(int64_t from, int64_t to, int epoch, int64_t steps, int64_t batch, double& sum,
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
    if (on_step) on_step(StepInfo{epoch, i + 1, steps, value, batch, -1});
  }
  if (bad >= 0 && bad < to) {
    const long skipped = long(to - bad);  // steps issued since (and with) the bad one
    optimizer_.set_step_count(optimizer_.step_count() - skipped);
    throw divergence_error(losses_host_[size_t(bad - from)], epoch, bad + 1, optimizer_.lr());
  }
}

EpochResult DeviceEpochs::run(BatchLoader& loader, int epoch, const std::function<void(const StepInfo&)>& on_step) {
  check_labels(loader);
  Backend& be = model_.backend();
  DeviceSteps& dev = *be.device_steps();
  EpochResult r;
  r.epoch = epoch;
  const int64_t steps = loader.batches_per_epoch();
  // Reading the log costs a round trip: once per epoch, or about 50 times an epoch for a
  // progress bar.
  const int64_t read_every = on_step ? std::max<int64_t>(1, steps / 50) : std::max<int64_t>(1, steps);
  // Resizing allocates only the first time (or for a longer epoch), before any recording.
  log_.losses.resize({std::max<int64_t>(1, steps)});
  const int32_t zero = 0;
  be.upload(log_.halt.data(), &zero, sizeof zero);
  loader.start_epoch();
  double sum = 0.0;

  // Recording pays when nothing is read back in the middle of the epoch: the second
  // epoch with unchanged settings is recorded (the first one allocates what the steps
  // need, and recording allows no allocation), later ones are replayed.
  const std::string key = dev.can_record() && steps > 0 && read_every >= steps ? recording_key(loader) : std::string();
  if (!key.empty() && recording_ && key == recording_key_ &&
      dev.replay(*recording_, optimizer_.step_count() - recording_step_)) {
    loader.skip_to_end();
    optimizer_.set_step_count(optimizer_.step_count() + long(steps));
    ++replayed_epochs_;
    r.steps = steps;
    r.samples = loader.samples_per_epoch();
    read_log(0, steps, epoch, steps, loader.batch_size(), sum, on_step);
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
    dev.begin_recording();
  }
  int64_t read = 0;
  model_.set_training(true);
  try {
    while (loader.next(x_, labels_)) {
      model_.zero_grad();
      const Tensor& pred = model_.forward(x_);
      dpred_.resize(pred.shape());
      dev.loss_forward_backward_logged(loss_, pred, nullptr, &labels_, dpred_, log_, r.steps);
      model_.backward(dpred_);
      optimizer_.step_unless_halted(log_.halt.data());
      ++r.steps;
      r.samples += x_.dim(0);
      if (!record && r.steps - read >= read_every) {
        read_log(read, r.steps, epoch, steps, loader.batch_size(), sum, on_step);
        read = r.steps;
      }
    }
  } catch (...) {
    if (record) {
      // Nothing captured ran: the optimizer has made none of those updates.
      dev.cancel_recording();
      optimizer_.set_step_count(step_before);
    }
    throw;
  }
  if (record) {
    recording_ = dev.end_recording();
    recording_key_ = key;
    recording_step_ = step_before;
    if (!dev.replay(*recording_, 0)) throw Error("training: an epoch just recorded could not be replayed");
  }
  read_log(read, r.steps, epoch, steps, loader.batch_size(), sum, on_step);
  r.mean_loss = r.steps ? sum / double(r.steps) : 0.0;
  return r;
}

}  // namespace nnplay
