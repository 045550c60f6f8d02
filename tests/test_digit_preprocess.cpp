// Drawing → 28×28 like MNIST (digit_preprocess.h), against images whose results can be
// worked out by hand: a centred square lands on rows and columns 4..23 exactly, an
// off-centre shape is moved so that its centre of mass sits on (14, 14), a tall bar is
// scaled to 20 pixels high with quarter-covered edge columns, nothing is cut off when the
// mass sits near one end, an empty pad gives zeros, and synthesized strokes of a "1" and
// a "0" come out as a centred vertical bar and a ring.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "nnplay/digit_preprocess.h"
#include "nnplay/error.h"

using namespace nnplay;

namespace {

constexpr int N = kDigitSide;

// A w×h picture with the rectangle [x0, x1) × [y0, y1) set to v.
std::vector<float> rect(int w, int h, int x0, int y0, int x1, int y1, float v = 1.0f) {
  std::vector<float> img(size_t(w) * size_t(h), 0.0f);
  for (int r = y0; r < y1; ++r)
    for (int c = x0; c < x1; ++c) img[size_t(r) * size_t(w) + size_t(c)] = v;
  return img;
}

float at(const std::vector<float>& img, int row, int col) { return img[size_t(row) * N + size_t(col)]; }

float sum(const std::vector<float>& v) { return std::accumulate(v.begin(), v.end(), 0.0f); }

// Rows (or columns) holding any ink.
int ink_rows(const std::vector<float>& img) {
  int n = 0;
  for (int r = 0; r < N; ++r) {
    bool any = false;
    for (int c = 0; c < N; ++c) any |= at(img, r, c) > 0.0f;
    n += any;
  }
  return n;
}

std::string ascii(const std::vector<float>& img);

// A drawn digit's box (its anti-aliased edge included) is scaled to exactly 20 pixels
// high; placed by its centre of mass, it starts at a fraction of a pixel and so touches
// 20 or 21 rows.
void expect_twenty_high(const DigitTransform& t, const std::vector<float>& out) {
  EXPECT_NEAR(float(t.box_y1 - t.box_y0) * t.scale, float(kDigitBox), 1e-4f);
  EXPECT_GE(ink_rows(out), kDigitBox) << ascii(out);
  EXPECT_LE(ink_rows(out), kDigitBox + 1) << ascii(out);
}

std::string ascii(const std::vector<float>& img) {
  std::string s;
  for (int r = 0; r < N; ++r) {
    for (int c = 0; c < N; ++c) {
      const float v = at(img, r, c);
      s += v > 0.66f ? '#' : v > 0.33f ? '+' : v > 0.0f ? '.' : ' ';
    }
    s += '\n';
  }
  return s;
}

}  // namespace

TEST(DigitPreprocess, CentredSquareFillsRowsAndColumnsFourToTwentyThree) {
  // 40×40 square in a 100×100 picture: scale 20/40 = 0.5, mass at (50, 50) → offset
  // 14 - 25 = -11, so the square covers [30·0.5 - 11, 70·0.5 - 11) = [4, 24) both ways.
  std::vector<float> img = rect(100, 100, 30, 30, 70, 70);
  DigitTransform t;
  std::vector<float> out = preprocess_digit(img.data(), 100, 100, &t);
  ASSERT_EQ(out.size(), size_t(N * N));
  EXPECT_FALSE(t.empty);
  EXPECT_FLOAT_EQ(t.scale, 0.5f);
  EXPECT_FLOAT_EQ(t.offset_x, -11.0f);
  EXPECT_FLOAT_EQ(t.offset_y, -11.0f);
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c) {
      const bool inside = r >= 4 && r < 24 && c >= 4 && c < 24;
      ASSERT_NEAR(at(out, r, c), inside ? 1.0f : 0.0f, 1e-6f) << "pixel (" << r << ", " << c << ")\n" << ascii(out);
    }
  const CentreOfMass m = centre_of_mass(out.data(), N, N);
  EXPECT_NEAR(m.x, 14.0f, 1e-5f);
  EXPECT_NEAR(m.y, 14.0f, 1e-5f);
}

