// nnplay's web page: the shared ImGui front end (nnplay::ui::App, the same panels as the
// desktop app) drawn into a WebGL2 canvas by SDL2 + ImGui's OpenGL3 backend in GLES 3.0
// mode, with training advanced in bounded slices inside each frame (single-threaded, so
// any static host can serve the page). The HTML shell and web/nnplay-glue.js own loading,
// errors, the live region, the URL and files (MNIST subset, weights in and out); this file
// only owns the context and the loop, and passes the app's file requests on.
//
// Arguments (passed by the glue from location.search): --settings "query-string".
// The exported nnplay_* functions are the page's hooks (live region, URL, tests, bench).
#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "shell/app.h"
#include "widgets/fonts.h"
#include "frame_stats.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "touch_input.h"

namespace {

// Everything the loop needs, on the heap: emscripten_set_main_loop_arg leaves main by
// unwinding, so main's locals must not hold it.
struct Page {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  nnplay::ui::App* app = nullptr;
  long frames = 0;
  int vertices = 0, indices = 0;  // the last frame's draw data (what WebGL receives each frame)
  int largest_list = 0;           // vertices of its largest draw list (16-bit indices reach 65,536)
  nnplay::web::FrameTimes frame_ms;  // a whole frame's work: events, panels, training, drawing
  nnplay::web::FrameTimes app_ms;    // App::frame() alone: panels and the training slice
  nnplay::web::FrameTimes gl_ms;     // the WebGL calls: clear, ImGui's draw lists, swap
  nnplay::web::TouchAsMouse touch;
  std::string out;  // storage behind the const char* the hooks return
};

// The one page of this program, reachable from the exported JS hooks (they take no
// context argument because JS calls them by name).
Page* g_page = nullptr;

// Shows a readable error in the page instead of a blank canvas (web/nnplay-glue.js).
void show_error(const std::string& what) {
  std::fprintf(stderr, "nnplay: %s\n", what.c_str());
  EM_ASM({ if (window.nnplayShowError) window.nnplayShowError(UTF8ToString($0)); }, what.c_str());
}

int fail(const char* step) {
  show_error(std::string(step) + " failed: " + SDL_GetError());
  return 1;
}

// Fonts are rasterised at the canvas's backing resolution (devicePixelRatio) and drawn
// at 1/ratio, so text is sharp on HiDPI screens; SDL keeps the backing size in step.
void setup_style(float fb_scale) {
  ImGuiIO& io = ImGui::GetIO();
  ImGui::StyleColorsDark();
  // Fingers are larger than mouse pointers: a little more room around touch targets.
  ImGui::GetStyle().TouchExtraPadding = ImVec2(4, 4);
  const std::string note = nnplay::ui::load_fonts("/fonts", std::round(15.0f * fb_scale));
  if (!note.empty()) std::fprintf(stderr, "nnplay: %s\n", note.c_str());
  io.FontGlobalScale = 1.0f / fb_scale;
}

// Passes what the app asks of the page (files to fetch, the file picker, downloads) to
// web/nnplay-glue.js, which answers through nnplay_test_command (mnist.data= and friends).
void hand_page_requests(const nnplay::ui::App::PageRequests& r) {
  if (r.fetch_mnist)
    EM_ASM({ if (window.nnplayFetchMnist) window.nnplayFetchMnist(UTF8ToString($0)); }, r.weights_url.c_str());
  if (r.pick_weights_file) EM_ASM({ if (window.nnplayPickWeights) window.nnplayPickWeights(); });
  if (!r.fetch_weights.empty())
    EM_ASM({ if (window.nnplayFetchWeights) window.nnplayFetchWeights(UTF8ToString($0)); }, r.fetch_weights.c_str());
  for (const std::string& path : r.downloads)
    EM_ASM({ if (window.nnplayDownload) window.nnplayDownload(UTF8ToString($0)); }, path.c_str());
}

void frame(void* arg) {
  Page& p = *static_cast<Page*>(arg);
  const double start = emscripten_get_now();

  // Touch acts as the mouse (SDL sends mouse events for a finger); TouchAsMouse mends
  // what that leaves broken in ImGui on phones: quick taps and drag-to-scroll.
  p.touch.begin_frame();
  int win_h = 0;
  SDL_GetWindowSize(p.window, nullptr, &win_h);
  SDL_Event event;
  while (SDL_PollEvent(&event))
    if (!p.touch.take(event, win_h)) ImGui_ImplSDL2_ProcessEvent(&event);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  p.touch.before_new_frame(ImGui::GetIO());
  ImGui::NewFrame();
  const double app_start = emscripten_get_now();
  p.app->frame();
  p.app_ms.add(float(emscripten_get_now() - app_start));
  ImGui::Render();

  const double gl_start = emscripten_get_now();
  int fb_w = 0, fb_h = 0;
  SDL_GL_GetDrawableSize(p.window, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  // The panels' window draws no background of its own (ui/shell/app.cpp): the clear is it.
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(p.window);
  p.gl_ms.add(float(emscripten_get_now() - gl_start));

  if (p.app->take_settings_changed()) {
    const std::string s = p.app->settings();
    EM_ASM({ if (window.nnplaySettingsChanged) window.nnplaySettingsChanged(UTF8ToString($0)); }, s.c_str());
  }
  hand_page_requests(p.app->take_page_requests());
  p.vertices = ImGui::GetDrawData()->TotalVtxCount;
  p.indices = ImGui::GetDrawData()->TotalIdxCount;
  p.largest_list = 0;
  for (int i = 0; i < ImGui::GetDrawData()->CmdListsCount; ++i)
    p.largest_list = std::max(p.largest_list, ImGui::GetDrawData()->CmdLists[i]->VtxBuffer.Size);
  if (++p.frames == 1) EM_ASM({ if (window.nnplayFirstFrame) window.nnplayFirstFrame(); });

  p.frame_ms.add(float(emscripten_get_now() - start));
}

std::string parse_settings_arg(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--settings") == 0) return argv[i + 1];
  return "";
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Hooks for the page (cwrap'ed by web/nnplay-glue.js). Strings returned stay valid until
// the next hook call.
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* nnplay_live_status() {
  if (!g_page || !g_page->app) return "";
  g_page->out = g_page->app->live_status();
  return g_page->out.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* nnplay_settings() {
  if (!g_page || !g_page->app) return "";
  g_page->out = g_page->app->settings();
  return g_page->out.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* nnplay_test_state() {
  if (!g_page || !g_page->app) return "null";
  g_page->out = g_page->app->test_state_json();
  return g_page->out.c_str();
}

EMSCRIPTEN_KEEPALIVE int nnplay_test_command(const char* cmd) {
  return g_page && g_page->app && g_page->app->test_command(cmd) ? 1 : 0;
}

// Durations of the last frames' work, in ms, the last frame's draw data size, and the
// WebAssembly heap: its size (it only grows) and the bytes malloc has handed out, which
// show a leak long before the heap has to grow (scripts/soak.sh watches both):
// {"frames":N,"vertices":V,"indices":I,"largest_list":L,"index_bytes":B,"frame":{..},"app":{..},"gl":{..},
//  "heap":{"size":S,"used":U}}.
EMSCRIPTEN_KEEPALIVE const char* nnplay_frame_stats() {
  if (!g_page) return "{\"frames\":0}";
  const size_t heap_size = __builtin_wasm_memory_size(0) * 65536;
  const size_t heap_used = size_t(mallinfo().uordblks);
  g_page->out = "{\"frames\":" + std::to_string(g_page->frames) + ",\"vertices\":" + std::to_string(g_page->vertices) +
                ",\"indices\":" + std::to_string(g_page->indices) +
                ",\"largest_list\":" + std::to_string(g_page->largest_list) +
                ",\"index_bytes\":" + std::to_string(sizeof(ImDrawIdx)) + ",\"frame\":" + g_page->frame_ms.json() +
                ",\"app\":" + g_page->app_ms.json() + ",\"gl\":" + g_page->gl_ms.json() +
                ",\"heap\":{\"size\":" + std::to_string(heap_size) + ",\"used\":" + std::to_string(heap_used) + "}}";
  return g_page->out.c_str();
}

}  // extern "C"

int main(int argc, char** argv) {
  auto* page = new Page();

  // 1. SDL
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) return fail("SDL_Init");

  // 2. GL attributes: GLES 3.0, which SDL maps to a WebGL2 context; no depth or stencil
  // buffer, which ImGui does not use (SDL would otherwise ask for a 16-bit depth buffer).
  const char* glsl_version = "#version 300 es";
  if (SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0) != 0 ||
      SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES) != 0 ||
      SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3) != 0 ||
      SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0) != 0 || SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1) != 0 ||
      SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0) != 0 || SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0) != 0) {
    const int rc = fail("SDL_GL_SetAttribute");
    SDL_Quit();
    return rc;
  }

  // 3. Window (the #canvas element; its CSS size decides the window size because the
  // window is resizable) and context. ALLOW_HIGHDPI: backing store = CSS size * DPR.
  const auto flags = SDL_WindowFlags(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  page->window = SDL_CreateWindow("nnplay", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800, flags);
  if (!page->window) {
    const int rc = fail("SDL_CreateWindow");
    SDL_Quit();
    return rc;
  }
  page->gl = SDL_GL_CreateContext(page->window);
  if (!page->gl) {
    const int rc = fail("Creating a WebGL2 context (SDL_GL_CreateContext)");
    SDL_DestroyWindow(page->window);
    SDL_Quit();
    return rc;
  }
  SDL_GL_MakeCurrent(page->window, page->gl);

  // 4. Vsync: the browser paces frames with requestAnimationFrame (main loop fps 0 below),
  // so a refusal here (no main loop exists yet) changes nothing; it is only reported.
  if (SDL_GL_SetSwapInterval(1) != 0) std::printf("nnplay: SDL_GL_SetSwapInterval: %s\n", SDL_GetError());

  // 5. ImGui context; no imgui.ini, a page has no disk to keep it on.
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;

  // 6. Style and DPI
  int win_w = 0, win_h = 0, fb_w = 0, fb_h = 0;
  SDL_GetWindowSize(page->window, &win_w, &win_h);
  SDL_GL_GetDrawableSize(page->window, &fb_w, &fb_h);
  const float fb_scale = win_w > 0 ? std::max(1.0f, float(fb_w) / float(win_w)) : 1.0f;
  setup_style(fb_scale);

  // 7. Platform backend, then 8. renderer backend
  if (!ImGui_ImplSDL2_InitForOpenGL(page->window, page->gl)) {
    show_error(std::string("ImGui_ImplSDL2_InitForOpenGL failed: ") + SDL_GetError());
    return 1;
  }
  if (!ImGui_ImplOpenGL3_Init(glsl_version)) {
    show_error("ImGui_ImplOpenGL3_Init failed (WebGL2 shaders)");
    return 1;
  }
  std::printf("nnplay: %s, canvas %dx%d CSS px, backing %dx%d\n", reinterpret_cast<const char*>(glGetString(GL_VERSION)),
              win_w, win_h, fb_w, fb_h);

  // The browser's language decides the app's when the URL does not (lang=en|ko).
  const std::string locale = emscripten_run_script_string("String(navigator.language || '')");
  page->app = new nnplay::ui::App(parse_settings_arg(argc, argv), nnplay::ui::TrainingMode::PerFrameSlices, locale);
  for (const std::string& w : page->app->warnings()) std::printf("nnplay: settings: %s\n", w.c_str());
  g_page = page;

  // The browser owns the loop from here; the page lives until the tab closes, so the
  // reverse-order cleanup of the desktop main never runs here.
  emscripten_set_main_loop_arg(frame, page, 0, true);
  return 0;
}
