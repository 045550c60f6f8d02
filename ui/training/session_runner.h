// Runs a training session either inside frame() in slices of a few milliseconds (the web
// page: one thread) or on a worker thread (desktop), and publishes snapshots that the
// panels read, so that they draw the same way in both modes. Commands (run, pause, a new
// learning rate, a new session, ...) are applied between slices, never in the middle of
// a step. TrainingRunner (network lab) and MnistRunner (MNIST panel) are built on it.
//
// A Session provides: bool has_work() const (something to train now), work_for(double ms)
// (train for about that long) and Snapshot snapshot() const.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "training/training_mode.h"

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define NNPLAY_UI_HAVE_THREADS 1
#include <condition_variable>
#include <thread>
#else
#define NNPLAY_UI_HAVE_THREADS 0
#endif

namespace nnplay::ui {

template <typename Session, typename Snapshot>
class SessionRunner {
 public:
  // WorkerThread falls back to PerFrameSlices where the build has no threads.
  explicit SessionRunner(TrainingMode mode) : mode_(mode) {
#if NNPLAY_UI_HAVE_THREADS
    if (mode_ == TrainingMode::WorkerThread) worker_ = std::thread([this] { worker_loop(); });
#else
    mode_ = TrainingMode::PerFrameSlices;
#endif
  }
  ~SessionRunner() {
#if NNPLAY_UI_HAVE_THREADS
    if (worker_.joinable()) {
      apply([this] { quit_ = true; });  // apply() wakes the worker
      worker_.join();
    }
#endif
  }
  SessionRunner(const SessionRunner&) = delete;
  SessionRunner& operator=(const SessionRunner&) = delete;

  TrainingMode mode() const { return mode_; }

  // The generation number the next session gets (sessions stamp it on their snapshots).
  uint64_t next_generation() const { return generation_ + 1; }
  // Puts a session built by the caller (outside the lock: building may take a while) in
  // place of the current one.
  void replace(std::unique_ptr<Session> fresh) {
    apply([&] {
      ++generation_;
      session_ = std::move(fresh);
    });
  }
  // Runs f(session) between slices, if there is a session, then publishes a snapshot and
  // wakes the worker (the command may have given it work).
  template <typename F>
  void command(F&& f) {
    apply([&] {
      if (session_) f(*session_);
    });
  }
  // f(session)'s result under the lock, or fallback when there is no session.
  template <typename F, typename R>
  R read(F&& f, R fallback) const {
    ++waiting_;
    std::unique_lock<std::mutex> lock(session_mu_);
    --waiting_;
    ++served_;
    R r = session_ ? f(static_cast<const Session&>(*session_)) : std::move(fallback);
    lock.unlock();
#if NNPLAY_UI_HAVE_THREADS
    wake_.notify_all();
#endif
    return r;
  }

  // Per-frame call. PerFrameSlices: trains for up to budget_ms. Both modes: cheap.
  void pump(double budget_ms) {
    if (mode_ != TrainingMode::PerFrameSlices) return;
    std::lock_guard<std::mutex> lock(session_mu_);
    if (!session_ || !session_->has_work()) return;
    session_->work_for(budget_ms);
    publish_locked();
  }

  // The latest published state (null before the first session).
  std::shared_ptr<const Snapshot> snapshot() const {
    std::lock_guard<std::mutex> lock(snapshot_mu_);
    return snapshot_;
  }

 private:
  // The worker trains in slices this long, then publishes a snapshot and lets commands in.
  static constexpr double kWorkerSliceMs = 8.0;

  template <typename F>
  void apply(F&& f) {
    {
      ++waiting_;
      std::lock_guard<std::mutex> lock(session_mu_);
      --waiting_;
      ++served_;
      f();
      if (session_) publish_locked();
    }
#if NNPLAY_UI_HAVE_THREADS
    wake_.notify_all();
#endif
  }

  void publish_locked() {  // caller holds session_mu_
    auto snap = std::make_shared<const Snapshot>(session_->snapshot());
    std::lock_guard<std::mutex> lock(snapshot_mu_);
    snapshot_ = std::move(snap);
  }

#if NNPLAY_UI_HAVE_THREADS
  void worker_loop() {
    std::unique_lock<std::mutex> lock(session_mu_);
    for (;;) {
      wake_.wait(lock, [this] { return quit_ || (session_ && session_->has_work()); });
      if (quit_) return;
      session_->work_for(kWorkerSliceMs);
      publish_locked();
      // A UI call waiting for the session gets it before the next slice: a mutex is not
      // fair, and a worker that only unlocked and locked again could keep it for seconds.
      // Only one call is waited for, so a UI that reads in a tight loop cannot starve the
      // worker either: slices and calls alternate.
      if (waiting_.load() > 0) {
        const uint64_t seen = served_;
        wake_.wait(lock, [&] { return quit_ || served_ != seen; });
      }
    }
  }
#endif

  TrainingMode mode_;
  mutable std::mutex session_mu_;  // guards session_
  std::unique_ptr<Session> session_;
  uint64_t generation_ = 0;  // only touched by the owning (UI) thread
  mutable std::atomic<int> waiting_{0};  // UI calls blocked on session_mu_
  mutable uint64_t served_ = 0;          // UI calls that have had the session; under session_mu_
  mutable std::mutex snapshot_mu_;  // guards snapshot_
  std::shared_ptr<const Snapshot> snapshot_;
#if NNPLAY_UI_HAVE_THREADS
  mutable std::condition_variable wake_;
  bool quit_ = false;  // under session_mu_
  std::thread worker_;
#endif
};

}  // namespace nnplay::ui
