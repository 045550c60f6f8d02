// The 2D toy datasets. Geometry first (each class on its own shape), then gaussian jitter
// of the requested size, then a seeded shuffle and the train/test cut.
#include "nnplay/datasets2d.h"

#include <cmath>
#include <numeric>

#include "nnplay/error.h"

namespace nnplay {

namespace {

constexpr float kPi = 3.14159265358979323846f;

void add_point(Points2D& p, float x1, float x2, int label) {
  p.x.push_back(x1);
  p.x.push_back(x2);
  p.y.push_back(static_cast<float>(label));
}

// Class 1 fills the disc of radius 0.5, class 0 the ring from 0.7 to 1.0: a gap of 0.2
// that noise gradually closes. Radii are drawn as sqrt(uniform) so the density is even.
void make_circle(Points2D& p, int count, Rng& rng) {
  for (int i = 0; i < count; ++i) {
    int label = i < count / 2 ? 1 : 0;
    float u = rng.uniform();
    float r = label ? 0.5f * std::sqrt(u) : std::sqrt(0.49f + 0.51f * u);
    float t = rng.uniform(0.0f, 2.0f * kPi);
    add_point(p, r * std::cos(t), r * std::sin(t), label);
  }
}

// Uniform in [-1, 1]², kept 0.05 away from the axes so that, without noise, the classes
// do not touch; label 1 where the coordinates' signs differ (XOR of the signs).
void make_xor_quadrants(Points2D& p, int count, Rng& rng) {
  for (int i = 0; i < count; ++i) {
    int label = i < count / 2 ? 1 : 0;
    float a = rng.uniform(0.05f, 1.0f), b = rng.uniform(0.05f, 1.0f);
    bool flip = rng.below(2) == 1;  // which of the two quadrants of this class
    float x1 = flip ? -a : a;
    float x2 = (label == 1) == flip ? b : -b;  // label 1: signs differ
    add_point(p, x1, x2, label);
  }
}

// Two round clusters around (0.5, 0.5) (class 1) and (−0.5, −0.5) (class 0).
void make_gaussians(Points2D& p, int count, Rng& rng) {
  constexpr float spread = 0.2f;
  for (int i = 0; i < count; ++i) {
    int label = i < count / 2 ? 1 : 0;
    float c = label ? 0.5f : -0.5f;
    add_point(p, c + spread * rng.normal(), c + spread * rng.normal(), label);
  }
}

// Two interleaved arms, each turning 1.75 times around the origin as the radius grows
// from 0.05 to 0.95; class 1's arm is class 0's turned by half a circle.
void make_spiral(Points2D& p, int count, Rng& /*rng*/) {
  int per_class[2] = {count - count / 2, count / 2};
  for (int label = 0; label <= 1; ++label) {
    int m = per_class[label];
    for (int i = 0; i < m; ++i) {
      float f = m > 1 ? static_cast<float>(i) / static_cast<float>(m - 1) : 0.0f;
      float r = 0.05f + 0.9f * f;
      float t = 1.75f * 2.0f * kPi * f + (label ? kPi : 0.0f);
      add_point(p, r * std::cos(t), r * std::sin(t), label);
    }
  }
}

Points2D take(const Points2D& all, const std::vector<uint32_t>& order, size_t from, size_t to) {
  Points2D out;
  for (size_t k = from; k < to; ++k) {
    uint32_t i = order[k];
    add_point(out, all.x[2 * i], all.x[2 * i + 1], static_cast<int>(all.y[i]));
  }
  return out;
}

}  // namespace

const char* toy2d_name(Toy2D kind) {
  switch (kind) {
    case Toy2D::Xor: return "xor";
    case Toy2D::Circle: return "circle";
    case Toy2D::XorQuadrants: return "xor-quadrants";
    case Toy2D::Gaussians: return "gaussians";
    case Toy2D::Spiral: return "spiral";
  }
  return "?";
}

Toy2D parse_toy2d(const std::string& name) {
  for (int k = 0; k < kToy2DKinds; ++k) {
    Toy2D kind = static_cast<Toy2D>(k);
    if (name == toy2d_name(kind)) return kind;
  }
  throw Error("unknown 2D dataset '" + name + "' (expected xor, circle, xor-quadrants, gaussians or spiral)");
}

Points2D make_toy2d(Toy2D kind, int count, float noise, Rng& rng) {
  if (!(noise >= 0.0f && noise <= 1.0f))
    throw Error("2D dataset noise must be in [0, 1], got " + std::to_string(noise));
  Points2D p;
  if (kind == Toy2D::Xor) {
    // The tutorial's four points, in its order: (0,0), (0,1), (1,0), (1,1).
    add_point(p, 0, 0, 0);
    add_point(p, 0, 1, 1);
    add_point(p, 1, 0, 1);
    add_point(p, 1, 1, 0);
  } else {
    if (count < kToy2DMinCount || count > kToy2DMaxCount)
      throw Error("2D dataset point count must be in [" + std::to_string(kToy2DMinCount) + ", " +
                  std::to_string(kToy2DMaxCount) + "], got " + std::to_string(count));
    p.x.reserve(2 * size_t(count));
    p.y.reserve(size_t(count));
    switch (kind) {
      case Toy2D::Circle: make_circle(p, count, rng); break;
      case Toy2D::XorQuadrants: make_xor_quadrants(p, count, rng); break;
      case Toy2D::Gaussians: make_gaussians(p, count, rng); break;
      case Toy2D::Spiral: make_spiral(p, count, rng); break;
      case Toy2D::Xor: break;
    }
  }
  if (noise > 0.0f)
    for (float& v : p.x) v += noise * rng.normal();
  return p;
}

Toy2DSplit make_toy2d_split(const Toy2DConfig& cfg) {
  if (!(cfg.test_fraction >= 0.0f && cfg.test_fraction <= 0.9f))
    throw Error("2D dataset test fraction must be in [0, 0.9], got " + std::to_string(cfg.test_fraction));
  Toy2DSplit s;
  Rng rng(cfg.seed);
  if (cfg.kind == Toy2D::Xor) {
    s.train = make_toy2d(Toy2D::Xor, 4, 0.0f, rng);
    s.test = s.train;
    return s;
  }
  Points2D all = make_toy2d(cfg.kind, cfg.count, cfg.noise, rng);
  std::vector<uint32_t> order(static_cast<size_t>(all.size()));
  std::iota(order.begin(), order.end(), 0u);
  shuffle(order.data(), static_cast<uint32_t>(order.size()), rng);
  size_t n_test = static_cast<size_t>(std::lround(double(cfg.test_fraction) * double(order.size())));
  size_t n_train = order.size() - n_test;
  s.train = take(all, order, 0, n_train);
  s.test = take(all, order, n_train, order.size());
  return s;
}

}  // namespace nnplay
