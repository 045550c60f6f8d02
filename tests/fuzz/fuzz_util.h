// What every fuzz target shares: how a rejected input and a broken promise are reported.
// With NNPLAY_FUZZ_VERBOSE=1 in the environment each rejection's message is printed, to
// see how deep the seeds get (`build/fuzz/bin/fuzz_idx build/fuzz/idx/seeds/*`).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace nnplay::fuzz {

inline bool verbose() {
  static const bool on = [] {
    const char* v = std::getenv("NNPLAY_FUZZ_VERBOSE");
    return v && *v && *v != '0';
  }();
  return on;
}

// An input refused with an error: the expected outcome for bad input.
inline void rejected(const std::exception& e) {
  if (verbose()) std::fprintf(stderr, "rejected: %s\n", e.what());
}

// A property that must hold for every input that was accepted; a failure is a crash that
// libFuzzer saves, like a sanitizer report.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: broken promise: %s\n", what);
  std::abort();
}

}  // namespace nnplay::fuzz
