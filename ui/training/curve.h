// The one curve type of the panels: points (x, y) that thin themselves out, so that a
// snapshot stays small however long training runs. Once max_points are stored, every
// other point is dropped and only every stride-th point added from then on is kept, so the
// points stay evenly spread. Curves fed the same calls keep the same x.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nnplay::ui {

struct Curve {
  explicit Curve(size_t max = 512) : max_points(max) {}
  size_t max_points;
  std::vector<float> x, y;

  void add(float at, float value) {
    if (calls_++ % stride_ != 0) return;
    x.push_back(at);
    y.push_back(value);
    if (x.size() < max_points) return;
    size_t kept = 0;
    for (size_t i = 0; i < x.size(); i += 2, ++kept) {
      x[kept] = x[i];
      y[kept] = y[i];
    }
    x.resize(kept);
    y.resize(kept);
    stride_ *= 2;
  }

 private:
  int64_t calls_ = 0, stride_ = 1;
};

}  // namespace nnplay::ui
