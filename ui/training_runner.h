// Runs a NetworkSession either inside frame() in slices of a few milliseconds (the web
// page: one thread) or on a worker thread (desktop), and publishes snapshots that the
// panels read. The panels only ever see NetworkSnapshot copies, so they draw the same
// way in both modes. Commands (run, pause, step, new learning rate, ...) are applied
// between training slices, never in the middle of a step.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "app.h"
#include "network_session.h"

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define NNPLAY_UI_HAVE_THREADS 1
#include <condition_variable>
#include <thread>
#else
#define NNPLAY_UI_HAVE_THREADS 0
#endif

namespace nnplay::ui {

class TrainingRunner {
 public:
  // WorkerThread falls back to PerFrameSlices where the build has no threads.
  explicit TrainingRunner(TrainingMode mode);
  ~TrainingRunner();
  TrainingRunner(const TrainingRunner&) = delete;
  TrainingRunner& operator=(const TrainingRunner&) = delete;

  TrainingMode mode() const { return mode_; }

  // Starts a fresh session (paused, epoch 0). Returns "" or why the config is unusable
  // (then the previous session stays).
  std::string configure(const NetworkConfig& cfg);
  void set_running(bool on);
  void step_epoch();
  void set_lr(float lr);
  void set_activation(Activation a);
  void set_max_epochs(int n);
  void set_speed(int epochs_per_second);

  // Per-frame call. PerFrameSlices: trains for up to budget_ms. Both modes: cheap.
  void pump(double budget_ms);

  // The latest published state (never null after a successful configure).
  std::shared_ptr<const NetworkSnapshot> snapshot() const;

 private:
  void publish_locked();  // caller holds session_mu_
#if NNPLAY_UI_HAVE_THREADS
  void worker_loop();
#endif

  TrainingMode mode_;
  mutable std::mutex session_mu_;  // guards session_
  std::unique_ptr<NetworkSession> session_;
  uint64_t generation_ = 0;
  mutable std::mutex snapshot_mu_;  // guards snapshot_
  std::shared_ptr<const NetworkSnapshot> snapshot_;
#if NNPLAY_UI_HAVE_THREADS
  std::condition_variable wake_;
  bool quit_ = false;  // under session_mu_
  std::thread worker_;
#endif
};

}  // namespace nnplay::ui
