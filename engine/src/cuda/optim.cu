// Optimizer updates over the flat parameter buffer: one kernel launch for all
// parameters, PyTorch's SGD and Adam formulas (as in engine/src/cpu/kernels.cpp).
// An update does nothing while a step log is halted (a loss was not finite), and in a
// replayed recording reads its step number's shift from the device (Backend::replay).
#include <cmath>

#include "cuda/cuda_check.h"
#include "cuda/kernels.cuh"

namespace nnplay::cuda {

namespace {
constexpr int kBlock = 256;
int blocks_for(int64_t n) { return int(NNPLAY_CEIL_DIV(n, int64_t(kBlock))); }

__device__ bool halted(const StepNumber& t) { return t.halt && *t.halt != 0; }
__device__ long step_of(const StepNumber& t) { return t.step + (t.step_shift ? *t.step_shift : 0L); }

__global__ void sgd_kernel(SgdParams p, StepNumber t, float* w, const float* g, float* buf, int64_t n) {
  int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= n || halted(t)) return;
  float gi = g[i] + p.weight_decay * w[i];
  if (p.momentum != 0.0f) {
    buf[i] = step_of(t) == 1 ? gi : p.momentum * buf[i] + gi;
    gi = buf[i];
  }
  w[i] -= p.lr * gi;
}

// step_size = lr / (1 - beta1^t) and bc2_sqrt = sqrt(1 - beta2^t) come from the host
// (the CPU reference's float operations) unless the step number is only known on the
// device, where they are computed the same way in each thread.
__global__ void adam_kernel(AdamParams p, StepNumber t, float step_size, float bc2_sqrt, float* w, const float* g,
                            float* m, float* v, int64_t n) {
  int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= n || halted(t)) return;
  if (t.step_shift) {
    const float step = float(step_of(t));
    step_size = p.lr / (1.0f - powf(p.beta1, step));
    bc2_sqrt = sqrtf(1.0f - powf(p.beta2, step));
  }
  float gi = g[i] + p.weight_decay * w[i];
  m[i] = p.beta1 * m[i] + (1.0f - p.beta1) * gi;
  v[i] = p.beta2 * v[i] + (1.0f - p.beta2) * gi * gi;
  w[i] -= step_size * m[i] / (sqrtf(v[i]) / bc2_sqrt + p.eps);
}
}  // namespace

void sgd_update(const SgdParams& p, StepNumber t, float* params, const float* grads, float* buf, int64_t n,
                cudaStream_t s) {
  if (n <= 0) return;
  sgd_kernel<<<blocks_for(n), kBlock, 0, s>>>(p, t, params, grads, buf, n);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

void adam_update(const AdamParams& p, StepNumber t, float* params, const float* grads, float* m, float* v, int64_t n,
                 cudaStream_t s) {
  if (n <= 0) return;
  const float bc1 = 1.0f - std::pow(p.beta1, static_cast<float>(t.step));
  const float bc2 = 1.0f - std::pow(p.beta2, static_cast<float>(t.step));
  adam_kernel<<<blocks_for(n), kBlock, 0, s>>>(p, t, p.lr / bc1, std::sqrt(bc2), params, grads, m, v, n);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

}  // namespace nnplay::cuda