TEST(DigitPreprocess, OffCentreShapeIsMovedSoItsCentreOfMassIsTheMiddle) {
  // A right triangle (its mass a third of the way from the right angle) in the lower left
  // of a 60×60 picture: far from the centre, and its mass is not its box's centre.
  std::vector<float> img(60 * 60, 0.0f);
  for (int r = 30; r < 50; ++r)
    for (int c = 4; c < 24; ++c)
      if (c - 4 <= r - 30) img[size_t(r) * 60 + size_t(c)] = 1.0f;
  const CentreOfMass in = centre_of_mass(img.data(), 60, 60);
  EXPECT_LT(in.x, 12.0f);
  EXPECT_GT(in.y, 42.0f);
  DigitTransform t;
  std::vector<float> out = preprocess_digit(img.data(), 60, 60, &t);
  EXPECT_FLOAT_EQ(t.scale, 1.0f);  // a 20×20 box needs no scaling
  const CentreOfMass m = centre_of_mass(out.data(), N, N);
  EXPECT_NEAR(m.x, 14.0f, 0.5f) << ascii(out);
  EXPECT_NEAR(m.y, 14.0f, 0.5f) << ascii(out);
  // Area averaging moves ink without creating or losing any.
  EXPECT_NEAR(sum(out), in.mass, 1e-3f);
  // The box's centre is not the mass's: the triangle's box is off centre, towards the
  // upper right (the mass sits in the lower left of the box).
  EXPECT_GT(t.offset_x + 14.0f * t.scale, 14.0f);
  std::printf("triangle's mass (%.2f, %.2f) -> (%.3f, %.3f)\n%s", double(in.x), double(in.y), double(m.x), double(m.y),
              ascii(out).c_str());
}

TEST(DigitPreprocess, TallBarIsScaledToTwentyPixelsHighKeepingItsAspect) {
  // 10×80 bar: scale 20/80 = 0.25, so 2.5 pixels wide and 20 high. Its mass (50, 50)
  // goes to 14: offset 14 - 12.5 = 1.5, columns [45·0.25 + 1.5, 55·0.25 + 1.5) =
  // [12.75, 15.25): column 12 a quarter covered, 13 and 14 fully, 15 a quarter.
  std::vector<float> img = rect(100, 100, 45, 10, 55, 90);
  DigitTransform t;
  std::vector<float> out = preprocess_digit(img.data(), 100, 100, &t);
  EXPECT_FLOAT_EQ(t.scale, 0.25f);
  EXPECT_EQ(ink_rows(out), kDigitBox) << ascii(out);
  for (int r = 0; r < N; ++r) {
    const bool inside = r >= 4 && r < 24;
    for (int c = 0; c < N; ++c) {
      float want = 0.0f;
      if (inside) want = (c == 13 || c == 14) ? 1.0f : (c == 12 || c == 15) ? 0.25f : 0.0f;
      ASSERT_NEAR(at(out, r, c), want, 1e-5f) << "pixel (" << r << ", " << c << ")\n" << ascii(out);
    }
  }
  // A wide bar is scaled by its width instead.
  std::vector<float> wide = rect(100, 50, 10, 20, 90, 30);
  out = preprocess_digit(wide.data(), 100, 50, &t);
  EXPECT_FLOAT_EQ(t.scale, 0.25f);
  int cols = 0;
  for (int c = 0; c < N; ++c) {
    bool any = false;
    for (int r = 0; r < N; ++r) any |= at(out, r, c) > 0.0f;
    cols += any;
  }
  EXPECT_EQ(cols, kDigitBox) << ascii(out);
}

