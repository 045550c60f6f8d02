// The 2D toy datasets: shapes, labels, class balance, noise, seeded reproducibility, the
// train/test split, and clear errors for out-of-range settings.
#include <gtest/gtest.h>

#include <cmath>

#include "nnplay/datasets2d.h"
#include "nnplay/error.h"

using namespace nnplay;

namespace {

int count_label(const Points2D& p, int label) {
  int n = 0;
  for (float y : p.y) n += int(y) == label;
  return n;
}

}  // namespace

TEST(Datasets2D, XorIsTheTutorialsFourPoints) {
  Toy2DConfig cfg;
  cfg.kind = Toy2D::Xor;
  cfg.noise = 0.5f;  // ignored: XOR is exact
  Toy2DSplit s = make_toy2d_split(cfg);
  EXPECT_EQ(s.train.x, (std::vector<float>{0, 0, 0, 1, 1, 0, 1, 1}));
  EXPECT_EQ(s.train.y, (std::vector<float>{0, 1, 1, 0}));
  EXPECT_EQ(s.test.x, s.train.x) << "XOR is evaluated on the points it trains on";
}

TEST(Datasets2D, NamesRoundTripAndUnknownNameIsAnError) {
  for (int k = 0; k < kToy2DKinds; ++k) EXPECT_EQ(parse_toy2d(toy2d_name(Toy2D(k))), Toy2D(k));
  try {
    parse_toy2d("moons");
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("moons"), std::string::npos);
  }
}

TEST(Datasets2D, EveryKindIsBalancedAndLabelledByItsGeometry) {
  for (Toy2D kind : {Toy2D::Circle, Toy2D::XorQuadrants, Toy2D::Gaussians, Toy2D::Spiral}) {
    Rng rng(3);
    Points2D p = make_toy2d(kind, 401, 0.0f, rng);
    ASSERT_EQ(p.size(), 401) << toy2d_name(kind);
    ASSERT_EQ(p.x.size(), 802u);
    EXPECT_EQ(count_label(p, 1), 200) << toy2d_name(kind);
    EXPECT_EQ(count_label(p, 0), 201) << toy2d_name(kind);
    for (int64_t i = 0; i < p.size(); ++i) {
      const float a = p.x[size_t(2 * i)], b = p.x[size_t(2 * i + 1)];
      const int y = int(p.y[size_t(i)]);
      ASSERT_TRUE(std::isfinite(a) && std::isfinite(b));
      const float r = std::sqrt(a * a + b * b);
      switch (kind) {
        case Toy2D::Circle:
          // Without noise the classes sit on either side of the gap between 0.5 and 0.7.
          if (y == 1) {
            EXPECT_LE(r, 0.5f + 1e-6f);
          } else {
            EXPECT_GE(r, 0.7f - 1e-6f);
          }
          EXPECT_LE(r, 1.0f + 1e-6f);
          break;
        case Toy2D::XorQuadrants:
          EXPECT_GE(std::fabs(a), 0.05f);
          EXPECT_GE(std::fabs(b), 0.05f);
          EXPECT_EQ(y, (a < 0) != (b < 0) ? 1 : 0) << "label 1 where the signs differ";
          break;
        case Toy2D::Gaussians:
          // 5 standard deviations from the own centre is never reached in 400 draws.
          EXPECT_LT(std::hypot(a - (y ? 0.5f : -0.5f), b - (y ? 0.5f : -0.5f)), 1.0f);
          break;
        case Toy2D::Spiral:
          EXPECT_GE(r, 0.05f - 1e-6f);
          EXPECT_LE(r, 0.95f + 1e-6f);
          break;
        case Toy2D::Xor: break;
      }
    }
  }
}

TEST(Datasets2D, SpiralArmsAreHalfATurnApart) {
  Rng rng(1);
  Points2D p = make_toy2d(Toy2D::Spiral, 20, 0.0f, rng);
  // Point i of class 0 and point i of class 1 are mirror images through the origin.
  for (int i = 0; i < 10; ++i) {
    EXPECT_NEAR(p.x[size_t(2 * i)], -p.x[size_t(2 * (10 + i))], 1e-5f);
    EXPECT_NEAR(p.x[size_t(2 * i + 1)], -p.x[size_t(2 * (10 + i) + 1)], 1e-5f);
  }
}

TEST(Datasets2D, NoiseMovesPointsByAboutItsStandardDeviation) {
  Rng a(9), b(9);
  Points2D clean = make_toy2d(Toy2D::Spiral, 2000, 0.0f, a);
  Points2D noisy = make_toy2d(Toy2D::Spiral, 2000, 0.1f, b);
  // The spiral's geometry draws nothing from the rng, so the difference is pure noise.
  double sum = 0, sum2 = 0;
  for (size_t k = 0; k < clean.x.size(); ++k) {
    double d = double(noisy.x[k]) - clean.x[k];
    sum += d;
    sum2 += d * d;
  }
  const double n = double(clean.x.size());
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sum2 / n), 0.1, 0.01);
  EXPECT_EQ(noisy.y, clean.y) << "noise never changes labels";
}

TEST(Datasets2D, SameSeedSameDataOtherSeedOtherData) {
  Toy2DConfig cfg;
  cfg.kind = Toy2D::Circle;
  cfg.count = 300;
  cfg.seed = 42;
  Toy2DSplit a = make_toy2d_split(cfg), b = make_toy2d_split(cfg);
  EXPECT_EQ(a.train.x, b.train.x);
  EXPECT_EQ(a.test.y, b.test.y);
  cfg.seed = 43;
  EXPECT_NE(make_toy2d_split(cfg).train.x, a.train.x);
}

TEST(Datasets2D, SplitKeepsEveryPointOnceAndMixesClasses) {
  Toy2DConfig cfg;
  cfg.kind = Toy2D::Gaussians;
  cfg.count = 1000;
  cfg.test_fraction = 0.3f;
  Toy2DSplit s = make_toy2d_split(cfg);
  EXPECT_EQ(s.train.size(), 700);
  EXPECT_EQ(s.test.size(), 300);
  EXPECT_EQ(count_label(s.train, 1) + count_label(s.test, 1), 500);
  // Shuffled before the cut: both classes in the test set, near half each.
  EXPECT_GT(count_label(s.test, 1), 110);
  EXPECT_GT(count_label(s.test, 0), 110);
  cfg.test_fraction = 0.0f;
  s = make_toy2d_split(cfg);
  EXPECT_EQ(s.train.size(), 1000);
  EXPECT_EQ(s.test.size(), 0);
}

TEST(Datasets2D, OutOfRangeSettingsNameTheProblem) {
  Rng rng(1);
  auto message_of = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of([&] { make_toy2d(Toy2D::Circle, 3, 0.1f, rng); }).find("point count"), std::string::npos);
  EXPECT_NE(message_of([&] { make_toy2d(Toy2D::Circle, 100, -0.1f, rng); }).find("noise"), std::string::npos);
  EXPECT_NE(message_of([&] { make_toy2d(Toy2D::Circle, 100, NAN, rng); }).find("noise"), std::string::npos);
  Toy2DConfig cfg;
  cfg.kind = Toy2D::Spiral;
  cfg.test_fraction = 0.95f;
  EXPECT_NE(message_of([&] { make_toy2d_split(cfg); }).find("test fraction"), std::string::npos);
  cfg.test_fraction = 0.2f;
  cfg.count = kToy2DMaxCount + 1;
  EXPECT_NE(message_of([&] { make_toy2d_split(cfg); }).find("point count"), std::string::npos);
}
