// nnplay: the desktop app. An SDL2 window with an OpenGL 3 context that draws the shared
// ImGui front end (nnplay::ui::App, the same panels as the web page) once per frame, with
// training on a worker thread. This file only owns the window, the GL context and the
// ImGui backends; it knows nothing about panels or models.
//
//   nnplay [--settings "panel=network&lr=0.1"] [--self-test] [--screenshot FILE] [--frames N]
//          [--soak SECONDS]
//
// --self-test walks every panel (App::self_test_step) and exits 0 on success, 1 on failure.
// --soak drives the app for that long and reports its memory and frame time (soak.h);
// exits 0 when they held and everything worked, 1 otherwise.
// --screenshot saves the framebuffer as a PNG once the run ends (after --frames frames,
// after the self-test, or when the window is closed).
#include <SDL.h>
#include <SDL_opengl.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "shell/app.h"
#include "widgets/fonts.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "screenshot.h"
#include "soak.h"

namespace {

struct Options {
  std::string settings;
  bool self_test = false;
  std::string screenshot;
  long frames = 0;               // 0: run until the window is closed
  float scale = 0;               // UI scale; 0: from the display's DPI
  double self_test_timeout = 300;  // seconds; the self-test's own checks time out earlier
  double soak = 0;                 // seconds; 0: no soak
  int width = 1280, height = 800;
};

// UI scale from the display's DPI relative to the usual 96, in steps of 1/4 so text stays
// crisp, clamped because X servers without a real monitor report odd physical sizes.
float display_scale(int display) {
  float ddpi = 0;
  if (SDL_GetDisplayDPI(display, &ddpi, nullptr, nullptr) != 0 || !std::isfinite(ddpi) || ddpi <= 0) return 1.0f;
  return std::clamp(std::round(ddpi / 96.0f * 4.0f) / 4.0f, 1.0f, 3.0f);
}

// Fonts are rasterised at the framebuffer's resolution (fb_scale > 1 on HiDPI screens)
// and drawn at 1/fb_scale, so text is sharp where logical and physical pixels differ.
void setup_style(float ui_scale, float fb_scale) {
  ImGuiIO& io = ImGui::GetIO();
  ImGui::StyleColorsDark();
  ImGui::GetStyle().ScaleAllSizes(ui_scale);
  const std::string note = nnplay::ui::load_fonts(NNPLAY_FONT_DIR, std::round(15.0f * ui_scale * fb_scale));
  if (!note.empty()) std::fprintf(stderr, "nnplay: %s\n", note.c_str());
  io.FontGlobalScale = 1.0f / fb_scale;
}

int fail(const char* step) {
  std::fprintf(stderr, "nnplay: %s failed: %s\n", step, SDL_GetError());
  return 2;
}

int run(const Options& opt) {
  // 1. SDL
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) return fail("SDL_Init");

