// Slices on the caller's thread, or a worker that trains while the UI draws.
#include "training_runner.h"

#include "nnplay/error.h"

namespace nnplay::ui {

#if NNPLAY_UI_HAVE_THREADS
namespace {
// The worker trains in slices this long, then publishes a snapshot and lets commands in.
constexpr double kWorkerSliceMs = 8.0;
}  // namespace
#endif

TrainingRunner::TrainingRunner(TrainingMode mode) : mode_(mode) {
#if NNPLAY_UI_HAVE_THREADS
  if (mode_ == TrainingMode::WorkerThread) worker_ = std::thread([this] { worker_loop(); });
#else
  mode_ = TrainingMode::PerFrameSlices;
#endif
}

TrainingRunner::~TrainingRunner() {
#if NNPLAY_UI_HAVE_THREADS
  if (worker_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(session_mu_);
      quit_ = true;
    }
    wake_.notify_all();
    worker_.join();
  }
#endif
}

std::string TrainingRunner::configure(const NetworkConfig& cfg) {
  std::unique_ptr<NetworkSession> fresh;
  try {
    fresh = std::make_unique<NetworkSession>(cfg, generation_ + 1);
  } catch (const Error& e) {
    return e.what();
  }
  std::lock_guard<std::mutex> lock(session_mu_);
  ++generation_;
  session_ = std::move(fresh);
  publish_locked();
  return "";
}

void TrainingRunner::set_running(bool on) {
  {
    std::lock_guard<std::mutex> lock(session_mu_);
    if (!session_) return;
    session_->set_running(on);
    publish_locked();
  }
#if NNPLAY_UI_HAVE_THREADS
  wake_.notify_all();
#endif
}

void TrainingRunner::step_epoch() {
  std::lock_guard<std::mutex> lock(session_mu_);
  if (!session_) return;
  session_->set_running(false);
  session_->step_epoch();
  publish_locked();
}

void TrainingRunner::set_lr(float lr) {
  std::lock_guard<std::mutex> lock(session_mu_);
  if (!session_) return;
  session_->set_lr(lr);
  publish_locked();
}

void TrainingRunner::set_activation(Activation a) {
  std::lock_guard<std::mutex> lock(session_mu_);
  if (!session_) return;
  session_->set_activation(a);
  publish_locked();
}

void TrainingRunner::set_max_epochs(int n) {
  std::lock_guard<std::mutex> lock(session_mu_);
  if (!session_) return;
  session_->set_max_epochs(n);
  publish_locked();
}

void TrainingRunner::set_speed(int epochs_per_second) {
  std::lock_guard<std::mutex> lock(session_mu_);
  if (!session_) return;
  session_->set_speed(epochs_per_second);
  publish_locked();
}

void TrainingRunner::pump(double budget_ms) {
  if (mode_ != TrainingMode::PerFrameSlices) return;
  std::lock_guard<std::mutex> lock(session_mu_);
  if (!session_ || !session_->running()) return;
  session_->train_for(budget_ms);
  publish_locked();
}

std::shared_ptr<const NetworkSnapshot> TrainingRunner::snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
}

void TrainingRunner::publish_locked() {
  auto snap = std::make_shared<const NetworkSnapshot>(session_->snapshot());
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  snapshot_ = std::move(snap);
}

#if NNPLAY_UI_HAVE_THREADS
void TrainingRunner::worker_loop() {
  std::unique_lock<std::mutex> lock(session_mu_);
  for (;;) {
    wake_.wait(lock, [this] { return quit_ || (session_ && session_->running()); });
    if (quit_) return;
    session_->train_for(kWorkerSliceMs);
    publish_locked();
    // Let a waiting UI command take the session between slices.
    lock.unlock();
    std::this_thread::yield();
    lock.lock();
  }
}
#endif

}  // namespace nnplay::ui
