// The ImGui front end's single entry point, shared by the desktop main (native/app) and
// the web main (web/). The mains own the window, the GL context and the ImGui backends;
// App owns every panel and all UI state, and draws them inside one frame() call.
// This header deliberately exposes no ImGui, engine or platform type.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "training/training_mode.h"

namespace nnplay::ui {

struct AppState;  // all UI state (defined in ui/, not visible to the mains)

class App {
 public:
  // settings: the URL query string without '?' (web) or the desktop's --settings string, e.g.
  // "panel=network&dataset=spiral&layers=2-8-8-1&act=tanh&lr=0.03&seed=7"; unknown or invalid keys are
  // reported in warnings() and otherwise ignored, never fatal.
  // locale: the browser's or the system's language (navigator.language, $LANG), which
  // decides the language when the settings do not say (lang=en|ko).
  App(const std::string& settings, TrainingMode mode, const std::string& locale = "");
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  void frame();                         // draws every panel; call between ImGui::NewFrame() and ImGui::Render()
  std::string settings() const;         // current settings, same query-string form (for the URL / sharing)
  bool take_settings_changed();         // true once after settings changed (web then updates the URL)
  std::string live_status() const;      // one short line of key figures (loss, accuracy, prediction) for an HTML live region
  std::string test_state_json() const;  // JSON with the state tests need (active panel, accuracies, epoch, loss, settings, ...)
  // What a button does, by name: an entry of a panel's command table ("network.train",
  // "mnist.draw=[[[x,y],...]]", "step.stage=loss"), a settings key ("panel=gates") or
  // "settings=<query>"; used by the page's glue, the self-test and the tests. False if
  // unknown, if its argument does not fit, or if it was refused.
  bool test_command(const std::string& cmd);
  // --self-test: call once per frame after frame(); returns -1 while still running, 0 passed, 1 failed;
  // it walks every panel (and the test hooks), checks real results (e.g. XOR learns to accuracy 1.0), and appends to log.
  int self_test_step(std::string& log);
  const std::vector<std::string>& warnings() const;

  // Web only (the desktop reads and writes files itself): what the page's glue must do for
  // the app. Each request is reported once; call after frame().
  struct PageRequests {
    bool fetch_mnist = false;            // the MNIST panel opened: fetch the packed subset and a model
    std::string weights_url;             // that model: the settings' weights= URL, or "" for the default
    bool pick_weights_file = false;      // the user asked to open a weights file (the page's file picker)
    std::string fetch_weights;           // a model to fetch and load (the trained CNN); "" for none
    std::vector<std::string> downloads;  // files written under /downloads to hand to the browser
  };
  PageRequests take_page_requests();

 private:
  std::unique_ptr<AppState> state_;
};

}  // namespace nnplay::ui
