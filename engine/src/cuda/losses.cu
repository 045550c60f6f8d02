// Loss kernels: MSE, BCE (clamped like PyTorch), cross-entropy from logits and NLL, each
// writing the mean loss to device memory (no host synchronisation) and the gradient.
// One block reduces in a fixed order, so the result is deterministic; batches here are at
// most a few thousand rows, which one block handles well.
#include "cuda/cuda_check.h"
#include "cuda/kernels.cuh"

namespace nnplay::cuda {

namespace {

constexpr int kBlock = 256;

// Sums each thread's partial in a fixed tree order; thread 0 writes total * scale, and
// halts the step log if that is not finite.
__device__ void block_reduce_write(double partial, double scale, LossOut out) {
  __shared__ double buf[kBlock];
  buf[threadIdx.x] = partial;
  __syncthreads();
  for (int stride = kBlock / 2; stride > 0; stride /= 2) {
    if (threadIdx.x < stride) buf[threadIdx.x] += buf[threadIdx.x + stride];
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    const float value = float(buf[0] * scale);
    *out.value = value;
    if (out.halt && !isfinite(value) && *out.halt == 0) *out.halt = int32_t(out.step + 1);
  }
}

__global__ void mse_kernel(const float* pred, const float* target, float* grad, int64_t n, LossOut loss) {
  double acc = 0.0;
  for (int64_t i = threadIdx.x; i < n; i += kBlock) {
    float d = pred[i] - target[i];
    acc += double(d) * d;
    if (grad) grad[i] = 2.0f * d / float(n);
  }
  block_reduce_write(acc, n ? 1.0 / double(n) : 0.0, loss);
}

__global__ void bce_kernel(const float* prob, const float* target, float* grad, int64_t n, LossOut loss) {
  double acc = 0.0;
  for (int64_t i = threadIdx.x; i < n; i += kBlock) {
    float p = prob[i], t = target[i];
    float log_p = fmaxf(logf(p), -100.0f), log_1mp = fmaxf(logf(1.0f - p), -100.0f);
    acc -= double(t) * log_p + double(1.0f - t) * log_1mp;
    if (grad) grad[i] = (p - t) / fmaxf((1.0f - p) * p, 1e-12f) / float(n);
  }
  block_reduce_write(acc, n ? 1.0 / double(n) : 0.0, loss);
}

__global__ void cross_entropy_kernel(const float* z, const int32_t* labels, float* dz, int n, int c, LossOut loss,
                                     int* bad) {
  double acc = 0.0;
  for (int i = threadIdx.x; i < n; i += kBlock) {
    const float* zi = z + int64_t(i) * c;
    int y = labels[i];
    if (y < 0 || y >= c) {
      atomicCAS(bad, 0, i + 1);
      acc = nan("");  // a step log sees the loss as not finite: the step halts
      continue;
    }
    float m = zi[0];
    for (int j = 1; j < c; ++j) m = fmaxf(m, zi[j]);
    double sum = 0.0;
    for (int j = 0; j < c; ++j) sum += exp(double(zi[j]) - m);
    double lse = m + log(sum);
    acc += lse - zi[y];
    if (dz)
      for (int j = 0; j < c; ++j)
        dz[int64_t(i) * c + j] = float((exp(double(zi[j]) - lse) - (j == y ? 1.0 : 0.0)) / n);
  }
  block_reduce_write(acc, n ? 1.0 / n : 0.0, loss);
}

__global__ void nll_kernel(const float* logp, const int32_t* labels, float* dlogp, int n, int c, LossOut loss,
                           int* bad) {
  double acc = 0.0;
  for (int i = threadIdx.x; i < n; i += kBlock) {
    int y = labels[i];
    if (y < 0 || y >= c) {
      atomicCAS(bad, 0, i + 1);
      acc = nan("");  // a step log sees the loss as not finite: the step halts
      continue;
    }
    acc -= logp[int64_t(i) * c + y];
    if (dlogp)
      for (int j = 0; j < c; ++j) dlogp[int64_t(i) * c + j] = j == y ? -1.0f / float(n) : 0.0f;
  }
  block_reduce_write(acc, n ? 1.0 / n : 0.0, loss);
}

}  // namespace

void mse_forward_backward(const float* pred, const float* target, float* grad, int64_t n, LossOut loss,
                          cudaStream_t s) {
  mse_kernel<<<1, kBlock, 0, s>>>(pred, target, grad, n, loss);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

void bce_forward_backward(const float* prob, const float* target, float* grad, int64_t n, LossOut loss,
                          cudaStream_t s) {
  bce_kernel<<<1, kBlock, 0, s>>>(prob, target, grad, n, loss);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

void cross_entropy_forward_backward(const float* z, const int32_t* labels, float* dz, int n, int c, LossOut loss,
                                    int* bad, cudaStream_t s) {
  cross_entropy_kernel<<<1, kBlock, 0, s>>>(z, labels, dz, n, c, loss, bad);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

void nll_forward_backward(const float* logp, const int32_t* labels, float* dlogp, int n, int c, LossOut loss,
                          int* bad, cudaStream_t s) {
  nll_kernel<<<1, kBlock, 0, s>>>(logp, labels, dlogp, n, c, loss, bad);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

}  // namespace nnplay::cuda
