// Trains a Sequential on a classification dataset, one epoch at a time, and evaluates
// it. The same trainer drives the CLI and the front ends; what happens during training
// reaches them through a callback (progress, losses), never through printing.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
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

  // One pass over the loader. Throws DivergenceError (with epoch, step and a hint) as
  // soon as a step's loss is NaN or infinite, before that step updates the weights.
  EpochResult train_epoch(BatchLoader& loader, int epoch, const std::function<void(const StepInfo&)>& on_step = {});

  // Loss, accuracy, confusion matrix and per-sample predictions over a whole dataset,
  // in batches of batch_size.
  EvalResult evaluate(const Dataset& data, int64_t batch_size = 1000);

 private:
  Sequential& model_;
  Optimizer& optimizer_;
  LossKind loss_;
  Tensor x_, dpred_;
  Labels labels_;
};

}  // namespace nnplay