TEST(DigitPreprocess, MassNearOneEndMovesTheBoxOnlyAsFarAsTheEdgeAllows) {
  // A heavy block on the left and a thin line reaching far to the right: centring the
  // mass would push the line off the field, so the box stops at the right edge instead.
  std::vector<float> img = rect(200, 60, 10, 10, 50, 50);
  for (int c = 50; c < 190; ++c) img[size_t(29) * 200 + size_t(c)] = 1.0f;
  DigitTransform t;
  std::vector<float> out = preprocess_digit(img.data(), 200, 60, &t);
  const float right = float(t.box_x1) * t.scale + t.offset_x;
  EXPECT_NEAR(right, 28.0f, 1e-4f);
  const float total_in = centre_of_mass(img.data(), 200, 60).mass;
  EXPECT_NEAR(sum(out), total_in * t.scale * t.scale, 1e-3f) << "nothing was cut off\n" << ascii(out);
  EXPECT_LT(centre_of_mass(out.data(), N, N).x, 14.0f) << "the mass stays left of centre";
}

TEST(DigitPreprocess, EmptyInputGivesZerosWithoutCrashing) {
  std::vector<float> img(64 * 64, 0.0f);
  DigitTransform t;
  t.empty = false;
  std::vector<float> out = preprocess_digit(img.data(), 64, 64, &t);
  ASSERT_EQ(out.size(), size_t(N * N));
  EXPECT_TRUE(t.empty);
  EXPECT_EQ(sum(out), 0.0f);
  out = preprocess_digit(nullptr, 0, 0, &t);
  ASSERT_EQ(out.size(), size_t(N * N));
  EXPECT_EQ(sum(out), 0.0f);
  std::vector<float> blank = rasterize_strokes({}, 0.05f, 32, 32, 32.0f);
  EXPECT_EQ(std::accumulate(blank.begin(), blank.end(), 0.0f), 0.0f);
  const CentreOfMass m = centre_of_mass(img.data(), 64, 64);
  EXPECT_EQ(m.mass, 0.0f);
}

TEST(DigitPreprocess, BrushDrawsAntiAliasedCapsules) {
  // A dot of radius 5 pixels: its area is about π·25 ≈ 78.5 pixels.
  std::vector<float> dot = rasterize_strokes({{{0.5f, 0.5f}}}, 5.0f / 64.0f, 64, 64, 64.0f);
  EXPECT_NEAR(std::accumulate(dot.begin(), dot.end(), 0.0f), 78.5f, 2.0f);
  EXPECT_FLOAT_EQ(dot[32 * 64 + 32], 1.0f);
  EXPECT_EQ(dot[32 * 64 + 40], 0.0f);
  int partial = 0;
  for (float v : dot) partial += v > 0.0f && v < 1.0f;
  EXPECT_GT(partial, 10) << "the edge is anti-aliased";
  // A horizontal segment from x = 10 to 50 at y = 20.5, radius 2: solid along it, with
  // round caps, and nothing three pixels off.
  std::vector<float> seg = rasterize_strokes({{{10.5f, 20.5f}, {50.5f, 20.5f}}}, 2.0f, 64, 32, 1.0f);
  for (int c = 10; c <= 50; ++c) ASSERT_FLOAT_EQ(seg[20 * 64 + size_t(c)], 1.0f) << c;
  EXPECT_EQ(seg[25 * 64 + 30], 0.0f);
  EXPECT_EQ(seg[20 * 64 + 55], 0.0f);
  EXPECT_GT(seg[20 * 64 + 52], 0.0f);  // the cap reaches 2.5 pixels past the end
  // Points outside the image are clipped, not written out of bounds.
  std::vector<float> off = rasterize_strokes({{{-5.0f, -5.0f}, {100.0f, 100.0f}}}, 3.0f, 16, 16, 1.0f);
  EXPECT_GT(std::accumulate(off.begin(), off.end(), 0.0f), 16.0f);
  EXPECT_THROW(rasterize_strokes({}, 0.1f, 0, 10, 1.0f), Error);
}

