// row_kernel.h - internal interface between the per-ISA builds of the CPU backend's
// row kernels (row_kernel_<isa>.cpp, one source: row_kernel_impl.h) and their users:
// the byte-to-float conversion of a gathered MNIST row, a vector exp in double precision
// and the cross-entropy built on it: the loops of the tutorial's linear step that the
// compiler cannot vectorise well for the baseline x86-64 target.
//
// Like gemm_kernel.h this header includes nothing: the kernel TUs are compiled with ISA
// flags, and an inline function they instantiate from a shared header could be merged
// by the linker into code that runs on every CPU.
#pragma once

namespace nnplay::cpu::detail {

using row_idx = decltype(static_cast<char*>(nullptr) - static_cast<char*>(nullptr));  // ptrdiff_t

struct RowKernel {
  const char* name;  // "avx512", "avx2", "portable" (the GEMM's names, without "-fma")
  // dst[i] = float(src[i]) * scale: exact in every build (one rounding, the same one).
  void (*convert_u8)(const unsigned char* src, float* dst, row_idx n, float scale);
  // y[i] = e^x[i] in double precision, within about 1 ulp of the correctly rounded value.
  // The same bits in every build: compiled without FMA contraction, element by element
  // the same operations. Inputs below −700 give e^−700 (the only caller adds them to a
  // sum of at least 1 or rounds them to a float, where both are 0); NaN stays NaN.
  void (*exp_f64)(const double* x, double* y, row_idx n);
  // The mean cross-entropy of logits z (n × c, n ≥ 1) against labels (all in [0, c)), in
  // double, and when dz is not null its gradient; scratch holds 2·n·c + n doubles.
  double (*cross_entropy)(const float* z, const int* labels, float* dz, row_idx n, row_idx c, double* scratch);
};

// Each returns nullptr if its TU was not compiled for that ISA.
const RowKernel* row_kernel_avx512();
const RowKernel* row_kernel_avx2();
const RowKernel* row_kernel_portable();

}  // namespace nnplay::cpu::detail
