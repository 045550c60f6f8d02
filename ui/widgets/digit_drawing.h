// Drawing helpers for digits (the MNIST panel, the one-step view), on ImGui's draw list (no textures, so nothing
// platform-specific): 28×28 digits as cells (dark ink on white, as the tutorial's
// plt.imshow(cmap='Greys') shows them), weight images in diverging colours (blue
// negative, white zero, red positive), and the ten probabilities as labelled bars.
#pragma once

#include <cstdint>

#include "imgui.h"
#include "widgets/digit_probabilities.h"

namespace nnplay::ui {

// A 28×28 image of values in [0, 1] (or uint8 0..255) in the square [p0, p0 + size].
void draw_digit(ImDrawList* dl, ImVec2 p0, float size, const float* image);
void draw_digit(ImDrawList* dl, ImVec2 p0, float size, const uint8_t* image);

// v in [-scale, scale] → blue … white … red.
ImU32 diverging_color(float v, float scale);
// A 28×28 weight image, each weight coloured by diverging_color(w, scale).
void draw_weight_image(ImDrawList* dl, ImVec2 p0, float size, const float* weights, float scale);

// One row per digit: "3 ████ 0.912". `mark` (e.g. the true label) is drawn in another
// colour; `rows` limits the bars to the most probable ones (10: all, in digit order).
void probability_bars(const char* id, const DigitProbabilities& p, int mark, int rows, float width);

}  // namespace nnplay::ui
