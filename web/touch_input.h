// Touch as the mouse for the page's ImGui (1.86), on top of SDL's own touch-to-mouse
// events. Two things SDL's translation leaves broken on phones are fixed here:
//   - A tap moves the pointer and presses in the same frame, but ImGui lets items such as
//     tabs take a press only if nothing else was hovered the frame before, so a second
//     tap (the pointer still resting where the first one was) would be lost. A touch
//     press is therefore held back one frame, in which the pointer only moves there.
//   - ImGui has no drag-to-scroll, so a finger that lands off any widget scrolls the
//     panel with the finger, as a phone page does; on a widget it drags the widget.
// Use: begin_frame() before polling events, take() for each event (true: consumed),
// before_new_frame() between the backend's NewFrame and ImGui::NewFrame().
#pragma once

#include <SDL.h>

struct ImGuiIO;

namespace nnplay::web {

class TouchAsMouse {
 public:
  void begin_frame();
  bool take(const SDL_Event& event, int window_height);
  void before_new_frame(ImGuiIO& io);

 private:
  bool press_pending_ = false;  // a touch press held back from the previous frame
  SDL_Event press_{};
  bool held_back_now_ = false;  // a press was held back in this frame's events
  bool scrolling_ = false;      // the finger went down off any widget
  float last_y_ = 0;            // the finger's last position, CSS px
  float scroll_px_ = 0;         // its movement since the last frame, CSS px
};

}  // namespace nnplay::web
