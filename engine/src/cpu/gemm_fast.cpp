// gemm_fast.cpp - the fast GEMM driver: run-time kernel dispatch, the choice of
// strategy for a shape, cache blocking, packing buffers and the split of C over
// the thread pool. The ISA-specific code lives in gemm_kernel_impl.h.
//
// Packed path (BLIS style), per task = one rectangular block of C:
//   for jc in columns, NC at a time:
//     for pc in K, kc at a time:              (first chunk applies beta, later ones add)
//       pack op(B)[pc.., jc..] into NR-wide strips
//       for ic in rows, MC at a time:
//         pack op(A)[ic.., pc..] into MR-tall strips
//         macro-kernel: every MR x NR micro-tile of the block
// Variations, all decided from the shape alone:
//   - tiny problems (e.g. the 4x10x2 XOR layers) use a plain loop;
//   - C = A * B^T with small M or N (logits of a Linear forward pass) uses the
//     dot-product path, which needs no packing;
//   - a narrow C (N = 10) is computed as C^T = op(B)^T op(A)^T so the short side
//     lands on the micro-kernel rows;
//   - an operand that will hardly be reused and already has the packed layout's
//     unit stride is read in place.
//
// Reproducibility: the strategy, the K chunking and the register-tile grid
// depend only on the shape (task blocks are whole tiles), so each C element is
// produced by the same operations in the same order for any thread count, and
// results are bit-identical.
#include "cpu/gemm.h"

#include <atomic>
#include <cstddef>
#include <new>
#include <utility>

#include "cpu/gemm_kernel.h"
#include "cpu/isa_variants.h"
#include "cpu/thread_pool.h"

namespace nnplay::cpu {

namespace {

using detail::GemmKernel;
using idx = std::ptrdiff_t;

// Below this many multiply-adds the packing and dispatch overhead dominates:
// use a plain loop (e.g. the 4x10x2 XOR layers).
constexpr idx kSmallWork = 4096;
// Below this many multiply-adds a second thread costs more than it saves.
constexpr idx kParallelWork = idx(1) << 18;

// ---------------------------------------------------------------- dispatch --

// Whether gemm_kernel_avx2.cpp / gemm_kernel_avx512.cpp are linked in
// (cpu_kernels.cmake sets it; the default guesses from the target).
#ifndef NNPLAY_GEMM_X86_KERNELS
#if (defined(__x86_64__) || defined(__i386__)) && !defined(__EMSCRIPTEN__)
#define NNPLAY_GEMM_X86_KERNELS 1
#else
#define NNPLAY_GEMM_X86_KERNELS 0
#endif
#endif

// All variants this binary contains and this CPU can run, best first.
// (The portable one is always built and always runnable.)
int usable_kernels(const GemmKernel* out[3]) {
    int n = 0;
#if NNPLAY_GEMM_X86_KERNELS
    // A variant TU compiled without its ISA flags returns nullptr.
    if (const GemmKernel* k = detail::gemm_kernel_avx512(); k && detail::cpu_has("avx512f") && detail::cpu_has("fma")) out[n++] = k;
    if (const GemmKernel* k = detail::gemm_kernel_avx2(); k && detail::cpu_has("avx2") && detail::cpu_has("fma")) out[n++] = k;
#endif
    out[n++] = detail::gemm_kernel_portable();
    return n;
}

const GemmKernel* best_kernel() {
    const GemmKernel* ks[3];
    usable_kernels(ks);
    return ks[0];
}

// Chosen on first use; gemm_select_kernel() may override it.
std::atomic<const GemmKernel*> g_kernel{nullptr};

const GemmKernel& active_kernel() {
    const GemmKernel* k = g_kernel.load(std::memory_order_acquire);
    if (!k) {
        k = best_kernel();  // idempotent, so a race here is harmless
        g_kernel.store(k, std::memory_order_release);
    }
    return *k;
}

// ------------------------------------------------------------ pack buffers --

// Under AddressSanitizer the buffers are sized exactly for every call, so an
// overrun in the packing code is reported instead of landing in slack.
#if defined(__SANITIZE_ADDRESS__)
#define NNPLAY_GEMM_EXACT_BUFFERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NNPLAY_GEMM_EXACT_BUFFERS 1
#endif
#endif
#ifndef NNPLAY_GEMM_EXACT_BUFFERS
#define NNPLAY_GEMM_EXACT_BUFFERS 0
#endif

// Per-thread, grow-only, 64-byte aligned scratch for the packed A block and B
// panel. Pool workers are persistent, so after the first calls gemm() does no
// allocation at all.
struct PackBuffer {
    float* data = nullptr;
    std::size_t capacity = 0;  // in floats

