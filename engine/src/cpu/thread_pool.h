// thread_pool.h - a small fixed-size pool of persistent worker threads for the CPU
// kernels (GEMM and friends).
//
// parallel_for(n, fn) runs fn(0) .. fn(n-1) and returns when all are done. Tasks
// are handed out dynamically, so the task -> thread mapping varies between calls;
// kernels that need reproducible results must make each task's output independent
// of which thread runs it (GEMM does: one task owns a block of C).
//
// The calling thread works too, so ThreadPool(2) starts one extra std::thread.
// Threads are created once in the constructor, never per call. With size() == 1,
// from inside a task (nested call), or while another thread is already using the
// pool, parallel_for simply runs the tasks inline on the caller.
// Under Emscripten without pthreads (or with NNPLAY_NO_THREADS defined) no threads
// exist at all and everything runs inline.
#pragma once

#include <functional>
#include <memory>

#if !defined(NNPLAY_NO_THREADS) && defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define NNPLAY_NO_THREADS 1
#endif

namespace nnplay::cpu {

class ThreadPool {
public:
    // threads = total number of threads that run tasks, caller included.
    // threads <= 0 means std::thread::hardware_concurrency().
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    // Number of threads that actually run tasks (1 when built without threads).
    int size() const;

    // Runs fn(task) for task in [0, n_tasks). Blocks until all tasks finished.
    // If a task throws, the remaining tasks still run and the first exception is
    // rethrown here.
    void parallel_for(int n_tasks, const std::function<void(int task)>& fn);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nnplay::cpu
