// row_kernels.h - the CPU backend's vectorised row loops (row_kernel.h has the per-ISA
// builds): the byte-to-float conversion of a batch's images and a double-precision exp,
// with the cross-entropy built on it. The variant follows the CPU, like the GEMM's.
#pragma once

#include <cstdint>

namespace nnplay::cpu {

// dst[i] = float(src[i]) * scale for i < n.
void convert_u8_to_float(const uint8_t* src, float* dst, int64_t n, float scale);
// y[i] = e^x[i] (double), within about 1 ulp; the same bits in every variant.
void exp_f64(const double* x, double* y, int64_t n);

// Name of the variant in use: "avx512", "avx2" or "portable".
const char* row_kernel_name();
// For tests and benchmarks: force a variant by name; false, changing nothing, if it is
// not built or the CPU lacks it. nullptr or "" goes back to the automatic choice.
bool row_select_kernel(const char* name);

// The cross-entropy of logits z (n × c) against labels, and when dz is not null its
// gradient (softmax − one_hot) / n: the reference's formulas and summation order
// (cross_entropy_forward_backward in softmax.h), with its two exp per logit taken by
// exp_f64 over the whole batch at once. Its floats equal the reference's but where a
// double lands within an ulp of a float's rounding boundary (tested).
float cross_entropy_fast(const float* z, const int32_t* labels, float* dz, int n, int c);

}  // namespace nnplay::cpu
