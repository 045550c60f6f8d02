// test_gemm.cpp - checks the fast GEMM (every kernel variant this CPU can run)
// against the naive reference, its bit-reproducibility across thread counts,
// and the ThreadPool it runs on.
#include <gtest/gtest.h>

#include <atomic>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cpu/gemm.h"
#include "cpu/thread_pool.h"

using nnplay::cpu::gemm;
using nnplay::cpu::gemm_ref;
using nnplay::cpu::ThreadPool;

namespace {

// Kernel variants usable here; forcing each in turn tests them all on one machine.
std::vector<std::string> usable_kernels() {
    std::vector<std::string> out;
    for (const char* name : {"avx512", "avx2-fma", "simd128", "portable"})
        if (nnplay::cpu::gemm_select_kernel(name)) out.push_back(name);
    nnplay::cpu::gemm_select_kernel(nullptr);
    return out;
}

// Restores automatic kernel choice when a test ends.
struct KernelGuard {
    ~KernelGuard() { nnplay::cpu::gemm_select_kernel(nullptr); }
};

struct Case {
    bool ta, tb;
    int M, N, K;
    float alpha, beta;
    int pad_a = 0, pad_b = 0, pad_c = 0;  // leading dim = row length + pad
};

std::string describe(const Case& c) {
    return "ta=" + std::to_string(c.ta) + " tb=" + std::to_string(c.tb) + " M=" + std::to_string(c.M) +
           " N=" + std::to_string(c.N) + " K=" + std::to_string(c.K) + " alpha=" + std::to_string(c.alpha) +
           " beta=" + std::to_string(c.beta) + " pads=" + std::to_string(c.pad_a) + "," +
           std::to_string(c.pad_b) + "," + std::to_string(c.pad_c);
}

// Operands for one case, with padding columns filled with a sentinel so reading
// or writing outside the logical matrix shows up.
struct Operands {
    int lda, ldb, ldc;
    std::vector<float> A, B, C;

    Operands(const Case& c, uint32_t seed) {
        const int a_rows = c.ta ? c.K : c.M, a_cols = c.ta ? c.M : c.K;
        const int b_rows = c.tb ? c.N : c.K, b_cols = c.tb ? c.K : c.N;
        lda = a_cols + c.pad_a;
        ldb = b_cols + c.pad_b;
        ldc = c.N + c.pad_c;
        std::mt19937 rng(seed);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        const float nan = std::numeric_limits<float>::quiet_NaN();
        // Padding of A and B holds NaN: if the kernel ever multiplies it in, the
        // result turns NaN. Sized exactly, so AddressSanitizer catches over-reads.
        A.assign((size_t)a_rows * lda, nan);
        B.assign((size_t)b_rows * ldb, nan);
        for (int r = 0; r < a_rows; ++r)
            for (int k = 0; k < a_cols; ++k) A[(size_t)r * lda + k] = u(rng);
        for (int r = 0; r < b_rows; ++r)
            for (int k = 0; k < b_cols; ++k) B[(size_t)r * ldb + k] = u(rng);
        // C: with beta == 0 it must not be read, so fill it with NaN.
        C.assign((size_t)c.M * ldc + 1, 12345.0f);
        for (int i = 0; i < c.M; ++i)
            for (int j = 0; j < c.N; ++j) C[(size_t)i * ldc + j] = c.beta == 0.0f ? nan : u(rng);
    }
};

void run_fast(ThreadPool* pool, const Case& c, const Operands& o, std::vector<float>& C) {
    C = o.C;
    gemm(pool, c.ta, c.tb, c.M, c.N, c.K, c.alpha, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta,
         C.data(), o.ldc);
}

// Compares gemm against gemm_ref. Tolerance per element is the standard
// floating-point dot-product bound: ~K * eps * (|alpha| * sum_k |a||b| + |beta c|).
void check_case(const Case& c, ThreadPool* pool = nullptr, uint32_t seed = 1) {
    SCOPED_TRACE(describe(c) + " kernel=" + nnplay::cpu::gemm_kernel_name());
    Operands o(c, seed);

    std::vector<float> ref = o.C;
    gemm_ref(c.ta, c.tb, c.M, c.N, c.K, c.alpha, o.A.data(), o.lda, o.B.data(), o.ldb, c.beta,
             ref.data(), o.ldc);

    // Magnitudes for the error bound: |alpha| * |A| * |B| (+ |beta * C| below).
    std::vector<float> absA(o.A.size()), absB(o.B.size()), mag(o.C.size(), 0.0f);
    for (size_t i = 0; i < o.A.size(); ++i) absA[i] = std::fabs(o.A[i]);
    for (size_t i = 0; i < o.B.size(); ++i) absB[i] = std::fabs(o.B[i]);
    gemm_ref(c.ta, c.tb, c.M, c.N, c.K, std::fabs(c.alpha), absA.data(), o.lda, absB.data(), o.ldb, 0.0f,
             mag.data(), o.ldc);

    std::vector<float> out;
    run_fast(pool, c, o, out);

    int reported = 0;
    for (int i = 0; i < c.M; ++i) {
        for (int j = 0; j < c.N; ++j) {
            const size_t at = (size_t)i * o.ldc + j;
            const float c0 = c.beta == 0.0f ? 0.0f : o.C[at];
            const double bound = 2.0 * (c.K + 2) * FLT_EPSILON * (mag[at] + std::fabs(c.beta * c0)) + 1e-30;
            const bool ok = std::isfinite(out[at]) && std::fabs((double)out[at] - (double)ref[at]) <= bound;
            if (!ok && reported++ < 5)
                ADD_FAILURE() << "C[" << i << "," << j << "] = " << out[at] << ", reference " << ref[at]
                              << ", bound " << bound;
        }
        // Padding columns of C must be untouched.
        for (int j = c.N; j < o.ldc; ++j)
            if (out[(size_t)i * o.ldc + j] != 12345.0f && reported++ < 5)
                ADD_FAILURE() << "padding C[" << i << "," << j << "] was written";
    }
    if (out.back() != 12345.0f) ADD_FAILURE() << "wrote past the end of C";
}

}  // namespace