TEST(DigitPreprocess, SynthesizedOneIsACentredVerticalBar) {
  // A "1" drawn down the pad's middle, slightly slanted, as a mouse would: many points.
  Stroke one;
  for (int i = 0; i <= 40; ++i) one.push_back({0.52f - 0.04f * float(i) / 40.0f, 0.15f + 0.7f * float(i) / 40.0f});
  std::vector<float> pad = rasterize_strokes({one}, 0.045f, 224, 224, 224.0f);
  DigitTransform t;
  std::vector<float> out = preprocess_digit(pad.data(), 224, 224, &t);
  expect_twenty_high(t, out);
  // The ink is all within the middle columns, dense in 13 and 14.
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c) {
      if (c < 10 || c > 17) {
        ASSERT_EQ(at(out, r, c), 0.0f) << "ink at (" << r << ", " << c << ")\n" << ascii(out);
      }
    }
  EXPECT_GT(at(out, 14, 13) + at(out, 14, 14), 1.2f) << ascii(out);
  const CentreOfMass m = centre_of_mass(out.data(), N, N);
  EXPECT_NEAR(m.x, 14.0f, 0.5f);
  EXPECT_NEAR(m.y, 14.0f, 0.5f);
  std::printf("%s", ascii(out).c_str());
}

TEST(DigitPreprocess, SynthesizedZeroIsARingAroundAnEmptyMiddle) {
  Stroke zero;
  for (int i = 0; i <= 64; ++i) {
    const float a = 6.2831853f * float(i) / 64.0f;
    zero.push_back({0.5f + 0.22f * std::sin(a), 0.5f - 0.33f * std::cos(a)});
  }
  std::vector<float> pad = rasterize_strokes({zero}, 0.045f, 224, 224, 224.0f);
  DigitTransform t;
  std::vector<float> out = preprocess_digit(pad.data(), 224, 224, &t);
  expect_twenty_high(t, out);
  EXPECT_EQ(at(out, 14, 14), 0.0f) << "the middle is empty\n" << ascii(out);
  // Ink on all four sides of the middle along row 14 and column 14.
  auto max_in = [&](int r0, int r1, int c0, int c1) {
    float m = 0;
    for (int r = r0; r < r1; ++r)
      for (int c = c0; c < c1; ++c) m = std::max(m, at(out, r, c));
    return m;
  };
  EXPECT_GT(max_in(14, 15, 0, 11), 0.9f) << ascii(out);   // left side
  EXPECT_GT(max_in(14, 15, 17, 28), 0.9f) << ascii(out);  // right side
  EXPECT_GT(max_in(0, 8, 14, 15), 0.9f) << ascii(out);    // top
  EXPECT_GT(max_in(20, 28, 14, 15), 0.9f) << ascii(out);  // bottom
  // The box is 20 high and about 20·(0.44 + 0.09)/(0.66 + 0.09) ≈ 14 wide.
  const float width = float(t.box_x1 - t.box_x0) * t.scale;
  EXPECT_NEAR(width, 20.0f * (0.44f + 0.09f) / (0.66f + 0.09f), 0.6f);
  std::printf("%s", ascii(out).c_str());
}

