// Slices on the caller's thread, or a worker that trains MNIST while the UI draws.
#include "mnist_runner.h"

#include "nnplay/error.h"

namespace nnplay::ui {

#if NNPLAY_UI_HAVE_THREADS
namespace {
// The worker works in slices this long, then publishes a snapshot and lets commands in.
constexpr double kWorkerSliceMs = 8.0;
}  // namespace
#endif

MnistRunner::MnistRunner(TrainingMode mode) : mode_(mode) {
#if NNPLAY_UI_HAVE_THREADS
  if (mode_ == TrainingMode::WorkerThread) worker_ = std::thread([this] { worker_loop(); });
#else
  mode_ = TrainingMode::PerFrameSlices;
#endif
}

MnistRunner::~MnistRunner() {
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

std::string MnistRunner::configure(const MnistConfig& cfg, std::shared_ptr<const MnistData> data,
                                   const MnistOrigin& origin) {
  std::unique_ptr<MnistSession> fresh;
  try {
    fresh = std::make_unique<MnistSession>(cfg, std::move(data), origin, generation_ + 1);
  } catch (const Error& e) {
    return e.what();
  }
  command([&] {
    ++generation_;
    session_ = std::move(fresh);
  });
  return "";
}

template <typename F>
void MnistRunner::command(F&& f) {
  {
    std::lock_guard<std::mutex> lock(session_mu_);
    f();
    if (session_) publish_locked();
  }
#if NNPLAY_UI_HAVE_THREADS
  wake_.notify_all();
#endif
}

void MnistRunner::set_running(bool on) {
  command([&] {
    if (session_) session_->set_running(on);
  });
}

void MnistRunner::set_lr(float lr) {
  command([&] {
    if (session_) session_->set_lr(lr);
  });
}

void MnistRunner::set_max_epochs(int n) {
  command([&] {
    if (session_) session_->set_max_epochs(n);
  });
}

void MnistRunner::finetune(std::vector<PersonalSample> samples, int steps) {
  command([&] {
    if (session_) session_->finetune(std::move(samples), steps);
  });
}

std::vector<float> MnistRunner::params() const {
  std::lock_guard<std::mutex> lock(session_mu_);
  return session_ ? session_->params() : std::vector<float>{};
}

void MnistRunner::pump(double budget_ms) {
  if (mode_ != TrainingMode::PerFrameSlices) return;
  std::lock_guard<std::mutex> lock(session_mu_);
  if (!session_ || !session_->has_work()) return;
  session_->work_for(budget_ms);
  publish_locked();
}

std::shared_ptr<const MnistSnapshot> MnistRunner::snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
}

void MnistRunner::publish_locked() {
  auto snap = std::make_shared<const MnistSnapshot>(session_->snapshot());
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  snapshot_ = std::move(snap);
}

#if NNPLAY_UI_HAVE_THREADS
void MnistRunner::worker_loop() {
  std::unique_lock<std::mutex> lock(session_mu_);
  for (;;) {
    wake_.wait(lock, [this] { return quit_ || (session_ && session_->has_work()); });
    if (quit_) return;
    session_->work_for(kWorkerSliceMs);
    publish_locked();
    // Let a waiting UI command take the session between slices.
    lock.unlock();
    std::this_thread::yield();
    lock.lock();
  }
}
#endif

}  // namespace nnplay::ui
