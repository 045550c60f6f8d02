// Trains a Sequential on a classification dataset, one epoch at a time, and evaluates
// it. The same trainer drives the CLI and the front ends; what happens during training
// reaches them through a callback (progress, losses), never through printing.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nnplay/dataset.h"
#include "nnplay/layers.h"
#include "nnplay/metrics.h"
#include "nnplay/optim.h"

namespace nnplay {

struct StepInfo {
  int epoch;            // 1-based
  int64_t step;         // 1-based within the epoch
  int64_t steps;        // per epoch
  float loss;           // this step's mean loss
};

struct EpochResult {
  int epoch = 0;
  double mean_loss = 0.0;  // the mean of the step losses, like the tutorial's avg_cost
  int64_t steps = 0;
  int64_t samples = 0;
};

struct EvalResult {
  double loss = 0.0;
  double accuracy = 0.0;
  ConfusionMatrix confusion{10};
  std::vector<int32_t> predictions;
};

// One optimisation step on one batch: zero_grad, forward, loss and its gradient,
// backward, update. Returns the batch's loss; if it is NaN or infinite, throws
// DivergenceError (with epoch and step) before the weights are touched.
float train_step(Sequential& model, Optimizer& optimizer, LossKind loss, const Tensor& x, const Tensor* targets,
                 const Labels* labels, Tensor& dpred, int epoch = 0, int64_t step = 0);

class Trainer {
 public:
  // loss must suit the model's last layer: CrossEntropy for logits, NLL after a
  // log-softmax, and so on. The trainer owns no model or optimizer.
  Trainer(Sequential& model, Optimizer& optimizer, LossKind loss);

  // One pass over the loader. Throws DivergenceError (with epoch, step and a hint) if a
  // step's loss is NaN or infinite; the weights are then those from before that step.
  //
  // The step losses are kept in the backend's memory (StepLog) and read back every step
  // on a host-memory backend, but on a device only once per epoch, or about 50 times an
  // epoch when on_step is given (a progress bar): on_step then sees the steps in bursts.
  // A backend that can record (CUDA) records the second epoch it trains with the same
  // loader, model and optimizer settings and replays that recording in later epochs.
  EpochResult train_epoch(BatchLoader& loader, int epoch, const std::function<void(const StepInfo&)>& on_step = {});

  // Loss, accuracy, confusion matrix and per-sample predictions over a whole dataset,
  // in batches of batch_size.
  EvalResult evaluate(const Dataset& data, int64_t batch_size = 1000);

  // How many epochs were replayed from a recording, and how many operations (kernels,
  // GEMMs, copies) the current recording holds (tests, benchmarks).
  int replayed_epochs() const { return replayed_epochs_; }
  size_t recorded_operations() const { return recording_ ? recording_->operations() : 0; }

 private:
  // Reads log steps [from, to): sums their losses into sum and reports them to on_step;
  // throws DivergenceError if the log halted.
  void read_log(int64_t from, int64_t to, int epoch, int64_t steps, double& sum,
                const std::function<void(const StepInfo&)>& on_step);
  std::string recording_key(const BatchLoader& loader) const;

  Sequential& model_;
  Optimizer& optimizer_;
  LossKind loss_;
  Tensor x_, dpred_;
  Labels labels_;
  StepLog log_;
  std::vector<float> losses_host_;
  // Evaluation's loader, kept between calls so that a device backend uploads a test set
  // once, and allocates nothing after the first evaluation (a recording stays valid).
  std::unique_ptr<BatchLoader> eval_loader_;
  const void* eval_images_ = nullptr;
  // The recorded epoch, what it was recorded for, and the optimizer's step count then.
  std::unique_ptr<Backend::Recording> recording_;
  std::string recording_key_;
  long recording_step_ = 0;
  int eager_epochs_ = 0;  // epochs trained (not replayed) with the current key
  std::string eager_key_;
  int replayed_epochs_ = 0;
};

}  // namespace nnplay
