// test_row_kernels.cpp - the CPU backend's row kernels, every variant this CPU can run:
// the byte-to-float conversion (exact), the double-precision exp (within 1 ulp of the C
// library's, the same bits in every variant) and the cross-entropy built on it, against
// the reference kernel it replaces on the training path.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "cpu/row_kernels.h"
#include "nnplay/error.h"
#include "nnplay/softmax.h"

namespace {

std::vector<std::string> usable_variants() {
  std::vector<std::string> out;
  for (const char* name : {"avx512", "avx2", "portable"})
    if (nnplay::cpu::row_select_kernel(name)) out.push_back(name);
  nnplay::cpu::row_select_kernel(nullptr);
  return out;
}

struct VariantGuard {
  ~VariantGuard() { nnplay::cpu::row_select_kernel(nullptr); }
};

int64_t ulps_apart(double a, double b) {
  int64_t ia, ib;
  std::memcpy(&ia, &a, 8);
  std::memcpy(&ib, &b, 8);
  return ia > ib ? ia - ib : ib - ia;  // both positive here
}

int64_t float_ulps_apart(float a, float b) {
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  if ((ia < 0) != (ib < 0)) return a == b ? 0 : std::numeric_limits<int64_t>::max();
  return ia > ib ? int64_t(ia) - ib : int64_t(ib) - ia;
}

TEST(RowKernels, ThePortableVariantIsAlwaysThere) {
  const auto v = usable_variants();
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v.back(), "portable");
  EXPECT_FALSE(nnplay::cpu::row_select_kernel("no-such-variant"));
}

TEST(RowKernels, ConvertIsExactAtEveryLengthInEveryVariant) {
  VariantGuard guard;
  std::vector<uint8_t> src(300);
  for (size_t i = 0; i < src.size(); ++i) src[i] = uint8_t(i * 37 + 11);
  for (const auto& v : usable_variants()) {
    ASSERT_TRUE(nnplay::cpu::row_select_kernel(v.c_str()));
    for (int n : {0, 1, 3, 15, 16, 17, 63, 64, 65, 100, 299}) {
      std::vector<float> dst(size_t(n) + 1, -1.0f);
      nnplay::cpu::convert_u8_to_float(src.data() + 1, dst.data(), n, 1.0f / 255.0f);
      for (int i = 0; i < n; ++i) ASSERT_EQ(dst[size_t(i)], float(src[size_t(i) + 1]) * (1.0f / 255.0f)) << v << " n=" << n;
      EXPECT_EQ(dst[size_t(n)], -1.0f) << v << ": wrote past the end, n=" << n;
    }
  }
}

TEST(RowKernels, ExpIsWithinOneUlpAndTheSameBitsInEveryVariant) {
  VariantGuard guard;
  std::mt19937_64 rng(7);
  std::vector<double> x;
  std::uniform_real_distribution<double> wide(-700.0, 0.0), near0(-1.0, 0.01);
  for (int i = 0; i < 200000; ++i) x.push_back(i % 2 ? wide(rng) : near0(rng));
  for (double v : {0.0, -0.0, -1e-300, -0.34657359027997264, -0.34657359027997270, -1.0, -708.0, -700.0, 1e-3})
    x.push_back(v);
  std::vector<double> first;
  for (const auto& v : usable_variants()) {
    ASSERT_TRUE(nnplay::cpu::row_select_kernel(v.c_str()));
    for (size_t n : {x.size(), size_t(1), size_t(3), size_t(7)}) {  // every tail length
      std::vector<double> y(n);
      nnplay::cpu::exp_f64(x.data(), y.data(), int64_t(n));
      int64_t worst = 0;
      for (size_t i = 0; i < n; ++i) {
        const double want = std::exp(std::max(x[i], -700.0));
        worst = std::max(worst, ulps_apart(y[i], want));
      }
      EXPECT_LE(worst, 1) << v << " n=" << n;
      if (n == x.size()) {
        if (first.empty()) first = y;
        else EXPECT_EQ(std::memcmp(first.data(), y.data(), n * sizeof(double)), 0) << v << " differs from " << usable_variants()[0];
      }
    }
    double special[4] = {std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::infinity(), -1e6, 0.0};
    double out[4];
    nnplay::cpu::exp_f64(special, out, 4);
    EXPECT_TRUE(std::isnan(out[0])) << v;
    EXPECT_EQ(out[1], std::exp(-700.0)) << v << ": inputs below -700 give e^-700";
    EXPECT_EQ(out[2], std::exp(-700.0)) << v;
    EXPECT_EQ(out[3], 1.0) << v;
  }
}

