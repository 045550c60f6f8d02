// The CPU backend's convolution, pooling and dropout kernels on NCHW float arrays, for n
// images at a time.
//
// conv2d_*_ref are the plain reference: the definition written as direct loops, summing in
// double. conv2d_forward/backward are the fast kernels, otherwise identical: im2col (the
// windows laid out as the columns of a matrix) into the project's GEMM, a chunk of images
// per product. Max pooling has one kernel: its direct loop already reads each input once;
// inside it the 2x2, stride 2 window has a branch-free path, otherwise identical.
#pragma once

#include <cstdint>
#include <vector>

#include "nnplay/backend.h"

namespace nnplay::cpu {

class ThreadPool;

// y = conv(x, W) + b (b may be null).
void conv2d_forward_ref(const Conv2dGeometry& g, int64_t n, const float* x, const float* W, const float* b, float* y);
// dW += ∂L/∂W, db += ∂L/∂b (db may be null), dx = ∂L/∂x (dx may be null).
void conv2d_backward_ref(const Conv2dGeometry& g, int64_t n, const float* x, const float* W, const float* dy, float* dx,
                         float* dW, float* db);

// The same through im2col + GEMM. scratch is grown as needed and kept by the caller, so a
// training loop allocates it once.
void conv2d_forward(ThreadPool* pool, std::vector<float>& scratch, const Conv2dGeometry& g, int64_t n, const float* x,
                    const float* W, const float* b, float* y);
void conv2d_backward(ThreadPool* pool, std::vector<float>& scratch, const Conv2dGeometry& g, int64_t n, const float* x,
                     const float* W, const float* dy, float* dx, float* dW, float* db);

// Max pooling; backward writes dx (every element: zero except at each window's first maximum).
void maxpool2d_forward(const Pool2dGeometry& g, int64_t n, const float* x, float* y);
void maxpool2d_backward(const Pool2dGeometry& g, int64_t n, const float* x, const float* dy, float* dx);

// out[i] = a[i] * b[i]: dropout forward (x · mask) and backward (dy · mask).
void multiply(const float* a, const float* b, float* out, int64_t count);

}  // namespace nnplay::cpu
