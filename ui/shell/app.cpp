// App: owns the UI state, advances training, and draws every panel once per frame in
// one full-viewport window with a tab per panel (each panel lays itself out in columns on
// wide screens and stacks them on phones; solo=1 shows one panel without the tabs).
#include "shell/app.h"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <utility>

#include "imgui.h"
#include "mnist/mnist_actions.h"
#include "mnist/mnist_panel.h"
#include "shell/app_actions.h"
#include "shell/app_state.h"
#include "testing/state_report.h"
#include "widgets/translations.h"

namespace nnplay::ui {

namespace {

// MNIST training time per frame in the page. The panel draws in about 2 ms, so 10 ms of
// training keeps the page's own work within a 60 Hz frame (16.7 ms) while the browser
// rasterises the last one, and an epoch of the small CNN on the 10,000-image subset takes
// a few seconds of wall-clock time rather than ten (docs/benchmarks-web.md).
constexpr double kMnistSliceMs = 10.0;

struct Tab {
  PanelId id;
  const char* title;
  void (*draw)(AppState&);
};

// One row per panel.
const Tab kTabs[] = {
    {PanelId::Gates, "Perceptron & gates", [](AppState& st) { draw_gates_panel(st.gates_panel); }},
    {PanelId::LossLab, "Loss lab", [](AppState& st) { draw_loss_lab_panel(st.loss_panel); }},
    {PanelId::Network, "Network lab", [](AppState& st) { draw_network_lab_panel(st.network_panel); }},
    {PanelId::Mnist, "MNIST", [](AppState& st) { draw_mnist_panel(st.mnist_panel); }},
    {PanelId::OneStep, "One step", [](AppState& st) { draw_one_step_panel(st.step_panel); }},
};

void draw_header(AppState& st) {
  if (st.ui.warnings.empty()) return;
  char title[64];
  std::snprintf(title, sizeof title, "%s###warnings", trf("Settings warnings (%d)", int(st.ui.warnings.size())).c_str());
  if (section(st.ui, title)) {
    for (const std::string& w : st.ui.warnings) ImGui::BulletText("%s", w.c_str());
    if (ImGui::Button(tr("Dismiss"))) st.ui.warnings.clear();
  }
}

// The language switch, at the right end of the tab bar's line.
void draw_language_switch(AppState& st, float tabs_right) {
  const char* names[] = {"English", "한국어"};
  const float width = ImGui::CalcTextSize(names[1]).x + ImGui::CalcTextSize(names[0]).x +
                      ImGui::GetStyle().ItemSpacing.x * 3 + ImGui::GetStyle().FramePadding.x * 4;
  // Beside the tabs where they leave room (a laptop), on a line of its own on a phone.
  const float tabs_end = tabs_right - ImGui::GetWindowPos().x;
  const float at = ImGui::GetWindowContentRegionMax().x - width;
  if (at > tabs_end + ImGui::GetFontSize()) ImGui::SameLine(at);
  else ImGui::SetCursorPosX(std::max(0.0f, at));
  for (int i = 0; i < 2; ++i) {
    const Lang l = i == 0 ? Lang::En : Lang::Ko;
    if (i) ImGui::SameLine();
    const bool on = st.s.lang == l;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::SmallButton(names[i])) st.s.lang = l;
    if (on) ImGui::PopStyleColor();
  }
}

void draw_share(AppState& st) {
  if (!section(st.ui, tr("Share these settings"))) return;
  std::string text = format_settings(st.s);
  ImGui::TextWrapped("%s", tr("Every panel's settings, seed included; opening them again restores this state:"));
  ImGui::InputTextMultiline("##settings", text.data(), text.size() + 1, ImVec2(-FLT_MIN, ImGui::GetFontSize() * 4),
                            ImGuiInputTextFlags_ReadOnly);
}

}  // namespace

