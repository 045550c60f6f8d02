// gemm_ref.cpp - the naive reference GEMM that tests compare the fast kernels against.
//
// Deliberately the obvious triple loop. The dot products are accumulated in double
// so the reference is more accurate than any float kernel; tests then bound the
// fast kernel's error relative to K.
#include "cpu/gemm.h"

#include <cstddef>

namespace nnplay::cpu {

void gemm_ref(bool trans_a, bool trans_b, int M, int N, int K, float alpha,
              const float* A, int lda, const float* B, int ldb, float beta,
              float* C, int ldc) {
    for (int i = 0; i < M; ++i) {
        for (int j = 0; j < N; ++j) {
            double acc = 0.0;
            if (alpha != 0.0f) {
                for (int k = 0; k < K; ++k) {
                    const float a = trans_a ? A[(std::ptrdiff_t)k * lda + i] : A[(std::ptrdiff_t)i * lda + k];
                    const float b = trans_b ? B[(std::ptrdiff_t)j * ldb + k] : B[(std::ptrdiff_t)k * ldb + j];
                    acc += (double)a * (double)b;
                }
            }
            float& c = C[(std::ptrdiff_t)i * ldc + j];
            const double scaled = (double)alpha * acc;
            // beta == 0: C is write-only (may contain NaN), so it must not be read.
            c = (float)(beta == 0.0f ? scaled : scaled + (double)beta * (double)c);
        }
    }
}

}  // namespace nnplay::cpu
