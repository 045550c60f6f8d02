// Small drawing helpers on ImGui's draw list, shared by the panels: a canvas reserved
// in the layout, the mapping from a plane region to screen pixels, heat maps, lines and
// half-planes clipped to the region, the two class colours, and a multi-series line plot.
// Only imgui.h: no platform or GL code.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"

namespace nnplay::ui {

// Class colours: 0 orange, 1 blue; probabilities blend through near-white at 0.5.
ImU32 class_color(int label, int alpha = 255);
ImU32 probability_color(float p, int alpha = 255);  // NaN: grey
// A value in [lo, hi] on the same orange → white → blue ramp (hidden neuron maps).
ImU32 ramp_color(float v, float lo, float hi, int alpha = 255);

// A square (or w×h) region reserved in the layout with an invisible button, so that it
// scrolls with the window and reports hovering. Returns its screen rectangle.
struct Canvas {
  ImVec2 p0, p1;
  bool hovered = false;
  float width() const { return p1.x - p0.x; }
  float height() const { return p1.y - p0.y; }
};
Canvas reserve_canvas(const char* id, float width, float height);

// Maps plane coordinates (x1 right, x2 up) in [x0, x1'] × [y0, y1'] onto a canvas.
struct PlaneMap {
  Canvas canvas;
  float x0, y0, x1, y1;
  ImVec2 to_screen(float a, float b) const;
  void to_plane(ImVec2 s, float& a, float& b) const;
};

// grid × grid values, row 0 at the top, drawn as cells over the whole canvas. step > 1
// draws every step-th cell (grid/step per side) for small thumbnails.
void draw_heat_map(ImDrawList* dl, const Canvas& c, const std::vector<float>& values, int grid,
                   ImU32 (*color)(float v, float lo, float hi, int alpha), float lo, float hi, int alpha = 255,
                   int step = 1);
// The line a·x1 + b·x2 + c = 0 clipped to the map's region (nothing if it misses it).
void draw_plane_line(ImDrawList* dl, const PlaneMap& m, float a, float b, float c, ImU32 col, float thickness);
// Shades where a·x1 + b·x2 + c > 0 inside the map's region.
void fill_half_plane(ImDrawList* dl, const PlaneMap& m, float a, float b, float c, ImU32 col);
// The frame and the unit ticks of a map (0 and 1 on both axes when in range).
void draw_plane_frame(ImDrawList* dl, const PlaneMap& m);

struct Series {
  std::string label;
  const std::vector<float>* y;
  ImU32 color;
};
// Line plot of series over shared x values, with a legend, the y range's labels and a
// hover readout. Non-finite points are skipped. log_y plots log10 (for losses).
void line_plot(const char* id, const std::vector<float>& x, const std::vector<Series>& series, float height,
               bool log_y, const char* x_label);

// Text in a colour for one line, a helper for "ok"/"wrong" markers.
void colored_text(ImU32 col, const char* text);

}  // namespace nnplay::ui
