// The one training loop. Every client drives it: the CLI, the desktop app's worker
// thread, the page's per-frame slices, the network lab, the XOR experiment and the
// benchmark. It runs one step, the steps that fit in a time budget, or an epoch, and
// reports through events (per step, per epoch) instead of printing.
//
// A step reads like llm.c's: forward, loss, backward, update. On a device backend a whole
// epoch may instead go through DeviceEpochs (src/device_epochs.h), which keeps the step
// losses on the device and records and replays the epoch; the results are the same.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>

#include "nnplay/batches.h"
#include "nnplay/dataset.h"
#include "nnplay/evaluator.h"
#include "nnplay/layers.h"
#include "nnplay/optim.h"

namespace nnplay {

struct StepInfo {
  int epoch = 0;          // 1-based: the epoch this step belongs to
  int64_t step = 0;       // 1-based within the epoch
  int64_t steps = 0;      // per epoch
  float loss = 0.0f;      // this step's mean loss
  int64_t samples = 0;    // in the batch
  int64_t correct = -1;   // of which the model (before the update) got right; -1 unless counted
};

struct EpochResult {
  int epoch = 0;
  double mean_loss = 0.0;  // the mean of the step losses, like the tutorial's avg_cost
  int64_t steps = 0;
  int64_t samples = 0;
  double seconds = 0.0;  // spent in this epoch's steps
};

// A step schedule for the learning rate: epoch e (1-based) trains with
// base · gamma^⌊(e−1)/every⌋; every = 0 leaves the optimizer's rate alone. A function of the
// epoch only, so a run resumed from a checkpoint follows it as one run straight through.
struct LrSchedule {
  float base = 0.0f;
  int every = 0;
  float gamma = 1.0f;
  float lr_for_epoch(int epoch) const;
};

struct TrainerEvents {
  std::function<void(const StepInfo&)> on_step;
  std::function<void(const EpochResult&)> on_epoch;
};

// One optimisation step on one batch: zero_grad, forward, loss and its gradient,
// backward, update. Returns the batch's loss; if it is NaN or infinite, throws
// DivergenceError (with epoch and step) before the weights are touched.
float train_step(Sequential& model, Optimizer& optimizer, LossKind loss, const Batch& batch, Tensor& dpred,
                 int epoch = 0, int64_t step = 0);

// The batch evaluation uses for a model: 1000 for MLPs; for convolutional networks as
// many images as keep the widest layer's output near 8 MB, since every layer keeps its
// output at the evaluation batch's size (1000 images of a 24-channel 24x24 feature map
// alone are 55 MB).
int64_t eval_batch_size(const ModelSpec& spec);

class DeviceEpochs;

class Trainer {
 public:
  // The trainer owns no model, optimizer or data; they must outlive it. loss must suit
  // the model's last layer and the source's targets: cross_entropy or nll with labels,
  // mse or bce with float targets.
  Trainer(Sequential& model, Optimizer& optimizer, LossKind loss, BatchSource& data);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  void set_events(TrainerEvents events) { events_ = std::move(events); }
  // Sets the optimizer's learning rate at the start of every epoch (see LrSchedule).
  void set_lr_schedule(const LrSchedule& s) { schedule_ = s; }
  // Fills StepInfo::correct (a running training accuracy costs an argmax per step).
  void set_count_correct(bool on) { count_correct_ = on; }

  // One step on the next batch. After an epoch's last batch the epoch ends (on_epoch).
  // Throws DivergenceError if the loss is NaN or infinite; the weights are then those
  // from before that step.
  float step();
  // Steps while one more, as long as the last, still ends within budget_ms (always at
  // least one), at most max_steps, stopping early at the end of an epoch when
  // stop_at_epoch_end. Returns the steps taken.
  int64_t run_for(double budget_ms, int64_t max_steps = std::numeric_limits<int64_t>::max(),
                  bool stop_at_epoch_end = false);
  // The rest of the current epoch, or a whole one when none is under way.
  EpochResult run_epoch();

  int completed_epochs() const { return epoch_; }
  void set_completed_epochs(int n);  // a run resumed from a checkpoint; between epochs only
  int64_t step_in_epoch() const { return step_; }  // steps done in the current epoch
  int64_t steps_per_epoch() const { return data_.batches_per_epoch(); }
  bool mid_epoch() const { return step_ > 0; }

  // Loss, accuracy, confusion matrix and predictions over a whole dataset, in batches of
  // batch_size (a device backend keeps its copy of the set between calls). 0 picks the
  // model's evaluation batch (eval_batch_size()).
  EvalResult evaluate(const Dataset& data, int64_t batch_size = 0);

  // How many epochs a device replayed from a recording, and how many operations the
  // current recording holds (tests, benchmarks).
  int replayed_epochs() const;
  size_t recorded_operations() const;

 private:
  void begin_epoch();
  void end_epoch();
  void apply_schedule();

  Sequential& model_;
  Optimizer& optimizer_;
  LossKind loss_;
  BatchSource& data_;
  TrainerEvents events_;
  LrSchedule schedule_;
  bool count_correct_ = false;
  Tensor dpred_;
  std::vector<int32_t> pred_;
  int epoch_ = 0;      // completed epochs
  int64_t step_ = 0;   // steps done in the current epoch
  double epoch_loss_sum_ = 0.0, epoch_seconds_ = 0.0;
  int64_t epoch_samples_ = 0;
  EpochResult last_epoch_;
  std::unique_ptr<DeviceEpochs> device_;  // made on the first whole epoch on a device
  // Evaluation's loader, kept while it is the same dataset, buffers and batch size.
  std::unique_ptr<BatchLoader> eval_loader_;
  const void* eval_images_ = nullptr;
};

}  // namespace nnplay
