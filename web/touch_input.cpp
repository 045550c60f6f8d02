// Touch as the mouse for the page's ImGui: see touch_input.h for what and why.
#include "touch_input.h"

#include "imgui.h"
#include "imgui_impl_sdl.h"
#include "imgui_internal.h"  // ImGuiContext::HoveredId (ImGui is pinned at 1.86)

namespace nnplay::web {

void TouchAsMouse::begin_frame() {
  held_back_now_ = false;
  if (!press_pending_) return;
  ImGui_ImplSDL2_ProcessEvent(&press_);
  press_pending_ = false;
  // HoveredId is what the pointer hovered in the frame just drawn, at the finger's place
  // (IsAnyItemHovered() would also count the frame before, at the previous tap's place).
  scrolling_ = ImGui::GetCurrentContext()->HoveredId == 0;
}

bool TouchAsMouse::take(const SDL_Event& event, int window_height) {
  switch (event.type) {
    case SDL_MOUSEBUTTONDOWN:
      if (event.button.which != SDL_TOUCH_MOUSEID || held_back_now_) return false;
      press_ = event;
      press_pending_ = held_back_now_ = true;
      return true;
    case SDL_FINGERDOWN:
      last_y_ = event.tfinger.y * float(window_height);
      return false;
    case SDL_FINGERMOTION: {
      const float y = event.tfinger.y * float(window_height);
      if (scrolling_) scroll_px_ += y - last_y_;
      last_y_ = y;
      return false;
    }
    case SDL_FINGERUP:
      scrolling_ = false;
      return false;
    default:
      return false;
  }
}

void TouchAsMouse::before_new_frame(ImGuiIO& io) {
  if (held_back_now_) io.MouseDown[0] = false;  // the backend has read SDL's button state
  if (scroll_px_ != 0) {
    // One wheel notch scrolls an ImGui window by 5 lines of text: move the content with the finger.
    io.MouseWheel += scroll_px_ / (5.0f * ImGui::GetFontSize());
    scroll_px_ = 0;
  }
}

}  // namespace nnplay::web
