// Turning a hand-drawn digit into the 28×28 image an MNIST model expects.
//
// MNIST's digits were made this way (LeCun et al.): the digit's bounding box is scaled to
// fit a 20×20 box keeping its aspect ratio, with anti-aliasing (grey levels), and the
// result is placed in a 28×28 field so that its centre of mass sits at the centre. These
// functions do the same to strokes drawn with a mouse, finger or pen: rasterize_strokes
// draws them as a thick anti-aliased brush at any resolution, and preprocess_digit maps
// that picture onto 28×28 with exact area averaging (each output pixel is the mean of
// the input over the square it covers), which is the anti-aliasing MNIST's scanner and
// downscaling gave. Pixel values are in [0, 1] (ink = 1), as the loader's uint8 / 255.
//
// Coordinates: a pixel (col, row) covers [col, col + 1) × [row, row + 1), so its centre
// is (col + 0.5, row + 0.5) and the centre of the 28×28 field is (14, 14).
#pragma once

#include <vector>

namespace nnplay {

constexpr int kDigitSide = 28;  // the output image is kDigitSide × kDigitSide
constexpr int kDigitBox = 20;   // the digit's longer side is scaled to this many pixels

// One stroke: the successive pointer positions of one press-move-release, in any unit
// (the drawing pad uses [0, 1] across its square); a single point draws a dot.
struct StrokePoint {
  float x = 0, y = 0;
};
using Stroke = std::vector<StrokePoint>;

// Draws the strokes into a width × height image (row-major, values in [0, 1]), a stroke
// point (x, y) landing at pixel coordinates (x, y) * pixels_per_unit, with a round brush
// of `radius` stroke units: every segment between successive points is a capsule, and
// its edge is anti-aliased over one pixel (coverage = clamp(r + 0.5 - distance, 0, 1),
// in pixels). Overlapping segments take the maximum, so joints do not darken.
std::vector<float> rasterize_strokes(const std::vector<Stroke>& strokes, float radius, int width, int height,
                                     float pixels_per_unit);

// What preprocess_digit did, for display and tests.
struct DigitTransform {
  bool empty = true;            // no ink: the output is all zeros
  int box_x0 = 0, box_y0 = 0;   // the ink's bounding box in the input, [x0, x1) × [y0, y1)
  int box_x1 = 0, box_y1 = 0;
  float scale = 0;              // output pixels per input pixel
  float mass_x = 0, mass_y = 0; // the ink's centre of mass in the input
  float offset_x = 0, offset_y = 0;  // output = input * scale + offset
};

// The MNIST-like 28×28 image (784 values, row-major, in [0, 1]) of a width × height
// picture of one digit (values in [0, 1], anything above 0 counts as ink). The bounding
// box's longer side becomes 20 pixels, and the centre of mass lands on (14, 14) unless
// that would push the box off the field, in which case it moves only as far as the edge
// allows (so nothing is ever cut off). An empty picture gives all zeros. Values outside
// [0, 1], NaN included, are read as clamped into it (NaN as 0).
std::vector<float> preprocess_digit(const float* image, int width, int height, DigitTransform* info = nullptr);

// The centre of mass of a width × height image in the coordinates above; (0, 0) with
// mass 0 when the image is empty.
struct CentreOfMass {
  float x = 0, y = 0, mass = 0;
};
CentreOfMass centre_of_mass(const float* image, int width, int height);

}  // namespace nnplay
