// The look the designed panels share: section headings, the right/wrong colours of
// verdicts, and the height a panel's main visual gets so that it fills the first screen.
// Header-only and imgui.h only, like the rest of the widgets.
#pragma once

#include <algorithm>
#include <initializer_list>

#include "imgui.h"

namespace nnplay::ui {

// Verdict colours, readable on the dark background: green for "as it should be", red
// for a wrong output or a broken number, amber for what just happened.
inline constexpr ImU32 kGoodColor = IM_COL32(96, 200, 110, 255);
inline constexpr ImU32 kBadColor = IM_COL32(235, 84, 84, 255);
inline constexpr ImU32 kAccentColor = IM_COL32(250, 210, 60, 255);
// Headings: the class-1 blue lightened so it reads on the dark window.
inline constexpr ImU32 kHeadingColor = IM_COL32(110, 178, 228, 255);

// A section heading: a little air, the title, a rule under it (Dear ImGui 1.86 has no
// SeparatorText).
inline void heading(const char* title) {
  ImGui::Dummy(ImVec2(0, ImGui::GetStyle().ItemSpacing.y));
  ImGui::PushStyleColor(ImGuiCol_Text, kHeadingColor);
  ImGui::TextUnformatted(title);
  ImGui::PopStyleColor();
  ImGui::Separator();
}

// Wrapped text in the dim colour (explanations and captions under a visual).
inline void disabled_wrapped(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

// Wrapped text in a colour (a verdict that may not fit on one line).
inline void colored_wrapped(ImU32 col, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, col);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

// The height of a panel's main visual: what is left of the window below the cursor,
// less `below` pixels for what must stay visible under it, but never under 40% of the
// viewport (the visual stays the largest thing on the screen) nor over `limit`.
inline float main_visual_height(float below, float limit) {
  const float viewport = ImGui::GetMainViewport()->WorkSize.y;
  const float left = ImGui::GetContentRegionAvail().y - below;
  return std::min(limit, std::max(left, viewport * 0.42f));
}

// One entry of a visual's legend: a dot (or a square, for bars) filled and/or ringed in
// the colours the visual uses, then what it means.
struct LegendItem {
  ImU32 fill = 0, ring = 0;
  const char* text = "";
  bool square = false;
};

// The entries on as few lines as the width allows.
inline void legend(std::initializer_list<LegendItem> items) {
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  const float r = ImGui::GetFontSize() * 0.32f, h = ImGui::GetTextLineHeight();
  const float inner = ImGui::GetStyle().ItemInnerSpacing.x;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  bool first = true;
  for (const LegendItem& it : items) {
    const float width = 2 * r + 2 + inner + ImGui::CalcTextSize(it.text).x;
    if (!first) {
      ImGui::SameLine(0, ImGui::GetFontSize());
      if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
    }
    first = false;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(2 * r + 2, h));
    const ImVec2 c(p.x + r + 1, p.y + h * 0.5f);
    if (it.square) {
      if (it.fill) dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), it.fill);
      if (it.ring) dl->AddRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), it.ring, 0, 0, 1.5f);
    } else {
      if (it.fill) dl->AddCircleFilled(c, r, it.fill);
      if (it.ring) dl->AddCircle(c, r, it.ring, 0, 2.0f);
    }
    ImGui::SameLine(0, inner);
    ImGui::TextDisabled("%s", it.text);
  }
}

}  // namespace nnplay::ui
