// The one evaluator: loss, accuracy, confusion matrix and per-sample predictions of a
// model over every batch of a source, in order. It runs a batch at a time (run_chunk), so
// that a page can spread a 10,000-image test over several frames, or all at once (run).
// The CLI's eval, the trainer, the recorded-results check (proof.h) and the panels all
// use it.
//
// A model with several outputs predicts the argmax (classes = outputs); a model with one
// output (a sigmoid) predicts output > 0.5 (classes 0 and 1). The truth is the batch's
// labels, or its float targets rounded the same way.
#pragma once

#include <cstdint>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/batches.h"
#include "nnplay/layers.h"
#include "nnplay/metrics.h"

namespace nnplay {

struct EvalResult {
  int64_t count = 0;   // samples evaluated
  double loss = 0.0;   // mean over the samples
  double accuracy = 0.0;
  ConfusionMatrix confusion{10};
  std::vector<int32_t> predictions;  // one per sample, in the source's order
  std::vector<float> first_outputs;  // the outputs of the first keep_outputs samples, row-major
};

class Evaluator {
 public:
  // Starts an evaluation of model over one epoch of source (which should not shuffle).
  Evaluator(Sequential& model, BatchSource& source, LossKind loss, int keep_outputs = 0);

  bool done() const { return done_; }
  // Evaluates the next batch; after the last one, completes the result.
  void run_chunk();
  // Evaluates what is left.
  const EvalResult& run();
  const EvalResult& result() const { return r_; }
  // Samples evaluated so far, of how many.
  int64_t evaluated() const { return r_.count; }

 private:
  Sequential& model_;
  BatchSource& source_;
  LossKind loss_;
  int keep_;
  bool done_ = false;
  double loss_sum_ = 0.0;
  EvalResult r_;
  std::vector<int32_t> pred_, truth_;
  std::vector<float> host_;
};

}  // namespace nnplay
