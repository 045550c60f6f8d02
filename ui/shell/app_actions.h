// The operations behind widgets, settings and test hooks, so that a click, a settings
// string and a test command change the state through the same code.
#pragma once

#include <string>

#include "shell/app_state.h"

namespace nnplay::ui {

// Builds every panel's working state from st.s (at start-up and after a whole new
// settings string).
void init_runtime(AppState& st);

// After st.s changed, bring the working state in line with it. `before` is the settings
// as they were; only what differs is redone. Learning rate, activation and the epoch
// limit change a running network in place; anything else rebuilds it (back to epoch 0).
void sync_gates(AppState& st, const GatesSettings& before);
void sync_loss(AppState& st);
void sync_network(AppState& st, const NetworkSettings& before);
void sync_all(AppState& st, const Settings& before);

// Selecting a gate in the panel also puts the tutorial's weights on the sliders.
void select_gate(AppState& st, Gate g);
void restart_learning_rule(AppState& st);
void learning_rule_step(AppState& st);  // one input of the rule; its weights go onto the sliders
void rebuild_network(AppState& st);     // the network lab back to epoch 0 with the current settings
// The network lab's "settings that learn it" for the chosen dataset (network_presets.h),
// as its button does; the run starts over, paused.
void apply_learning_preset(AppState& st);
void start_xor221(AppState& st);  // (re)builds the 2-2-1 network and starts training
void advance_animation(AppState& st, double dt);  // the learning rule's play mode

// Test hooks and settings keys (see App::test_command). Returns false if unknown or invalid.
bool run_test_command(AppState& st, const std::string& cmd);

}  // namespace nnplay::ui
