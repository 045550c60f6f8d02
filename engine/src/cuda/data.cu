// Data kernels: the batch gather (uint8 pixels to float, scaled, from a device-resident
// dataset) and the row-wise argmax used for predictions.
#include "cuda/cuda_check.h"
#include "cuda/kernels.cuh"

namespace nnplay::cuda {

namespace {
__global__ void gather_kernel(const uint8_t* images, const uint8_t* all_labels, int64_t dim, const int32_t* idx,
                              int64_t n, float scale, float* x, int32_t* labels) {
  int64_t row = blockIdx.x;
  if (row >= n) return;
  const uint8_t* src = images + int64_t(idx[row]) * dim;
  float* dst = x + row * dim;
  for (int64_t j = threadIdx.x; j < dim; j += blockDim.x) dst[j] = float(src[j]) * scale;
  if (threadIdx.x == 0) labels[row] = all_labels[idx[row]];
}

__global__ void argmax_kernel(const float* x, int64_t n, int64_t c, int32_t* out) {
  int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  const float* row = x + i * c;
  int64_t best = 0;
  for (int64_t j = 1; j < c; ++j)
    if (row[j] > row[best]) best = j;
  out[i] = int32_t(best);
}
}  // namespace

void gather_batch(const uint8_t* images, const uint8_t* all_labels, int64_t dim, const int32_t* idx, int64_t n,
                  float scale, float* x, int32_t* labels, cudaStream_t s) {
  if (n <= 0) return;
  gather_kernel<<<unsigned(n), 128, 0, s>>>(images, all_labels, dim, idx, n, scale, x, labels);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

void argmax_rows(const float* x, int64_t n, int64_t c, int32_t* out, cudaStream_t s) {
  if (n <= 0) return;
  argmax_kernel<<<unsigned(NNPLAY_CEIL_DIV(n, int64_t(256))), 256, 0, s>>>(x, n, c, out);
  NNPLAY_CUDA_CHECK_LAUNCH();
}

}  // namespace nnplay::cuda
