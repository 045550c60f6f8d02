// The panels: one function each, drawing into the current tab of the app's window.
// Each reads and edits AppState (settings and working state) and calls app_actions for
// anything that changes more than a widget's own value. A later panel (MNIST) is one
// more function here and one more row in app.cpp's tab table.
#pragma once

#include "shell/app_state.h"

namespace nnplay::ui {

// Whether a named control is shown: the settings' hide= list leaves some out (a teacher's
// embedded exercise). Names are lowercase, like the settings keys: "lr", "train", ...
bool shown(const AppState& st, const char* control);

// A collapsing section of a panel; AppState::expand_all forces it open.
bool section(AppState& st, const char* title, bool default_open = false);

void draw_gates_panel(AppState& st);
void draw_loss_lab_panel(AppState& st);
void draw_network_lab_panel(AppState& st);
// One training step of the network lab's or the MNIST panel's model, stage by stage.
void draw_one_step_panel(AppState& st);

// Shared by the network lab and the gates panel's 2-2-1 network.
void draw_decision_map(const NetworkSnapshot& snap, const NetworkView& view, float size, bool show_hidden_lines);
void draw_hidden_maps(const NetworkSnapshot& snap, const NetworkView& view);
void draw_network_graph(const NetworkSnapshot& snap);
// The graph at a given height (0: from the widest layer), each hidden neuron and the
// output drawn as its heat map from view (optional: null draws plain circles).
void draw_network_graph(const NetworkSnapshot& snap, const NetworkView* view, float height);

}  // namespace nnplay::ui
