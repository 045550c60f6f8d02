// The network lab's runner: a NetworkSession run in per-frame slices (the web page) or on
// a worker thread (desktop) by SessionRunner, with the commands the panel gives it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "training/training_mode.h"
#include "training/network_session.h"
#include "training/session_runner.h"

namespace nnplay::ui {

class TrainingRunner {
 public:
  // WorkerThread falls back to PerFrameSlices where the build has no threads.
  explicit TrainingRunner(TrainingMode mode) : runner_(mode) {}

  TrainingMode mode() const { return runner_.mode(); }

  // Starts a fresh session (paused, epoch 0). Returns "" or why the config is unusable
  // (then the previous session stays).
  std::string configure(const NetworkConfig& cfg);
  void set_running(bool on);
  void step_epoch();
  void set_lr(float lr);
  void set_activation(Activation a);
  void set_max_epochs(int n);
  void set_speed(int epochs_per_second);
  // The session continues from these weights; returns "" or why they do not fit.
  std::string set_parameters(const std::vector<float>& params);

  // Per-frame call. PerFrameSlices: trains for up to budget_ms. Both modes: cheap.
  void pump(double budget_ms) { runner_.pump(budget_ms); }

  // The latest published state (never null after a successful configure).
  std::shared_ptr<const NetworkSnapshot> snapshot() const { return runner_.snapshot(); }

 private:
  SessionRunner<NetworkSession, NetworkSnapshot> runner_;
};

}  // namespace nnplay::ui
