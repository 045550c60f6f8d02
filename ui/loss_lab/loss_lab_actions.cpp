// What the loss lab's controls do (loss_lab_panel.h), and its command table.
#include "loss_lab/loss_lab_panel.h"

namespace nnplay::ui {

void loss_sync(LossLabPanel& panel) {
  panel.state.inputs = loss_lab_inputs(panel.s);
  panel.state.result = compute_loss_lab(panel.state.inputs, panel.s.scale);
}

std::span<const Command<LossLabPanel>> loss_commands() {
  static const Command<LossLabPanel> table[] = {
      {"loss.gradient", ArgKind::Int,
       [](LossLabPanel& p, const CommandArg& a) {
         if (a.number < 0 || a.number >= kCostForms) return false;
         p.state.gradient_form = int(a.number);
         return true;
       }},
  };
  return table;
}

}  // namespace nnplay::ui