// The fast cross-entropy against the reference on random logits of the sizes training
// uses and odd ones: the loss to 1e-7 relative, each gradient within one float ulp, and
// nearly all of them identical.
TEST(RowKernels, CrossEntropyMatchesTheReference) {
  VariantGuard guard;
  std::mt19937 rng(11);
  std::normal_distribution<float> logit(0.0f, 4.0f);
  for (const auto& v : usable_variants()) {
    ASSERT_TRUE(nnplay::cpu::row_select_kernel(v.c_str()));
    size_t values = 0, different = 0;
    for (auto [n, c] : {std::pair{100, 10}, {1, 2}, {3, 13}, {257, 10}, {32, 10}, {7, 1}}) {
      for (int rep = 0; rep < 20; ++rep) {
        std::vector<float> z(static_cast<size_t>(n) * static_cast<size_t>(c));
        for (auto& x : z) x = logit(rng) * (rep % 5 == 4 ? 30.0f : 1.0f);  // some rows far apart
        std::vector<int32_t> labels(static_cast<size_t>(n));
        for (auto& l : labels) l = int32_t(rng() % uint32_t(c));
        std::vector<float> dz_ref(z.size()), dz(z.size());
        const float want = nnplay::cross_entropy_forward_backward(z.data(), labels.data(), dz_ref.data(), n, c);
        const float got = nnplay::cpu::cross_entropy_fast(z.data(), labels.data(), dz.data(), n, c);
        EXPECT_NEAR(got, want, 1e-7 * std::max(1.0f, std::fabs(want))) << v << " " << n << "x" << c;
        EXPECT_EQ(nnplay::cpu::cross_entropy_fast(z.data(), labels.data(), nullptr, n, c), got);
        for (size_t k = 0; k < z.size(); ++k) {
          ASSERT_LE(float_ulps_apart(dz[k], dz_ref[k]), 1) << v << " " << n << "x" << c << " k=" << k;
          different += dz[k] != dz_ref[k];
        }
        values += z.size();
      }
    }
    EXPECT_LE(different * 10000, values) << v << ": " << different << " of " << values << " gradients differ";
  }
}

TEST(RowKernels, CrossEntropyKeepsTheReferencesErrorsAndNaN) {
  std::vector<float> z = {1.0f, 2.0f, 3.0f, 4.0f};
  std::vector<int32_t> bad = {0, 2};
  std::vector<float> dz(4);
  std::string want, got;
  try { nnplay::cross_entropy_forward_backward(z.data(), bad.data(), dz.data(), 2, 2); } catch (const nnplay::Error& e) { want = e.what(); }
  try { nnplay::cpu::cross_entropy_fast(z.data(), bad.data(), dz.data(), 2, 2); } catch (const nnplay::Error& e) { got = e.what(); }
  EXPECT_FALSE(want.empty());
  EXPECT_EQ(got, want);
  z[1] = std::numeric_limits<float>::quiet_NaN();
  std::vector<int32_t> ok = {0, 1};
  EXPECT_TRUE(std::isnan(nnplay::cpu::cross_entropy_fast(z.data(), ok.data(), dz.data(), 2, 2)));
  for (size_t k = 0; k < 2; ++k) EXPECT_TRUE(std::isnan(dz[k])) << "row 0, column " << k;
  EXPECT_FALSE(std::isnan(dz[2]));
  // A NaN first in its row, and a row of NaNs: NaN as in the reference.
  for (std::vector<float> row : {std::vector<float>{NAN, 1.0f, 2.0f}, std::vector<float>{NAN, NAN, NAN}}) {
    std::vector<int32_t> label = {2};
    std::vector<float> g(3), g_ref(3);
    EXPECT_TRUE(std::isnan(nnplay::cpu::cross_entropy_fast(row.data(), label.data(), g.data(), 1, 3)));
    EXPECT_TRUE(std::isnan(nnplay::cross_entropy_forward_backward(row.data(), label.data(), g_ref.data(), 1, 3)));
    for (size_t k = 0; k < 3; ++k) EXPECT_EQ(std::isnan(g[k]), std::isnan(g_ref[k])) << k;
  }
  EXPECT_EQ(nnplay::cpu::cross_entropy_fast(z.data(), ok.data(), dz.data(), 0, 2), 0.0f);
}

}  // namespace
