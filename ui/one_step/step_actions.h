// The one-step view's operations, shared by its buttons, its keys and the test commands
// ("step.open=network", "step.next", ...): open the view on a panel's current model (one
// traced step of it), move through the stages, pick the weight whose chain rule is
// written out, and hand the stepped weights back to the panel ("Train on").
#pragma once

#include <string>

#include "shell/app_state.h"

namespace nnplay::ui {

// Traces one SGD step of the network lab's model (its current weights, its whole training
// set as one batch) or of the MNIST panel's (its current weights, the first shuffled
// batch of its run). The source's training is paused. Returns false (StepState::error
// says why) when the source has no model yet.
bool step_open(AppState& st, StepSource source);

void step_go(AppState& st, int stage);  // clamped to the stages
void step_next(AppState& st);
void step_prev(AppState& st);
// Picks W[row][col] of Linear module `module`; false (nothing changes) when out of range.
bool step_pick(AppState& st, const WeightRef& w);

// The source panel continues from the stepped weights; its tab is brought to front.
bool step_train_on(AppState& st);

// "step.*" commands (see App::test_command): step.open=network|mnist, step.next,
// step.prev, step.stage=<index or id>, step.pick=MODULE,ROW,COL, step.sample=<n>,
// step.train_on. False when unknown or when it failed.
bool run_step_command(AppState& st, const std::string& cmd);

}  // namespace nnplay::ui
