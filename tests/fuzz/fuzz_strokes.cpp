// libFuzzer target: strokes from outside into the drawing pad's 28x28 image. Text that
// parse_strokes (the "mnist.draw=" command's JSON) accepts goes to the pad as a user's
// drawing would; anything it rejects is read instead as raw floats (a radius, then x, y
// pairs: NaN, infinities and huge values included) and drawn by the engine's
// rasterize_strokes and preprocess_digit directly, and given to preprocess_digit as a
// picture too. Either way the image must come out as
// 784 values in [0, 1], or an nnplay::Error; anything else is a bug. Built and run by
// scripts/fuzz.sh.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "mnist/mnist_pad.h"
#include "nnplay/digit_preprocess.h"
#include "nnplay/error.h"

namespace {

void check_image(const std::vector<float>& image) {
  nnplay::fuzz::require(image.size() == 784, "the digit image is not 28x28");
  for (float v : image) nnplay::fuzz::require(v >= 0.0f && v <= 1.0f, "a pixel is outside [0, 1] (or NaN)");
}

// Floats straight from the bytes; the first is the brush radius, each stroke ends at a
// point whose x is exactly 1e6 (so that inputs can hold several strokes).
void draw_raw(const uint8_t* data, size_t size) {
  std::vector<float> f(size / sizeof(float));
  if (!f.empty()) std::memcpy(f.data(), data, f.size() * sizeof(float));
  if (f.empty()) return;
  const float radius = f[0];
  std::vector<nnplay::Stroke> strokes(1);
  for (size_t i = 1; i + 1 < f.size(); i += 2) {
    strokes.back().push_back({f[i], f[i + 1]});
    if (f[i] == 1e6f) strokes.emplace_back();
  }
  // The same floats as a picture, 8 pixels wide, for preprocess_digit's own checks.
  if (f.size() >= 8) check_image(nnplay::preprocess_digit(f.data(), 8, int(std::min<size_t>(f.size() / 8, 64))));
  try {
    const std::vector<float> pad = nnplay::rasterize_strokes(strokes, radius, 56, 56, 56.0f);
    check_image(nnplay::preprocess_digit(pad.data(), 56, 56));
  } catch (const nnplay::Error& e) {
    nnplay::fuzz::rejected(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<nnplay::Stroke> strokes;
  const std::string problem = nnplay::ui::parse_strokes(text, strokes);
  if (!problem.empty()) {
    draw_raw(data, size);
    return 0;
  }
  static nnplay::ui::DrawingPad pad;
  pad.set_strokes(strokes);
  check_image(pad.image);
  return 0;
}
