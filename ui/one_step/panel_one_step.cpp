// The "One step" tab: one training step of the model loaded right now, every number, one
// stage per click. Three columns: the stages (and where the model came from) | the
// stage's picture, its formula and the chosen weight's chain rule with the numbers |
// the stage's tensors beside PyTorch's recorded values.
// (Formulas use ·, ᵀ, Σₙ, ⊙, σ, ×, ⋯: the fonts are subset from these sources. Neither font
// has U+2212, the minus sign the engine's formulas use: math_text() writes it as '-'.)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "one_step/step_actions.h"
#include "one_step/step_drawing.h"
#include "widgets/layout.h"
#include "widgets/panel_style.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

constexpr size_t kShownValues = 12;  // tensor entries listed before summarising
constexpr size_t kShownTerms = 16;   // chain-rule terms listed before summing the rest

std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  if (v == 0.0) return "0";  // never "-0"
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string shape_text(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

// The engine's formula text, with the one symbol the fonts lack replaced.
std::string math_text(std::string s) {
  const std::string minus = "\u2212";
  for (size_t at; (at = s.find(minus)) != std::string::npos;) s.replace(at, minus.size(), "-");
  return s;
}

const char* phase_title(StagePhase p) {
  switch (p) {
    case StagePhase::Batch: return tr("The batch");
    case StagePhase::Forward: return tr("Forward pass");
    case StagePhase::Loss: return tr("The loss");
    case StagePhase::Backward: return tr("Backward pass");
    case StagePhase::Update: return tr("Weight update");
  }
  return "";
}

// The stage's title in the learner's language, from its stable id.
std::string stage_title(const StepTrace& t, const TraceStage& s) {
  const int i = s.module;
  const std::string kind = i >= 0 ? t.modules[size_t(i)].kind : "";
  const bool linear = kind == "Linear";
  if (s.id == "input") return tr("The batch: inputs");
  if (s.id == "targets") return t.tensor("labels") ? tr("The batch: labels") : tr("The batch: targets");
  if (s.id == "softmax") return tr("Softmax of the logits");
  if (s.id == "onehot") return tr("One-hot targets");
  if (s.id == "loss") return tr("The loss");
  if (s.id == "dloss") return tr("Gradient of the loss: dL/dlogits");
  const std::string desc = i >= 0 ? t.modules[size_t(i)].description : "";
  if (s.id.rfind("forward.", 0) == 0) {
    if (!linear) return trf("Layer %d (%s): activation", i, kind.c_str());
    return trf(i + 1 == int(t.modules.size()) ? "Layer %d (%s): the logits" : "Layer %d (%s): pre-activation", i,
               desc.c_str());
  }
  if (s.id.rfind("backward.", 0) == 0)
    return linear ? trf("Layer %d: weight and bias gradients", i) : trf("Layer %d (%s): back through it", i, kind.c_str());
  if (s.id.rfind("lr_grad.", 0) == 0) return trf("Layer %d: learning rate × gradient", i);
  if (s.id.rfind("new.", 0) == 0) return trf("Layer %d: the new weights", i);
  return s.title;
}

void draw_source(StepPanel& panel) {
  StepState& s = panel.state;
  heading(tr("One step"));
  if (ImGui::Button(tr("Network lab's model"))) panel.ui.open_one_step = PanelId::Network;
  ImGui::SameLine();
  if (ImGui::Button(tr("MNIST panel's model"))) panel.ui.open_one_step = PanelId::Mnist;
  if (!s.error.empty()) colored_wrapped(kBadColor, s.error.c_str());
  if (!s.trace) return;
  const StepTrace& t = *s.trace;
  disabled_wrapped(trf("%s: %s, %s, SGD lr %s, batch %d", s.source == StepSource::Network ? tr("Network lab")
                                                                                         : tr("MNIST"),
                       t.model.c_str(), loss_name(t.loss), num(t.lr).c_str(), int(t.batch_size))
                       .c_str());
  if (s.optimizer != "sgd")
    disabled_wrapped(trf("This model trains with %s; the view shows one plain SGD step.", s.optimizer.c_str()).c_str());
}

void draw_stage_list(StepPanel& panel, bool wide) {
  StepState& s = panel.state;
  const StepTrace& t = *s.trace;
  const int count = int(t.stages.size());
  if (ImGui::Button(tr("◀ Prev"))) step_prev(panel);
  ImGui::SameLine();
  if (ImGui::Button(tr("Next ▶"))) step_next(panel);
  report_rect(panel.ui.rects, "step.train");
  ImGui::SameLine();
  ImGui::TextDisabled("%s", trf("stage %d of %d", s.stage + 1, count).c_str());
  // The arrow keys move too, unless a text field has the keyboard.
  if (!ImGui::GetIO().WantTextInput) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) step_next(panel);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) step_prev(panel);
  }
  if (ImGui::Button(tr("Train on from the new weights"))) panel.ui.hand_back_step = true;
  if (s.trained_on) colored_wrapped(kGoodColor, tr("The panel continues from the stepped weights."));

  const float height = std::max(ImGui::GetFontSize() * 8, ImGui::GetContentRegionAvail().y - ImGui::GetFontSize());
  ImGui::BeginChild("##stages", ImVec2(0, wide ? height : ImGui::GetFontSize() * 12), true);
  StagePhase phase = StagePhase::Batch;
  for (int i = 0; i < count; ++i) {
    const TraceStage& stage = t.stages[size_t(i)];
    if (i == 0 || stage.phase != phase) {
      phase = stage.phase;
      ImGui::PushStyleColor(ImGuiCol_Text, kHeadingColor);
      ImGui::TextUnformatted(phase_title(phase));
      ImGui::PopStyleColor();
    }
    char label[160];
    std::snprintf(label, sizeof label, "%d. %s##stage%d", i + 1, stage_title(t, stage).c_str(), i);
    if (ImGui::Selectable(label, i == s.stage)) step_go(panel, i);
    if (i == s.stage && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY();
  }
  ImGui::EndChild();
}