TEST(Gemm, KernelNameIsKnown) {
    const std::string name = nnplay::cpu::gemm_kernel_name();
    EXPECT_TRUE(name == "avx512" || name == "avx2-fma" || name == "simd128" || name == "portable") << name;
    EXPECT_FALSE(nnplay::cpu::gemm_select_kernel("no-such-kernel"));
    EXPECT_EQ(name, nnplay::cpu::gemm_kernel_name());
    const auto ks = usable_kernels();
    ASSERT_FALSE(ks.empty());
    EXPECT_EQ(ks.front(), name);  // the automatic choice is the best usable one
}

// Every small size combination, every transpose case, every kernel: covers
// 0 and 1 sizes, sizes below / at / above the tile sizes, and the tiny path.
TEST(Gemm, SmallShapesAllTransposes) {
    KernelGuard guard;
    // Around the tile sizes of every variant: MR = 6 / 14, NR = 8 / 16 / 32, vectors of 4 / 8 / 16.
    const int mn_sizes[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 31, 32, 33};
    const int k_sizes[] = {0, 1, 2, 3, 5, 8, 16, 17, 33, 64, 65};
    for (const std::string& k : usable_kernels()) {
        ASSERT_TRUE(nnplay::cpu::gemm_select_kernel(k.c_str()));
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb)
                for (int M : mn_sizes)
                    for (int N : mn_sizes)
                        for (int K : k_sizes) check_case({ta != 0, tb != 0, M, N, K, 1.0f, 0.0f});
    }
}

TEST(Gemm, AlphaBetaVariants) {
    KernelGuard guard;
    const float alphas[] = {1.0f, -0.5f, 2.0f, 0.0f};
    const float betas[] = {0.0f, 1.0f, -1.5f, 0.25f};
    for (const std::string& k : usable_kernels()) {
        ASSERT_TRUE(nnplay::cpu::gemm_select_kernel(k.c_str()));
        for (float alpha : alphas)
            for (float beta : betas)
                for (int t = 0; t < 4; ++t) {
                    check_case({(t & 1) != 0, (t & 2) != 0, 37, 45, 29, alpha, beta});
                    check_case({(t & 1) != 0, (t & 2) != 0, 3, 2, 4, alpha, beta});  // tiny path
                }
    }
}

