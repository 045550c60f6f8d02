// gemm_kernel_avx512.cpp - AVX-512 build of the generic GEMM kernel
// (gemm_kernel_impl.h). cpu_kernels.cmake compiles this file alone with
// -mavx512f -mfma; gemm_fast.cpp only calls it after __builtin_cpu_supports.
//
// Tile 14 x 32: 28 zmm accumulators + 2 for the B row = 30 of the 32 registers;
// the A element is a broadcast memory operand of the FMA. Per k step that is 28
// FMAs for 16 loads, enough to keep both FMA pipes busy.
// KC = 256: one B strip (256 x 32 floats = 32 KB) fits L1 next to the A stream.
// MC = 14 * 14 rows: the packed A block (196 x 256 x 4 B = 200 KB) sits in L2.
#include "cpu/gemm_kernel.h"

#if defined(__AVX512F__) && defined(__FMA__) && !defined(__EMSCRIPTEN__)

#define GK_NS avx512
#define GK_NAME "avx512"
#define GK_VEC_BYTES 64
#ifndef GK_AVX512_MR  // overridable (-D) for tile-size experiments
#define GK_AVX512_MR 14
#endif
#ifndef GK_AVX512_NR
#define GK_AVX512_NR 32
#endif
#define GK_MR GK_AVX512_MR
#define GK_NR GK_AVX512_NR
#define GK_KC 256
#define GK_MC (GK_MR * 14)
#define GK_NC (GK_NR * 64)
#ifndef GK_DOT_R
#define GK_DOT_R 4
#endif
#ifndef GK_DOT_S
#define GK_DOT_S 5
#endif
#include "cpu/gemm_kernel_impl.h"

const nnplay::cpu::detail::GemmKernel* nnplay::cpu::detail::gemm_kernel_avx512() { return &avx512::kernel; }

#else

const nnplay::cpu::detail::GemmKernel* nnplay::cpu::detail::gemm_kernel_avx512() { return nullptr; }

#endif
