// The one-step view's operations, shared by its buttons, its keys and its command table
// ("step.next", "step.stage=loss", ...): show a step that the shell traced on a panel's
// model, move through the stages, pick the weight whose chain rule is written out. The
// view never reaches into another panel: the shell opens it on a model and hands the
// stepped weights back ("Train on"), when the view asks through its PanelContext.
#pragma once

#include <span>
#include <string>

#include "nnplay/layers.h"
#include "nnplay/step_trace.h"
#include "one_step/step_state.h"
#include "widgets/commands.h"
#include "widgets/panel_context.h"

namespace nnplay::ui {

struct StepPanel {
  StepState& state;
  PanelContext& ui;
};

// One traced step of a panel's model, and what handing its weights back needs.
struct TracedStep {
  StepSource source = StepSource::None;
  StepTrace trace;
  ModelSpec spec;
  uint64_t generation = 0;  // the source panel's session the weights came from
  std::string optimizer;    // the panel's optimizer
  std::string origin;       // where the weights came from (the MNIST panel's label)
};

// The view shows `step` from its first stage, with PyTorch's recording of the same step
// when one exists.
void step_show(StepPanel& panel, TracedStep step);

void step_go(StepPanel& panel, int stage);  // clamped to the stages
void step_next(StepPanel& panel);
void step_prev(StepPanel& panel);
// Picks W[row][col] of Linear module `module`; false (nothing changes) when out of range.
bool step_pick(StepPanel& panel, const WeightRef& w);

// step.next, step.prev, step.stage=<index or id>, step.pick=MODULE,ROW,COL,
// step.sample=<n>. (step.open=network|mnist and step.train_on are the shell's: they
// reach the other panels.)
std::span<const Command<StepPanel>> step_commands();

void draw_one_step_panel(StepPanel& panel);

}  // namespace nnplay::ui
