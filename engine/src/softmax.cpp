// Softmax-family reference functions and the five equivalent softmax-regression costs.
// Sums run in double so that the five forms agree to ~1e-7, far inside the 1e-6 the
// tests ask for. cross_entropy_forward_backward is the reference of the CPU backend's fast
// kernel (cross_entropy_fast, cpu/row_kernels.cpp).
#include "nnplay/softmax.h"

#include <cmath>
#include <string>

#include "nnplay/error.h"

namespace nnplay {

void check_labels(const int32_t* labels, int n, int c, const char* op) {
  for (int i = 0; i < n; ++i)
    if (labels[i] < 0 || labels[i] >= c)
      throw Error(std::string(op) + ": label " + std::to_string(labels[i]) + " at row " + std::to_string(i) +
                  " is outside [0, " + std::to_string(c) + ")");
}

std::vector<float> one_hot(const std::vector<int32_t>& labels, int classes) {
  int n = static_cast<int>(labels.size());
  check_labels(labels.data(), n, classes, "one_hot");
  std::vector<float> y(size_t(n) * size_t(classes), 0.0f);
  for (int i = 0; i < n; ++i) y[size_t(i) * size_t(classes) + size_t(labels[i])] = 1.0f;
  return y;
}

// softmax(z) = exp(z − max z) / Σ exp(z − max z): subtracting the row max keeps exp from
// overflowing; the result is the same mathematically.
void softmax_forward(const float* z, float* p, int n, int c) {
  for (int i = 0; i < n; ++i) {
    const float* zi = z + size_t(i) * c;
    float* pi = p + size_t(i) * c;
    float m = zi[0];
    for (int j = 1; j < c; ++j) m = std::fmax(m, zi[j]);
    double sum = 0.0;
    for (int j = 0; j < c; ++j) {
      pi[j] = std::exp(zi[j] - m);
      sum += pi[j];
    }
    float inv = static_cast<float>(1.0 / sum);
    for (int j = 0; j < c; ++j) pi[j] *= inv;
  }
}

void softmax_backward(const float* p, const float* dp, float* dz, int n, int c) {
  for (int i = 0; i < n; ++i) {
    const float* pi = p + size_t(i) * c;
    const float* dpi = dp + size_t(i) * c;
    double dot = 0.0;
    for (int j = 0; j < c; ++j) dot += double(dpi[j]) * pi[j];
    for (int j = 0; j < c; ++j) dz[size_t(i) * c + j] = static_cast<float>(pi[j] * (dpi[j] - dot));
  }
}

// log_softmax(z) = z − max − log Σ exp(z − max): never takes the log of a rounded-to-zero
// probability, which is why it stays finite where log(softmax(z)) gives −inf.
void log_softmax_forward(const float* z, float* logp, int n, int c) {
  for (int i = 0; i < n; ++i) {
    const float* zi = z + size_t(i) * c;
    float m = zi[0];
    for (int j = 1; j < c; ++j) m = std::fmax(m, zi[j]);
    double sum = 0.0;
    for (int j = 0; j < c; ++j) sum += std::exp(double(zi[j]) - m);
    double lse = m + std::log(sum);
    for (int j = 0; j < c; ++j) logp[size_t(i) * c + j] = static_cast<float>(zi[j] - lse);
  }
}

void log_softmax_backward(const float* logp, const float* dlogp, float* dz, int n, int c) {
  for (int i = 0; i < n; ++i) {
    const float* li = logp + size_t(i) * c;
    const float* gi = dlogp + size_t(i) * c;
    double sum = 0.0;
    for (int j = 0; j < c; ++j) sum += gi[j];
    for (int j = 0; j < c; ++j) dz[size_t(i) * c + j] = static_cast<float>(gi[j] - std::exp(double(li[j])) * sum);
  }
}

float nll_forward(const float* logp, const int32_t* labels, int n, int c) {
  check_labels(labels, n, c, "nll_loss");
  if (n == 0) return 0.0f;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum -= logp[size_t(i) * c + size_t(labels[i])];
  return static_cast<float>(sum / n);
}

void nll_backward(const int32_t* labels, float* dlogp, int n, int c) {
  check_labels(labels, n, c, "nll_loss");
  for (size_t k = 0; k < size_t(n) * size_t(c); ++k) dlogp[k] = 0.0f;
  for (int i = 0; i < n; ++i) dlogp[size_t(i) * c + size_t(labels[i])] = -1.0f / static_cast<float>(n);
}

float cross_entropy_forward_backward(const float* z, const int32_t* labels, float* dz, int n, int c) {
  check_labels(labels, n, c, "cross_entropy");
  if (n == 0) return 0.0f;
  double total = 0.0;
  const double inv_n = 1.0 / n;
  for (int i = 0; i < n; ++i) {
    const float* zi = z + size_t(i) * c;
    float m = zi[0];
    for (int j = 1; j < c; ++j) m = std::fmax(m, zi[j]);
    double sum = 0.0;
    for (int j = 0; j < c; ++j) sum += std::exp(double(zi[j]) - m);
    double lse = m + std::log(sum);
    total += lse - zi[labels[i]];
    if (dz) {
      for (int j = 0; j < c; ++j) {
        double p = std::exp(double(zi[j]) - lse);
        dz[size_t(i) * c + j] = static_cast<float>((p - (j == labels[i] ? 1.0 : 0.0)) * inv_n);
      }
    }
  }
  return static_cast<float>(total * inv_n);
}

const char* cost_form_name(CostForm f) {
  switch (f) {
    case CostForm::OneHotLogSoftmaxExplicit: return "(y_one_hot * -log(softmax(z))).sum(1).mean()  [step by step]";
    case CostForm::Contracted: return "(y_one_hot * -log(softmax(z))).sum(1).mean()  [contracted]";
    case CostForm::OneHotLogSoftmax: return "(y_one_hot * -log_softmax(z)).sum(1).mean()";
    case CostForm::NllLogSoftmax: return "nll_loss(log_softmax(z), y)";
    case CostForm::CrossEntropy: return "cross_entropy(z, y)";
  }
  return "?";
}

CostResult softmax_cost(CostForm form, const std::vector<float>& z, const std::vector<int32_t>& labels, int n,
                        int c) {
  if (z.size() != size_t(n) * size_t(c) || labels.size() != size_t(n))
    throw Error("softmax_cost: logits must be (" + std::to_string(n) + ", " + std::to_string(c) + ") with " +
                std::to_string(n) + " labels");
  check_labels(labels.data(), n, c, "softmax_cost");
  const size_t nc = size_t(n) * size_t(c);
  CostResult r;
  r.dz.assign(nc, 0.0f);
  if (n == 0) return r;
  switch (form) {
    case CostForm::OneHotLogSoftmaxExplicit: {
      // p = softmax(z); l = log p; cost = mean_i Σ_j −y_ij l_ij; then back through each op.
      std::vector<float> y = one_hot(labels, c), p(nc), l(nc), dl(nc), dp(nc);
      softmax_forward(z.data(), p.data(), n, c);
      double sum = 0.0;
      for (size_t k = 0; k < nc; ++k) {
        l[k] = std::log(p[k]);
        sum += -double(y[k]) * l[k];
      }
      r.value = static_cast<float>(sum / n);
      for (size_t k = 0; k < nc; ++k) {
        dl[k] = -y[k] / static_cast<float>(n);
        dp[k] = dl[k] / p[k];  // d log p / dp = 1/p
      }
      softmax_backward(p.data(), dp.data(), r.dz.data(), n, c);
      break;
    }
    case CostForm::Contracted: {
      // The same expression without named temporaries: per element, y·(−log softmax).
      std::vector<float> p(nc);
      softmax_forward(z.data(), p.data(), n, c);
      double sum = 0.0;
      for (int i = 0; i < n; ++i) sum += -std::log(double(p[size_t(i) * c + size_t(labels[i])]));
      r.value = static_cast<float>(sum / n);
      // d/dz of −log p_y is p − one_hot, divided by n for the mean.
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < c; ++j)
          r.dz[size_t(i) * c + j] = (p[size_t(i) * c + j] - (j == labels[i] ? 1.0f : 0.0f)) / static_cast<float>(n);
      break;
    }
    case CostForm::OneHotLogSoftmax: {
      std::vector<float> y = one_hot(labels, c), logp(nc), dlogp(nc);
      log_softmax_forward(z.data(), logp.data(), n, c);
      double sum = 0.0;
      for (size_t k = 0; k < nc; ++k) sum += -double(y[k]) * logp[k];
      r.value = static_cast<float>(sum / n);
      for (size_t k = 0; k < nc; ++k) dlogp[k] = -y[k] / static_cast<float>(n);
      log_softmax_backward(logp.data(), dlogp.data(), r.dz.data(), n, c);
      break;
    }
    case CostForm::NllLogSoftmax: {
      std::vector<float> logp(nc), dlogp(nc);
      log_softmax_forward(z.data(), logp.data(), n, c);
      r.value = nll_forward(logp.data(), labels.data(), n, c);
      nll_backward(labels.data(), dlogp.data(), n, c);
      log_softmax_backward(logp.data(), dlogp.data(), r.dz.data(), n, c);
      break;
    }
    case CostForm::CrossEntropy:
      r.value = cross_entropy_forward_backward(z.data(), labels.data(), r.dz.data(), n, c);
      break;
  }
  return r;
}

}  // namespace nnplay
