// gemm_kernel_impl.h - the GEMM micro-kernel, packing and macro-kernel, written
// once in portable C++ with GCC/clang vector extensions. Each gemm_kernel_<isa>.cpp
// includes this file under different compile flags, so the same source becomes
// AVX-512, AVX2+FMA, SSE2/NEON or WebAssembly SIMD128 code.
//
// Before including, define:
//   GK_NS         namespace for this build; must differ per TU (the TUs are
//                 compiled with different ISA flags, nothing may be shared)
//   GK_NAME       kernel name string
//   GK_VEC_BYTES  vector width in bytes (64, 32, 16)
//   GK_MR, GK_NR  register tile: GK_MR rows x GK_NR columns of C per micro-kernel
//                 call; GK_NR a multiple of the vector width. MR * NR / VL
//                 accumulators plus NR / VL B vectors must fit in the register file.
//   GK_KC, GK_MC, GK_NC  cache blocking (see GemmKernel in gemm_kernel.h)
//   GK_DOT_R, GK_DOT_S   register tile of the dot path (DR * DS accumulators
//                 plus DR + DS operand vectors must fit in the register file)
// It defines `const GemmKernel GK_NS::kernel`.
//
// Data layout (BLIS style): A is packed into strips of MR rows, B into strips of
// NR columns, both k-major (the MR or NR values for one k are adjacent). The
// micro-kernel then streams both strips linearly; every transpose case is
// absorbed by the packing, so one micro-kernel serves all four.
//
// This file includes no headers (see gemm_kernel.h for why).

#include "cpu/gemm_kernel.h"

