// A headless ImGui front end for the UI suites: one real ImGui context per test with a
// fake display and a built font atlas, App::frame() between NewFrame and Render, the
// mouse swept over the display so hover code (tooltips) runs too, and frames with the
// pointer placed and pressed as a mouse, finger or pen would (the platform layers hand
// all three to ImGui as the mouse).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "shell/app.h"
#include "imgui.h"

namespace nnplay::test {

class Headless {
 public:
  explicit Headless(ImVec2 display = ImVec2(1280, 800)) {
    IMGUI_CHECKVERSION();
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    // Real renderers (OpenGL3, WebGL2) set this, which lets big draw lists exceed 64k vertices.
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    EXPECT_GT(w, 0);
    EXPECT_GT(h, 0);
  }
  ~Headless() { ImGui::DestroyContext(ctx_); }
  Headless(const Headless&) = delete;
  Headless& operator=(const Headless&) = delete;

  // One frame; the mouse walks a grid over the display, not pressed.
  void frame(ui::App& app) {
    ImGuiIO& io = ImGui::GetIO();
    const int cols = 23, rows = 37;
    const int k = int(count_++ % (cols * rows));
    io.MousePos = ImVec2(io.DisplaySize.x * (float(k % cols) + 0.5f) / cols,
                         io.DisplaySize.y * (float(k / cols) + 0.5f) / rows);
    io.MouseDown[0] = false;
    render(app);
  }
  // One frame with the pointer at `pos`, pressed or not.
  void frame_at(ui::App& app, ImVec2 pos, bool down) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = pos;
    io.MouseDown[0] = down;
    render(app);
  }
  // A click at `pos`: hover, press, release (ImGui's buttons fire on release).
  void click(ui::App& app, ImVec2 pos) {
    frame_at(app, pos, false);
    frame_at(app, pos, true);
    frame_at(app, pos, false);
  }
  void frames(ui::App& app, int n) {
    for (int i = 0; i < n; ++i) frame(app);
  }
  // Frames until pred holds or the wall-clock limit passes; returns whether it held.
  bool frames_until(ui::App& app, const std::function<bool()>& pred, double seconds = 180.0) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
      frame(app);
      if (pred()) return true;
    }
    return false;
  }
  int vertices() const { return vertices_; }

 private:
  void render(ui::App& app) {
    ImGui::NewFrame();
    app.frame();
    ImGui::Render();
    ImDrawData* dd = ImGui::GetDrawData();
    ASSERT_NE(dd, nullptr);
    ASSERT_TRUE(dd->Valid);
    vertices_ = dd->TotalVtxCount;
  }

  ImGuiContext* ctx_ = nullptr;
  long count_ = 0;
  int vertices_ = 0;
};

}  // namespace nnplay::test
