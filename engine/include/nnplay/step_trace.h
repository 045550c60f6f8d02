// One training step, every number: the batch, each layer's output, the loss, every
// gradient, the update and the new weights, as named stages with their formulas.
//
// trace_step() runs exactly one step through the engine's train_step (trainer.h) and
// then reads what that step left behind: each layer's output and input gradient, the
// loss gradient and the parameter gradients. It computes nothing of the step itself, so
// the weights after a traced step are bit for bit those of an untraced one. The softmax,
// one-hot and lr·gradient stages are recomputed on the host for display only.
//
// chain_rule() writes the gradient of one weight as the sum it is, with the numbers.
// Nothing here prints: the CLI (`nnplay-train step`) and the UI format what they read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/batches.h"
#include "nnplay/layers.h"
#include "nnplay/optim.h"
#include "nnplay/parameters.h"

namespace nnplay {

// One tensor of a stage. key names the quantity for comparisons with PyTorch; it is
// unique within a trace:
//   x, labels | targets       the batch
//   param.<name>              a parameter before the step ("param.0.weight")
//   out.<i>                   the output of module i (a Linear's z, an activation's a)
//   softmax, onehot           (cross-entropy only)
//   loss                      shape [1]
//   dout.<i>                  dL/d(out.<i>); dout.<last> is dL/dlogits (dL/doutput)
//   grad.<name>               dL/d(parameter)
//   lr_grad.<name>            lr · grad.<name>
//   new.<name>                the parameter after the step
struct TraceTensor {
  std::string key;
  std::string label;  // how a formula names it: "z", "W", "dL/dW"
  Shape shape;
  std::vector<float> values;  // row-major
};

enum class StagePhase { Batch, Forward, Loss, Backward, Update };

struct TraceStage {
  std::string id;       // stable: "input", "targets", "forward.<i>", "softmax", "onehot", "loss",
                        // "dloss", "backward.<i>", "lr_grad.<i>", "new.<i>"
  std::string title;    // "Linear 0 (2 → 10): pre-activation"
  std::string formula;  // "z = x·Wᵀ + b"
  StagePhase phase = StagePhase::Batch;
  int module = -1;      // the Sequential index it belongs to, or -1 (batch, loss)
  std::vector<TraceTensor> tensors;
};

struct TraceModule {
  std::string kind;         // "Linear", "Sigmoid", "Conv2d", ...
  std::string description;  // "Linear(2, 10)"
  std::string weight, bias; // parameter names ("0.weight"), or "" for none
};

struct StepTrace {
  std::string model;  // ModelSpec::describe()
  LossKind loss = LossKind::CrossEntropy;
  float lr = 0.0f;
  int64_t batch_size = 0;
  float loss_value = 0.0f;
  uint64_t case_hash = 0;  // step_case_hash() of the inputs (step_record.h)
  std::vector<TraceModule> modules;            // the Sequential's modules, in order
  std::vector<ParameterEntry> parameters;      // the layout of the flat buffers below
  std::vector<float> params_before, params_after;
  std::vector<TraceStage> stages;  // in the order the step computes them

  const TraceStage* stage(const std::string& id) const;    // null when absent
  const TraceTensor* tensor(const std::string& key) const;  // null when absent
};

// Runs one step of plain SGD (W' = W − lr·dL/dW; momentum and weight decay are refused,
// since the view shows that formula) on the batch, through train_step, and records it.
// The model is updated as by any step. Throws Error on an unsuitable optimizer, and
// DivergenceError (before the update) when the loss is not finite.
StepTrace trace_step(Sequential& model, const OptimizerConfig& sgd, LossKind loss, const Batch& batch);

// ---------------------------------------------------------------------------------------
// The chain rule for one weight W[row][col] of a Linear module:
//   dL/dW[r][c] = Σₙ dL/dz[n][r] · x[n][c]
// and where each dL/dz[n][r] came from (the factor after it, or the loss).

struct ChainTerm {
  int64_t sample = 0;
  float upstream = 0.0f;  // dL/dz[n][r]
  float input = 0.0f;     // x[n][c]: the Linear's input
  double product = 0.0;   // upstream · input
  // upstream = outer · local (activation after the Linear), or (outer − local) / N (the
  // logits under cross-entropy); NaN when neither applies.
  float outer = 0.0f;
  float local = 0.0f;
};

struct ChainRule {
  int module = 0;
  int64_t row = 0, col = 0;
  std::string weight_name;      // "0.weight"
  std::string upstream_formula; // "dL/dz[n][r] = dL/da[n][r] · a(1 − a)", or "" when not decomposed
  std::string outer_label, local_label;  // "dL/da", "a(1 − a)"; "p", "y"
  float weight = 0.0f;      // before the step
  float gradient = 0.0f;    // as the engine computed it
  double sum = 0.0;         // Σ products in double: the gradient up to float rounding
  float lr = 0.0f;
  float lr_gradient = 0.0f; // lr · gradient
  float new_weight = 0.0f;  // as the step left it
  std::vector<ChainTerm> terms;  // one per sample
};

// The Linear modules' indices, and the weight the views open on: the entry of the first
// Linear's weight with the largest |gradient| (the lowest index on a tie).
std::vector<int> linear_modules(const StepTrace& trace);
struct WeightRef {
  int module = 0;
  int64_t row = 0, col = 0;
};
WeightRef default_chain_weight(const StepTrace& trace);

// Throws Error when module is not a Linear or row/col lie outside its weight.
ChainRule chain_rule(const StepTrace& trace, const WeightRef& w);

}  // namespace nnplay
