// What the trainer and the evaluator read: batches from a source that knows its epoch.
// Two sources exist: BatchLoader (dataset.h: uint8 images and class labels, the MNIST
// path, gathered on the backend) and PointBatches (below: float inputs with float
// targets, the 2-D toy sets and the XOR points). A batch points into buffers the source
// owns; they stay valid until the source's next call.
#pragma once

#include <cstdint>
#include <vector>

#include "nnplay/rng.h"
#include "nnplay/tensor.h"

namespace nnplay {

struct Batch {
  const Tensor* x = nullptr;        // [n, features]
  const Labels* labels = nullptr;   // class indices (cross-entropy, NLL), or null
  const Tensor* targets = nullptr;  // float targets of the output's shape (MSE, BCE), or null
  int64_t size() const { return x ? x->dim(0) : 0; }
};

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  virtual int64_t batches_per_epoch() const = 0;
  virtual int64_t features() const = 0;  // inputs per sample
  virtual void start_epoch() = 0;        // reshuffles, when shuffling
  virtual bool next(Batch& batch) = 0;   // false at the end of the epoch
};

// Float inputs [n, features] with float targets [n, outputs], uploaded once. Full batch
// (batch_size 0 or ≥ n) hands out the whole set each epoch, unshuffled and uncopied;
// otherwise each epoch shuffles the order with rng and gathers the batches on the host.
// The last batch of an epoch may be smaller.
class PointBatches final : public BatchSource {
 public:
  PointBatches(Backend& backend, const std::vector<float>& inputs, const std::vector<float>& targets,
               int64_t features, int64_t batch_size = 0, Rng rng = Rng(0));

  int64_t batches_per_epoch() const override;
  int64_t features() const override { return features_; }
  int64_t count() const { return count_; }
  void start_epoch() override;
  bool next(Batch& batch) override;

  const Tensor& inputs() const { return x_all_; }
  const Tensor& targets() const { return y_all_; }

 private:
  int64_t count_, features_, outputs_, batch_size_;
  Rng rng_;
  std::vector<float> x_host_, y_host_, gather_x_, gather_y_;
  std::vector<uint32_t> order_;
  int64_t cursor_ = 0;
  Tensor x_all_, y_all_, x_, y_;
};

}  // namespace nnplay
