// CUDA convolution (im2col + cuBLAS SGEMM, the CPU fast kernel's layout), max pooling
// and the dropout product (see conv.cuh). Every kernel writes each output from one
// thread in a fixed order, without atomics, so results do not vary from run to run.
#include <algorithm>

#include "cuda/conv.cuh"
#include "cuda/cuda_check.h"

namespace nnplay::cuda {

namespace {

constexpr int kBlock = 256;
// Floats of scratch a chunk of images may use (256 MB): a training batch is one chunk,
// and a GPU has the memory; the bound only matters for very large evaluation batches.
constexpr int64_t kScratchBudget = int64_t(1) << 26;

int blocks_for(int64_t n) {
  const int64_t b = NNPLAY_CEIL_DIV(n, int64_t(kBlock));
  return int(b < 65535 ? (b > 0 ? b : 1) : 65535);  // grid-stride loops cover the rest
}

#define GRID_STRIDE(i, n) \
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < (n); i += int64_t(blockDim.x) * gridDim.x)

struct Layout {
  int64_t K, P, nb;  // kernel taps, output positions per image, images per chunk
};

Layout layout(const Conv2dGeometry& g, int64_t n) {
  Layout l;
  l.K = g.in_c * g.kh * g.kw;
  l.P = g.out_h() * g.out_w();
  l.nb = std::max<int64_t>(1, std::min<int64_t>(n, kScratchBudget / ((2 * l.K + g.out_c) * l.P)));
  return l;
}

// cols[k, img·P + p] = x under tap k of output position p (0 in the padding).
// (The geometry's out_h()/out_w() are host functions: the kernels take them as arguments.)
static __global__ void im2col_kernel(Conv2dGeometry g, int64_t ow, int64_t K, int64_t P, int64_t nb, const float* x,
                                     float* cols) {
  const int64_t ld = nb * P;
  GRID_STRIDE(idx, K * ld) {
    const int64_t k = idx / ld, q = idx % ld, img = q / P, p = q % P;
    const int64_t ci = k / (g.kh * g.kw), i = (k / g.kw) % g.kh, j = k % g.kw;
    const int64_t ih = (p / ow) * g.stride - g.padding + i, iw = (p % ow) * g.stride - g.padding + j;
    const bool inside = ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w;
    cols[idx] = inside ? x[((img * g.in_c + ci) * g.in_h + ih) * g.in_w + iw] : 0.0f;
  }
}

// y[img, o, p] = out[o, img·P + p] + b[o]: the product's layout back to NCHW.
static __global__ void cols_to_nchw_kernel(int64_t out_c, int64_t P, int64_t nb, const float* out, const float* b,
                                           float* y) {
  const int64_t ld = nb * P;
  GRID_STRIDE(idx, out_c * ld) {
    const int64_t img = idx / (out_c * P), o = (idx / P) % out_c, p = idx % P;
    y[idx] = out[o * ld + img * P + p] + (b ? b[o] : 0.0f);
  }
}

// dout[o, img·P + p] = dy[img, o, p]: NCHW to the product's layout.
static __global__ void nchw_to_cols_kernel(int64_t out_c, int64_t P, int64_t nb, const float* dy, float* dout) {
  const int64_t ld = nb * P;
  GRID_STRIDE(idx, out_c * ld) {
    const int64_t img = idx / (out_c * P), o = (idx / P) % out_c, p = idx % P;
    dout[o * ld + img * P + p] = dy[idx];
  }
}

// db[o] += Σ row o of m [rows, cols]: one block per row, a fixed-shape tree in shared memory.
static __global__ void sum_rows_kernel(const float* m, int64_t cols, float* db) {
  __shared__ float part[kBlock];
  const float* row = m + blockIdx.x * cols;
  float s = 0.0f;
  for (int64_t k = threadIdx.x; k < cols; k += kBlock) s += row[k];
  part[threadIdx.x] = s;
  __syncthreads();
  for (int half = kBlock / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) part[threadIdx.x] += part[threadIdx.x + half];
    __syncthreads();
  }
  if (threadIdx.x == 0) db[blockIdx.x] += part[0];
}

