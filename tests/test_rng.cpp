// The project's RNG gives the PCG32 reference sequence, and its derived draws stay in range.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "nnplay/rng.h"

using nnplay::Rng;

TEST(Rng, MatchesPcg32ReferenceSequence) {
  // pcg32_srandom_r(&rng, 42, 54) from the PCG reference implementation (pcg32-demo).
  Rng rng(42, 54);
  const uint32_t expected[] = {0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e};
  for (uint32_t e : expected) EXPECT_EQ(rng.next_u32(), e);
}

TEST(Rng, SameSeedSameNumbersDifferentSeedDifferent) {
  Rng a(777), b(777), c(778);
  int differ = 0;
  for (int i = 0; i < 100; ++i) {
    uint32_t x = a.next_u32();
    EXPECT_EQ(x, b.next_u32());
    differ += x != c.next_u32();
  }
  EXPECT_GT(differ, 95);
}

TEST(Rng, UniformAndBelowStayInRange) {
  Rng rng(1);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    float u = rng.uniform();
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
    sum += u;
    float v = rng.uniform(-0.5f, 0.25f);
    ASSERT_GE(v, -0.5f);
    ASSERT_LT(v, 0.25f);
    ASSERT_LT(rng.below(7), 7u);
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.01);
}

TEST(Rng, BelowIsUnbiased) {
  Rng rng(3);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 100000; ++i) ++counts[rng.below(10)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);
}

TEST(Rng, ShuffleIsAPermutationAndSeeded) {
  std::vector<int> a(1000), b(1000);
  std::iota(a.begin(), a.end(), 0);
  b = a;
  Rng r1(5), r2(5);
  nnplay::shuffle(a.data(), 1000, r1);
  nnplay::shuffle(b.data(), 1000, r2);
  EXPECT_EQ(a, b);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(sorted[size_t(i)], i);
  int fixed = 0;
  for (int i = 0; i < 1000; ++i) fixed += a[size_t(i)] == i;
  EXPECT_LT(fixed, 20);
}

TEST(Rng, NormalHasUnitVariance) {
  Rng rng(9);
  double s = 0, s2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double x = rng.normal();
    ASSERT_TRUE(std::isfinite(x));
    s += x;
    s2 += x * x;
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.02);
}
