// Optimizer updates over the flat parameter buffer: one kernel launch for all
// parameters, PyTorch's SGD and Adam formulas (as in engine/src/cpu/kernels.cpp).
#include <cmath>

#include "cuda/cuda_check.h"
#include "cuda/kernels.cuh"

namespace nnplay::cuda {

namespace {
constexpr int kBlock = 256;
int blocks_for(int64_t n) { return int(NNPLAY_CEIL_DIV(n, int64_t(kBlock))); }

__global__ void sgd_kernel(SgdParams p, float* w, const float* g, float* buf, bool first, int64_t n) {
  int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  float gi = g[i] + p.weight_decay * w[i];
  if (p.momentum != 0.0f) {
    buf[i] = first ? gi : p.momentum * buf[i] + gi;
    gi = buf[i];
  }
  w[i] -= p.lr * gi;
}

__global__ void adam_kernel(AdamParams p, float step_size, float bc2_sqrt, float* w, const float* g, float* m, float* v,
                            int64_t n) {
  int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  float gi = g[i] + p.weight_decay * w[i];
  m[i] = p.beta1 * m[i] + (1.0f - p.beta1) * gi;
  v[i] = p.beta2 * v[i] + (1.0f - p.beta2) * gi * gi;
  w[i] -= step_size * m[i] / (sqrtf(v[i]) / bc2_sqrt + p.eps);
}
}  // namespace

void sgd_update(const SgdParams& p, float* params, const float* grads, float* buf, bool first_step, int64_t n,
                cudaStream_t s) {
  if (n <= 0) return;
  sgd_kernel<<<blocks_for(n), kBlock, 0, s>>>(p, params, grads, buf, first_step, n);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

void adam_update(const AdamParams& p, long step, float* params, const float* grads, float* m, float* v, int64_t n,
                 cudaStream_t s) {
  if (n <= 0) return;
  // The bias corrections are the same for every element: computed once on the host,
  // with the same float operations as the CPU reference.
  const float bc1 = 1.0f - std::pow(p.beta1, static_cast<float>(step));
  const float bc2 = 1.0f - std::pow(p.beta2, static_cast<float>(step));
  adam_kernel<<<blocks_for(n), kBlock, 0, s>>>(p, p.lr / bc1, std::sqrt(bc2), params, grads, m, v, n);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

}  // namespace nnplay::cuda