// dx[img, ci, ih, iw] = Σ of dcols over the taps and positions that read it (col2im,
// gathered per input element instead of scattered, so no two threads write one place).
static __global__ void col2im_kernel(Conv2dGeometry g, int64_t oh, int64_t ow, int64_t nb, const float* dcols,
                                     float* dx) {
  const int64_t P = oh * ow, ld = nb * P;
  GRID_STRIDE(idx, nb * g.in_c * g.in_h * g.in_w) {
    const int64_t iw = idx % g.in_w, ih = (idx / g.in_w) % g.in_h, ci = (idx / (g.in_w * g.in_h)) % g.in_c,
                  img = idx / (g.in_w * g.in_h * g.in_c);
    float acc = 0.0f;
    for (int64_t i = 0; i < g.kh; ++i)
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t rs = ih + g.padding - i, cs = iw + g.padding - j;
        if (rs < 0 || cs < 0 || rs % g.stride != 0 || cs % g.stride != 0) continue;
        const int64_t r = rs / g.stride, c = cs / g.stride;
        if (r >= oh || c >= ow) continue;
        acc += dcols[((ci * g.kh + i) * g.kw + j) * ld + img * P + r * ow + c];
      }
    dx[idx] = acc;
  }
}

// The CPU's window rule (engine/src/cpu/pool.cpp): the first maximum wins ties, a NaN wins.
__device__ int64_t window_argmax(const Pool2dGeometry& g, const float* plane, int64_t r, int64_t c) {
  int64_t best = (r * g.stride) * g.in_w + c * g.stride;
  for (int64_t i = 0; i < g.k; ++i)
    for (int64_t j = 0; j < g.k; ++j) {
      const int64_t at = (r * g.stride + i) * g.in_w + c * g.stride + j;
      const float v = plane[at], bv = plane[best];
      if (v > bv || (v != v && bv == bv)) best = at;
    }
  return best;
}

static __global__ void maxpool_forward_kernel(Pool2dGeometry g, int64_t oh, int64_t ow, int64_t planes, const float* x,
                                              float* y) {
  GRID_STRIDE(idx, planes * oh * ow) {
    const int64_t plane = idx / (oh * ow), r = (idx / ow) % oh, c = idx % ow;
    const float* src = x + plane * g.in_h * g.in_w;
    y[idx] = src[window_argmax(g, src, r, c)];
  }
}

// One thread per input element: the windows that contain it, in the CPU's order.
static __global__ void maxpool_backward_kernel(Pool2dGeometry g, int64_t oh, int64_t ow, int64_t planes, const float* x,
                                               const float* dy, float* dx) {
  GRID_STRIDE(idx, planes * g.in_h * g.in_w) {
    const int64_t plane = idx / (g.in_h * g.in_w), at = idx % (g.in_h * g.in_w), ih = at / g.in_w, iw = at % g.in_w;
    const float* src = x + plane * g.in_h * g.in_w;
    const float* d = dy + plane * oh * ow;
    // Windows r with r·stride <= ih < r·stride + k.
    const int64_t r0 = ih >= g.k ? (ih - g.k) / g.stride + 1 : 0, r1 = ih / g.stride < oh ? ih / g.stride : oh - 1;
    const int64_t c0 = iw >= g.k ? (iw - g.k) / g.stride + 1 : 0, c1 = iw / g.stride < ow ? iw / g.stride : ow - 1;
    float acc = 0.0f;
    for (int64_t r = r0; r <= r1; ++r)
      for (int64_t c = c0; c <= c1; ++c)
        if (window_argmax(g, src, r, c) == at) acc += d[r * ow + c];
    dx[idx] = acc;
  }
}

static __global__ void multiply_kernel(const float* a, const float* b, float* out, int64_t n) {
  GRID_STRIDE(i, n) out[i] = a[i] * b[i];
}

// Row-major C[M, N] = op(A)·op(B) + beta·C through column-major cuBLAS: Cᵀ = op(B)ᵀ·op(A)ᵀ.
void gemm(const Blas& blas, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
          const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  const float one = 1.0f;
  NNPLAY_CUBLAS_CHECK(blas.api->sgemm(blas.handle, trans_b ? CUBLAS_OP_T : CUBLAS_OP_N,
                                      trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, int(N), int(M), int(K), &one, B, int(ldb),
                                      A, int(lda), &beta, C, int(ldc)));
}

}  // namespace

int64_t conv2d_scratch_floats(const Conv2dGeometry& g, int64_t n) {
  const Layout l = layout(g, n);
  return (2 * l.K + g.out_c) * l.nb * l.P;
}

