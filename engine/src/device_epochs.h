// Whole epochs on a device backend (CUDA), where a step must not wait for the host. This
// is the one place that knows about it; the trainer hands a whole epoch here when its
// backend does not use host memory, and the results are the same bits as step by step:
//   - each step's loss goes to a StepLog in the backend's memory, read back once per
//     epoch (or about 50 times an epoch for a progress bar); a NaN or infinite loss halts
//     the log, and the updates given a halted log do nothing, so the weights stay those
//     from before that step;
//   - a backend that can record (CUDA Graphs) records the second epoch it trains with the
//     same loader, model and optimizer settings, and replays that recording in later
//     epochs (with the optimizer's step number shifted), as long as no memory of the
//     backend was allocated or released since.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/dataset.h"
#include "nnplay/device_steps.h"
#include "nnplay/error.h"
#include "nnplay/layers.h"
#include "nnplay/optim.h"
#include "nnplay/trainer.h"

namespace nnplay {

class DeviceEpochs {
 public:
  DeviceEpochs(Sequential& model, Optimizer& optimizer, LossKind loss);

  // One whole epoch of loader (already at its start: run() calls start_epoch()). Throws
  // DivergenceError like Trainer::step, with the optimizer's step count that of the
  // updates really applied; Error when a label is outside the model's classes.
  EpochResult run(BatchLoader& loader, int epoch, const std::function<void(const StepInfo&)>& on_step);

  int replayed_epochs() const { return replayed_epochs_; }
  size_t recorded_operations() const { return recording_ ? recording_->operations() : 0; }

 private:
  // Reads log steps [from, to): sums their losses into sum and reports them to on_step;
  // throws DivergenceError if the log halted.
  void read_log(int64_t from, int64_t to, int epoch, int64_t steps, int64_t batch, double& sum,
                const std::function<void(const StepInfo&)>& on_step);
  std::string recording_key(const BatchLoader& loader) const;
  void check_labels(const BatchLoader& loader);

  Sequential& model_;
  Optimizer& optimizer_;
  LossKind loss_;
  Tensor x_, dpred_;
  Labels labels_;
  StepLog log_;
  std::vector<float> losses_host_;
  const BatchLoader* labels_checked_ = nullptr;
  // The recorded epoch, what it was recorded for, and the optimizer's step count then.
  std::unique_ptr<DeviceSteps::Recording> recording_;
  std::string recording_key_;
  long recording_step_ = 0;
  int eager_epochs_ = 0;  // epochs trained (not replayed) with the current key
  std::string eager_key_;
  int replayed_epochs_ = 0;
};

// The error of a step whose loss is not finite (shared with train_step).
DivergenceError divergence_error(float value, int epoch, int64_t step, float lr);

}  // namespace nnplay
