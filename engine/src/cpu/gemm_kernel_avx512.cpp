// gemm_kernel_avx512.cpp - AVX-512 build of the generic GEMM kernel
// (gemm_kernel_impl.h). cpu_kernels.cmake compiles this file alone with
// -mavx512f -mfma; gemm_fast.cpp only calls it after __builtin_cpu_supports.
//
// Tile 14 x 32: 28 zmm accumulators + 2 for the B row + 1 broadcast of A = 31
// of the 32 registers. Per k step: 2 vector loads, 14 broadcasts, 28 FMAs, so
// the FMA units, not the loads, set the pace.
// KC = 256: one B strip (256 x 32 floats = 32 KB) stays in L1 while the A strips
// stream past. MC = 14 * 14 rows: the packed A block (196 x 256 x 4 B = 200 KB)
// sits in L2.
// Dot path 4 x 5: 20 accumulators + 9 operand vectors; 5 divides the 10 outputs
// of the MNIST / MLP heads.
#include "cpu/gemm_kernel.h"

#if defined(__AVX512F__) && defined(__FMA__) && !defined(__EMSCRIPTEN__)

#define GK_NS avx512
#define GK_NAME "avx512"
#define GK_VEC_BYTES 64
#define GK_MR 14
#define GK_NR 32
#define GK_KC 256
#define GK_MC (GK_MR * 14)
#define GK_NC (GK_NR * 64)
#define GK_DOT_R 4
#define GK_DOT_S 5
#include "cpu/gemm_kernel_impl.h"

const nnplay::cpu::detail::GemmKernel* nnplay::cpu::detail::gemm_kernel_avx512() { return &avx512::kernel; }

#else

const nnplay::cpu::detail::GemmKernel* nnplay::cpu::detail::gemm_kernel_avx512() { return nullptr; }

#endif
