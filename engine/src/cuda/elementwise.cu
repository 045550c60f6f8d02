// Elementwise CUDA kernels: fill, activations forward/backward (one templated kernel,
// small functors per activation), bias add and the bias gradient (a deterministic
// reduction over the rows), and the fused bias + activation pair (forward and backward).
#include "cuda/cuda_check.h"
#include "cuda/kernels.cuh"

namespace nnplay::cuda {

namespace {

constexpr int kBlock = 256;

int blocks_for(int64_t n) {
  int64_t b = NNPLAY_CEIL_DIV(n, int64_t(kBlock));
  return int(b < 4096 ? (b > 0 ? b : 1) : 4096);  // grid-stride loops cover the rest
}

template <typename F>
__global__ void map_kernel(int64_t n, F f) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(blockDim.x) * gridDim.x) f(i);
}

template <typename F>
void launch_map(int64_t n, cudaStream_t s, F f) {
  if (n <= 0) return;
  map_kernel<<<blocks_for(n), kBlock, 0, s>>>(n, f);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

// The CPU reference's formulas (engine/src/cpu/kernels.cpp), written per element.
__device__ float act_forward(Activation a, float x) {
  switch (a) {
    case Activation::Sigmoid: return 1.0f / (1.0f + expf(-x));
    case Activation::ReLU: return x > 0.0f ? x : 0.0f;
    case Activation::Tanh: return tanhf(x);
    case Activation::Step: return x > 0.0f ? 1.0f : 0.0f;
    case Activation::None: break;
  }
  return x;
}

__device__ float act_backward(Activation a, float x, float y, float dy) {
  switch (a) {
    case Activation::Sigmoid: return dy * y * (1.0f - y);
    case Activation::ReLU: return x > 0.0f ? dy : 0.0f;
    case Activation::Tanh: return dy * (1.0f - y * y);
    case Activation::Step: return 0.0f;
    case Activation::None: break;
  }
  return dy;
}

// The bias gradient db[j] += Σ_i g[i, j], where g is dy (linear_backward) or dy * f'(z),
// written to dz on the way (the fused backward). A block takes kCols adjacent columns,
// one per threadIdx.x, so a warp reads a row's adjacent floats; the kLanes threads of a
// column (threadIdx.y) each sum the rows lane, lane + kLanes, ... in order, and the lanes'
// sums are then added in a fixed tree in shared memory. Which thread adds which element
// depends only on the shape, so db is the same bits on every run.
constexpr int kCols = 32, kLanes = 16;

template <bool kFused>
__global__ void bias_grad_kernel(Activation a, const float* z, const float* y, const float* dy, float* dz, float* db,
                                 int64_t n, int64_t c) {
  __shared__ float lane_sum[kLanes][kCols];
  const int64_t j = blockIdx.x * int64_t(kCols) + threadIdx.x;
  float acc = 0.0f;
  if (j < c) {
    for (int64_t i = threadIdx.y; i < n; i += kLanes) {
      const int64_t k = i * c + j;
      float g = dy[k];
      if constexpr (kFused) {
        g = act_backward(a, z[k], y[k], g);
        dz[k] = g;
      }
      acc += g;
    }
  }
  lane_sum[threadIdx.y][threadIdx.x] = acc;
  __syncthreads();
  for (int half = kLanes / 2; half > 0; half /= 2) {
    if (threadIdx.y < half) lane_sum[threadIdx.y][threadIdx.x] += lane_sum[threadIdx.y + half][threadIdx.x];
    __syncthreads();
  }
  if (threadIdx.y == 0 && j < c) db[j] += lane_sum[0][threadIdx.x];
}

template <bool kFused>
void launch_bias_grad(Activation a, const float* z, const float* y, const float* dy, float* dz, float* db, int64_t n,
                      int64_t c, cudaStream_t s) {
  if (c <= 0) return;
  bias_grad_kernel<kFused>
      <<<unsigned(NNPLAY_CEIL_DIV(c, int64_t(kCols))), dim3(kCols, kLanes), 0, s>>>(a, z, y, dy, dz, db, n, c);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

}  // namespace

void bias_activation_forward(Activation a, float* z, const float* b, float* y, int64_t n, int64_t c, cudaStream_t s) {
  launch_map(n * c, s, [=] __device__(int64_t i) {
    const float v = z[i] + b[i % c];
    z[i] = v;
    y[i] = act_forward(a, v);
  });
}

void activation_bias_backward(Activation a, const float* z, const float* y, const float* dy, float* dz, float* db,
                              int64_t n, int64_t c, cudaStream_t s) {
  launch_bias_grad<true>(a, z, y, dy, dz, db, n, c, s);
}

void fill(float* dst, int64_t n, float value, cudaStream_t s) {
  launch_map(n, s, [=] __device__(int64_t i) { dst[i] = value; });
}

void activation_forward(Activation a, const float* x, float* y, int64_t n, cudaStream_t s) {
  launch_map(n, s, [=] __device__(int64_t i) { y[i] = act_forward(a, x[i]); });
}

void activation_backward(Activation a, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                         cudaStream_t s) {
  launch_map(n, s, [=] __device__(int64_t i) { dx[i] = act_backward(a, x[i], y[i], dy[i]); });
}

void add_bias_rows(float* y, const float* b, int64_t n, int64_t c, cudaStream_t s) {
  launch_map(n * c, s, [=] __device__(int64_t i) { y[i] += b[i % c]; });
}

void sum_rows_into(const float* dy, float* db, int64_t n, int64_t c, cudaStream_t s) {
  launch_bias_grad<false>(Activation::None, nullptr, nullptr, dy, nullptr, db, n, c, s);
}

}  // namespace nnplay::cuda
