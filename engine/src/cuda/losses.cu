// Loss kernels: MSE, BCE (clamped like PyTorch), cross-entropy from logits and NLL, each
// writing the mean loss to device memory (no host synchronisation) and the gradient.
// A loss is two launches. The first is as wide as the data: a thread per element (MSE,
// BCE) or per row (cross-entropy, NLL), each block adding its threads' losses in a fixed
// tree and writing one partial sum. The second adds the partials in a fixed order. Which
// thread takes which element depends only on the sizes, so the result is the same bits on
// every run. Sums are in double, like the CPU reference's.
#include "cuda/cuda_check.h"
#include "cuda/kernels.cuh"

namespace nnplay::cuda {

namespace {

constexpr int kBlock = 256;

// Enough blocks for one thread per item, at most kLossPartials (grid-stride loops
// cover the rest).
int loss_blocks(int64_t items) {
  const int64_t b = NNPLAY_CEIL_DIV(items, int64_t(kBlock));
  return int(b < 1 ? 1 : (b > kLossPartials ? kLossPartials : b));
}

// std::max(a, b) as the CPU reference uses it, (a < b) ? b : a: a NaN in a is kept.
// fmaxf would return b, so a diverging run would report a finite loss and train on.
__device__ float max_keep_nan(float a, float b) { return a < b ? b : a; }

// Records the first offending row + 1: the smallest row whatever the threads' timing, so
// the error names the same row as the CPU's.
__device__ void mark_bad_row(int* bad, int row) {
  int seen = atomicAdd(bad, 0);
  while (seen == 0 || seen > row + 1) {
    const int prev = atomicCAS(bad, seen, row + 1);
    if (prev == seen) break;
    seen = prev;
  }
}

// The block's threads' values added in a fixed tree; every thread gets the total.
__device__ double block_sum(double v) {
  __shared__ double buf[kBlock];
  buf[threadIdx.x] = v;
  __syncthreads();
  for (int stride = kBlock / 2; stride > 0; stride /= 2) {
    if (threadIdx.x < stride) buf[threadIdx.x] += buf[threadIdx.x + stride];
    __syncthreads();
  }
  return buf[0];
}

__device__ void write_partial(double v, double* partials) {
  const double total = block_sum(v);
  if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

// One block: the partials in a fixed order, then the mean to out, halting the step log
// if it is not finite.
__global__ void finish_kernel(const double* partials, int count, int64_t n, LossOut out) {
  double acc = 0.0;
  for (int i = threadIdx.x; i < count; i += kBlock) acc += partials[i];
  const double total = block_sum(acc);
  if (threadIdx.x == 0) {
    const float value = n ? float(total / double(n)) : 0.0f;
    *out.value = value;
    if (out.halt && !isfinite(value) && *out.halt == 0) *out.halt = int32_t(out.step + 1);
  }
}

// Grid-stride loops: item first(), first() + stride(), ...
__device__ int64_t first() { return blockIdx.x * int64_t(kBlock) + threadIdx.x; }
__device__ int64_t stride() { return int64_t(kBlock) * gridDim.x; }

__global__ void mse_kernel(const float* pred, const float* target, float* grad, int64_t n, double* partials) {
  double acc = 0.0;
  for (int64_t i = first(); i < n; i += stride()) {
    const float d = pred[i] - target[i];
    acc += double(d) * d;
    if (grad) grad[i] = 2.0f * d / float(n);
  }
  write_partial(acc, partials);
}

__global__ void bce_kernel(const float* prob, const float* target, float* grad, int64_t n, double* partials) {
  double acc = 0.0;
  for (int64_t i = first(); i < n; i += stride()) {
    const float p = prob[i], t = target[i];
    const float log_p = max_keep_nan(logf(p), -100.0f), log_1mp = max_keep_nan(logf(1.0f - p), -100.0f);
    acc -= double(t) * log_p + double(1.0f - t) * log_1mp;
    if (grad) grad[i] = (p - t) / max_keep_nan((1.0f - p) * p, 1e-12f) / float(n);
  }
  write_partial(acc, partials);
}

// A thread per row. The row max uses fmaxf like the CPU's std::fmax: a NaN logit still
// makes the row's sum, and so the loss, NaN.
__global__ void cross_entropy_kernel(const float* z, const int32_t* labels, float* dz, int n, int c, int* bad,
                                     double* partials) {
  double acc = 0.0;
  for (int64_t r = first(); r < n; r += stride()) {
    const int i = int(r);
    const float* zi = z + int64_t(i) * c;
    const int y = labels[i];
    if (y < 0 || y >= c) {
      mark_bad_row(bad, i);
      acc = nan("");  // a step log sees the loss as not finite: the step halts
      continue;
    }
    float m = zi[0];
    for (int j = 1; j < c; ++j) m = fmaxf(m, zi[j]);
    double sum = 0.0;
    for (int j = 0; j < c; ++j) sum += exp(double(zi[j]) - m);
    const double lse = m + log(sum);
    acc += lse - zi[y];
    if (dz)
      for (int j = 0; j < c; ++j)
        dz[int64_t(i) * c + j] = float((exp(double(zi[j]) - lse) - (j == y ? 1.0 : 0.0)) * (1.0 / n));
  }
  write_partial(acc, partials);
}

__global__ void nll_kernel(const float* logp, const int32_t* labels, float* dlogp, int n, int c, int* bad,
                           double* partials) {
  double acc = 0.0;
  for (int64_t r = first(); r < n; r += stride()) {
    const int i = int(r);
    const int y = labels[i];
    if (y < 0 || y >= c) {
      mark_bad_row(bad, i);
      acc = nan("");  // a step log sees the loss as not finite: the step halts
      continue;
    }
    acc -= logp[int64_t(i) * c + y];
    if (dlogp)
      for (int j = 0; j < c; ++j) dlogp[int64_t(i) * c + j] = j == y ? -1.0f / float(n) : 0.0f;
  }
  write_partial(acc, partials);
}

void finish(const double* partials, int blocks, int64_t n, LossOut out, cudaStream_t s) {
  finish_kernel<<<1, kBlock, 0, s>>>(partials, blocks, n, out);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

}  // namespace

void mse_forward_backward(const float* pred, const float* target, float* grad, int64_t n, LossOut out, double* partials,
                          cudaStream_t s) {
  const int blocks = loss_blocks(n);
  mse_kernel<<<blocks, kBlock, 0, s>>>(pred, target, grad, n, partials);
  NNPLAY_CUDA_CHECK_LAUNCH();
  finish(partials, blocks, n, out, s);
}

void bce_forward_backward(const float* prob, const float* target, float* grad, int64_t n, LossOut out, double* partials,
                          cudaStream_t s) {
  const int blocks = loss_blocks(n);
  bce_kernel<<<blocks, kBlock, 0, s>>>(prob, target, grad, n, partials);
  NNPLAY_CUDA_CHECK_LAUNCH();
  finish(partials, blocks, n, out, s);
}

void cross_entropy_forward_backward(const float* z, const int32_t* labels, float* dz, int n, int c, LossOut out,
                                    int* bad, double* partials, cudaStream_t s) {
  const int blocks = loss_blocks(n);
  cross_entropy_kernel<<<blocks, kBlock, 0, s>>>(z, labels, dz, n, c, bad, partials);
  NNPLAY_CUDA_CHECK_LAUNCH();
  finish(partials, blocks, n, out, s);
}

void nll_forward_backward(const float* logp, const int32_t* labels, float* dlogp, int n, int c, LossOut out, int* bad,
                          double* partials, cudaStream_t s) {
  const int blocks = loss_blocks(n);
  nll_kernel<<<blocks, kBlock, 0, s>>>(logp, labels, dlogp, n, c, bad, partials);
  NNPLAY_CUDA_CHECK_LAUNCH();
  finish(partials, blocks, n, out, s);
}

}  // namespace nnplay::cuda