namespace nnplay::cpu::detail {
namespace GK_NS {

using idx = gemm_idx;

constexpr int VL = GK_VEC_BYTES / 4;  // floats per vector
constexpr int MR = GK_MR;
constexpr int NR = GK_NR;
constexpr int NV = NR / VL;           // vectors per row of the C tile
static_assert(NR % VL == 0, "NR must be a multiple of the vector length");
static_assert(GK_MC % GK_MR == 0 && GK_NC % GK_NR == 0, "blocks must be whole tiles");

typedef float vf __attribute__((vector_size(GK_VEC_BYTES)));
typedef float v4 __attribute__((vector_size(16)));  // for the 4x4 transposes in packing

// memcpy compiles to one (unaligned) vector load/store and sidesteps aliasing rules.
template <class V>
static inline V load(const float* p) {
    V v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
template <class V>
static inline void store(float* p, V v) {
    __builtin_memcpy(p, &v, sizeof v);
}

static inline int min_int(int a, int b) { return a < b ? a : b; }

// The one place C is combined with the product, shared by the full-tile and the
// edge-tile paths so both round identically.
static inline vf epilogue(vf acc, vf c, float alpha, float beta) { return alpha * acc + beta * c; }

// ------------------------------------------------------------ micro-kernel --

// C tile (ROWS x n, n <= NVE * VL) = alpha * sum_k a(., k) b(k, .) + beta * C.
// The accumulators stay in registers for the whole k loop; each k step is NVE
// vector loads of B and ROWS * NVE FMAs with a broadcast element of A.
// ROWS < MR and NVE < NV are the edge tiles: instantiating the kernel for every
// edge shape keeps e.g. M = 10 or N = 10 from paying for a full 14 x 32 tile.
template <int ROWS, int NVE>
static void micro_kernel(int kc, const float* __restrict a, idx a_ks, const float* __restrict b, idx b_ks,
                         float* __restrict c, idx rs_c, idx cs_c, int n, float alpha, float beta) {
    // Start pulling the C tile into L1 now; the k loop hides the latency.
    if (cs_c == 1)
#pragma GCC unroll 32
        for (int i = 0; i < ROWS; ++i) __builtin_prefetch(c + i * rs_c, 1, 3);

    vf acc[ROWS][NVE];
#pragma GCC unroll 32
    for (int i = 0; i < ROWS; ++i)
#pragma GCC unroll 8
        for (int j = 0; j < NVE; ++j) acc[i][j] = vf{};

    for (int k = 0; k < kc; ++k) {
        vf bv[NVE];
#pragma GCC unroll 8
        for (int j = 0; j < NVE; ++j) bv[j] = load<vf>(b + j * VL);
#pragma GCC unroll 32
        for (int i = 0; i < ROWS; ++i) {
            const float ai = a[i];  // scalar * vector: a broadcast, fused into the FMA
#pragma GCC unroll 8
            for (int j = 0; j < NVE; ++j) acc[i][j] += ai * bv[j];
        }
        a += a_ks;
        b += b_ks;
    }

    constexpr int NCOL = NVE * VL;
    if (n == NCOL && cs_c == 1) {
        // Whole vectors of a row-major C: read-modify-write straight in C.
        if (beta == 0.0f) {
#pragma GCC unroll 32
            for (int i = 0; i < ROWS; ++i, c += rs_c)
#pragma GCC unroll 8
                for (int j = 0; j < NVE; ++j) store(c + j * VL, alpha * acc[i][j]);
        } else {
#pragma GCC unroll 32
            for (int i = 0; i < ROWS; ++i, c += rs_c)
#pragma GCC unroll 8
                for (int j = 0; j < NVE; ++j)
                    store(c + j * VL, epilogue(acc[i][j], load<vf>(c + j * VL), alpha, beta));
        }
        return;
    }

    // A partial vector (n not a multiple of VL) or a transposed C (cs_c != 1):
    // stage C through a buffer, do the same vector arithmetic, write back only
    // the valid elements.
    float buf[ROWS * NCOL] __attribute__((aligned(64)));
    if (beta != 0.0f) {
        for (int i = 0; i < ROWS; ++i) {
            for (int j = 0; j < n; ++j) buf[i * NCOL + j] = c[i * rs_c + j * cs_c];
            for (int j = n; j < NCOL; ++j) buf[i * NCOL + j] = 0.0f;
        }
    }
#pragma GCC unroll 32
    for (int i = 0; i < ROWS; ++i)
#pragma GCC unroll 8
        for (int j = 0; j < NVE; ++j) {
            float* p = buf + i * NCOL + j * VL;
            store(p, beta == 0.0f ? alpha * acc[i][j] : epilogue(acc[i][j], load<vf>(p), alpha, beta));
        }
    for (int i = 0; i < ROWS; ++i)
        for (int j = 0; j < n; ++j) c[i * rs_c + j * cs_c] = buf[i * NCOL + j];
}

using MicroFn = void (*)(int, const float*, idx, const float*, idx, float*, idx, idx, int, float, float);

// kMicro.f[rows][vectors] -> micro_kernel<rows, vectors>, built at compile time.
struct MicroTable {
    MicroFn f[MR + 1][NV + 1];
};
template <int R, int V>
constexpr void fill_cols(MicroTable& t) {
    if constexpr (V > 0) {
        t.f[R][V] = &micro_kernel<R, V>;
        fill_cols<R, V - 1>(t);
    }
}
template <int R>
constexpr void fill_rows(MicroTable& t) {
    if constexpr (R > 0) {
        fill_cols<R, NV>(t);
        fill_rows<R - 1>(t);
    }
}
constexpr MicroTable make_micro_table() {
    MicroTable t{};
    fill_rows<MR>(t);
    return t;
}
constexpr MicroTable kMicro = make_micro_table();

// ------------------------------------------------------------ macro-kernel --

// Loops over the micro-tiles of one block. Column strips outer, so one B strip
// (kc x NR) stays in L1 while the A strips stream from L2.
static void macro(int mc, int nc, int kc, const float* a, idx a_ss, idx a_ks, const float* b, idx b_ss,
                  idx b_ks, float* c, idx rs_c, idx cs_c, float alpha, float beta) {
    for (int j = 0, sj = 0; j < nc; j += NR, ++sj) {
        const int n = min_int(NR, nc - j);
        const int nve = (n + VL - 1) / VL;
        for (int i = 0, si = 0; i < mc; i += MR, ++si) {
            const int m = min_int(MR, mc - i);
            kMicro.f[m][nve](kc, a + si * a_ss, a_ks, b + sj * b_ss, b_ks, c + i * rs_c + j * cs_c, rs_c, cs_c,
                             n, alpha, beta);
        }
    }
}

// ----------------------------------------------------------------- packing --

// Transposes 4 rows x 4 k values (rows contiguous along k) into 4 k-major
// groups of 4: out[k][w] = in[w][k].
static inline void transpose4(const float* s0, const float* s1, const float* s2, const float* s3, float* d,
                              idx d_stride) {
    const v4 r0 = load<v4>(s0), r1 = load<v4>(s1), r2 = load<v4>(s2), r3 = load<v4>(s3);
    const v4 t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5);  // a0 b0 a1 b1
    const v4 t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);  // a2 b2 a3 b3
    const v4 t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5);  // c0 d0 c1 d1
    const v4 t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);  // c2 d2 c3 d3
    store(d + 0 * d_stride, __builtin_shufflevector(t0, t2, 0, 1, 4, 5));  // a0 b0 c0 d0
    store(d + 1 * d_stride, __builtin_shufflevector(t0, t2, 2, 3, 6, 7));
    store(d + 2 * d_stride, __builtin_shufflevector(t1, t3, 0, 1, 4, 5));
    store(d + 3 * d_stride, __builtin_shufflevector(t1, t3, 2, 3, 6, 7));
}

