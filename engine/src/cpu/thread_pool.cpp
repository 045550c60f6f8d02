// thread_pool.cpp - persistent worker threads behind ThreadPool::parallel_for.
//
// One job at a time. The caller publishes (fn, n_tasks) and everybody, caller
// included, claims task indices with a CAS on a (generation, next index) word;
// the caller returns once all n_tasks have finished. The caller never waits for
// a worker to wake up: if the workers are asleep it simply runs the tasks
// itself and late risers find nothing to claim.
//
// Idle workers poll for a while before sleeping on a condition variable: GEMM
// calls in a training loop come back-to-back, and waking a sleeping thread
// costs tens of microseconds (hundreds on some VMs), as much as a whole
// 128x256x256 multiply.
#include "cpu/thread_pool.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <thread>

#ifndef NNPLAY_NO_THREADS
#include <condition_variable>
#include <mutex>
#include <vector>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NNPLAY_CPU_RELAX() _mm_pause()
#else
#define NNPLAY_CPU_RELAX() ((void)0)
#endif

// Builds with -fno-exceptions (common for WebAssembly) have no try/catch.
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define NNPLAY_TRY try
#define NNPLAY_CATCH_ALL(...) catch (...) { __VA_ARGS__; }
#else
#define NNPLAY_TRY
#define NNPLAY_CATCH_ALL(...)
#endif

namespace nnplay::cpu {

namespace {
// Runs all tasks on the calling thread with the same exception semantics as the
// pool: every task runs, the first exception is rethrown at the end.
void run_inline(int n_tasks, const std::function<void(int)>& fn) {
    std::exception_ptr err;
    for (int t = 0; t < n_tasks; ++t) {
        NNPLAY_TRY { fn(t); }
        NNPLAY_CATCH_ALL(if (!err) err = std::current_exception())
    }
    if (err) std::rethrow_exception(err);
}
}  // namespace

#ifdef NNPLAY_NO_THREADS

struct ThreadPool::Impl {};

ThreadPool::ThreadPool(int) {}
ThreadPool::~ThreadPool() = default;
int ThreadPool::size() const { return 1; }

void ThreadPool::parallel_for(int n_tasks, const std::function<void(int)>& fn) { run_inline(n_tasks, fn); }

#else

namespace {
// Set while a thread is executing tasks, so a nested parallel_for runs inline
// instead of deadlocking on the pool.
thread_local bool tl_inside_task = false;

// How long an idle worker polls for the next job before it sleeps.
constexpr auto kSpinTime = std::chrono::microseconds(200);

// The job state is one 64-bit word: generation (high 32 bits) and the next
// unclaimed task index (low 32 bits). A task is claimed by a CAS on the whole
// word, so a worker holding a stale view of an old job can never claim a task
// of a new one.
constexpr uint64_t kIndexMask = 0xffffffffu;
constexpr uint64_t kClosed = kIndexMask;  // index value while a job is being set up

void spin_pause(int i) {
    NNPLAY_CPU_RELAX();
    if (i % 1024 == 0) std::this_thread::yield();  // long waits: let others run
}
}  // namespace

struct ThreadPool::Impl {
    std::vector<std::thread> workers;

    std::atomic<uint64_t> state{kClosed};  // generation 0, closed
    std::atomic<int> done{0};              // tasks of the current job finished
    // The current job. Written only while the state is closed, read only after
    // a successful claim, which proves the job is still the published one.
    std::atomic<const std::function<void(int)>*> fn{nullptr};
    std::atomic<int> n_tasks{0};

    std::mutex m;  // for sleeping workers
    std::condition_variable cv;
    std::atomic<int> sleepers{0};
    std::atomic<bool> stop{false};

    std::mutex error_m;
    std::exception_ptr error;

    std::mutex call_m;  // one parallel_for at a time

    void record_error(std::exception_ptr e) {
        std::lock_guard<std::mutex> lk(error_m);
        if (!error) error = e;
    }

