// Rolling statistics of per-frame durations, for the page's budget checks
// (scripts/bench-web.sh reads them through the nnplay_frame_stats hook).
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace nnplay::web {

class FrameTimes {
 public:
  // Keeps the last `capacity` samples, so the figures describe what the page does now.
  explicit FrameTimes(size_t capacity = 240) : capacity_(capacity) {}

  void add(float ms) {
    if (samples_.size() < capacity_) {
      samples_.push_back(ms);
    } else {
      samples_[next_] = ms;
      next_ = (next_ + 1) % capacity_;
    }
  }

  // {"samples":N,"mean":..,"p50":..,"p95":..,"max":..} in milliseconds.
  std::string json() const {
    if (samples_.empty()) return "{\"samples\":0}";
    std::vector<float> v = samples_;
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (float x : v) sum += x;
    char buf[160];
    std::snprintf(buf, sizeof buf, "{\"samples\":%zu,\"mean\":%.3f,\"p50\":%.3f,\"p95\":%.3f,\"max\":%.3f}", v.size(),
                  sum / double(v.size()), double(v[v.size() / 2]), double(v[std::min(v.size() - 1, v.size() * 95 / 100)]),
                  double(v.back()));
    return buf;
  }

 private:
  size_t capacity_;
  size_t next_ = 0;
  std::vector<float> samples_;
};

}  // namespace nnplay::web