// The chosen weight at this stage: where it enters the forward pass, the loss, the chain
// rule with its terms, and the update, each with the numbers.
void draw_pick(StepPanel& panel) {
  StepState& s = panel.state;
  const StepTrace& t = *s.trace;
  const ChainRule& r = s.chain;
  const TraceStage& stage = t.stages[size_t(s.stage)];
  const int n = std::clamp(s.sample, 0, int(t.batch_size) - 1);
  heading(trf("Your weight: W[%d][%d] of layer %d", int(r.row), int(r.col), r.module).c_str());
  disabled_wrapped(tr("Click an edge of the network (or a pixel of a weight image) to choose another."));
  const ChainTerm& term = r.terms[size_t(n)];
  switch (stage.phase) {
    case StagePhase::Batch:
    case StagePhase::Forward: {
      ImGui::TextWrapped("%s", trf("z[n][%d] = Σⱼ x[n][j]·W[%d][j] + b[%d]: its term is x[n][%d]·W[%d][%d]", int(r.row),
                                   int(r.row), int(r.row), int(r.col), int(r.row), int(r.col))
                                   .c_str());
      ImGui::TextWrapped("%s", trf("sample %d: %s × %s = %s", n, num(term.input).c_str(), num(r.weight).c_str(),
                                   num(double(term.input) * r.weight).c_str())
                                   .c_str());
      const int at = stage_index(t, "forward." + std::to_string(r.module));
      if (at >= 0 && s.stage >= at) {
        const TraceTensor* z = t.tensor("out." + std::to_string(r.module));
        const size_t outs = size_t(z->shape[1]);
        ImGui::TextWrapped("%s", trf("z[%d][%d] = %s", n, int(r.row), num(z->values[size_t(n) * outs + size_t(r.row)]).c_str())
                                     .c_str());
      }
      break;
    }
    case StagePhase::Loss:
      ImGui::TextWrapped("%s", trf("The loss L = %s. The backward pass asks how L changes with W[%d][%d].",
                                   num(t.loss_value).c_str(), int(r.row), int(r.col))
                                   .c_str());
      break;
    case StagePhase::Backward: {
      ImGui::TextWrapped("%s", tr("The chain rule, over the samples of the batch:"));
      ImGui::TextWrapped("dL/dW[%d][%d] = Σₙ dL/dz[n][%d] · x[n][%d]", int(r.row), int(r.col), int(r.row), int(r.col));
      const bool split = !r.upstream_formula.empty();
      if (split) ImGui::TextWrapped("%s", math_text(r.upstream_formula).c_str());
      const int cols = split ? 6 : 4;
      if (ImGui::BeginTable("##terms", cols, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("n");
        if (split) {
          ImGui::TableSetupColumn(r.outer_label.c_str());
          ImGui::TableSetupColumn(math_text(r.local_label).c_str());
        }
        ImGui::TableSetupColumn("dL/dz[n][r]");
        ImGui::TableSetupColumn("x[n][c]");
        ImGui::TableSetupColumn(tr("product"));
        ImGui::TableHeadersRow();
        double rest = 0;
        for (size_t i = 0; i < r.terms.size(); ++i) {
          const ChainTerm& c = r.terms[i];
          if (i >= kShownTerms) {
            rest += c.product;
            continue;
          }
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::Text("%lld", static_cast<long long>(c.sample));
          if (split) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(num(c.outer).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(num(c.local).c_str());
          }
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(num(c.upstream).c_str());
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(num(c.input).c_str());
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(num(c.product).c_str());
        }
        ImGui::EndTable();
        if (r.terms.size() > kShownTerms)
          ImGui::TextWrapped("%s", trf("… and %d more terms, summing to %s", int(r.terms.size() - kShownTerms),
                                       num(rest).c_str())
                                       .c_str());
      }
      ImGui::TextWrapped("%s", trf("sum of the terms = %s; the engine's dL/dW[%d][%d] = %s", num(r.sum).c_str(),
                                   int(r.row), int(r.col), num(r.gradient).c_str())
                                   .c_str());
      break;
    }
    case StagePhase::Update:
      ImGui::TextWrapped("%s", trf("lr × dL/dW = %s × %s = %s", num(r.lr).c_str(), num(r.gradient).c_str(),
                                   num(r.lr_gradient).c_str())
                                   .c_str());
      ImGui::TextWrapped("%s", trf("W' = W - lr·dL/dW = %s - %s = %s", num(r.weight).c_str(),
                                   num(r.lr_gradient).c_str(), num(r.new_weight).c_str())
                                   .c_str());
      break;
  }
}

void draw_visual(StepPanel& panel, bool wide) {
  StepState& s = panel.state;
  const StepTrace& t = *s.trace;
  const TraceStage& stage = t.stages[size_t(s.stage)];
  heading(stage_title(t, stage).c_str());
  ImGui::TextWrapped("%s", math_text(stage.formula).c_str());
  const float width = ImGui::GetContentRegionAvail().x;
  if (step_has_images(t)) draw_step_images(panel, width);
  if (t.batch_size > 1) {
    ImGui::SetNextItemWidth(control_width(10));
    int n = s.sample;
    if (ImGui::SliderInt(tr("sample shown"), &n, 0, int(t.batch_size) - 1)) s.sample = n;
  }
  const float height = wide ? main_visual_height(ImGui::GetFontSize() * 14, ImGui::GetFontSize() * 30)
                            : std::min(width * 1.1f, ImGui::GetFontSize() * 26);
  draw_step_network(panel, width, height);
  draw_pick(panel);
}

void draw_numbers(StepPanel& panel) {
  StepState& s = panel.state;
  const StepTrace& t = *s.trace;
  heading(tr("The numbers, beside PyTorch's"));
  if (s.comparison) {
    colored_wrapped(kGoodColor, trf("PyTorch %s took this very step: largest relative difference %s over %d quantities",
                                    s.comparison->torch_version.c_str(), num(s.comparison->max_rel).c_str(),
                                    int(s.comparison->quantities.size()))
                                    .c_str());
  } else {
    colored_wrapped(kAccentColor, tr("No PyTorch values for this step: the model, the batch or the rate differ from the recorded ones."));
    disabled_wrapped(s.no_comparison.c_str());
  }
  const TraceStage& stage = t.stages[size_t(s.stage)];
  for (const TraceTensor& x : stage.tensors) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, kHeadingColor);
    ImGui::Text("%s  %s", x.label.c_str(), shape_text(x.shape).c_str());
    ImGui::PopStyleColor();
    const QuantityDiff* q = s.comparison ? s.comparison->find(x.key) : nullptr;
    const StTensor* theirs = q && s.recorded ? s.recorded->find(x.key) : nullptr;
    const bool side = theirs && q->stride == 1 && theirs->values.size() == x.values.size();
    const size_t shown = std::min(x.values.size(), kShownValues);
    char id[64];
    std::snprintf(id, sizeof id, "##values-%s", x.key.c_str());
    if (ImGui::BeginTable(id, side ? 3 : 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
      ImGui::TableSetupColumn("#");
      ImGui::TableSetupColumn("nnplay");
      if (side) ImGui::TableSetupColumn("PyTorch");
      ImGui::TableHeadersRow();
      for (size_t i = 0; i < shown; ++i) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%zu", i);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(x.values[i]).c_str());
        if (side) {
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(num(theirs->values[i]).c_str());
        }
      }
      ImGui::EndTable();
    }
    if (x.values.size() > shown)
      ImGui::TextDisabled("%s", trf("… %d values in all", int(x.values.size())).c_str());
    if (q)
      ImGui::TextWrapped("%s", trf("PyTorch: max |Δ| %s, relative %s (%d values compared)", num(q->max_abs).c_str(),
                                   num(q->max_rel).c_str(), int(q->compared))
                                   .c_str());
  }
}

}  // namespace

void draw_one_step_panel(StepPanel& panel) {
  StepState& s = panel.state;
  // The tab opened on its own (panel=step): the network lab's model, as it is now.
  if (s.source == StepSource::None && s.error.empty()) panel.ui.open_one_step = PanelId::Network;
  PanelLayout layout("step", 0.24f, 0.28f);
  draw_source(panel);
  if (!s.trace) return;
  draw_stage_list(panel, layout.wide());
  layout.next();
  draw_visual(panel, layout.wide());
  layout.next();
  draw_numbers(panel);
}

}  // namespace nnplay::ui
