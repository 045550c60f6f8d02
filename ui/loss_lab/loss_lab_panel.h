// The loss lab's room: its working state (the logits and labels its settings give, and
// every cost computed from them), the view of it that its functions take, its command
// table and its drawing.
#pragma once

#include <span>

#include "loss_lab/loss_lab.h"
#include "loss_lab/loss_lab_settings.h"
#include "widgets/commands.h"
#include "widgets/panel_context.h"

namespace nnplay::ui {

struct LossState {
  LossLabInputs inputs;
  LossLabResult result;
  int gradient_form = int(CostForm::CrossEntropy);  // whose dz the gradient table shows
};

struct LossLabPanel {
  LossLabSettings& s;
  LossState& state;
  PanelContext& ui;
};

// After the settings changed: the inputs drawn again and every cost recomputed.
void loss_sync(LossLabPanel& panel);

// loss.gradient=<cost form index>: whose gradient the table shows (a click on a cost).
std::span<const Command<LossLabPanel>> loss_commands();

void draw_loss_lab_panel(LossLabPanel& panel);

}  // namespace nnplay::ui
