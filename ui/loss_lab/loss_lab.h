// The loss lab's numbers: the tutorial's 3×5 logits and labels (drawn from a seed or
// edited), softmax per row, the five cost formulations of softmax.h with their gradients,
// and what the naive paths give once the logits are scaled to extremes:
//   - the tutorial's first form, log(softmax(z)) with a one-hot mask: a probability that
//     rounds to 0 gives log 0 = −inf, and 0·(−inf) = NaN;
//   - softmax without subtracting the row maximum: exp overflows to inf, inf/inf = NaN.
// log_softmax and cross_entropy never take the log of a rounded probability and stay
// finite. Pure functions; the panel only draws these results.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "nnplay/softmax.h"
#include "loss_lab/loss_lab_settings.h"

namespace nnplay::ui {

struct LossLabInputs {
  std::vector<float> logits;    // kLogitRows × kLogitCols, before scaling
  std::vector<int32_t> labels;  // kLogitRows
};

// The settings' hand-edited values where present, else drawn from the seed like the
// tutorial's torch.rand(3, 5) (uniform in [0, 1)) and torch.randint(5, (3,)).
LossLabInputs loss_lab_inputs(const LossLabSettings& s);

struct LossLabResult {
  float scale = 1;
  std::vector<float> scaled;     // the logits actually fed to every cost
  std::vector<float> probs;      // softmax(scaled), stable
  std::array<CostResult, kCostForms> costs;
  std::array<float, kCostForms> max_grad_diff{};  // max |dz − dz of cross_entropy| per form
  float naive_cost = 0;          // form 1: (one_hot · −log softmax).sum(1).mean()
  std::vector<float> unshifted_probs;  // exp(z) / Σ exp(z) without the max shift
  bool naive_finite = true;      // form 1 and the contracted form both finite
  bool unshifted_finite = true;  // every unshifted probability finite
  bool stable_finite = true;     // log_softmax forms and cross_entropy finite (values and gradients)
  float spread = 0;              // max |cost_i − cross_entropy| over forms whose value is finite
};

LossLabResult compute_loss_lab(const LossLabInputs& in, float scale);

// The one-hot section: the three animals, their labels and the squared distances
// between every pair under integer labels and under one-hot vectors.
struct EncodingComparison {
  std::array<const char*, 3> animals{"dog", "cat", "parrot"};
  std::vector<float> one_hot;                    // 3 × 3
  std::array<std::array<float, 3>, 3> label_sq;  // (i+1 − j−1)², what MSE on labels 1, 2, 3 sees
  std::array<std::array<float, 3>, 3> onehot_sq;  // ‖e_i − e_j‖²: 2 for every distinct pair
};
EncodingComparison compare_encodings();

}  // namespace nnplay::ui