  // 2. GL attributes: OpenGL 3.0 core with GLSL 130, as ImGui's SDL2 + OpenGL3 example.
  const char* glsl_version = "#version 130";
  if (SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0) != 0 ||
      SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE) != 0 ||
      SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3) != 0 ||
      SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0) != 0 || SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1) != 0 ||
      SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24) != 0 || SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8) != 0) {
    const int rc = fail("SDL_GL_SetAttribute");
    SDL_Quit();
    return rc;
  }

  // 3. Window and context
  const float scale = opt.scale > 0 ? opt.scale : display_scale(0);
  const auto flags = SDL_WindowFlags(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_Window* window = SDL_CreateWindow("nnplay", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                        int(opt.width * scale), int(opt.height * scale), flags);
  if (!window) {
    const int rc = fail("SDL_CreateWindow");
    SDL_Quit();
    return rc;
  }
  SDL_GLContext gl = SDL_GL_CreateContext(window);
  if (!gl) {
    const int rc = fail("SDL_GL_CreateContext");
    SDL_DestroyWindow(window);
    SDL_Quit();
    return rc;
  }
  SDL_GL_MakeCurrent(window, gl);

  // 4. Vsync. Software GL (e.g. under Xvfb) may not have it: then cap the loop instead.
  const bool vsync = SDL_GL_SetSwapInterval(1) == 0;
  if (!vsync) std::fprintf(stderr, "nnplay: no vsync (%s); capping at 60 frames per second\n", SDL_GetError());

  // 5. ImGui context. No imgui.ini: the app keeps its state in --settings, not in side files.
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;

  // 6. Style and DPI
  int win_w = 0, win_h = 0, fb_w = 0, fb_h = 0;
  SDL_GetWindowSize(window, &win_w, &win_h);
  SDL_GL_GetDrawableSize(window, &fb_w, &fb_h);
  const float fb_scale = win_w > 0 ? std::max(1.0f, float(fb_w) / float(win_w)) : 1.0f;
  setup_style(scale, fb_scale);

  // 7. Platform backend, then 8. renderer backend
  if (!ImGui_ImplSDL2_InitForOpenGL(window, gl)) {
    std::fprintf(stderr, "nnplay: ImGui_ImplSDL2_InitForOpenGL failed: %s\n", SDL_GetError());
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 2;
  }
  if (!ImGui_ImplOpenGL3_Init(glsl_version)) {
    std::fprintf(stderr, "nnplay: ImGui_ImplOpenGL3_Init failed (OpenGL 3 loader): %s\n", SDL_GetError());
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 2;
  }
  std::printf("nnplay: OpenGL %s (%s), window %dx%d, framebuffer %dx%d, UI scale %.2f\n",
              reinterpret_cast<const char*>(glGetString(GL_VERSION)),
              reinterpret_cast<const char*>(glGetString(GL_RENDERER)), win_w, win_h, fb_w, fb_h, double(scale));

  int status = 0;
  {
    // The system's language decides the app's when --settings does not (lang=en|ko).
    const char* locale = std::getenv("LC_ALL");
    if (!locale || !*locale) locale = std::getenv("LC_MESSAGES");
    if (!locale || !*locale) locale = std::getenv("LANG");
    nnplay::ui::App app(opt.settings, nnplay::ui::TrainingMode::WorkerThread, locale ? locale : "");
    for (const std::string& w : app.warnings()) std::fprintf(stderr, "nnplay: settings: %s\n", w.c_str());
    std::unique_ptr<nnplay::desktop::Soak> soak;
    if (opt.soak > 0) soak = std::make_unique<nnplay::desktop::Soak>(app, opt.soak);
    const double ticks_per_ms = double(SDL_GetPerformanceFrequency()) / 1000.0;

    const Uint64 start = SDL_GetTicks64();
    std::string log;
    bool done = false;
    for (long frame = 1; !done; ++frame) {
      const Uint64 frame_start = SDL_GetTicks64();
      const Uint64 frame_counter = SDL_GetPerformanceCounter();
      SDL_Event event;
      while (SDL_PollEvent(&event)) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_QUIT) done = true;
        if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
            event.window.windowID == SDL_GetWindowID(window))
          done = true;
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplSDL2_NewFrame();
      ImGui::NewFrame();
      app.frame();
      ImGui::Render();

      SDL_GL_GetDrawableSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      // The panels' window draws no background of its own (ui/shell/app.cpp): the clear is it.
      const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
      glClearColor(bg.x, bg.y, bg.z, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

      if (opt.self_test) {
        const int verdict = app.self_test_step(log);
        if (verdict >= 0) {
          status = verdict;
          done = true;
        } else if (double(SDL_GetTicks64() - start) / 1000.0 > opt.self_test_timeout) {
          log += "self-test: no verdict within the time limit\n";
          status = 1;
          done = true;
        }
      }
      if (opt.frames > 0 && frame >= opt.frames) done = true;
      // The picture of the last frame, read from the back buffer before it is swapped away.
      if (done && !opt.screenshot.empty()) {
        const std::string err = nnplay::desktop::save_framebuffer_png(opt.screenshot, fb_w, fb_h);
        if (err.empty()) {
          std::printf("nnplay: screenshot %s (%dx%d, frame %ld)\n", opt.screenshot.c_str(), fb_w, fb_h, frame);
        } else {
          std::fprintf(stderr, "nnplay: screenshot failed: %s\n", err.c_str());
          status = status ? status : 3;
        }
      }
      SDL_GL_SwapWindow(window);
      if (soak) {
        // The frame's own work, up to the swap; the cap's wait below is not part of it.
        const int verdict = soak->after_frame(double(SDL_GetPerformanceCounter() - frame_counter) / ticks_per_ms);
        if (verdict >= 0) {
          status = verdict;
          done = true;
        }
      }
      if (!vsync) {
        const Uint64 spent = SDL_GetTicks64() - frame_start;
        if (spent < 16) SDL_Delay(Uint32(16 - spent));
      }
    }
    if (opt.self_test) {
      std::fputs(log.c_str(), stdout);
      std::printf("nnplay: self-test %s\n", status == 0 ? "passed" : "FAILED");
    }
    std::fflush(stdout);
  }  // the App (and its training thread) goes before the GL context it drew into

  // Cleanup in reverse order of set-up.
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  CLI::App cli{"nnplay: perceptrons, XOR and softmax regression, trained live (desktop app)"};
  cli.add_option("--settings", opt.settings, "Settings in URL query form, e.g. \"panel=network&lr=0.1\"");
  cli.add_flag("--self-test", opt.self_test, "Walk every panel and check real results; exit 0 if all pass");
  cli.add_option("--screenshot", opt.screenshot, "Save the last frame as a PNG file");
  cli.add_option("--frames", opt.frames, "Quit after this many frames (0: run until closed)")->check(CLI::NonNegativeNumber);
  cli.add_option("--scale", opt.scale, "UI scale (0: from the display's DPI)")->check(CLI::Range(0.0, 4.0));
  cli.add_option("--size", [&opt](const CLI::results_t& r) {
        return std::sscanf(r[0].c_str(), "%dx%d", &opt.width, &opt.height) == 2 && opt.width > 0 && opt.height > 0;
      }, "Window size in logical pixels, WIDTHxHEIGHT (default 1280x800)");
  cli.add_option("--self-test-timeout", opt.self_test_timeout, "Seconds before --self-test gives up");
  cli.add_option("--soak", opt.soak,
                 "Drive every panel for this many seconds, printing memory and frame time every 10 s; exit 1 if "
                 "memory kept growing, frame time crept or anything failed")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(cli, argc, argv);
  return run(opt);
}
