// A small learnable classification set for the trainer's tests: random 8x8 images whose
// label is the brightest of their four quadrants.
#pragma once

#include "nnplay/dataset.h"
#include "nnplay/rng.h"

namespace nnplay::test {

inline Dataset quadrant_set(int64_t count, uint64_t seed) {
  Dataset d;
  d.name = "quadrants";
  d.count = count;
  d.rows = d.cols = 8;
  d.classes = 10;
  Rng rng(seed);
  d.images.resize(size_t(count * 64));
  d.labels.resize(size_t(count));
  for (int64_t i = 0; i < count; ++i) {
    int sums[4] = {0, 0, 0, 0};
    for (int p = 0; p < 64; ++p) {
      const uint8_t v = uint8_t(rng.below(256));
      d.images[size_t(i * 64 + p)] = v;
      sums[(p / 32) * 2 + (p % 8) / 4] += v;
    }
    int best = 0;
    for (int q = 1; q < 4; ++q)
      if (sums[q] > sums[best]) best = q;
    d.labels[size_t(i)] = uint8_t(best);
  }
  return d;
}

}  // namespace nnplay::test
