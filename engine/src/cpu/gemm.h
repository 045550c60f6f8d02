// gemm.h - single-precision matrix multiply for the CPU backend.
//
// Row-major, same semantics as BLAS sgemm:
//   C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C
//   op(A) = A (stored M x K, leading dimension lda) or, with trans_a, A is stored K x M.
//   op(B) = B (stored K x N, leading dimension ldb) or, with trans_b, B is stored N x K.
//   beta == 0 means C is overwritten and never read (it may hold NaN / garbage).
//   alpha == 0 or K == 0 means A and B are not read: C = beta * C.
// Any M, N, K >= 0 is valid; leading dimensions must be >= the stored row length.
//
// The engine's Linear layer uses: forward Y = X * W^T (trans_b), backward
// dX = dY * W (no transpose), dW += dY^T * X (trans_a, beta = 1).
#pragma once

namespace nnplay::cpu {

class ThreadPool;

// Plain triple loop, no intrinsics, accumulates in double: the numerical reference
// for tests. Slow; do not use it on a hot path.
void gemm_ref(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
              const float* A, int lda, const float* B, int ldb, float beta,
              float* C, int ldc);

// Fast path: packed, cache-blocked, SIMD micro-kernel picked at run time for the
// CPU. pool may be nullptr (single thread). The result is bit-identical for any
// thread count: every element of C is computed by one thread in a fixed order.
void gemm(ThreadPool* pool, bool trans_a, bool trans_b, int M, int N, int K, float alpha,
          const float* A, int lda, const float* B, int ldb, float beta,
          float* C, int ldc);

// Name of the micro-kernel gemm() uses: "avx512", "avx2-fma", "simd128" or "portable".
const char* gemm_kernel_name();

// For tests and benchmarks: force a kernel variant by name (see gemm_kernel_name()).
// Returns false, changing nothing, if that variant is not built or the CPU lacks
// it. nullptr or "" goes back to the automatic choice. Not thread-safe with
// respect to gemm() calls running at the same time.
bool gemm_select_kernel(const char* name);

}  // namespace nnplay::cpu
