// row_kernel_portable.cpp - the row kernels (row_kernel_impl.h) with the target's default
// flags: SSE2 on x86-64, NEON on AArch64, SIMD128 in the page's WebAssembly build (16-byte
// vectors; without SIMD the compiler splits them into scalars, with the same results).
#include "cpu/row_kernel.h"

#define RK_NS portable
#define RK_NAME "portable"
#define RK_VEC_BYTES 16
#include "cpu/row_kernel_impl.h"

const nnplay::cpu::detail::RowKernel* nnplay::cpu::detail::row_kernel_portable() { return &portable::kernel; }
