// CUDA kernels of the engine's ops, one entry point per op with the same name and
// argument order as the CPU reference in engine/src/cpu/kernels.h, plus the stream and,
// where a kernel needs it, device scratch that the backend owns. All pointers are device
// pointers.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "nnplay/backend.h"

namespace nnplay::cuda {

void fill(float* dst, int64_t n, float value, cudaStream_t s);
void activation_forward(Activation a, const float* x, float* y, int64_t n, cudaStream_t s);
void activation_backward(Activation a, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                         cudaStream_t s);
void add_bias_rows(float* y, const float* b, int64_t n, int64_t c, cudaStream_t s);
void sum_rows_into(const float* dy, float* db, int64_t n, int64_t c, cudaStream_t s);
// Fused: z += b (rows) and y = f(z) in one pass; dz = dy * f'(z) and db += Σ_rows dz in one.
void bias_activation_forward(Activation a, float* z, const float* b, float* y, int64_t n, int64_t c, cudaStream_t s);
void activation_bias_backward(Activation a, const float* z, const float* y, const float* dy, float* dz, float* db,
                              int64_t n, int64_t c, cudaStream_t s);

// Where a loss goes: the mean loss to *value (device); if halt is not null (a StepLog's),
// a loss that is not finite sets *halt = step + 1 unless it is set already.
struct LossOut {
  float* value;
  int32_t* halt = nullptr;
  int64_t step = 0;
};

// The most blocks a loss kernel spreads over, and so the number of doubles of the device
// scratch (partials) each loss needs for its per-block sums.
constexpr int kLossPartials = 1024;

// Losses write the mean loss to out and the gradient to grad (if not null). Invalid
// labels set *bad_label_dev to the first offending row + 1.
void mse_forward_backward(const float* pred, const float* target, float* grad, int64_t n, LossOut out, double* partials,
                          cudaStream_t s);
void bce_forward_backward(const float* prob, const float* target, float* grad, int64_t n, LossOut out, double* partials,
                          cudaStream_t s);
void cross_entropy_forward_backward(const float* z, const int32_t* labels, float* dz, int n, int c, LossOut out,
                                    int* bad_label_dev, double* partials, cudaStream_t s);
void nll_forward_backward(const float* logp, const int32_t* labels, float* dlogp, int n, int c, LossOut out,
                          int* bad_label_dev, double* partials, cudaStream_t s);

// The optimizer updates. step numbers the update from 1; if step_shift is not null, the
// update's number is step + *step_shift, read on the device (a replayed recording, see
// Backend::replay). halt (a StepLog's, or null): while *halt != 0 nothing changes.
struct StepNumber {
  long step;
  const long* step_shift = nullptr;
  const int32_t* halt = nullptr;
};
void sgd_update(const SgdParams& p, StepNumber t, float* params, const float* grads, float* momentum_buf, int64_t n,
                cudaStream_t s);
// Adam's corrections: two floats of device scratch where the bias corrections of a step
// number known only on the device are computed, once per step, before the update.
void adam_update(const AdamParams& p, StepNumber t, float* params, const float* grads, float* m, float* v, int64_t n,
                 float* corrections, cudaStream_t s);

// x[i, :] = images[idx[i], :] * scale; labels[i] = all_labels[idx[i]] (idx on the device).
void gather_batch(const uint8_t* images, const uint8_t* all_labels, int64_t dim, const int32_t* idx, int64_t n,
                  float scale, float* x, int32_t* labels, cudaStream_t s);
void argmax_rows(const float* x, int64_t n, int64_t c, int32_t* out, cudaStream_t s);

}  // namespace nnplay::cuda
