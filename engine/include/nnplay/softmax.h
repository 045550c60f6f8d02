// Softmax, log-softmax, one-hot and the softmax-regression cost written five ways.
//
// These are plain host functions over row-major (N, C) arrays: the reference the
// backends' fused kernels are checked against, and what the "loss lab" and
// `nnplay-train softmax` show. The five cost forms follow the tutorial's progression:
//   1. one_hot · (−log softmax(z)), summed per row, mean over rows   (step by step)
//   2. the same in one contracted expression                          (no temporaries)
//   3. one_hot · (−log_softmax(z))                                    (stable)
//   4. nll_loss(log_softmax(z), y)                                    (PyTorch F.nll_loss)
//   5. cross_entropy(z, y)                                            (PyTorch F.cross_entropy)
// Each returns the cost and its gradient dz, built from the forward/backward pairs below.
#pragma once

#include <cstdint>
#include <vector>

namespace nnplay {

// y[i, labels[i]] = 1, else 0. Throws Error if a label is outside [0, classes).
std::vector<float> one_hot(const std::vector<int32_t>& labels, int classes);
// Throws an Error naming op, the label and its row unless every label is in [0, c).
void check_labels(const int32_t* labels, int n, int c, const char* op);

void softmax_forward(const float* z, float* p, int n, int c);
// dz = p ⊙ (dp − Σ_j dp_j p_j), row by row.
void softmax_backward(const float* p, const float* dp, float* dz, int n, int c);
void log_softmax_forward(const float* z, float* logp, int n, int c);
// dz = dlogp − softmax · Σ_j dlogp_j.
void log_softmax_backward(const float* logp, const float* dlogp, float* dz, int n, int c);
// Mean of −logp[i, y_i] (PyTorch nll_loss, reduction 'mean'); dlogp is its gradient.
float nll_forward(const float* logp, const int32_t* labels, int n, int c);
void nll_backward(const int32_t* labels, float* dlogp, int n, int c);
// Cross-entropy from logits via a stable log-softmax; dz = (softmax − one_hot) / n.
float cross_entropy_forward_backward(const float* z, const int32_t* labels, float* dz, int n, int c);

struct CostResult {
  float value = 0.0f;
  std::vector<float> dz;  // (n, c)
};

enum class CostForm { OneHotLogSoftmaxExplicit, Contracted, OneHotLogSoftmax, NllLogSoftmax, CrossEntropy };
constexpr int kCostForms = 5;
const char* cost_form_name(CostForm f);   // short PyTorch-like expression
CostResult softmax_cost(CostForm form, const std::vector<float>& z, const std::vector<int32_t>& labels, int n,
                        int c);

}  // namespace nnplay
