// Strokes to pixels, and any digit picture to MNIST's 28×28 layout (see digit_preprocess.h).
#include "nnplay/digit_preprocess.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "nnplay/error.h"

namespace nnplay {

namespace {

// Squared distance from p to the segment a-b (a point when a == b).
float distance2_to_segment(float px, float py, float ax, float ay, float bx, float by) {
  const float dx = bx - ax, dy = by - ay;
  const float len2 = dx * dx + dy * dy;
  float t = 0.0f;
  if (len2 > 0.0f) t = std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0f, 1.0f);
  const float qx = ax + t * dx - px, qy = ay + t * dy - py;
  return qx * qx + qy * qy;
}

void draw_capsule(std::vector<float>& img, int width, int height, float ax, float ay, float bx, float by, float r) {
  // Only the pixels within r + 1 of the segment can be touched.
  const int c0 = std::max(0, int(std::floor(std::min(ax, bx) - r - 1.0f)));
  const int c1 = std::min(width - 1, int(std::ceil(std::max(ax, bx) + r + 1.0f)));
  const int r0 = std::max(0, int(std::floor(std::min(ay, by) - r - 1.0f)));
  const int r1 = std::min(height - 1, int(std::ceil(std::max(ay, by) + r + 1.0f)));
  for (int row = r0; row <= r1; ++row)
    for (int col = c0; col <= c1; ++col) {
      const float d = std::sqrt(distance2_to_segment(float(col) + 0.5f, float(row) + 0.5f, ax, ay, bx, by));
      const float cover = std::clamp(r + 0.5f - d, 0.0f, 1.0f);
      float& v = img[size_t(row) * size_t(width) + size_t(col)];
      v = std::max(v, cover);
    }
}

// For each output pixel along one axis, the input pixels its preimage [a, b) overlaps and
// by how much (in input pixels), restricted to the input range [lo, hi) (the ink's box:
// outside it every value is zero anyway).
using Weights = std::vector<std::vector<std::pair<int, float>>>;
Weights axis_weights(float scale, float offset, int lo, int hi) {
  Weights w(kDigitSide);
  for (int o = 0; o < kDigitSide; ++o) {
    const float a = (float(o) - offset) / scale, b = (float(o + 1) - offset) / scale;
    const int k0 = std::max(lo, int(std::floor(a))), k1 = std::min(hi, int(std::ceil(b)));
    for (int k = k0; k < k1; ++k) {
      const float overlap = std::min(b, float(k + 1)) - std::max(a, float(k));
      if (overlap > 0.0f) w[size_t(o)].push_back({k, overlap});
    }
  }
  return w;
}

// The offset that puts `mass` on the field's centre, moved back just enough that the box
// [lo, hi) (input pixels) stays inside [0, 28) once scaled.
float place(float mass, int lo, int hi, float scale) {
  const float centred = float(kDigitSide) / 2.0f - mass * scale;
  const float least = -float(lo) * scale, most = float(kDigitSide) - float(hi) * scale;
  return std::clamp(centred, least, std::max(least, most));
}

}  // namespace

std::vector<float> rasterize_strokes(const std::vector<Stroke>& strokes, float radius, int width, int height,
                                     float pixels_per_unit) {
  if (width <= 0 || height <= 0 || width > 8192 || height > 8192)
    throw Error("rasterize_strokes: image size " + std::to_string(width) + "x" + std::to_string(height) +
                " is outside 1..8192");
  if (!(pixels_per_unit > 0.0f) || !std::isfinite(pixels_per_unit) || !(radius >= 0.0f) || !std::isfinite(radius))
    throw Error("rasterize_strokes: the scale must be positive and the radius non-negative");
  std::vector<float> img(size_t(width) * size_t(height), 0.0f);
  const float r = radius * pixels_per_unit;
  for (const Stroke& s : strokes) {
    for (size_t i = 0; i < s.size(); ++i) {
      // A lone point is a dot; otherwise each segment joins a point to the next one.
      if (s.size() > 1 && i + 1 == s.size()) break;
      const StrokePoint& a = s[i];
      const StrokePoint& b = s.size() > 1 ? s[i + 1] : s[i];
      if (!std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(b.x) || !std::isfinite(b.y)) continue;
      draw_capsule(img, width, height, a.x * pixels_per_unit, a.y * pixels_per_unit, b.x * pixels_per_unit,
                   b.y * pixels_per_unit, r);
    }
  }
  return img;
}

CentreOfMass centre_of_mass(const float* image, int width, int height) {
  // Sums in double: a 224×224 picture adds up 50,000 terms.
  double m = 0, mx = 0, my = 0;
  for (int row = 0; row < height; ++row)
    for (int col = 0; col < width; ++col) {
      const double v = image[size_t(row) * size_t(width) + size_t(col)];
      m += v;
      mx += v * (col + 0.5);
      my += v * (row + 0.5);
    }
  CentreOfMass c;
  if (m <= 0) return c;
  c.x = float(mx / m);
  c.y = float(my / m);
  c.mass = float(m);
  return c;
}

std::vector<float> preprocess_digit(const float* image, int width, int height, DigitTransform* info) {
  std::vector<float> out(size_t(kDigitSide) * kDigitSide, 0.0f);
  DigitTransform t;
  if (info) *info = t;
  if (width <= 0 || height <= 0) return out;
  // The ink's bounding box.
  int x0 = width, y0 = height, x1 = 0, y1 = 0;
  for (int row = 0; row < height; ++row)
    for (int col = 0; col < width; ++col)
      if (image[size_t(row) * size_t(width) + size_t(col)] > 0.0f) {
        x0 = std::min(x0, col);
        x1 = std::max(x1, col + 1);
        y0 = std::min(y0, row);
        y1 = std::max(y1, row + 1);
      }
  if (x1 <= x0) return out;
  const CentreOfMass com = centre_of_mass(image, width, height);
  t.empty = false;
  t.box_x0 = x0, t.box_y0 = y0, t.box_x1 = x1, t.box_y1 = y1;
  t.scale = float(kDigitBox) / float(std::max(x1 - x0, y1 - y0));
  t.mass_x = com.x, t.mass_y = com.y;
  t.offset_x = place(com.x, x0, x1, t.scale);
  t.offset_y = place(com.y, y0, y1, t.scale);

  // Area averaging, one axis at a time: rows first (into tmp, 28 rows × the box's
  // columns), then columns. Dividing by the preimage's area (1/scale²) makes it a mean.
  const Weights wy = axis_weights(t.scale, t.offset_y, y0, y1);
  const Weights wx = axis_weights(t.scale, t.offset_x, x0, x1);
  const int bw = x1 - x0;
  std::vector<float> tmp(size_t(kDigitSide) * size_t(bw), 0.0f);
  for (int r = 0; r < kDigitSide; ++r)
    for (const auto& [k, w] : wy[size_t(r)]) {
      const float* src = image + size_t(k) * size_t(width) + size_t(x0);
      float* dst = tmp.data() + size_t(r) * size_t(bw);
      for (int c = 0; c < bw; ++c) dst[c] += w * src[c];
    }
  const float area = t.scale * t.scale;
  for (int r = 0; r < kDigitSide; ++r)
    for (int c = 0; c < kDigitSide; ++c) {
      float sum = 0.0f;
      for (const auto& [k, w] : wx[size_t(c)]) sum += w * tmp[size_t(r) * size_t(bw) + size_t(k - x0)];
      out[size_t(r) * kDigitSide + size_t(c)] = std::clamp(sum * area, 0.0f, 1.0f);
    }
  if (info) *info = t;
  return out;
}

}  // namespace nnplay
