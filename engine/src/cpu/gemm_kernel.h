// gemm_kernel.h - internal interface between the GEMM driver (gemm_fast.cpp) and
// the per-ISA builds of the micro-kernel (gemm_kernel_<isa>.cpp).
//
// Everything that depends on the register tile (MR x NR) or the vector width
// lives behind this table: packing, the micro-kernel and the loop over micro-tiles.
// The driver only does blocking, threading and run-time dispatch.
//
// This header includes nothing on purpose: kernel TUs are compiled with ISA flags
// (-mavx512f ...), and any inline function they instantiate from a shared header
// could be merged by the linker into code that runs on every CPU.
#pragma once

namespace nnplay::cpu::detail {

using gemm_idx = decltype(static_cast<char*>(nullptr) - static_cast<char*>(nullptr));  // ptrdiff_t

struct GemmKernel {
    const char* name;  // "avx512", "avx2-fma", "simd128", "portable"
    int mr, nr;        // register tile of C computed by one micro-kernel call
    int vl;            // floats per vector (nr is a multiple)
    int kc, mc, nc;    // cache blocking: max K chunk, rows of A per packed block, columns of B per packed panel

    // Packs rows [0, len) x [0, kc) of a strided matrix (element (r, k) at
    // x[r * s_r + k * s_k]) into consecutive strips of W rows (W = mr for pack_a,
    // nr for pack_b), k-major inside a strip: dst[strip][k][w]. A partial last
    // strip is zero-padded to W. Used for op(A) (rows = i) and op(B)^T (rows = j).
    void (*pack_a)(int len, int kc, const float* x, gemm_idx s_r, gemm_idx s_k, float* dst);
    void (*pack_b)(int len, int kc, const float* x, gemm_idx s_r, gemm_idx s_k, float* dst);

    // C block (mc x nc, element (i, j) at c[i * rs_c + j * cs_c]) =
    //   alpha * op(A) * op(B) + beta * C, where beta == 0 means C is not read.
    // A is read as MR-row strips: strip t starts at a + t * a_ss and element
    // (i, k) of a strip is at [k * a_ks + i]; B likewise as NR-column strips
    // (b_ss, b_ks). Packed data has a_ks = mr, a_ss = mr * kc (resp. nr); an
    // unpacked matrix that already has unit stride along i (resp. j) can be
    // passed directly with a_ss = mr, a_ks = its leading dimension. Edge tiles
    // read only their valid rows, and only ceil(cols / vector length) vectors
    // of a B row, so unpacked B needs nc to be a multiple of the vector length.
    void (*macro)(int mc, int nc, int kc, const float* a, gemm_idx a_ss, gemm_idx a_ks,
                  const float* b, gemm_idx b_ss, gemm_idx b_ks,
                  float* c, gemm_idx rs_c, gemm_idx cs_c, float alpha, float beta);

    // Dot-product path for C = alpha * A * B^T + beta * C with A (m x K, row
    // stride lda) and B (n x K, row stride ldb) both contiguous along k; no
    // packing, vectorized along k, dot_r x dot_s elements of C per register tile.
    int dot_r, dot_s;
    void (*dot_block)(int m, int n, int K, const float* a, gemm_idx lda, const float* b, gemm_idx ldb,
                      float* c, gemm_idx rs_c, gemm_idx cs_c, float alpha, float beta);
};

// Each returns nullptr if its TU was not compiled for that ISA.
const GemmKernel* gemm_kernel_avx512();
const GemmKernel* gemm_kernel_avx2();
const GemmKernel* gemm_kernel_portable();

}  // namespace nnplay::cpu::detail
