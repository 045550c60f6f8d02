// Two-dimensional toy datasets for binary classification, drawn from nnplay's seeded Rng:
// the tutorial's four XOR points, and the classic playground sets (circle, XOR
// quadrants, two gaussians, two spirals) with adjustable noise and a train/test split.
// Points lie in [-1, 1]² (XOR: the unit square's corners); labels are 0 or 1, stored as
// floats because the models that learn them end in one sigmoid unit (BCE or MSE).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/rng.h"

namespace nnplay {

enum class Toy2D { Xor, Circle, XorQuadrants, Gaussians, Spiral };
constexpr int kToy2DKinds = 5;

const char* toy2d_name(Toy2D kind);          // "xor", "circle", "xor-quadrants", "gaussians", "spiral"
Toy2D parse_toy2d(const std::string& name);  // throws Error on an unknown name

struct Points2D {
  std::vector<float> x;  // (n, 2) row-major
  std::vector<float> y;  // (n) labels, 0 or 1
  int64_t size() const { return static_cast<int64_t>(y.size()); }
};

struct Toy2DConfig {
  Toy2D kind = Toy2D::Xor;
  int count = 200;             // points in all (ignored by Xor: always its four)
  float noise = 0.05f;         // standard deviation of the gaussian jitter added to positions, in [0, 1]
  float test_fraction = 0.3f;  // share held out for testing, in [0, 0.9]
  uint64_t seed = 1;
};

struct Toy2DSplit {
  Points2D train;
  Points2D test;  // empty when test_fraction rounds to no points
};

// Limits of Toy2DConfig::count, so a settings string cannot ask for a billion points.
constexpr int kToy2DMinCount = 10;
constexpr int kToy2DMaxCount = 20000;

// count points of the given kind, half of each class (the odd one goes to class 0).
// Throws Error when count or noise is out of range.
Points2D make_toy2d(Toy2D kind, int count, float noise, Rng& rng);

// The whole recipe: generate, shuffle, split. Xor is special: its four points are both
// the training and the test set (the tutorial evaluates on what it trained on), without
// noise. Throws Error naming the field that is out of range.
Toy2DSplit make_toy2d_split(const Toy2DConfig& cfg);

}  // namespace nnplay
