// PointBatches: small float datasets (the 2-D toy sets, the XOR points) as batches.
#include "nnplay/batches.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "nnplay/error.h"

namespace nnplay {

PointBatches::PointBatches(Backend& backend, const std::vector<float>& inputs, const std::vector<float>& targets,
                           int64_t features, int64_t batch_size, Rng rng)
    : count_(features > 0 ? int64_t(inputs.size()) / features : 0),
      features_(features),
      outputs_(0),
      batch_size_(batch_size),
      rng_(rng),
      x_host_(inputs),
      y_host_(targets) {
  if (features <= 0 || count_ == 0 || int64_t(inputs.size()) != count_ * features)
    throw Error("points: " + std::to_string(inputs.size()) + " input values do not make rows of " +
                std::to_string(features));
  if (targets.empty() || targets.size() % size_t(count_) != 0)
    throw Error("points: " + std::to_string(targets.size()) + " targets for " + std::to_string(count_) + " points");
  outputs_ = int64_t(targets.size()) / count_;
  if (batch_size_ <= 0 || batch_size_ > count_) batch_size_ = count_;
  x_all_ = Tensor(backend, {count_, features_});
  y_all_ = Tensor(backend, {count_, outputs_});
  x_all_.from_host(x_host_);
  y_all_.from_host(y_host_);
  if (batch_size_ < count_) {
    x_ = Tensor(backend, {batch_size_, features_});
    y_ = Tensor(backend, {batch_size_, outputs_});
    order_.resize(size_t(count_));
    std::iota(order_.begin(), order_.end(), 0u);
  }
}

int64_t PointBatches::batches_per_epoch() const { return (count_ + batch_size_ - 1) / batch_size_; }

void PointBatches::start_epoch() {
  cursor_ = 0;
  // The order carries over from epoch to epoch and is shuffled again each time.
  if (!order_.empty()) shuffle(order_.data(), uint32_t(order_.size()), rng_);
}

bool PointBatches::next(Batch& batch) {
  if (cursor_ >= count_) return false;
  if (order_.empty()) {
    cursor_ = count_;
    batch = Batch{&x_all_, nullptr, &y_all_};
    return true;
  }
  const int64_t n = std::min(batch_size_, count_ - cursor_);
  gather_x_.resize(size_t(n * features_));
  gather_y_.resize(size_t(n * outputs_));
  for (int64_t k = 0; k < n; ++k) {
    const size_t i = order_[size_t(cursor_ + k)];
    std::copy_n(x_host_.begin() + int64_t(i) * features_, features_, gather_x_.begin() + k * features_);
    std::copy_n(y_host_.begin() + int64_t(i) * outputs_, outputs_, gather_y_.begin() + k * outputs_);
  }
  x_.resize({n, features_});
  y_.resize({n, outputs_});
  x_.from_host(gather_x_);
  y_.from_host(gather_y_);
  cursor_ += n;
  batch = Batch{&x_, nullptr, &y_};
  return true;
}

}  // namespace nnplay