    float* get(std::size_t n) {
        if (n > capacity || (NNPLAY_GEMM_EXACT_BUFFERS && n != capacity)) {
            release();
            data = static_cast<float*>(::operator new(n * sizeof(float), std::align_val_t(64)));
            capacity = n;
        }
        return data;
    }
    void release() {
        if (data) ::operator delete(data, std::align_val_t(64));
        data = nullptr;
        capacity = 0;
    }
    ~PackBuffer() { release(); }
};

thread_local PackBuffer tl_pack_a;
thread_local PackBuffer tl_pack_b;

// ------------------------------------------------------------------ driver --

// A strided matrix view: element (r, c) at p[r * rs + c * cs]. Transposes are
// just swapped strides.
struct View {
    const float* p;
    idx rs, cs;
};

idx round_up(idx x, idx m) { return (x + m - 1) / m * m; }
idx ceil_div(idx x, idx m) { return (x + m - 1) / m; }

void scale_c(int M, int N, float beta, float* C, idx rs_c, idx cs_c) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float& c = C[i * rs_c + j * cs_c];
            c = beta == 0.0f ? 0.0f : beta * c;
        }
}

// Tiny problems: plain dot products, fixed summation order.
void small_gemm(int M, int N, int K, float alpha, View a, View b, float beta, float* C, idx ldc) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float acc = 0.0f;
            for (int k = 0; k < K; ++k) acc += a.p[i * a.rs + k * a.cs] * b.p[k * b.rs + j * b.cs];
            float& c = C[i * ldc + j];
            c = beta == 0.0f ? alpha * acc : alpha * acc + beta * c;
        }
}

// Fraction of the vector lanes doing useful work across N columns: full NR
// strips plus an edge strip of whole vectors (edge rows cost nothing extra, the
// micro-kernel has a variant for every row count).
double column_efficiency(int N, int nr, int vl) {
    const idx padded = (idx)N / nr * nr + round_up(N % nr, vl);
    return (double)N / (double)padded;
}

// C = A * B^T with both operands contiguous along k (Y = X * W^T) can skip
// packing entirely (GemmKernel::dot_block). It wins when C is small next to the
// operands: the packed path has to transpose (M + N) * K values for M * N * K
// FMAs, which hurts when M or N is a handful of strips.
bool use_dot_path(int M, int N, int K, View a, View b, const GemmKernel& kr) {
    if (a.cs != 1 || b.rs != 1 || K < 4 * kr.vl) return false;
    return (double)kr.vl * (1.0 / M + 1.0 / N) > 0.25;
}

struct Problem {
    const GemmKernel* kr;
    int M, N, K;
    float alpha, beta;
    View a, b;          // op(A) is M x K, op(B) is K x N
    float* c;
    idx rs_c, cs_c;
    bool dot;           // dot-product path (C = A * B^T, both contiguous along k)
    int kc;             // K chunk (all chunks but the last have this size)
    bool direct_a;      // read A in place instead of packing (needs a.rs == 1)
    bool direct_b;      // read B in place instead of packing (needs b.cs == 1)
    int mb, nb;         // task block size (multiples of mr / nr)
    int tasks_n;        // task grid columns

    // Computes the C block rows [i0, i1) x columns [j0, j1).
    void run_block(int i0, int i1, int j0, int j1) const {
        const int MC = kr->mc, NC = kr->nc, mr = kr->mr, nr = kr->nr, vl = kr->vl;
        float* pa = direct_a ? nullptr : tl_pack_a.get((std::size_t)MC * kc);
        float* pb = tl_pack_b.get((std::size_t)round_up(NC < j1 - j0 ? NC : j1 - j0, nr) * kc);
        for (int jc = j0; jc < j1; jc += NC) {
            const int nc = j1 - jc < NC ? j1 - jc : NC;
            // In-place B covers whole vectors only; the last < vl columns are packed.
            const int nd = direct_b ? nc / vl * vl : 0;
            for (int pc = 0; pc < K; pc += kc) {
                const int kcur = K - pc < kc ? K - pc : kc;
                // B strips: rows of the packed layout are the columns j of op(B).
                if (nc > nd) kr->pack_b(nc - nd, kcur, b.p + pc * b.rs + (jc + nd) * b.cs, b.cs, b.rs, pb);
                const float beta_k = pc == 0 ? beta : 1.0f;  // later K chunks accumulate
                for (int ic = i0; ic < i1; ic += MC) {
                    const int mc = i1 - ic < MC ? i1 - ic : MC;
                    const float* ap = pa;
                    idx a_ss = (idx)mr * kcur, a_ks = mr;
                    if (direct_a) {
                        ap = a.p + ic + pc * a.cs;
                        a_ss = mr;
                        a_ks = a.cs;
                    } else {
                        kr->pack_a(mc, kcur, a.p + ic * a.rs + pc * a.cs, a.rs, a.cs, pa);
                    }
                    float* cb = c + ic * rs_c + jc * cs_c;
                    if (nd > 0)
                        kr->macro(mc, nd, kcur, ap, a_ss, a_ks, b.p + pc * b.rs + jc, nr, b.rs, cb, rs_c, cs_c,
                                  alpha, beta_k);
                    if (nc > nd)
                        kr->macro(mc, nc - nd, kcur, ap, a_ss, a_ks, pb, (idx)nr * kcur, nr, cb + nd * cs_c, rs_c,
                                  cs_c, alpha, beta_k);
                }
            }
        }
    }

