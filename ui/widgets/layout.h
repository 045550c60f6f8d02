// A panel's layout: on screens from kWideWidth logical pixels, three columns side by side
// (what you set | what you watch | what it measured, as in the TensorFlow Playground);
// below that, one column, stacked, for phones. Panels write their three parts in order
// and call next() between them. report_rect() records where a named item landed (the
// panel's main visual, its train button), for the state report that the browser tests
// read to check that it is inside the viewport.
#pragma once

#include <array>
#include <map>
#include <string>

namespace nnplay::ui {

constexpr float kWideWidth = 1000.0f;

// Screen rectangles (x, y, width, height) of named items, in logical pixels.
using RectReport = std::map<std::string, std::array<float, 4>>;

class PanelLayout {
 public:
  // set and measured: the first and last columns' shares of the width (the middle one,
  // what you watch, takes the rest).
  explicit PanelLayout(const char* id, float set = 0.25f, float measured = 0.27f);
  ~PanelLayout();
  PanelLayout(const PanelLayout&) = delete;
  PanelLayout& operator=(const PanelLayout&) = delete;

  bool wide() const { return wide_; }
  void next();  // to the next column (stacked: a little space)

 private:
  bool wide_ = false, table_ = false;
};

// The width a control gets: its content's, not the whole column (about 14 characters
// for a slider, at most the space left).
float control_width(float chars = 14.0f);

// Records the last ImGui item's rectangle under name.
void report_rect(RectReport& report, const char* name);

}  // namespace nnplay::ui