TEST(DigitPreprocess, BrushMatchesItsDefinitionPixelForPixel) {
  // The rasteriser visits only each row's span of the capsule; every pixel must still get
  // exactly clamp(r + 0.5 - distance, 0, 1), the maximum over the segments, as if every
  // pixel had been visited.
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return float(state >> 8) / float(1u << 24);
  };
  for (int trial = 0; trial < 200; ++trial) {
    const int w = 17 + trial % 23, h = 13 + trial % 31;
    std::vector<Stroke> strokes(1 + trial % 3);
    for (Stroke& s : strokes) {
      const int n = 1 + int(next() * 5);
      for (int i = 0; i < n; ++i) s.push_back({next() * 1.6f - 0.3f, next() * 1.6f - 0.3f});
      if (trial % 4 == 0) s.push_back({s.back().x, next()});  // a vertical segment
      if (trial % 5 == 0) s.push_back({next(), s.back().y});  // a horizontal one
    }
    const float radius = trial % 7 == 0 ? 0.0f : next() * 0.2f, ppu = float(std::min(w, h));
    const std::vector<float> img = rasterize_strokes(strokes, radius, w, h, ppu);
    for (int row = 0; row < h; ++row)
      for (int col = 0; col < w; ++col) {
        double want = 0.0;
        for (const Stroke& s : strokes)
          for (size_t i = 0; i < s.size(); ++i) {
            if (s.size() > 1 && i + 1 == s.size()) break;
            const StrokePoint a = s[i], b = s.size() > 1 ? s[i + 1] : s[i];
            const double ax = double(a.x) * ppu, ay = double(a.y) * ppu, bx = double(b.x) * ppu, by = double(b.y) * ppu;
            const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, px = col + 0.5, py = row + 0.5;
            const double t = len2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0) : 0.0;
            const double d = std::hypot(ax + t * dx - px, ay + t * dy - py);
            want = std::max(want, std::clamp(double(radius) * ppu + 0.5 - d, 0.0, 1.0));
          }
        ASSERT_NEAR(img[size_t(row) * size_t(w) + size_t(col)], want, 1e-5) << "trial " << trial << " pixel " << col
                                                                             << "," << row;
      }
  }
}

TEST(DigitPreprocess, HostileStrokesAndPicturesGiveAnImageNeverACrash) {
  // Points and radii at the edge of float's range once scaled to pixels (3e38 · 224
  // overflows a float, and its floor an int): drawn without overflow.
  const float big = 3.0e38f;
  std::vector<float> far = rasterize_strokes({{{big, -big}, {-big, big}}, {{big, big}}}, 0.05f, 32, 32, 224.0f);
  for (float v : far) ASSERT_TRUE(v >= 0.0f && v <= 1.0f) << v;
  std::vector<float> away = rasterize_strokes({{{big, big}}, {{-1e30f, 0.5f}, {-1e29f, 0.5f}}}, 0.05f, 32, 32, 224.0f);
  EXPECT_EQ(sum(away), 0.0f);
  // A radius larger than the image covers all of it.
  std::vector<float> all = rasterize_strokes({{{0.5f, 0.5f}}}, 1e30f, 16, 16, 224.0f);
  EXPECT_EQ(sum(all), 256.0f);
  // Non-finite points are skipped; a non-finite radius is an error.
  std::vector<float> nan_pts = rasterize_strokes({{{NAN, 0.5f}, {0.5f, INFINITY}}}, 0.05f, 16, 16, 16.0f);
  EXPECT_EQ(sum(nan_pts), 0.0f);
  EXPECT_THROW(rasterize_strokes({{{0.5f, 0.5f}}}, INFINITY, 16, 16, 16.0f), Error);
  // A picture holding NaN, infinities, negatives and 0..255 values: read as clamped to
  // [0, 1], so the result is a proper image (here the same as the all-ones square).
  std::vector<float> wild = rect(40, 40, 10, 10, 30, 30, 1.0f);
  wild[10 * 40 + 10] = 255.0f;
  wild[12 * 40 + 12] = INFINITY;
  wild[0] = NAN;
  wild[1] = -INFINITY;
  wild[2] = -3.0f;
  DigitTransform t;
  std::vector<float> out = preprocess_digit(wild.data(), 40, 40, &t);
  std::vector<float> plain = rect(40, 40, 10, 10, 30, 30, 1.0f);
  std::vector<float> expect = preprocess_digit(plain.data(), 40, 40);
  for (size_t i = 0; i < out.size(); ++i) ASSERT_FLOAT_EQ(out[i], expect[i]) << i;
  EXPECT_EQ(t.box_x0, 10);
}