// alpha == 0 or K == 0: A and B are not read (they may hold NaN), C = beta * C.
TEST(Gemm, NothingToMultiply) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> A(64, nan), B(64, nan), C(64, 2.0f);
    gemm(nullptr, false, false, 4, 4, 4, 0.0f, A.data(), 4, B.data(), 4, 0.5f, C.data(), 4);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(C[i], 1.0f);
    gemm(nullptr, false, true, 4, 4, 0, 1.0f, A.data(), 1, B.data(), 1, 3.0f, C.data(), 4);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(C[i], 3.0f);
    std::fill(C.begin(), C.end(), nan);
    gemm(nullptr, true, false, 4, 4, 0, 1.0f, A.data(), 4, B.data(), 4, 0.0f, C.data(), 4);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(C[i], 0.0f);
}

// The engine's Linear-layer shapes (forward, dX, dW) plus shapes that cross the
// cache-block boundaries (K > KC, M > MC, N > NC) and odd sizes.
TEST(Gemm, EngineAndBlockingShapes) {
    KernelGuard guard;
    const Case cases[] = {
        {false, true, 100, 10, 784, 1, 0},   // MNIST linear forward
        {false, false, 100, 784, 10, 1, 0},  // its dX
        {true, false, 10, 784, 100, 1, 1},   // its dW (accumulate)
        {false, true, 128, 256, 784, 1, 0},  {false, false, 128, 784, 256, 1, 0}, {true, false, 256, 784, 128, 1, 1},
        {false, true, 128, 256, 256, 1, 0},  {false, false, 128, 256, 256, 1, 0}, {true, false, 256, 256, 128, 1, 1},
        {false, true, 128, 10, 256, 1, 0},   {false, false, 128, 256, 10, 1, 0},  {true, false, 10, 256, 128, 1, 1},
        {false, true, 4, 10, 2, 1, 0},       {true, false, 10, 2, 4, 1, 1},       // XOR
        {false, false, 201, 67, 1031, 1, 0}, {true, true, 199, 203, 517, -1, 0.5f},
        {false, true, 3, 2100, 300, 1, 1},   {true, false, 2100, 5, 70, 1, 0},
        {false, false, 1, 1000, 1000, 1, 0}, {false, false, 1000, 1, 1000, 1, 0}, {true, true, 1, 1, 5000, 1, 0},
        {false, false, 300, 10, 50, 1, 0.5f},  // narrow C: computed as C^T
        {false, false, 40, 10, 50, 1, 0},      // C^T with A read in place
        {true, false, 20, 300, 70, 2, 1},      // B read in place
    };
    for (const std::string& k : usable_kernels()) {
        ASSERT_TRUE(nnplay::cpu::gemm_select_kernel(k.c_str()));
        for (const Case& c : cases) check_case(c);
    }
}

TEST(Gemm, LeadingDimensionsLargerThanRows) {
    KernelGuard guard;
    for (const std::string& k : usable_kernels()) {
        ASSERT_TRUE(nnplay::cpu::gemm_select_kernel(k.c_str()));
        for (int t = 0; t < 4; ++t) {
            check_case({(t & 1) != 0, (t & 2) != 0, 19, 35, 23, 1.0f, 0.0f, 3, 5, 7});
            check_case({(t & 1) != 0, (t & 2) != 0, 70, 90, 300, 0.5f, 1.0f, 1, 17, 2});
            check_case({(t & 1) != 0, (t & 2) != 0, 2, 3, 4, 1.0f, 1.0f, 9, 1, 4});
        }
    }
}

TEST(Gemm, ThreadedMatchesReference) {
    ThreadPool pool(3);
    for (int t = 0; t < 4; ++t) {
        check_case({(t & 1) != 0, (t & 2) != 0, 128, 256, 784, 1.0f, 0.0f}, &pool);
        check_case({(t & 1) != 0, (t & 2) != 0, 131, 77, 259, -1.0f, 0.5f}, &pool);
        check_case({(t & 1) != 0, (t & 2) != 0, 128, 10, 256, 1.0f, 1.0f}, &pool);
    }
}

