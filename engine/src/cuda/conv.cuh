// CUDA convolution, max pooling and dropout, with the same names and argument order as
// the CPU kernels in engine/src/cpu/conv.h, plus cuBLAS, device scratch and the stream.
// All pointers are device pointers.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "cuda/cublas_loader.h"
#include "nnplay/backend.h"

namespace nnplay::cuda {

// The cuBLAS the convolutions multiply with: the backend's functions and handle (bound
// to the same stream as the kernels).
struct Blas {
  const CublasApi* api;
  cublasHandle_t handle;
};

// Floats of device scratch conv2d_forward/backward need for n images (the im2col
// columns, the product and, backward, the column gradients of one chunk of images).
int64_t conv2d_scratch_floats(const Conv2dGeometry& g, int64_t n);

// y = conv(x, W) + b (b may be null): im2col, then one SGEMM per chunk of images.
void conv2d_forward(const Blas& blas, float* scratch, const Conv2dGeometry& g, int64_t n, const float* x,
                    const float* W, const float* b, float* y, cudaStream_t s);
// dW += ∂L/∂W, db += ∂L/∂b (db may be null), dx = ∂L/∂x (dx may be null).
void conv2d_backward(const Blas& blas, float* scratch, const Conv2dGeometry& g, int64_t n, const float* x,
                     const float* W, const float* dy, float* dx, float* dW, float* db, cudaStream_t s);

// Max pooling; backward writes every element of dx (the first maximum of each window
// takes its gradient, summed where windows overlap, in the CPU's window order).
void maxpool2d_forward(const Pool2dGeometry& g, int64_t n, const float* x, float* y, cudaStream_t s);
void maxpool2d_backward(const Pool2dGeometry& g, int64_t n, const float* x, const float* dy, float* dx,
                        cudaStream_t s);

// out[i] = a[i] * b[i]: dropout forward (x · mask) and backward (dy · mask).
void multiply(const float* a, const float* b, float* out, int64_t count, cudaStream_t s);

}  // namespace nnplay::cuda
