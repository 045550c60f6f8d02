// Terminal progress bar: label, bar, count, rate, ETA and the running loss, on stderr.
#include "progress.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>

#include "nnplay/error.h"

namespace nnplay::cli {

ProgressMode parse_progress_mode(const std::string& s) {
  if (s == "auto") return ProgressMode::Auto;
  if (s == "always") return ProgressMode::Always;
  if (s == "never") return ProgressMode::Never;
  throw Error("--progress: expected auto, always or never, got '" + s + "'");
}

ProgressBar::ProgressBar(ProgressMode mode)
    : enabled_(mode == ProgressMode::Always || (mode == ProgressMode::Auto && isatty(STDERR_FILENO))) {}

void ProgressBar::start(const std::string& label, int64_t total, const char* unit) {
  label_ = label;
  unit_ = unit;
  total_ = total;
  start_ = std::chrono::steady_clock::now();
  last_draw_ = start_ - std::chrono::seconds(1);
}

void ProgressBar::update(int64_t done, double loss) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double rate = elapsed > 0 ? double(done) / elapsed : 0.0;
  double eta = rate > 0 ? double(total_ - done) / rate : 0.0;
  const int width = 30;
  int filled = total_ ? int(double(width) * double(done) / double(total_)) : width;
  std::string bar(size_t(filled), '#');
  bar.resize(width, '.');
  fmt::print(stderr, "\r{} [{}] {}/{} {}  {:.0f} {}/s  ETA {:.1f}s  loss {:.4f}\x1b[K", label_, bar, done, total_,
             unit_, rate, unit_, eta, loss);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (enabled_ && drawn_) {
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace nnplay::cli