void conv2d_forward(const Blas& blas, float* scratch, const Conv2dGeometry& g, int64_t n, const float* x,
                    const float* W, const float* b, float* y, cudaStream_t s) {
  const Layout l = layout(g, n);
  float* cols = scratch;
  float* out = cols + l.K * l.nb * l.P;
  const int64_t in_size = g.in_c * g.in_h * g.in_w, out_size = g.out_c * l.P;
  for (int64_t first = 0; first < n; first += l.nb) {
    const int64_t nb = std::min(l.nb, n - first), ld = nb * l.P;
    im2col_kernel<<<blocks_for(l.K * ld), kBlock, 0, s>>>(g, g.out_w(), l.K, l.P, nb, x + first * in_size, cols);
    NNPLAY_CUDA_CHECK_LAUNCH();
    // out [out_c, nb·P] = W [out_c, K] · cols [K, nb·P]
    gemm(blas, false, false, g.out_c, ld, l.K, W, l.K, cols, ld, 0.0f, out, ld);
    cols_to_nchw_kernel<<<blocks_for(g.out_c * ld), kBlock, 0, s>>>(g.out_c, l.P, nb, out, b, y + first * out_size);
    NNPLAY_CUDA_CHECK_LAUNCH();
  }
}

void conv2d_backward(const Blas& blas, float* scratch, const Conv2dGeometry& g, int64_t n, const float* x,
                     const float* W, const float* dy, float* dx, float* dW, float* db, cudaStream_t s) {
  const Layout l = layout(g, n);
  float* cols = scratch;
  float* dout = cols + l.K * l.nb * l.P;
  float* dcols = dout + g.out_c * l.nb * l.P;
  const int64_t in_size = g.in_c * g.in_h * g.in_w, out_size = g.out_c * l.P;
  for (int64_t first = 0; first < n; first += l.nb) {
    const int64_t nb = std::min(l.nb, n - first), ld = nb * l.P;
    nchw_to_cols_kernel<<<blocks_for(g.out_c * ld), kBlock, 0, s>>>(g.out_c, l.P, nb, dy + first * out_size, dout);
    NNPLAY_CUDA_CHECK_LAUNCH();
    if (db) {
      sum_rows_kernel<<<unsigned(g.out_c), kBlock, 0, s>>>(dout, ld, db);
      NNPLAY_CUDA_CHECK_LAUNCH();
    }
    im2col_kernel<<<blocks_for(l.K * ld), kBlock, 0, s>>>(g, g.out_w(), l.K, l.P, nb, x + first * in_size, cols);
    NNPLAY_CUDA_CHECK_LAUNCH();
    // dW [out_c, K] += dout [out_c, nb·P] · colsᵀ
    gemm(blas, false, true, g.out_c, l.K, ld, dout, ld, cols, ld, 1.0f, dW, l.K);
    if (!dx) continue;
    // dcols [K, nb·P] = Wᵀ [K, out_c] · dout
    gemm(blas, true, false, l.K, ld, g.out_c, W, l.K, dout, ld, 0.0f, dcols, ld);
    col2im_kernel<<<blocks_for(nb * in_size), kBlock, 0, s>>>(g, g.out_h(), g.out_w(), nb, dcols, dx + first * in_size);
    NNPLAY_CUDA_CHECK_LAUNCH();
  }
}

void maxpool2d_forward(const Pool2dGeometry& g, int64_t n, const float* x, float* y, cudaStream_t s) {
  const int64_t count = n * g.c * g.out_h() * g.out_w();
  if (count <= 0) return;
  maxpool_forward_kernel<<<blocks_for(count), kBlock, 0, s>>>(g, g.out_h(), g.out_w(), n * g.c, x, y);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

void maxpool2d_backward(const Pool2dGeometry& g, int64_t n, const float* x, const float* dy, float* dx,
                        cudaStream_t s) {
  const int64_t count = n * g.c * g.in_h * g.in_w;
  if (count <= 0) return;
  maxpool_backward_kernel<<<blocks_for(count), kBlock, 0, s>>>(g, g.out_h(), g.out_w(), n * g.c, x, dy, dx);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

void multiply(const float* a, const float* b, float* out, int64_t count, cudaStream_t s) {
  if (count <= 0) return;
  multiply_kernel<<<blocks_for(count), kBlock, 0, s>>>(a, b, out, count);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

}  // namespace nnplay::cuda
