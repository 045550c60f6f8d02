// Evaluation: predictions, accuracy and the confusion matrix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nnplay {

struct ConfusionMatrix {
  int classes = 0;
  std::vector<int64_t> counts;  // counts[truth * classes + predicted]
  explicit ConfusionMatrix(int n_classes = 10)
      : classes(n_classes), counts(std::size_t(n_classes) * std::size_t(n_classes), 0) {}
  void add(int truth, int predicted);  // throws Error if either is out of range
  int64_t at(int truth, int predicted) const { return counts[std::size_t(truth) * std::size_t(classes) + std::size_t(predicted)]; }
  int64_t total() const;
  int64_t correct() const;
  double accuracy() const;  // 0 when empty
};

double accuracy(const std::vector<int32_t>& predicted, const std::vector<uint8_t>& truth);

}  // namespace nnplay
