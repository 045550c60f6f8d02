// A one-line progress bar with rate and ETA for a terminal; silent when not a terminal
// (piped output stays plain log lines).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace nnplay::cli {

enum class ProgressMode { Auto, Always, Never };
ProgressMode parse_progress_mode(const std::string& s);  // throws Error

class ProgressBar {
 public:
  explicit ProgressBar(ProgressMode mode);
  bool enabled() const { return enabled_; }
  // Starts a phase of `total` units (e.g. batches of one epoch) labelled `label`.
  void start(const std::string& label, int64_t total, const char* unit);
  void update(int64_t done, double loss);  // redraws at most every 100 ms
  void clear();                            // erases the line before a log line

 private:
  bool enabled_;
  std::string label_;
  const char* unit_ = "";
  int64_t total_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace nnplay::cli
