// Optimizer updates over the flat parameter buffer: one kernel launch for all
// parameters (in a recording, Adam's adds a one-thread launch for its bias corrections),
// PyTorch's SGD and Adam formulas (as in engine/src/cpu/kernels.cpp).
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

// The bias corrections of a step number known only on the device (a replayed
// recording), computed once per step by one thread rather than in every thread of the
// update: corrections[0] = lr / (1 - beta1^t), corrections[1] = sqrt(1 - beta2^t). The
// powers are taken in double and rounded to float, which matches the host's float
// std::pow to the last bit in all but rare cases (the device's powf can differ in its
// last bits); the rest is the CPU's float arithmetic.
__global__ void adam_corrections_kernel(AdamParams p, StepNumber t, float* corrections) {
  const double step = double(float(step_of(t)));  // the CPU's float step number
  const float bc1 = 1.0f - float(pow(double(p.beta1), step));
  const float bc2 = 1.0f - float(pow(double(p.beta2), step));
  corrections[0] = p.lr / bc1;
  corrections[1] = sqrtf(bc2);
}

// step_size and bc2_sqrt come from the host (the CPU reference's float operations)
// unless corrections is not null: then from there, written by adam_corrections_kernel.
__global__ void adam_kernel(AdamParams p, StepNumber t, float step_size, float bc2_sqrt, const float* corrections,
                            float* w, const float* g, float* m, float* v, int64_t n) {
  int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= n || halted(t)) return;
  if (corrections) {
    step_size = corrections[0];
    bc2_sqrt = corrections[1];
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
                 float* corrections, cudaStream_t s) {
  if (n <= 0) return;
  const float* device_corrections = nullptr;
  if (t.step_shift) {
    adam_corrections_kernel<<<1, 1, 0, s>>>(p, t, corrections);
    NNPLAY_CUDA_CHECK_LAUNCH();
    device_corrections = corrections;
  }
  const float bc1 = 1.0f - std::pow(p.beta1, static_cast<float>(t.step));
  const float bc2 = 1.0f - std::pow(p.beta2, static_cast<float>(t.step));
  adam_kernel<<<blocks_for(n), kBlock, 0, s>>>(p, t, p.lr / bc1, std::sqrt(bc2), device_corrections, params, grads, m,
                                               v, n);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

}  // namespace nnplay::cuda
