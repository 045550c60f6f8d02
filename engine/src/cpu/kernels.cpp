// Reference CPU kernels: activations, bias, MSE/BCE, SGD and Adam (PyTorch's formulas).
#include "cpu/kernels.h"

#include <algorithm>
#include <cmath>

namespace nnplay::cpu {

void activation_forward(Activation a, const float* x, float* y, int64_t n) {
  switch (a) {
    case Activation::None:
      std::copy(x, x + n, y);
      break;
    case Activation::Sigmoid:
      // 1/(1+exp(−x)): for very negative x, exp overflows to inf and y is exactly 0.
      for (int64_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + std::exp(-x[i]));
      break;
    case Activation::ReLU:
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
      break;
    case Activation::Tanh:
      for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
      break;
    case Activation::Step:
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? 1.0f : 0.0f;
      break;
  }
}

void activation_backward(Activation a, const float* x, const float* y, const float* dy, float* dx, int64_t n) {
  switch (a) {
    case Activation::None:
      std::copy(dy, dy + n, dx);
      break;
    case Activation::Sigmoid:
      for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
      break;
    case Activation::ReLU:
      // PyTorch's convention: the gradient at exactly 0 is 0. dy[i] is read whatever the
      // sign, so the compiler can turn the choice into a vector select.
      for (int64_t i = 0; i < n; ++i) {
        const float g = dy[i];
        dx[i] = x[i] > 0.0f ? g : 0.0f;
      }
      break;
    case Activation::Tanh:
      for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
      break;
    case Activation::Step:
      // Heaviside's derivative is 0 wherever it exists: nothing flows back.
      std::fill(dx, dx + n, 0.0f);
      break;
  }
}

void add_bias_rows(float* y, const float* b, int64_t n, int64_t c) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < c; ++j) y[i * c + j] += b[j];
}

void sum_rows_into(const float* dy, float* db, int64_t n, int64_t c) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < c; ++j) db[j] += dy[i * c + j];
}

float mse_forward_backward(const float* pred, const float* target, float* grad, int64_t n) {
  if (n == 0) return 0.0f;
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    float d = pred[i] - target[i];
    sum += double(d) * d;
    if (grad) grad[i] = 2.0f * d / static_cast<float>(n);
  }
  return static_cast<float>(sum / double(n));
}

// torch.nn.BCELoss: −(t·log p + (1−t)·log(1−p)) with each log clamped at −100, so p = 0
// or 1 gives a large finite loss instead of inf; the gradient divides by
// max(p(1−p), 1e-12) for the same reason (PyTorch's binary_cross_entropy_backward).
float bce_forward_backward(const float* prob, const float* target, float* grad, int64_t n) {
  if (n == 0) return 0.0f;
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    float p = prob[i], t = target[i];
    float log_p = std::max(std::log(p), -100.0f);
    float log_1mp = std::max(std::log(1.0f - p), -100.0f);
    sum -= double(t) * log_p + double(1.0f - t) * log_1mp;
    if (grad) grad[i] = (p - t) / std::max((1.0f - p) * p, 1e-12f) / static_cast<float>(n);
  }
  return static_cast<float>(sum / double(n));
}

// torch.optim.SGD (dampening 0, no Nesterov): g += wd·p; buf = g on the first step,
// else momentum·buf + g; p −= lr·buf.
void sgd_update(const SgdParams& p, float* params, const float* grads, float* buf, bool first_step, int64_t n) {
  if (p.momentum == 0.0f) {
    for (int64_t i = 0; i < n; ++i) params[i] -= p.lr * (grads[i] + p.weight_decay * params[i]);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    float g = grads[i] + p.weight_decay * params[i];
    buf[i] = first_step ? g : p.momentum * buf[i] + g;
    params[i] -= p.lr * buf[i];
  }
}

// torch.optim.Adam (amsgrad off): bias-corrected moments, eps added after the sqrt.
void adam_update(const AdamParams& p, long step, float* params, const float* grads, float* m, float* v, int64_t n) {
  // The hyper-parameters are copied to locals so the compiler knows the stores below
  // cannot change them, and the loop vectorises (element by element the same operations,
  // so the same bits as a scalar loop).
  const float beta1 = p.beta1, beta2 = p.beta2, eps = p.eps, weight_decay = p.weight_decay;
  const float bc1 = 1.0f - std::pow(beta1, static_cast<float>(step));
  const float bc2 = 1.0f - std::pow(beta2, static_cast<float>(step));
  const float step_size = p.lr / bc1;
  const float bc2_sqrt = std::sqrt(bc2);
  for (int64_t i = 0; i < n; ++i) {
    const float g = grads[i] + weight_decay * params[i];
    const float mi = beta1 * m[i] + (1.0f - beta1) * g;
    const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const float denom = std::sqrt(vi) / bc2_sqrt + eps;
    params[i] -= step_size * mi / denom;
  }
}

}  // namespace nnplay::cpu
