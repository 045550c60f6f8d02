// The MNIST panel's runner: an MnistSession run in per-frame slices (the web page) or on
// a worker thread (desktop) by SessionRunner, with the commands the panel gives it (run,
// pause, learning rate, fine-tune, a new session).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "training/training_mode.h"
#include "mnist/mnist_session.h"
#include "training/session_runner.h"

namespace nnplay::ui {

class MnistRunner {
 public:
  // WorkerThread falls back to PerFrameSlices where the build has no threads.
  explicit MnistRunner(TrainingMode mode) : runner_(mode) {}

  TrainingMode mode() const { return runner_.mode(); }

  // Starts a fresh session (paused). Returns "" or why it could not be built (then the
  // previous session stays).
  std::string configure(const MnistConfig& cfg, std::shared_ptr<const MnistData> data, const MnistOrigin& origin);
  void set_running(bool on);
  void set_lr(float lr);
  void set_max_epochs(int n);
  void finetune(std::vector<PersonalSample> samples, int steps);
  // The exact current weights (empty before the first configure).
  std::vector<float> params() const;

  // Per-frame call. PerFrameSlices: works for up to budget_ms. Both modes: cheap.
  void pump(double budget_ms) { runner_.pump(budget_ms); }

  // The latest published state (null before the first successful configure).
  std::shared_ptr<const MnistSnapshot> snapshot() const { return runner_.snapshot(); }

 private:
  SessionRunner<MnistSession, MnistSnapshot> runner_;
};

}  // namespace nnplay::ui
