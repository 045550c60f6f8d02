// --soak SECONDS: a long run of the desktop app that drives it the way a user does, only
// faster (panels, training on the worker thread, settings, saving and loading weights),
// through the App's test hooks alone, and watches two things that only a long run shows:
// resident memory that keeps growing, and frame time that creeps. tests/e2e/soak.mjs
// does the same for the page.
#pragma once

#include <memory>
#include <string>

namespace nnplay::ui {
class App;
}

namespace nnplay::desktop {

class Soak {
 public:
  // seconds: how long to run (the first minute is the warm-up that the verdicts compare
  // against). Weights are saved into a fresh folder under $TMPDIR (or /tmp), removed at
  // the end.
  Soak(nnplay::ui::App& app, double seconds);
  ~Soak();
  Soak(const Soak&) = delete;
  Soak& operator=(const Soak&) = delete;

  // Call once per frame after it was drawn, with the frame's own duration in ms (events,
  // panels, drawing and swap; not the wait of a frame cap). Returns -1 while the soak is
  // running, then its exit status: 0 when it passed, 1 when it failed (the report says why).
  int after_frame(double frame_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nnplay::desktop
