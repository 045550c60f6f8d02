// Runs an MnistSession in slices inside frame() (the page: one thread) or on a worker
// thread (desktop), and publishes snapshots that the MNIST panel reads: the same pattern
// as TrainingRunner, for the MNIST session. Commands (run, pause, learning rate,
// fine-tune, a new session) are applied between slices, never in the middle of a step.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app.h"
#include "mnist_session.h"
#include "training_runner.h"  // NNPLAY_UI_HAVE_THREADS and its includes

namespace nnplay::ui {

class MnistRunner {
 public:
  // WorkerThread falls back to PerFrameSlices where the build has no threads.
  explicit MnistRunner(TrainingMode mode);
  ~MnistRunner();
  MnistRunner(const MnistRunner&) = delete;
  MnistRunner& operator=(const MnistRunner&) = delete;

  TrainingMode mode() const { return mode_; }

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
  void pump(double budget_ms);

  // The latest published state (null before the first successful configure).
  std::shared_ptr<const MnistSnapshot> snapshot() const;

 private:
  template <typename F>
  void command(F&& f);
  void publish_locked();  // caller holds session_mu_
#if NNPLAY_UI_HAVE_THREADS
  void worker_loop();
#endif

  TrainingMode mode_;
  mutable std::mutex session_mu_;  // guards session_
  std::unique_ptr<MnistSession> session_;
  uint64_t generation_ = 0;
  mutable std::mutex snapshot_mu_;  // guards snapshot_
  std::shared_ptr<const MnistSnapshot> snapshot_;
#if NNPLAY_UI_HAVE_THREADS
  std::condition_variable wake_;
  bool quit_ = false;  // under session_mu_
  std::thread worker_;
#endif
};

}  // namespace nnplay::ui
