// Strokes to pixels, and any digit picture to MNIST's 28×28 layout (see digit_preprocess.h).
#include "nnplay/digit_preprocess.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "nnplay/error.h"

namespace nnplay {

namespace {

// Squared distance from p to the segment a-b (a point when a == b). In double: stroke
// points are any finite floats, and scaled to pixels and squared they can exceed float's
// range (3.4e38 * 224 overflows), where double's cannot be reached.
double distance2_to_segment(double px, double py, double ax, double ay, double bx, double by) {
  const double dx = bx - ax, dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  double t = 0.0;
  if (len2 > 0.0) t = std::clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0);
  const double qx = ax + t * dx - px, qy = ay + t * dy - py;
  return qx * qx + qy * qy;
}

// floor(v) as an index in [0, hi], clamped while still a double: a point far off the
// image must not overflow the conversion to int (and NaN, which compares false, is 0).
int clamped_index(double v, int hi) { return v > 0.0 ? int(std::min(std::floor(v), double(hi))) : 0; }

// The x interval [lo, hi] of the line y = yc within distance R of the segment a-b (empty
// when lo > hi). The capsule is convex, so this is one interval: the hull of the line's
// crossings of the two end discs and of the band between them.
struct Span {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double a, double b) {
    lo = std::min(lo, std::min(a, b));
    hi = std::max(hi, std::max(a, b));
  }
};

Span capsule_span(double yc, double ax, double ay, double bx, double by, double R) {
  Span s;
  for (const auto& [px, py] : {std::pair{ax, ay}, std::pair{bx, by}}) {
    const double dy = yc - py;
    if (dy * dy <= R * R) {
      const double h = std::sqrt(R * R - dy * dy);
      s.add(px - h, px + h);
    }
  }
  const double dx = bx - ax, dy = by - ay, len = std::hypot(dx, dy);
  if (!(len > 0.0)) return s;
  // The band: points whose distance to the line a-b is at most R and whose projection
  // onto it falls between a and b.
  const double ux = dx / len, uy = dy / len, w = yc - ay;
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  if (uy != 0.0) {
    const double x1 = ax + (ux * w - R) / uy, x2 = ax + (ux * w + R) / uy;
    lo = std::min(x1, x2), hi = std::max(x1, x2);
  } else if (std::abs(ux * w) > R) {
    return s;
  }
  if (ux != 0.0) {
    const double p1 = ax - uy * w / ux, p2 = ax + (len - uy * w) / ux;
    lo = std::max(lo, std::min(p1, p2)), hi = std::min(hi, std::max(p1, p2));
  } else if (uy * w < 0.0 || uy * w > len) {
    return s;
  }
  if (lo <= hi) s.add(lo, hi);
  return s;
}

void draw_capsule(std::vector<float>& img, int width, int height, double ax, double ay, double bx, double by,
                  double r) {
  // Only the pixels within r + 0.5 of the segment get any ink: per row, those whose centre
  // lies in the capsule's span (widened by a pixel against rounding). Visiting only them,
  // not the segment's whole bounding box, keeps long diagonal strokes cheap.
  const int r0 = clamped_index(std::min(ay, by) - r - 1.0, height - 1);
  const int r1 = clamped_index(std::ceil(std::max(ay, by) + r + 1.0), height - 1);
  for (int row = r0; row <= r1; ++row) {
    const Span span = capsule_span(row + 0.5, ax, ay, bx, by, r + 0.5);
    if (!(span.lo <= span.hi) || span.hi < -1.0 || span.lo > width + 1.0) continue;
    const int c0 = clamped_index(span.lo - 1.5, width - 1), c1 = clamped_index(std::ceil(span.hi + 0.5), width - 1);
    for (int col = c0; col <= c1; ++col) {
      float& v = img[size_t(row) * size_t(width) + size_t(col)];
      if (v >= 1.0f) continue;  // full ink already: the maximum cannot change it
      const double d = std::sqrt(distance2_to_segment(col + 0.5, row + 0.5, ax, ay, bx, by));
      v = std::max(v, float(std::clamp(r + 0.5 - d, 0.0, 1.0)));
    }
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
  const double scale = pixels_per_unit, r = double(radius) * scale;
  for (const Stroke& s : strokes) {
    for (size_t i = 0; i < s.size(); ++i) {
      // A lone point is a dot; otherwise each segment joins a point to the next one.
      if (s.size() > 1 && i + 1 == s.size()) break;
      const StrokePoint& a = s[i];
      const StrokePoint& b = s.size() > 1 ? s[i + 1] : s[i];
      if (!std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(b.x) || !std::isfinite(b.y)) continue;
      draw_capsule(img, width, height, a.x * scale, a.y * scale, b.x * scale, b.y * scale, r);
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
  // Pixels outside [0, 1] (NaN, infinities, a caller's 0..255) are clamped into it on a
  // copy: otherwise the sums below could become infinite or NaN, and the placement with them.
  const size_t n = size_t(width) * size_t(height);
  std::vector<float> clamped;
  if (std::any_of(image, image + n, [](float v) { return !(v >= 0.0f && v <= 1.0f); })) {
    clamped.assign(image, image + n);
    for (float& v : clamped) v = v > 0.0f ? std::min(v, 1.0f) : 0.0f;  // NaN compares false: 0
    image = clamped.data();
  }
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
