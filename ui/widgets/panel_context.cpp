// The panels' shared context (see panel_context.h).
#include "widgets/panel_context.h"

#include "imgui.h"

namespace nnplay::ui {

bool shown(const PanelContext& ui, const char* control) {
  if (ui.hidden)
    for (const std::string& h : *ui.hidden)
      if (h == control) return false;
  return true;
}

bool section(const PanelContext& ui, const char* title, bool default_open) {
  if (ui.expand_all) ImGui::SetNextItemOpen(true);
  return ImGui::CollapsingHeader(title, default_open ? ImGuiTreeNodeFlags_DefaultOpen : 0);
}

}  // namespace nnplay::ui
