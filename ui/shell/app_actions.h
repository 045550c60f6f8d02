// The shell's operations: building every panel's working state from the settings,
// bringing it in line after the settings changed, the requests panels make of the shell
// (the one-step view on another panel's model, handing its weights back), and commands
// by name, routed to the panels' tables.
#pragma once

#include <string>

#include "shell/app_state.h"

namespace nnplay::ui {

// Builds every panel's working state from st.s (at start-up and after a whole new
// settings string).
void init_runtime(AppState& st);

// After st.s changed, bring the working state in line with it. `before` is the settings
// as they were; only what differs is redone.
void sync_all(AppState& st, const Settings& before);

// Carries out what the panels asked of the shell while drawing (PanelContext's requests).
void serve_panel_requests(AppState& st);

// Opens the one-step view on the network lab's or the MNIST panel's model (one traced
// step of it; the source's training is paused). False (StepState::error says why) when
// the source has no model yet.
bool open_one_step(AppState& st, PanelId source);
// "Train on": the source panel continues from the stepped weights; its tab comes to front.
bool hand_back_step(AppState& st);

// A command by name: "settings=<query>", a settings key ("panel=gates", "lr=0.1"),
// step.open=network|mnist, step.train_on, or an entry of a panel's command table
// ("network.train", "mnist.draw=...", "step.stage=loss"). False if unknown or refused.
bool run_test_command(AppState& st, const std::string& cmd);

}  // namespace nnplay::ui
