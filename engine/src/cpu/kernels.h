// The CPU backend's elementwise, loss and optimizer kernels: plain loops over float
// arrays. They are the numerical reference for every other backend, so they stay
// simple: no intrinsics (the compiler vectorises what it can), fixed summation order.
#pragma once

#include <cstdint>

#include "nnplay/backend.h"

namespace nnplay::cpu {

void activation_forward(Activation a, const float* x, float* y, int64_t n);
void activation_backward(Activation a, const float* x, const float* y, const float* dy, float* dx, int64_t n);

// y[i, :] += b for each of n rows of width c.
void add_bias_rows(float* y, const float* b, int64_t n, int64_t c);
// db[j] += Σ_i dy[i, j].
void sum_rows_into(const float* dy, float* db, int64_t n, int64_t c);

// Mean losses; when grad is not null it receives d(mean loss)/d(pred).
float mse_forward_backward(const float* pred, const float* target, float* grad, int64_t n);
float bce_forward_backward(const float* prob, const float* target, float* grad, int64_t n);

void sgd_update(const SgdParams& p, float* params, const float* grads, float* momentum_buf, bool first_step,
                int64_t n);
void adam_update(const AdamParams& p, long step, float* params, const float* grads, float* m, float* v, int64_t n);

}  // namespace nnplay::cpu