// dst[s][k][w] = x[(s * W + w) * s_r + k * s_k], zero for rows >= len.
template <int W>
static void pack(int len, int kc, const float* __restrict x, idx s_r, idx s_k, float* __restrict dst) {
    for (int r0 = 0; r0 < len; r0 += W, dst += (idx)W * kc) {
        const float* xs = x + r0 * s_r;
        const int w_n = min_int(W, len - r0);
        int w = 0;  // rows [0, w) done
        if (s_r == 1) {
            // The values for one k are contiguous (A transposed, or B not
            // transposed): a copy of W floats per k. W = MR is usually not a
            // multiple of the vector length (14, 6): finish with 4-wide and
            // scalar copies, never touching memory past the W values.
            if (w_n == W) {
                for (int k = 0; k < kc; ++k) {
                    const float* src = xs + k * s_k;
                    float* d = dst + k * W;
                    int v = 0;
#pragma GCC unroll 8
                    for (; v + VL <= W; v += VL) store(d + v, load<vf>(src + v));
#pragma GCC unroll 8
                    for (; v + 4 <= W; v += 4) store(d + v, load<v4>(src + v));
#pragma GCC unroll 4
                    for (; v < W; ++v) d[v] = src[v];
                }
                continue;
            }
        } else if (s_k == 1) {
            // Each row is contiguous along k (A not transposed, or B transposed as
            // in Y = X * W^T): transpose 4 rows x 4 k at a time in registers.
            // k outer, so each step writes 4 whole rows of the strip (full cache
            // lines) while the source rows are read a little further each time.
            const int w4 = w_n / 4 * 4;
            int k = 0;
            for (; k + 4 <= kc; k += 4)
                for (int ww = 0; ww < w4; ww += 4) {
                    const float* s0 = xs + ww * s_r + k;
                    transpose4(s0, s0 + s_r, s0 + 2 * s_r, s0 + 3 * s_r, dst + k * W + ww, W);
                }
            for (; k < kc; ++k)
                for (int ww = 0; ww < w4; ++ww) dst[k * W + ww] = xs[ww * s_r + k];
            w = w4;
        }
        // Whatever is left: rows of a partial strip, or a general strided matrix.
        for (int k = 0; k < kc; ++k)
            for (int ww = w; ww < w_n; ++ww) dst[k * W + ww] = xs[ww * s_r + k * s_k];
        // Zero-pad a partial strip so packed data never holds garbage.
        if (w_n < W)
            for (int k = 0; k < kc; ++k)
                for (int ww = w_n; ww < W; ++ww) dst[k * W + ww] = 0.0f;
    }
}

