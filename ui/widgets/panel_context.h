// What the shell hands every panel besides the panel's own settings and state: how
// training advances, which controls the settings hide, whether every section is drawn
// open, where the report of drawn rectangles and the warnings go, and the requests a
// panel makes of the shell (bring a tab to front, open the one-step view on my model).
// Panels see each other only through these requests, never through each other's headers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "training/training_mode.h"
#include "widgets/layout.h"

namespace nnplay::ui {

enum class PanelId { Gates, LossLab, Network, Mnist, OneStep };
const char* panel_key(PanelId p);  // "gates", "loss", "network", "mnist", "step" (value_text.cpp)

struct PanelContext {
  TrainingMode mode = TrainingMode::PerFrameSlices;
  const std::vector<std::string>* hidden = nullptr;  // the settings' hide= list
  bool expand_all = false;  // every section open (tests and the self-test draw them all)
  RectReport rects;         // where the panels' main visuals and train buttons were drawn
  std::vector<std::string> warnings;

  // Requests to the shell, carried out after the panel returns.
  std::optional<PanelId> select_tab;     // a tab to bring to front on the next frame
  std::optional<PanelId> open_one_step;  // the one-step view, on this panel's model
  bool hand_back_step = false;           // the one-step view's "Train on": the stepped weights go back
};

// Whether a named control is shown: the settings' hide= list leaves some out (a teacher's
// embedded exercise). Names are lowercase, like the settings keys: "lr", "train", ...
bool shown(const PanelContext& ui, const char* control);

// A collapsing section of a panel; PanelContext::expand_all forces it open.
bool section(const PanelContext& ui, const char* title, bool default_open = false);

}  // namespace nnplay::ui
