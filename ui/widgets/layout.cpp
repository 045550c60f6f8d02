// Columns on wide screens, a stack on phones (see layout.h).
#include "widgets/layout.h"

#include <algorithm>

#include "imgui.h"

namespace nnplay::ui {

PanelLayout::PanelLayout(const char* id, float set, float measured) {
  wide_ = ImGui::GetContentRegionAvail().x >= kWideWidth - 2 * ImGui::GetStyle().WindowPadding.x;
  if (!wide_) return;
  table_ = ImGui::BeginTable(id, 3, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerV |
                                        ImGuiTableFlags_PadOuterX);
  if (!table_) return;
  ImGui::TableSetupColumn("set", ImGuiTableColumnFlags_WidthStretch, set);
  ImGui::TableSetupColumn("watch", ImGuiTableColumnFlags_WidthStretch, std::max(0.1f, 1.0f - set - measured));
  ImGui::TableSetupColumn("measured", ImGuiTableColumnFlags_WidthStretch, measured);
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
}

PanelLayout::~PanelLayout() {
  if (table_) ImGui::EndTable();
}

void PanelLayout::next() {
  if (table_) {
    ImGui::TableNextColumn();
  } else {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
  }
}

float control_width(float chars) {
  return std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * chars);
}

void report_rect(RectReport& report, const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  report[name] = {a.x, a.y, b.x - a.x, b.y - a.y};
}

}  // namespace nnplay::ui
