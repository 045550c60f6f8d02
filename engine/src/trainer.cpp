// The one training loop: a step, the steps of a time budget, an epoch; and evaluation.
#include "nnplay/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "device_epochs.h"
#include "nnplay/error.h"
#include "nnplay/layer_list.h"

namespace nnplay {

namespace {
using Clock = std::chrono::steady_clock;
}

float train_step(Sequential& model, Optimizer& optimizer, LossKind loss, const Batch& batch, Tensor& dpred, int epoch,
                 int64_t step) {
  Backend& be = model.backend();
  model.set_training(true);
  model.zero_grad();
  const Tensor& pred = model.forward(*batch.x);
  if (!dpred.backend()) dpred = Tensor(be, {0});
  dpred.resize(pred.shape());
  const float value = be.loss_forward_backward(loss, pred, batch.targets, batch.labels, dpred);
  if (!std::isfinite(value)) throw divergence_error(value, epoch, step, optimizer.lr());
  model.backward(dpred);
  optimizer.step();
  return value;
}

Trainer::Trainer(Sequential& model, Optimizer& optimizer, LossKind loss, BatchSource& data)
    : model_(model), optimizer_(optimizer), loss_(loss), data_(data) {
  if (data.features() != model.in_features())
    throw Error("model takes " + std::to_string(model.in_features()) + " inputs but the data has " +
                std::to_string(data.features()) + " per sample");
  dpred_ = Tensor(model.backend(), {0});
}

Trainer::~Trainer() = default;

void Trainer::set_completed_epochs(int n) {
  if (step_ != 0) throw Error("training: the epoch count can only be set between epochs");
  epoch_ = n;
}

float LrSchedule::lr_for_epoch(int epoch) const {
  float lr = base;
  if (every > 0)
    for (int k = (epoch - 1) / every; k > 0; --k) lr *= gamma;  // repeated products: the same bits everywhere
  return lr;
}

void Trainer::apply_schedule() {
  if (schedule_.every > 0) optimizer_.set_lr(schedule_.lr_for_epoch(epoch_ + 1));
}

void Trainer::begin_epoch() {
  apply_schedule();
  data_.start_epoch();
  epoch_loss_sum_ = 0.0;
  epoch_seconds_ = 0.0;
  epoch_samples_ = 0;
}

void Trainer::end_epoch() {
  EpochResult r;
  r.epoch = epoch_ + 1;
  r.steps = step_;
  r.samples = epoch_samples_;
  r.mean_loss = step_ ? epoch_loss_sum_ / double(step_) : 0.0;
  r.seconds = epoch_seconds_;
  ++epoch_;
  step_ = 0;
  last_epoch_ = r;
  if (events_.on_epoch) events_.on_epoch(r);
}

float Trainer::step() {
  const int64_t steps = steps_per_epoch();
  if (steps <= 0) throw Error("training: an epoch has no batches (the batch is larger than the data?)");
  if (step_ == 0) begin_epoch();
  const auto started = Clock::now();
  Batch batch;
  if (!data_.next(batch)) throw Error("training: the data ran out before the end of the epoch");
  const float loss = train_step(model_, optimizer_, loss_, batch, dpred_, epoch_ + 1, step_ + 1);
  ++step_;
  epoch_loss_sum_ += loss;
  epoch_samples_ += batch.size();
  StepInfo info{epoch_ + 1, step_, steps, loss, batch.size(), -1};
  if (count_correct_) {
    // The batch's outputs from before the update: a running training accuracy.
    const Tensor& out = model_.layer(model_.size() - 1).output();
    const int64_t n = batch.size();
    pred_.resize(size_t(n));
    if (out.dim(1) == 1) {
      const std::vector<float> p = out.to_host(), t = batch.targets->to_host();
      for (int64_t i = 0; i < n; ++i) pred_[size_t(i)] = (p[size_t(i)] > 0.5f) == (t[size_t(i)] > 0.5f);
      info.correct = 0;
      for (int32_t ok : pred_) info.correct += ok;
    } else {
      model_.backend().argmax_rows(out, pred_.data());
      const std::vector<int32_t> truth = batch.labels->to_host();
      info.correct = 0;
      for (int64_t i = 0; i < n; ++i) info.correct += pred_[size_t(i)] == truth[size_t(i)];
    }
  }
  epoch_seconds_ += std::chrono::duration<double>(Clock::now() - started).count();
  if (events_.on_step) events_.on_step(info);
  if (step_ >= steps) end_epoch();
  return loss;
}

int64_t Trainer::run_for(double budget_ms, int64_t max_steps, bool stop_at_epoch_end) {
  auto last = Clock::now();
  const auto until = last + std::chrono::microseconds(int64_t(budget_ms * 1000.0));
  int64_t done = 0;
  while (done < max_steps) {
    step();
    ++done;
    if (stop_at_epoch_end && step_ == 0) break;
    // Stop where one more step, as long as the last, would run past the budget: a page's
    // slice then ends within its frame instead of up to a whole step beyond it.
    const auto now = Clock::now();
    if (now + (now - last) > until) break;
    last = now;
  }
  return done;
}

EpochResult Trainer::run_epoch() {
  // A backend with device steps (CUDA) runs a whole epoch without host round trips.
  if (step_ == 0 && model_.backend().device_steps()) {
    if (auto* loader = dynamic_cast<BatchLoader*>(&data_)) {
      if (!device_) device_ = std::make_unique<DeviceEpochs>(model_, optimizer_, loss_);
      apply_schedule();
      const auto started = Clock::now();
      EpochResult r = device_->run(*loader, epoch_ + 1, events_.on_step);
      r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
      ++epoch_;
      last_epoch_ = r;
      if (events_.on_epoch) events_.on_epoch(r);
      return r;
    }
  }
  if (steps_per_epoch() <= 0) {
    begin_epoch();
    end_epoch();
    return last_epoch_;
  }
  do step();
  while (step_ != 0);
  return last_epoch_;
}

int64_t eval_batch_size(const ModelSpec& spec) {
  constexpr int64_t kMlpBatch = 1000;
  constexpr int64_t kActivationBudget = int64_t(1) << 21;  // floats (8 MB)
  if (!spec.is_layer_list()) return kMlpBatch;
  int64_t widest = 1;
  for (const ModulePlan& m : plan_modules(spec)) widest = std::max(widest, shape_numel(m.out));
  return std::clamp<int64_t>(kActivationBudget / widest, 1, kMlpBatch);
}

EvalResult Trainer::evaluate(const Dataset& data, int64_t batch_size) {
  if (batch_size <= 0) batch_size = eval_batch_size(model_.spec());
  if (data.dim() != model_.in_features())
    throw Error("model takes " + std::to_string(model_.in_features()) + " inputs but " + data.name + " has " +
                std::to_string(data.dim()) + " pixels per image");
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
  Evaluator ev(model_, *eval_loader_, loss_);
  return ev.run();
}

int Trainer::replayed_epochs() const { return device_ ? device_->replayed_epochs() : 0; }
size_t Trainer::recorded_operations() const { return device_ ? device_->recorded_operations() : 0; }

}  // namespace nnplay
