// The ten digits' probabilities, and the most probable ones: what the MNIST models
// predict and what the probability bars draw.
#pragma once

#include <algorithm>
#include <array>
#include <numeric>

namespace nnplay::ui {

using DigitProbabilities = std::array<float, 10>;

inline int argmax(const DigitProbabilities& p) {
  int best = 0;
  for (int k = 1; k < 10; ++k)
    if (p[size_t(k)] > p[size_t(best)]) best = k;
  return best;
}

inline std::array<int, 3> top3(const DigitProbabilities& p) {
  std::array<int, 10> order;
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
  return {order[0], order[1], order[2]};
}

}  // namespace nnplay::ui
