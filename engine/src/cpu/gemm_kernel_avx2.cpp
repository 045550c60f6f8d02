// gemm_kernel_avx2.cpp - AVX2 + FMA build of the generic GEMM kernel
// (gemm_kernel_impl.h). cpu_kernels.cmake compiles this file alone with
// -mavx2 -mfma; gemm_fast.cpp only calls it after __builtin_cpu_supports.
//
// Tile 6 x 16: 12 ymm accumulators + 2 for the B row + 1 broadcast = 15 of the
// 16 registers (the classic Haswell shape). KC = 256: a B strip is 16 KB.
// Dot path 2 x 4: 8 accumulators + 6 operand vectors.
#include "cpu/gemm_kernel.h"

#if defined(__AVX2__) && defined(__FMA__) && !defined(__EMSCRIPTEN__)

#define GK_NS avx2
#define GK_NAME "avx2-fma"
#define GK_VEC_BYTES 32
#define GK_MR 6
#define GK_NR 16
#define GK_KC 256
#define GK_MC (GK_MR * 24)
#define GK_NC (GK_NR * 128)
#define GK_DOT_R 2
#define GK_DOT_S 4
#include "cpu/gemm_kernel_impl.h"

const nnplay::cpu::detail::GemmKernel* nnplay::cpu::detail::gemm_kernel_avx2() { return &avx2::kernel; }

#else

const nnplay::cpu::detail::GemmKernel* nnplay::cpu::detail::gemm_kernel_avx2() { return nullptr; }

#endif