static void pack_a(int len, int kc, const float* x, idx s_r, idx s_k, float* dst) {
    pack<MR>(len, kc, x, s_r, s_k, dst);
}
static void pack_b(int len, int kc, const float* x, idx s_r, idx s_k, float* dst) {
    pack<NR>(len, kc, x, s_r, s_k, dst);
}

// -------------------------------------------------------------- dot path --

// C = alpha * A * B^T + beta * C with both A (m x K) and B (n x K) rows
// contiguous along k: the Linear forward pass Y = X * W^T. When C is small
// (e.g. 100 x 10 logits over K = 784) the packed path above would spend more
// time transposing both operands into strips than multiplying, so this path
// reads the rows in place and vectorizes along k instead: DR rows of A times DS
// rows of B make DR * DS vector accumulators, each reduced to one element of C
// at the end. Fixed summation order: vector lanes over k in steps of VL, a fixed
// reduction tree, then the k tail.
constexpr int DR = GK_DOT_R;
constexpr int DS = GK_DOT_S;

typedef float v8 __attribute__((vector_size(32)));

static inline float reduce_add(vf v) {
    float t[VL] __attribute__((aligned(64)));
    store(t, v);
    if constexpr (VL >= 16) store(t, load<v8>(t) + load<v8>(t + 8));
    if constexpr (VL >= 8) store(t, load<v4>(t) + load<v4>(t + 4));
    return (t[0] + t[2]) + (t[1] + t[3]);
}

template <int R, int S>
static void dot_tile(int K, const float* __restrict a, idx lda, const float* __restrict b, idx ldb,
                     float* __restrict c, idx rs_c, idx cs_c, float alpha, float beta) {
    vf acc[R][S];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (int s = 0; s < S; ++s) acc[r][s] = vf{};
    int k = 0;
    for (; k + VL <= K; k += VL) {
        vf av[R], bv[S];
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) av[r] = load<vf>(a + r * lda + k);
#pragma GCC unroll 8
        for (int s = 0; s < S; ++s) bv[s] = load<vf>(b + s * ldb + k);
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
            for (int s = 0; s < S; ++s) acc[r][s] += av[r] * bv[s];
    }
    for (int r = 0; r < R; ++r)
        for (int s = 0; s < S; ++s) {
            float sum = reduce_add(acc[r][s]);
            for (int kk = k; kk < K; ++kk) sum += a[r * lda + kk] * b[s * ldb + kk];
            float* p = c + r * rs_c + s * cs_c;
            *p = beta == 0.0f ? alpha * sum : alpha * sum + beta * *p;
        }
}

using DotFn = void (*)(int, const float*, idx, const float*, idx, float*, idx, idx, float, float);

struct DotTable {
    DotFn f[DR + 1][DS + 1];
};
template <int R, int S>
constexpr void fill_dot_cols(DotTable& t) {
    if constexpr (S > 0) {
        t.f[R][S] = &dot_tile<R, S>;
        fill_dot_cols<R, S - 1>(t);
    }
}
template <int R>
constexpr void fill_dot_rows(DotTable& t) {
    if constexpr (R > 0) {
        fill_dot_cols<R, DS>(t);
        fill_dot_rows<R - 1>(t);
    }
}
constexpr DotTable make_dot_table() {
    DotTable t{};
    fill_dot_rows<DR>(t);
    return t;
}
constexpr DotTable kDot = make_dot_table();

// Rows of A outer: the DR rows of A stay in L1 while the rows of B stream past.
static void dot_block(int m, int n, int K, const float* a, idx lda, const float* b, idx ldb, float* c, idx rs_c,
                      idx cs_c, float alpha, float beta) {
    for (int i = 0; i < m; i += DR)
        for (int j = 0; j < n; j += DS)
            kDot.f[min_int(DR, m - i)][min_int(DS, n - j)](K, a + i * lda, lda, b + j * ldb, ldb,
                                                           c + i * rs_c + j * cs_c, rs_c, cs_c, alpha, beta);
}

const GemmKernel kernel = {GK_NAME, MR, NR, VL, GK_KC, GK_MC, GK_NC, pack_a, pack_b, macro, DR, DS, dot_block};

}  // namespace GK_NS
}  // namespace nnplay::cpu::detail
