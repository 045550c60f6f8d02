// row_kernel_avx2.cpp - AVX2 build of the row kernels (row_kernel_impl.h): 32-byte
// vectors. cpu_kernels.cmake compiles this file alone with -mavx2 and no FMA contraction;
// row_kernels.cpp only calls it after __builtin_cpu_supports.
#include "cpu/row_kernel.h"

#if defined(__AVX2__) && !defined(__EMSCRIPTEN__)

#define RK_NS avx2
#define RK_NAME "avx2"
#define RK_VEC_BYTES 32
#include "cpu/row_kernel_impl.h"

const nnplay::cpu::detail::RowKernel* nnplay::cpu::detail::row_kernel_avx2() { return &avx2::kernel; }

#else

const nnplay::cpu::detail::RowKernel* nnplay::cpu::detail::row_kernel_avx2() { return nullptr; }

#endif