App::App(const std::string& settings, TrainingMode mode, const std::string& locale)
    : state_(std::make_unique<AppState>()) {
  AppState& st = *state_;
  set_default_lang(lang_from_locale(locale));
  st.ui.mode = mode;
#if !NNPLAY_UI_HAVE_THREADS
  if (mode == TrainingMode::WorkerThread)
    st.ui.warnings.push_back("this build has no threads: training runs in per-frame slices instead");
  st.ui.mode = TrainingMode::PerFrameSlices;
#endif
  st.s = parse_settings(settings, st.ui.warnings);
  set_language(st.s.lang);
  init_runtime(st);
  st.ui.select_tab = st.s.panel;
  st.published_settings = format_settings(st.s);
}

App::~App() = default;

void App::frame() {
  AppState& st = *state_;
  ++st.frames;
  network_frame(st.network_panel);
  gates_frame(st.gates_panel, double(ImGui::GetIO().DeltaTime));
  mnist_frame(st.mnist_panel, kMnistSliceMs);  // nothing until the MNIST panel is first used

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 // The mains clear the screen with the window colour: painting
                                 // it again would cost a full-screen blend per frame, which a
                                 // software WebGL rasteriser feels.
                                 ImGuiWindowFlags_NoBackground;
  set_language(st.s.lang);
  if (ImGui::Begin("nnplay", nullptr, flags)) {
    draw_header(st);
    if (st.s.solo) {
      // One panel alone, for a course page's iframe: no tabs, no sharing box.
      for (const Tab& tab : kTabs)
        if (tab.id == st.s.panel) tab.draw(st);
    } else {
      float tabs_right = 0;  // where the last tab ends (screen x)
      if (ImGui::BeginTabBar("panels")) {
        for (const Tab& tab : kTabs) {
          const bool select = st.ui.select_tab && *st.ui.select_tab == tab.id;
          char label[96];
          std::snprintf(label, sizeof label, "%s###%s", tr(tab.title), panel_key(tab.id));
          const bool open = ImGui::BeginTabItem(label, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0);
          tabs_right = std::max(tabs_right, ImGui::GetItemRectMax().x);
          if (open) {
            // A pending selection wins until it has taken effect on this frame.
            if (!st.ui.select_tab || select) st.s.panel = tab.id;
            ImGui::EndTabItem();
          }
        }
        st.ui.select_tab.reset();
        ImGui::EndTabBar();
      }
      if (shown(st.ui, "lang")) draw_language_switch(st, tabs_right);
      for (const Tab& tab : kTabs)
        if (tab.id == st.s.panel) tab.draw(st);
      draw_share(st);
    }
    st.overflow_x = ImGui::GetScrollMaxX();
  }
  ImGui::End();
  serve_panel_requests(st);

  const std::string now = format_settings(st.s);
  if (now != st.published_settings) {
    st.published_settings = now;
    st.settings_changed = true;
  }
}

std::string App::settings() const { return format_settings(state_->s); }

bool App::take_settings_changed() {
  const bool changed = state_->settings_changed;
  state_->settings_changed = false;
  return changed;
}

std::string App::live_status() const { return status_line(*state_); }
std::string App::test_state_json() const { return state_json(*state_); }
bool App::test_command(const std::string& cmd) { return run_test_command(*state_, cmd); }
int App::self_test_step(std::string& log) { return nnplay::ui::self_test_step(*state_, log); }
const std::vector<std::string>& App::warnings() const { return state_->ui.warnings; }

App::PageRequests App::take_page_requests() {
  MnistState& m = state_->mnist;
  PageRequests r;
  r.fetch_mnist = std::exchange(m.page_fetch_wanted, false);
  if (r.fetch_mnist) r.weights_url = state_->s.mnist.weights;
  r.pick_weights_file = std::exchange(m.page_picker_wanted, false);
  r.fetch_weights = std::exchange(m.page_weights_wanted, std::string());
  r.downloads.assign(m.downloads.begin() + std::ptrdiff_t(m.downloads_handed), m.downloads.end());
  m.downloads_handed = m.downloads.size();
  return r;
}

}  // namespace nnplay::ui