    void run_task(int t) const {
        const int ti = t / tasks_n, tj = t % tasks_n;
        const int i0 = ti * mb, j0 = tj * nb;
        const int i1 = i0 + mb < M ? i0 + mb : M, j1 = j0 + nb < N ? j0 + nb : N;
        if (dot)  // a.cs == 1 and b.rs == 1: rows of A and columns of op(B) run along k
            kr->dot_block(i1 - i0, j1 - j0, K, a.p + i0 * a.rs, a.rs, b.p + j0 * b.cs, b.cs,
                          c + i0 * rs_c + j0 * cs_c, rs_c, cs_c, alpha, beta);
        else
            run_block(i0, i1, j0, j1);
    }
};

}  // namespace

void gemm(ThreadPool* pool, bool trans_a, bool trans_b, int M, int N, int K, float alpha,
          const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0.0f) {  // nothing to multiply: C = beta * C
        scale_c(M, N, beta, C, ldc, 1);
        return;
    }
    View a = trans_a ? View{A, 1, lda} : View{A, lda, 1};  // op(A)(i, k)
    View b = trans_b ? View{B, 1, ldb} : View{B, ldb, 1};  // op(B)(k, j)
    if ((idx)M * N * K <= kSmallWork) {
        small_gemm(M, N, K, alpha, a, b, beta, C, ldc);
        return;
    }

    Problem p{};
    p.kr = &active_kernel();
    const int mr = p.kr->mr, nr = p.kr->nr, vl = p.kr->vl;
    p.M = M, p.N = N, p.K = K, p.alpha = alpha, p.beta = beta;
    p.a = a, p.b = b, p.c = C, p.rs_c = ldc, p.cs_c = 1;

    p.dot = use_dot_path(M, N, K, a, b, *p.kr);
    if (!p.dot) {
        // A narrow C (e.g. N = 10 outputs against 16-float vectors) wastes most
        // of each vector. Computing C^T = op(B)^T * op(A)^T instead puts the
        // short side on the rows; the transposed C is then written through the
        // strided store path, so only swap when it clearly pays.
        if (column_efficiency(M, nr, vl) > 1.25 * column_efficiency(N, nr, vl)) {
            std::swap(p.M, p.N);
            p.a = View{b.p, b.cs, b.rs};
            p.b = View{a.p, a.cs, a.rs};
            std::swap(p.rs_c, p.cs_c);
        }

        // Packing pays for itself through reuse: a packed B strip is read once
        // per MR rows of C, a packed A strip once per NR columns. With only a
        // couple of tiles on the other side and a matrix already laid out like
        // the packed format (unit stride along the tile), read it in place.
        p.direct_a = p.a.rs == 1 && p.N <= 2 * nr;
        p.direct_b = p.b.cs == 1 && p.M <= 2 * mr;

        // K chunks of (nearly) equal size: 784 -> 4 x 196 rather than 3 x 256 + 16.
        const int k_chunks = (int)ceil_div(K, p.kr->kc);
        p.kc = (int)ceil_div(K, k_chunks);
    }

    // Task grid: one task per thread, blocks as square as possible (each task
    // packs its own A rows and B columns, so square blocks pack the least).
    // Blocks are whole register tiles, so the tile grid (and with it every
    // result bit) is the same for any thread count.
    const int unit_m = p.dot ? p.kr->dot_r : mr, unit_n = p.dot ? p.kr->dot_s : nr;
    int threads = pool ? pool->size() : 1;
    if ((idx)M * N * K < kParallelWork) threads = 1;
    const int strips_m = (int)ceil_div(p.M, unit_m), strips_n = (int)ceil_div(p.N, unit_n);
    int tm = 1, tn = 1;
    while (tm * tn < threads) {
        const bool can_m = tm < strips_m, can_n = tn < strips_n;
        if (!can_m && !can_n) break;
        if (can_n && (!can_m || (double)p.N / tn >= (double)p.M / tm)) ++tn;
        else ++tm;
    }
    p.mb = (int)ceil_div(strips_m, tm) * unit_m;
    p.nb = (int)ceil_div(strips_n, tn) * unit_n;
    tm = (int)ceil_div(p.M, p.mb);
    tn = (int)ceil_div(p.N, p.nb);
    p.tasks_n = tn;

    const int tasks = tm * tn;
    if (tasks == 1 || !pool) {
        for (int t = 0; t < tasks; ++t) p.run_task(t);
    } else {
        pool->parallel_for(tasks, [&p](int t) { p.run_task(t); });
    }
}

const char* gemm_kernel_name() { return active_kernel().name; }

bool gemm_select_kernel(const char* name) {
    if (!name || !*name) {
        g_kernel.store(best_kernel(), std::memory_order_release);
        return true;
    }
    const GemmKernel* ks[3];
    const GemmKernel* k = detail::variant_named(ks, usable_kernels(ks), name);
    if (k) g_kernel.store(k, std::memory_order_release);
    return k != nullptr;
}

}  // namespace nnplay::cpu