// The same call with 1, 2 or 3 threads (or no pool) must give bit-identical C.
TEST(Gemm, BitIdenticalAcrossThreadCounts) {
    KernelGuard guard;
    ThreadPool p1(1), p2(2), p3(3);
    const Case cases[] = {
        {false, true, 128, 256, 784, 1, 0},  {false, false, 128, 784, 256, 1, 0}, {true, false, 256, 784, 128, 1, 1},
        {false, true, 128, 10, 256, 1, 0},   {true, false, 10, 256, 128, 1, 1},   {true, true, 197, 203, 531, 0.5f, -1},
        {false, false, 61, 1000, 77, 1, 0},  {false, true, 1000, 13, 99, 1, 0.5f},  {false, false, 300, 10, 50, 1, 0},
        {true, true, 600, 9, 40, 1, 0},
    };
    for (const std::string& k : usable_kernels()) {
        ASSERT_TRUE(nnplay::cpu::gemm_select_kernel(k.c_str()));
        for (const Case& c : cases) {
            SCOPED_TRACE(describe(c) + " kernel=" + k);
            Operands o(c, 7);
            std::vector<float> c0, c1, c2, c3;
            run_fast(nullptr, c, o, c0);
            run_fast(&p1, c, o, c1);
            run_fast(&p2, c, o, c2);
            run_fast(&p3, c, o, c3);
            const size_t bytes = c0.size() * sizeof(float);
            EXPECT_EQ(0, std::memcmp(c0.data(), c1.data(), bytes));
            EXPECT_EQ(0, std::memcmp(c0.data(), c2.data(), bytes));
            EXPECT_EQ(0, std::memcmp(c0.data(), c3.data(), bytes));
        }
    }
}

// Several threads sharing one pool: whoever finds it busy runs inline. Results
// must still be exact copies of the single-threaded ones.
TEST(Gemm, ConcurrentCallersShareAPool) {
    ThreadPool pool(2);
    const Case c{false, true, 128, 256, 300, 1.0f, 0.0f};
    Operands o(c, 3);
    std::vector<float> expected;
    run_fast(nullptr, c, o, expected);
    std::vector<std::vector<float>> results(4);
    std::vector<std::thread> callers;
    for (int t = 0; t < 4; ++t)
        callers.emplace_back([&, t] {
            for (int rep = 0; rep < 20; ++rep) run_fast(&pool, c, o, results[t]);
        });
    for (auto& t : callers) t.join();
    for (const auto& r : results) EXPECT_EQ(0, std::memcmp(r.data(), expected.data(), r.size() * sizeof(float)));
}

TEST(ThreadPool, RunsEveryTaskOnce) {
    for (int threads : {1, 2, 3, 8}) {
        ThreadPool pool(threads);
        EXPECT_GE(pool.size(), 1);
        for (int n : {0, 1, 2, 7, 100}) {
            std::vector<std::atomic<int>> hits(n);
            for (int rep = 0; rep < 3; ++rep) pool.parallel_for(n, [&](int t) { hits[t].fetch_add(1); });
            for (int t = 0; t < n; ++t) EXPECT_EQ(hits[t].load(), 3) << "threads=" << threads << " task=" << t;
        }
    }
}

TEST(ThreadPool, NestedCallsRunInline) {
    ThreadPool pool(2);
    std::atomic<int> total{0};
    pool.parallel_for(4, [&](int) { pool.parallel_for(5, [&](int) { total.fetch_add(1); }); });
    EXPECT_EQ(total.load(), 20);
}

TEST(ThreadPool, PropagatesExceptions) {
    ThreadPool pool(3);
    std::atomic<int> ran{0};
    EXPECT_THROW(pool.parallel_for(16,
                                   [&](int t) {
                                       ran.fetch_add(1);
                                       if (t == 5) throw std::runtime_error("task 5");
                                   }),
                 std::runtime_error);
    EXPECT_EQ(ran.load(), 16);
    // The pool stays usable.
    std::atomic<int> again{0};
    pool.parallel_for(10, [&](int) { again.fetch_add(1); });
    EXPECT_EQ(again.load(), 10);
}
