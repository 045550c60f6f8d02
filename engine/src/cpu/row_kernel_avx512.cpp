// row_kernel_avx512.cpp - AVX-512 build of the row kernels (row_kernel_impl.h): 64-byte
// vectors. cpu_kernels.cmake compiles this file alone with -mavx512f and no FMA
// contraction; row_kernels.cpp only calls it after __builtin_cpu_supports.
#include "cpu/row_kernel.h"

#if defined(__AVX512F__) && !defined(__EMSCRIPTEN__)

#define RK_NS avx512
#define RK_NAME "avx512"
#define RK_VEC_BYTES 64
#include "cpu/row_kernel_impl.h"

const nnplay::cpu::detail::RowKernel* nnplay::cpu::detail::row_kernel_avx512() { return &avx512::kernel; }

#else

const nnplay::cpu::detail::RowKernel* nnplay::cpu::detail::row_kernel_avx512() { return nullptr; }

#endif
