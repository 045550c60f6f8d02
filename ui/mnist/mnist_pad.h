// The drawing pad's state: the strokes as drawn (pad units, [0, 1] across the square pad,
// so the on-screen size does not matter), the brush, and the 28×28 image the model sees,
// made by the engine's digit_preprocess (rasterize at kPadRaster pixels, then MNIST's
// box-to-20×20 and centre-of-mass placement). The pad can also show a test image instead
// of strokes ("random test digit"), and keeps the user's labelled digits for fine-tuning.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "mnist/mnist_session.h"
#include "nnplay/digit_preprocess.h"

namespace nnplay::ui {

constexpr int kPadRaster = 224;           // strokes are rasterised at 8× MNIST's resolution
constexpr float kPadBrush = 0.045f;       // brush radius (pad units): MNIST-like stroke width
constexpr float kPadMinStep = 0.004f;     // a new point once the pointer moved this far (pad units)
constexpr size_t kPadMaxPoints = 20000;   // beyond this a stroke stops growing (a stuck pointer)
constexpr int kMaxPersonalSamples = 64;

struct DrawingPad {
  std::vector<Stroke> strokes;
  float radius = kPadBrush;
  bool stroke_open = false;      // a press is drawing the last stroke
  std::vector<float> image = std::vector<float>(784, 0.0f);  // what the model sees
  DigitTransform transform;
  int test_index = -1;           // >= 0: `image` is this test image, not the strokes
  uint64_t version = 1;          // changes with `image`
  double preprocess_ms = 0;      // the last rasterise + preprocess

  void begin_stroke(float x, float y);
  void extend_stroke(float x, float y);  // ignored unless a stroke is open
  void end_stroke();
  void clear();
  void set_strokes(std::vector<Stroke> s);
  void show_test_image(const uint8_t* pixels, int index);
  void set_radius(float r);
  size_t points() const;

 private:
  void update();  // strokes → image
};

// Parses strokes written as JSON, [[[x, y], [x, y], ...], [...]] in pad units (the
// "mnist.draw=" test command). Returns "" or what is wrong.
std::string parse_strokes(const std::string& json, std::vector<Stroke>& out);

struct PersonalSet {
  std::vector<PersonalSample> samples;
  int label = 0;      // the label the next drawing gets
  int steps = 30;     // fine-tuning steps per click
  // Adds the image with the label; false when the set is full or the image is blank.
  bool add(const std::vector<float>& image, int label);
};

}  // namespace nnplay::ui
