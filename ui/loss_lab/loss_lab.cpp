// Computations behind the loss lab panel.
#include "loss_lab/loss_lab.h"

#include <cmath>

#include "nnplay/rng.h"

namespace nnplay::ui {

LossLabInputs loss_lab_inputs(const LossLabSettings& s) {
  LossLabInputs in;
  Rng rng(s.seed);
  for (int k = 0; k < kLogitRows * kLogitCols; ++k) in.logits.push_back(rng.uniform());
  for (int i = 0; i < kLogitRows; ++i) in.labels.push_back(int32_t(rng.below(kLogitCols)));
  if (s.logits.size() == in.logits.size()) in.logits = s.logits;
  if (s.labels.size() == in.labels.size()) in.labels = s.labels;
  return in;
}

LossLabResult compute_loss_lab(const LossLabInputs& in, float scale) {
  const int n = kLogitRows, c = kLogitCols;
  LossLabResult r;
  r.scale = scale;
  r.scaled = in.logits;
  for (float& v : r.scaled) v *= scale;
  r.probs.resize(r.scaled.size());
  softmax_forward(r.scaled.data(), r.probs.data(), n, c);
  for (int f = 0; f < kCostForms; ++f) r.costs[size_t(f)] = softmax_cost(CostForm(f), r.scaled, in.labels, n, c);

  const CostResult& ce = r.costs[size_t(CostForm::CrossEntropy)];
  for (int f = 0; f < kCostForms; ++f) {
    const CostResult& cf = r.costs[size_t(f)];
    float diff = 0;
    for (size_t k = 0; k < cf.dz.size(); ++k) {
      float d = std::fabs(cf.dz[k] - ce.dz[k]);
      if (!std::isfinite(d)) d = INFINITY;  // NaN counts as "infinitely different"
      diff = std::max(diff, d);
    }
    r.max_grad_diff[size_t(f)] = diff;
    if (std::isfinite(cf.value)) r.spread = std::max(r.spread, std::fabs(cf.value - ce.value));
  }

  r.naive_cost = r.costs[size_t(CostForm::OneHotLogSoftmaxExplicit)].value;
  r.naive_finite = std::isfinite(r.naive_cost) && std::isfinite(r.costs[size_t(CostForm::Contracted)].value);
  for (CostForm f : {CostForm::OneHotLogSoftmax, CostForm::NllLogSoftmax, CostForm::CrossEntropy}) {
    const CostResult& cf = r.costs[size_t(f)];
    if (!std::isfinite(cf.value)) r.stable_finite = false;
    for (float g : cf.dz)
      if (!std::isfinite(g)) r.stable_finite = false;
  }

  // The textbook formula taken literally, in float like the rest: exp(z) overflows past 88.7.
  r.unshifted_probs.resize(r.scaled.size());
  for (int i = 0; i < n; ++i) {
    float sum = 0;
    for (int j = 0; j < c; ++j) sum += std::exp(r.scaled[size_t(i * c + j)]);
    for (int j = 0; j < c; ++j) {
      float p = std::exp(r.scaled[size_t(i * c + j)]) / sum;
      r.unshifted_probs[size_t(i * c + j)] = p;
      if (!std::isfinite(p)) r.unshifted_finite = false;
    }
  }
  return r;
}

EncodingComparison compare_encodings() {
  EncodingComparison e;
  e.one_hot = one_hot({0, 1, 2}, 3);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      float d = float(i - j);
      e.label_sq[size_t(i)][size_t(j)] = d * d;
      float s = 0;
      for (int k = 0; k < 3; ++k) {
        float dk = e.one_hot[size_t(i * 3 + k)] - e.one_hot[size_t(j * 3 + k)];
        s += dk * dk;
      }
      e.onehot_sq[size_t(i)][size_t(j)] = s;
    }
  return e;
}

}  // namespace nnplay::ui
