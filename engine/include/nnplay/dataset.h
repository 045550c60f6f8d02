// Classification datasets held as uint8 (as stored on disk: 4x smaller than float), and
// the batch loader: seeded shuffle, batch size, drop_last, and the uint8 → float
// conversion (scaled to [0, 1]) fused into the batch gather.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/batches.h"
#include "nnplay/rng.h"
#include "nnplay/tensor.h"

namespace nnplay {

struct Dataset {
  std::string name;
  int64_t count = 0;
  int64_t rows = 0, cols = 0;  // image size; dim = rows * cols
  int classes = 10;
  std::vector<uint8_t> images;  // count * dim, row-major
  std::vector<uint8_t> labels;  // count
  int64_t dim() const { return rows * cols; }
  // A copy of the first n samples (n clamped to count).
  Dataset head(int64_t n) const;
};

enum class Split { Train, Test };

// Loads a split from a folder holding the four IDX files under their usual names
// (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-...), each raw or with .gz
// (MNIST, Fashion-MNIST, ...). Throws Error naming what is missing or wrong.
Dataset load_idx_dataset(const std::string& dir, Split split);

// Iterates over a dataset in batches. A device backend gets the dataset's bytes uploaded
// once and gathers each batch there; a host-memory backend (the CPU) gathers straight
// from the dataset, so the training set is never held twice. The epoch's order is drawn
// on the host by the seeded generator (so every backend sees the same batches from the
// same seed) and, for a device backend, uploaded once per epoch: a step then needs
// nothing from the host. Either way the loader reads
// the dataset it was given: that must outlive the loader and keep its size (next()
// throws if the count or the buffers shrank under it).
class BatchLoader final : public BatchSource {
 public:
  BatchLoader(Backend& backend, const Dataset& data, int64_t batch_size, bool shuffle, bool drop_last,
              uint64_t seed);

  int64_t batches_per_epoch() const override;
  int64_t features() const override { return data_.dim(); }
  int64_t batch_size() const { return batch_size_; }
  const Dataset& dataset() const { return data_; }

  void start_epoch() override;  // reshuffles (if shuffling)
  // Ends the epoch without gathering: its batches were gathered by a replayed recording
  // (Backend::replay), from the order start_epoch() uploaded.
  void skip_to_end() { cursor_ = data_.count; }
  // The samples an epoch's batches hold (all, or all full batches with drop_last).
  int64_t samples_per_epoch() const { return drop_last_ ? count() / batch_size_ * batch_size_ : count(); }
  int64_t count() const { return int64_t(order_.size()); }  // the dataset's size when the loader was made
  // Fills x (n, dim) and labels (n); returns false at the end of the epoch.
  bool next(Tensor& x, Labels& labels);
  // The same into the loader's own buffers.
  bool next(Batch& batch) override;

  // The shuffle generator's state, saved in checkpoints between epochs: restoring it
  // makes the following epochs see the data in the same order as an uninterrupted run.
  Rng::State rng_state() const { return rng_.state(); }
  void set_rng_state(const Rng::State& s) { rng_.set_state(s); }

 private:
  void check_dataset_size() const;  // throws Error if the dataset no longer fits the loader

  Backend& backend_;
  const Dataset& data_;
  int64_t batch_size_;
  bool shuffle_, drop_last_;
  Rng rng_;
  std::vector<int32_t> order_;
  int64_t cursor_ = 0;
  // The device backend's copies; empty when the backend reads the dataset in place.
  std::shared_ptr<void> images_dev_, labels_dev_, order_dev_;
  Tensor x_;  // next(Batch&)'s buffers
  Labels labels_;
};

}  // namespace nnplay
