// bench_gemm.cpp - GEMM throughput on the engine's Linear-layer shapes: nnplay's
// gemm (1 and 2 threads) against the naive gemm_ref (small shapes only) and
// OpenBLAS cblas_sgemm pinned to one thread. Reports GFLOP/s (2*M*N*K per call).
//
// OpenBLAS is a benchmark reference only, compiled in when the build defines
// NNPLAY_HAVE_OPENBLAS=1 and links libopenblas (bench/CMakeLists.txt does both
// when it finds the library).
// NNPLAY_GEMM_KERNEL=avx2-fma (etc.) in the environment forces a kernel variant.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "cpu/gemm.h"
#include "cpu/thread_pool.h"

#if defined(NNPLAY_HAVE_OPENBLAS) && NNPLAY_HAVE_OPENBLAS
#define NNPLAY_BENCH_OPENBLAS 1
#include <cblas.h>
// Declared by OpenBLAS's cblas.h, but not by the netlib one an alternatives
// link may point at.
extern "C" void openblas_set_num_threads(int num_threads);
#else
#define NNPLAY_BENCH_OPENBLAS 0
#endif

namespace {

struct Shape {
    const char* name;
    bool ta, tb;
    int M, N, K;
    float beta;
};

// MLP 784-256-256-10 at batch 128 (forward Y = X W^T, dX = dY W, dW += dY^T X),
// MNIST softmax regression (batch 100), and the tiny XOR net.
const Shape kShapes[] = {
    {"mlp1_fwd_128x256x784", false, true, 128, 256, 784, 0.0f},
    {"mlp1_dx_128x784x256", false, false, 128, 784, 256, 0.0f},
    {"mlp1_dw_256x784x128", true, false, 256, 784, 128, 1.0f},
    {"mlp2_fwd_128x256x256", false, true, 128, 256, 256, 0.0f},
    {"mlp2_dx_128x256x256", false, false, 128, 256, 256, 0.0f},
    {"mlp2_dw_256x256x128", true, false, 256, 256, 128, 1.0f},
    {"mlp3_fwd_128x10x256", false, true, 128, 10, 256, 0.0f},
    {"mlp3_dx_128x256x10", false, false, 128, 256, 10, 0.0f},
    {"mlp3_dw_10x256x128", true, false, 10, 256, 128, 1.0f},
    {"mnist_fwd_100x10x784", false, true, 100, 10, 784, 0.0f},
    {"mnist_dw_10x784x100", true, false, 10, 784, 100, 1.0f},
    {"xor_fwd_4x10x2", false, true, 4, 10, 2, 0.0f},
};

// The naive reference is only timed where it finishes quickly.
constexpr double kRefMaxFlops = 2e6;

struct Operands {
    int lda, ldb, ldc;
    std::vector<float> A, B, C;
    explicit Operands(const Shape& s) {
        lda = s.ta ? s.M : s.K;
        ldb = s.tb ? s.K : s.N;
        ldc = s.N;
        std::mt19937 rng(42);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        A.resize((size_t)s.M * s.K);
        B.resize((size_t)s.K * s.N);
        C.resize((size_t)s.M * s.N);
        for (float& x : A) x = u(rng);
        for (float& x : B) x = u(rng);
        for (float& x : C) x = u(rng) * 1e-3f;  // small, so beta = 1 accumulation stays finite
    }
};

void set_flops(benchmark::State& state, const Shape& s) {
    state.counters["GFLOP/s"] = benchmark::Counter(2.0 * s.M * s.N * s.K * 1e-9,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

void bm_gemm(benchmark::State& state, const Shape& s, int threads) {
    static nnplay::cpu::ThreadPool pool2(2);
    nnplay::cpu::ThreadPool* pool = threads == 1 ? nullptr : &pool2;
    Operands o(s);
    for (auto _ : state) {
        nnplay::cpu::gemm(pool, s.ta, s.tb, s.M, s.N, s.K, 1.0f, o.A.data(), o.lda, o.B.data(), o.ldb, s.beta,
                          o.C.data(), o.ldc);
        benchmark::DoNotOptimize(o.C.data());
        benchmark::ClobberMemory();
    }
    set_flops(state, s);
}

void bm_ref(benchmark::State& state, const Shape& s) {
    Operands o(s);
    for (auto _ : state) {
        nnplay::cpu::gemm_ref(s.ta, s.tb, s.M, s.N, s.K, 1.0f, o.A.data(), o.lda, o.B.data(), o.ldb, s.beta,
                              o.C.data(), o.ldc);
        benchmark::DoNotOptimize(o.C.data());
        benchmark::ClobberMemory();
    }
    set_flops(state, s);
}

#if NNPLAY_BENCH_OPENBLAS
void bm_openblas(benchmark::State& state, const Shape& s) {
    openblas_set_num_threads(1);
    Operands o(s);
    for (auto _ : state) {
        cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans, s.M, s.N,
                    s.K, 1.0f, o.A.data(), o.lda, o.B.data(), o.ldb, s.beta, o.C.data(), o.ldc);
        benchmark::DoNotOptimize(o.C.data());
        benchmark::ClobberMemory();
    }
    set_flops(state, s);
}
#endif

}  // namespace

int main(int argc, char** argv) {
    if (const char* k = std::getenv("NNPLAY_GEMM_KERNEL"); k && *k) {
        if (!nnplay::cpu::gemm_select_kernel(k)) {
            std::fprintf(stderr, "NNPLAY_GEMM_KERNEL=%s: not available on this CPU/build\n", k);
            return 1;
        }
    }
    benchmark::AddCustomContext("gemm_kernel", nnplay::cpu::gemm_kernel_name());
#if NNPLAY_BENCH_OPENBLAS && defined(OPENBLAS_VERSION)
    benchmark::AddCustomContext("openblas", OPENBLAS_VERSION);
#endif
    for (const Shape& s : kShapes) {
        const std::string n = s.name;
        benchmark::RegisterBenchmark(("gemm/" + n).c_str(), bm_gemm, s, 1);
        // Wall-clock time: CPU time would only count the calling thread.
        benchmark::RegisterBenchmark(("gemm_2t/" + n).c_str(), bm_gemm, s, 2)->UseRealTime();
#if NNPLAY_BENCH_OPENBLAS
        benchmark::RegisterBenchmark(("openblas_1t/" + n).c_str(), bm_openblas, s);
#endif
        if (2.0 * s.M * s.N * s.K <= kRefMaxFlops)
            benchmark::RegisterBenchmark(("gemm_ref/" + n).c_str(), bm_ref, s);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
