// The tutorial's five ways to write the softmax cost give one value and one gradient,
// and only the log_softmax-based ones survive extreme logits.
#include <gtest/gtest.h>

#include <cmath>

#include "nnplay/error.h"
#include "nnplay/rng.h"
#include "nnplay/softmax.h"

using namespace nnplay;

namespace {
void random_problem(uint64_t seed, int n, int c, float scale, std::vector<float>& z, std::vector<int32_t>& y) {
  Rng rng(seed);
  z.resize(size_t(n) * c);
  for (float& v : z) v = rng.uniform() * scale;
  y.resize(size_t(n));
  for (int32_t& v : y) v = int32_t(rng.below(uint32_t(c)));
}
}  // namespace

TEST(SoftmaxCost, FiveFormsAgreeInValueAndGradient) {
  for (uint64_t seed : {1, 2, 3, 777}) {
    for (auto [n, c, scale] : {std::tuple{3, 5, 1.0f}, std::tuple{8, 10, 4.0f}, std::tuple{1, 2, 10.0f}}) {
      std::vector<float> z;
      std::vector<int32_t> y;
      random_problem(seed, n, c, scale, z, y);
      CostResult ref = softmax_cost(CostForm::CrossEntropy, z, y, n, c);
      for (int f = 0; f < kCostForms; ++f) {
        CostResult r = softmax_cost(CostForm(f), z, y, n, c);
        EXPECT_NEAR(r.value, ref.value, 1e-6) << cost_form_name(CostForm(f)) << " seed " << seed;
        ASSERT_EQ(r.dz.size(), ref.dz.size());
        for (size_t k = 0; k < r.dz.size(); ++k)
          EXPECT_NEAR(r.dz[k], ref.dz[k], 1e-6) << cost_form_name(CostForm(f)) << " dz[" << k << "]";
      }
    }
  }
}

TEST(SoftmaxCost, MatchesHandComputedCrossEntropy) {
  // z = [[1, 2, 3]], y = 2: cost = log(e + e² + e³) − 3.
  std::vector<float> z = {1, 2, 3};
  std::vector<int32_t> y = {2};
  double expected = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0;
  for (int f = 0; f < kCostForms; ++f) EXPECT_NEAR(softmax_cost(CostForm(f), z, y, 1, 3).value, expected, 1e-6);
  // Its gradient is softmax − one_hot.
  CostResult r = softmax_cost(CostForm::CrossEntropy, z, y, 1, 3);
  double s = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_NEAR(r.dz[0], std::exp(1.0) / s, 1e-7);
  EXPECT_NEAR(r.dz[2], std::exp(3.0) / s - 1.0, 1e-7);
}

TEST(SoftmaxCost, NaiveFormsBreakOnExtremeLogitsStableOnesDoNot) {
  std::vector<float> z;
  std::vector<int32_t> y;
  random_problem(1, 3, 5, 500.0f, z, y);
  bool naive_broke = false;
  for (CostForm f : {CostForm::OneHotLogSoftmaxExplicit, CostForm::Contracted})
    naive_broke |= !std::isfinite(softmax_cost(f, z, y, 3, 5).value);
  EXPECT_TRUE(naive_broke) << "log(softmax(z)) should reach log(0) with logits this far apart";
  for (CostForm f : {CostForm::OneHotLogSoftmax, CostForm::NllLogSoftmax, CostForm::CrossEntropy}) {
    CostResult r = softmax_cost(f, z, y, 3, 5);
    EXPECT_TRUE(std::isfinite(r.value)) << cost_form_name(f);
    for (float g : r.dz) EXPECT_TRUE(std::isfinite(g)) << cost_form_name(f);
  }
}

TEST(SoftmaxCost, OneHot) {
  std::vector<float> y = one_hot({0, 2, 1}, 3);
  EXPECT_EQ(y, (std::vector<float>{1, 0, 0, 0, 0, 1, 0, 1, 0}));
  EXPECT_THROW(one_hot({3}, 3), Error);
  EXPECT_THROW(one_hot({-1}, 3), Error);
}

TEST(SoftmaxCost, SoftmaxRowsSumToOneEvenForHugeLogits) {
  std::vector<float> z = {1000, 1001, 999, -1000, 0, 1000}, p(6);
  softmax_forward(z.data(), p.data(), 2, 3);
  for (int i = 0; i < 2; ++i) EXPECT_NEAR(p[size_t(i) * 3] + p[size_t(i) * 3 + 1] + p[size_t(i) * 3 + 2], 1.0, 1e-6);
  for (float v : p) EXPECT_TRUE(std::isfinite(v));
}