    // Claims and runs tasks of the current job until none are left.
    void run_tasks() {
        tl_inside_task = true;
        uint64_t s = state.load(std::memory_order_acquire);
        for (;;) {
            const uint64_t index = s & kIndexMask;
            // n_tasks may belong to a newer job here; then the CAS below fails.
            if (index >= (uint64_t)n_tasks.load(std::memory_order_relaxed)) break;
            if (!state.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_acquire))
                continue;
            NNPLAY_TRY { (*fn.load(std::memory_order_relaxed))((int)index); }
            NNPLAY_CATCH_ALL(record_error(std::current_exception()))
            done.fetch_add(1, std::memory_order_release);
            s = state.load(std::memory_order_acquire);
        }
        tl_inside_task = false;
    }

    void worker_loop() {
        uint64_t seen = state.load(std::memory_order_acquire);
        for (;;) {
            // Poll a while for a new job, then sleep until one is published.
            const auto spin_until = std::chrono::steady_clock::now() + kSpinTime;
            for (int i = 1; state.load(std::memory_order_acquire) == seen; ++i) {
                NNPLAY_CPU_RELAX();
                if (i % 64 == 0 && std::chrono::steady_clock::now() > spin_until) {
                    std::unique_lock<std::mutex> lk(m);
                    sleepers.fetch_add(1, std::memory_order_seq_cst);
                    cv.wait(lk, [&] { return stop || state.load(std::memory_order_seq_cst) != seen; });
                    sleepers.fetch_sub(1, std::memory_order_relaxed);
                    break;
                }
            }
            if (stop.load(std::memory_order_acquire)) return;
            run_tasks();
            seen = state.load(std::memory_order_acquire);
        }
    }
};

ThreadPool::ThreadPool(int threads) : impl_(std::make_unique<Impl>()) {
    if (threads <= 0) threads = (int)std::thread::hardware_concurrency();
    if (threads < 1) threads = 1;
    impl_->workers.reserve(threads - 1);
    for (int i = 1; i < threads; ++i)
        impl_->workers.emplace_back([this] { impl_->worker_loop(); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lk(impl_->m);
        impl_->stop.store(true, std::memory_order_release);
        // Change the state too, so spinning workers leave their loop.
        impl_->state.fetch_add(uint64_t(1) << 32, std::memory_order_seq_cst);
    }
    impl_->cv.notify_all();
    for (auto& t : impl_->workers) t.join();
}

int ThreadPool::size() const { return (int)impl_->workers.size() + 1; }

void ThreadPool::parallel_for(int n_tasks, const std::function<void(int)>& fn) {
    if (n_tasks <= 0) return;
    Impl& p = *impl_;
    // Inline cases: no workers, one task, nested call, or the pool is busy with
    // another caller's job (running inline beats blocking on it).
    if (p.workers.empty() || n_tasks == 1 || tl_inside_task || !p.call_m.try_lock()) {
        run_inline(n_tasks, fn);
        return;
    }
    // Close the old job (no claims possible), set up the new one, publish it.
    const uint64_t gen = (p.state.load(std::memory_order_relaxed) >> 32) + 1;
    p.state.store((gen << 32) | kClosed, std::memory_order_seq_cst);
    p.fn.store(&fn, std::memory_order_relaxed);
    p.n_tasks.store(n_tasks, std::memory_order_relaxed);
    p.done.store(0, std::memory_order_relaxed);
    p.error = nullptr;
    p.state.store(gen << 32, std::memory_order_seq_cst);
    if (p.sleepers.load(std::memory_order_seq_cst) > 0) {
        std::lock_guard<std::mutex> lk(p.m);  // pairs with the predicate check in worker_loop
        p.cv.notify_all();
    }

    // Work alongside the workers. A sleeping worker that wakes late finds no
    // task left and goes back to waiting, so the caller never waits on a
    // wake-up, only on tasks that are actually running.
    p.run_tasks();
    for (int i = 1; p.done.load(std::memory_order_acquire) < n_tasks; ++i) spin_pause(i);

    std::exception_ptr err;
    {
        std::lock_guard<std::mutex> lk(p.error_m);
        err = p.error;
        p.error = nullptr;
    }
    p.call_m.unlock();
    if (err) std::rethrow_exception(err);
}

#endif  // NNPLAY_NO_THREADS

}  // namespace nnplay::cpu
