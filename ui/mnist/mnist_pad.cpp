// Drawing pad strokes, their 28×28 image, and the strokes' JSON form for tests.
#include "mnist/mnist_pad.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace nnplay::ui {

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void DrawingPad::begin_stroke(float x, float y) {
  if (test_index >= 0) strokes.clear();  // drawing replaces a shown test image
  test_index = -1;
  strokes.push_back({{x, y}});
  stroke_open = true;
  update();
}

void DrawingPad::extend_stroke(float x, float y) {
  if (!stroke_open || strokes.empty()) return;
  Stroke& s = strokes.back();
  const StrokePoint& last = s.back();
  if (std::hypot(x - last.x, y - last.y) < kPadMinStep || s.size() >= kPadMaxPoints) return;
  s.push_back({x, y});
  update();
}

void DrawingPad::end_stroke() { stroke_open = false; }

void DrawingPad::clear() {
  strokes.clear();
  stroke_open = false;
  test_index = -1;
  update();
}

void DrawingPad::set_strokes(std::vector<Stroke> s) {
  strokes = std::move(s);
  stroke_open = false;
  test_index = -1;
  update();
}

void DrawingPad::show_test_image(const uint8_t* pixels, int index) {
  strokes.clear();
  stroke_open = false;
  test_index = index;
  for (size_t i = 0; i < 784; ++i) image[i] = float(pixels[i]) * (1.0f / 255.0f);
  transform = DigitTransform{};
  ++version;
}

void DrawingPad::set_radius(float r) {
  radius = std::clamp(r, 0.01f, 0.15f);
  if (test_index < 0) update();
}

size_t DrawingPad::points() const {
  size_t n = 0;
  for (const Stroke& s : strokes) n += s.size();
  return n;
}

void DrawingPad::update() {
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<float> pad = rasterize_strokes(strokes, radius, kPadRaster, kPadRaster, float(kPadRaster));
  image = preprocess_digit(pad.data(), kPadRaster, kPadRaster, &transform);
  preprocess_ms = ms_since(t0);
  ++version;
}

bool PersonalSet::add(const std::vector<float>& image, int digit) {
  if (samples.size() >= size_t(kMaxPersonalSamples) || digit < 0 || digit > 9 || image.size() != 784) return false;
  if (std::none_of(image.begin(), image.end(), [](float v) { return v > 0.0f; })) return false;
  samples.push_back({image, digit});
  return true;
}

// ---------------------------------------------------------------------------------------
// [[[x, y], ...], ...]: a small recursive-descent reader, enough for this one shape.

namespace {

struct Reader {
  const std::string& s;
  size_t i = 0;
  void space() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool eat(char c) {
    space();
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  bool number(float& out) {
    space();
    const char* start = s.c_str() + i;
    char* end = nullptr;
    out = std::strtof(start, &end);
    if (end == start || !std::isfinite(out)) return false;
    i += size_t(end - start);
    return true;
  }
  // Reads '[' item (',' item)* ']' or '[]'.
  template <typename F>
  bool list(F&& item) {
    if (!eat('[')) return false;
    if (eat(']')) return true;
    do {
      if (!item()) return false;
    } while (eat(','));
    return eat(']');
  }
};

}  // namespace

std::string parse_strokes(const std::string& json, std::vector<Stroke>& out) {
  Reader r{json};
  std::vector<Stroke> strokes;
  const bool ok = r.list([&] {
    Stroke stroke;
    const bool good = r.list([&] {
      StrokePoint p;
      bool pt = r.eat('[') && r.number(p.x) && r.eat(',') && r.number(p.y) && r.eat(']');
      if (pt) stroke.push_back(p);
      return pt;
    });
    if (good && !stroke.empty()) strokes.push_back(std::move(stroke));
    return good;
  });
  r.space();
  if (!ok || r.i != json.size())
    return "strokes must be JSON like [[[0.5,0.2],[0.5,0.8]]]: a list of strokes, each a list of [x, y] points";
  size_t points = 0;
  for (const Stroke& s : strokes) points += s.size();
  if (points > kPadMaxPoints) return "too many points (at most " + std::to_string(kPadMaxPoints) + ")";
  out = std::move(strokes);
  return "";
}

}  // namespace nnplay::ui
