// gemm_kernel_portable.cpp - baseline build of the generic GEMM kernel
// (gemm_kernel_impl.h), compiled with the target's default flags. Always built;
// it is the only variant under Emscripten, where with -msimd128 the 16-byte
// vectors lower to WebAssembly SIMD128 (without it, the compiler scalarizes them).
// On x86-64 this is SSE2, on AArch64 NEON.
//
// Tile 6 x 8 with 4-wide vectors: 12 accumulators + 2 B vectors + 1 broadcast
// fits SSE2's 16 registers. Without FMA (SSE2, SIMD128) each multiply-add needs a
// temporary, hence no larger tile. In WebAssembly the tile is 4 x 8: V8 keeps some
// registers for itself, and 6 x 8 spilled there (measured in node: the MLP's epoch
// 3.4 s with 6 x 8, 2.5 s with 4 x 8; 3 x 8, 5 x 8, 2 x 16, 4 x 12 and 8 x 4 were slower).
// Dot path 2 x 4: 8 accumulators + 6 operand vectors.
#include "cpu/gemm_kernel.h"

#if defined(__wasm_simd128__)
#define GK_NAME "simd128"
#else
#define GK_NAME "portable"
#endif

#define GK_NS portable
#define GK_VEC_BYTES 16
#if defined(__wasm_simd128__)
#define GK_MR 4
#else
#define GK_MR 6
#endif
#define GK_NR 8
#define GK_KC 256
#define GK_MC (GK_MR * 24)
#define GK_NC (GK_NR * 256)
#define GK_DOT_R 2
#define GK_DOT_S 4
#include "cpu/gemm_kernel_impl.h"

const nnplay::cpu::detail::GemmKernel* nnplay::cpu::detail::gemm_kernel_portable() { return &portable::kernel; }
