// Accuracy and the confusion matrix.
#include "nnplay/metrics.h"

#include <string>

#include "nnplay/error.h"

namespace nnplay {

void ConfusionMatrix::add(int truth, int predicted) {
  if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes)
    throw Error("confusion matrix: class (" + std::to_string(truth) + ", " + std::to_string(predicted) +
                ") outside 0.." + std::to_string(classes - 1));
  ++counts[size_t(truth) * size_t(classes) + size_t(predicted)];
}

int64_t ConfusionMatrix::total() const {
  int64_t t = 0;
  for (int64_t c : counts) t += c;
  return t;
}

int64_t ConfusionMatrix::correct() const {
  int64_t t = 0;
  for (int i = 0; i < classes; ++i) t += at(i, i);
  return t;
}

double ConfusionMatrix::accuracy() const {
  int64_t t = total();
  return t ? double(correct()) / double(t) : 0.0;
}

double accuracy(const std::vector<int32_t>& predicted, const std::vector<uint8_t>& truth) {
  if (predicted.size() != truth.size())
    throw Error("accuracy: " + std::to_string(predicted.size()) + " predictions for " +
                std::to_string(truth.size()) + " labels");
  if (truth.empty()) return 0.0;
  size_t ok = 0;
  for (size_t i = 0; i < truth.size(); ++i) ok += predicted[i] == int32_t(truth[i]);
  return double(ok) / double(truth.size());
}

}  // namespace nnplay
