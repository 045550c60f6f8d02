// Digits, weight images and probability bars drawn with rectangles.
#include "widgets/digit_drawing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nnplay::ui {

namespace {

const ImU32 kPaper = IM_COL32(250, 250, 250, 255);

ImU32 ink(float v) {
  const int g = int(std::lround(250.0f * (1.0f - std::clamp(v, 0.0f, 1.0f))));
  return IM_COL32(g, g, g, 255);
}

template <typename T>
void draw_cells(ImDrawList* dl, ImVec2 p0, float size, const T* image, float scale) {
  dl->AddRectFilled(p0, ImVec2(p0.x + size, p0.y + size), kPaper);
  const float cell = size / 28.0f;
  // Only the inked cells: most of a digit is background, and fewer rectangles keep the
  // many thumbnails cheap to draw.
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) {
      const float v = float(image[r * 28 + c]) * scale;
      if (v <= 0.0f) continue;
      const ImVec2 a(p0.x + cell * float(c), p0.y + cell * float(r));
      dl->AddRectFilled(a, ImVec2(a.x + cell + 0.25f, a.y + cell + 0.25f), ink(v));
    }
}

}  // namespace

void draw_digit(ImDrawList* dl, ImVec2 p0, float size, const float* image) { draw_cells(dl, p0, size, image, 1.0f); }

void draw_digit(ImDrawList* dl, ImVec2 p0, float size, const uint8_t* image) {
  draw_cells(dl, p0, size, image, 1.0f / 255.0f);
}

ImU32 diverging_color(float v, float scale) {
  if (!std::isfinite(v) || !(scale > 0)) return IM_COL32(128, 128, 128, 255);
  const float t = std::clamp(v / scale, -1.0f, 1.0f);
  // White at 0, towards a saturated blue (negative) or red (positive).
  const float a = std::fabs(t);
  const float r = t < 0 ? 255.0f - a * (255.0f - 33.0f) : 255.0f - a * (255.0f - 203.0f);
  const float g = t < 0 ? 255.0f - a * (255.0f - 102.0f) : 255.0f - a * (255.0f - 24.0f);
  const float b = t < 0 ? 255.0f - a * (255.0f - 172.0f) : 255.0f - a * (255.0f - 29.0f);
  return IM_COL32(int(r), int(g), int(b), 255);
}

void draw_weight_image(ImDrawList* dl, ImVec2 p0, float size, const float* weights, float scale) {
  const float cell = size / 28.0f;
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) {
      const ImVec2 a(p0.x + cell * float(c), p0.y + cell * float(r));
      dl->AddRectFilled(a, ImVec2(a.x + cell + 0.25f, a.y + cell + 0.25f), diverging_color(weights[r * 28 + c], scale));
    }
}

void probability_bars(const char* id, const DigitProbabilities& p, int mark, int rows, float width) {
  ImGui::PushID(id);
  int order[10];
  for (int k = 0; k < 10; ++k) order[k] = k;
  if (rows < 10) std::stable_sort(order, order + 10, [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
  const int best = argmax(p);
  const float h = ImGui::GetTextLineHeight();
  const float label_w = ImGui::CalcTextSize("0 ").x;
  const float value_w = ImGui::CalcTextSize(" 0.000").x;
  const float bar_w = std::max(20.0f, width - label_w - value_w);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int i = 0; i < rows && i < 10; ++i) {
    const int k = order[i];
    const float v = std::isfinite(p[size_t(k)]) ? p[size_t(k)] : 0.0f;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImU32 text = k == mark ? IM_COL32(120, 200, 255, 255) : ImGui::GetColorU32(ImGuiCol_Text);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d", k);
    dl->AddText(at, text, buf);
    const ImVec2 b0(at.x + label_w, at.y + 2), b1(at.x + label_w + bar_w, at.y + h - 1);
    dl->AddRectFilled(b0, b1, ImGui::GetColorU32(ImGuiCol_FrameBg));
    dl->AddRectFilled(b0, ImVec2(b0.x + bar_w * v, b1.y),
                      k == best ? IM_COL32(80, 180, 90, 255) : IM_COL32(110, 130, 160, 255));
    std::snprintf(buf, sizeof buf, " %.3f", double(v));
    dl->AddText(ImVec2(b1.x, at.y), text, buf);
    ImGui::Dummy(ImVec2(width, h));
  }
  ImGui::PopID();
}

}  // namespace nnplay::ui
