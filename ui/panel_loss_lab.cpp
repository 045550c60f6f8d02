// Panel 2, the loss lab (the tutorial's softmax chapter): one-hot encoding of three
// animals and why integer labels with MSE mislead, an editable 3×5 logits matrix with
// softmax bars, the five cost formulations side by side with values and gradients, and
// a scale slider that drives the logits to extremes where log(softmax) breaks.
#include <cmath>
#include <cstdio>
#include <string>

#include "app_actions.h"
#include "panels.h"
#include "plot.h"

namespace nnplay::ui {

namespace {

const ImU32 kWrong = IM_COL32(230, 60, 60, 255);
const ImU32 kRight = IM_COL32(80, 190, 90, 255);

void draw_one_hot() {
  const EncodingComparison e = compare_encodings();
  ImGui::TextWrapped("Three classes, no order between them. One-hot gives each its own axis:");
  if (ImGui::BeginTable("onehot", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {"animal", "label", "one-hot"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int i = 0; i < 3; ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.animals[size_t(i)]);
      ImGui::TableNextColumn();
      ImGui::Text("%d", i + 1);
      ImGui::TableNextColumn();
      ImGui::Text("[%g, %g, %g]", double(e.one_hot[size_t(i * 3)]), double(e.one_hot[size_t(i * 3 + 1)]),
                  double(e.one_hot[size_t(i * 3 + 2)]));
    }
    ImGui::EndTable();
  }
  ImGui::TextWrapped("Squared distance between classes, which is what MSE penalises. With labels 1, 2, 3 a parrot "
                     "is four times as wrong for a dog as a cat is, an order the animals do not have; with one-hot "
                     "every mistake costs the same.");
  if (ImGui::BeginTable("dist", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {"pair", "labels 1,2,3", "one-hot"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int i = 0; i < 3; ++i)
      for (int j = i + 1; j < 3; ++j) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%s - %s", e.animals[size_t(i)], e.animals[size_t(j)]);
        ImGui::TableNextColumn();
        ImGui::Text("%g", double(e.label_sq[size_t(i)][size_t(j)]));
        ImGui::TableNextColumn();
        ImGui::Text("%g", double(e.onehot_sq[size_t(i)][size_t(j)]));
      }
    ImGui::EndTable();
  }
}

void draw_logits(AppState& st) {
  LossLabSettings& s = st.s.loss;
  int seed = int(std::min<uint64_t>(s.seed, 1000000));
  if (ImGui::InputInt("seed", &seed) && seed >= 0) {
    s.seed = uint64_t(seed);
    s.logits.clear();  // a new draw replaces hand edits
    s.labels.clear();
  }
  ImGui::SameLine();
  if (ImGui::Button("Undo edits")) {
    s.logits.clear();
    s.labels.clear();
  }
  ImGui::TextWrapped("z: 3 samples x 5 classes, uniform in [0, 1) like torch.rand(3, 5); drag a cell to edit. "
                     "y: each sample's class.");
  LossLabInputs& in = st.loss.inputs;
  bool edited_z = false, edited_y = false;
  if (ImGui::BeginTable("logits", kLogitCols + 1, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (int j = 0; j < kLogitCols; ++j) {
      char h[8];
      std::snprintf(h, sizeof h, "z%d", j);
      ImGui::TableSetupColumn(h);
    }
    ImGui::TableSetupColumn("y");
    ImGui::TableHeadersRow();
    for (int i = 0; i < kLogitRows; ++i) {
      ImGui::TableNextRow();
      for (int j = 0; j < kLogitCols; ++j) {
        ImGui::TableNextColumn();
        ImGui::PushID(i * kLogitCols + j);
        ImGui::SetNextItemWidth(-FLT_MIN);
        float& z = in.logits[size_t(i * kLogitCols + j)];
        if (ImGui::DragFloat("##z", &z, 0.01f, -100.0f, 100.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp)) edited_z = true;
        ImGui::PopID();
      }
      ImGui::TableNextColumn();
      ImGui::PushID(100 + i);
      ImGui::SetNextItemWidth(-FLT_MIN);
      int y = in.labels[size_t(i)];
      if (ImGui::SliderInt("##y", &y, 0, kLogitCols - 1)) {
        in.labels[size_t(i)] = y;
        edited_y = true;
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (edited_z) s.logits = in.logits;
  if (edited_y) s.labels = in.labels;
}

void draw_softmax_bars(const AppState& st) {
  const LossLabResult& r = st.loss.result;
  const float bar_w = ImGui::GetContentRegionAvail().x;
  ImGui::TextWrapped("softmax(%g * z), row by row; the target class is marked:", double(r.scale));
  for (int i = 0; i < kLogitRows; ++i) {
    ImGui::Text("sample %d", i);
    for (int j = 0; j < kLogitCols; ++j) {
      const float p = r.probs[size_t(i * kLogitCols + j)];
      char overlay[48];
      const bool target = st.loss.inputs.labels[size_t(i)] == j;
      std::snprintf(overlay, sizeof overlay, "class %d: %.4f%s", j, double(p), target ? "  <- target" : "");
      if (target) ImGui::PushStyleColor(ImGuiCol_PlotHistogram, class_color(1));
      ImGui::ProgressBar(std::isfinite(p) ? p : 0.0f, ImVec2(bar_w, 0), overlay);
      if (target) ImGui::PopStyleColor();
    }
  }
}

void draw_costs(AppState& st) {
  const LossLabResult& r = st.loss.result;
  ImGui::TextWrapped("One cost, five ways. The gradient column is the largest difference between each form's "
                     "dz and cross_entropy's.");
  if (ImGui::BeginTable("costs", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("cost formulation");
    ImGui::TableSetupColumn("value");
    ImGui::TableSetupColumn("max |dz diff|");
    ImGui::TableHeadersRow();
    for (int f = 0; f < kCostForms; ++f) {
      const CostResult& c = r.costs[size_t(f)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(f);
      if (ImGui::RadioButton("##show", st.loss.gradient_form == f)) st.loss.gradient_form = f;
      ImGui::PopID();
      ImGui::SameLine();
      ImGui::TextWrapped("%d. %s", f + 1, cost_form_name(CostForm(f)));
      ImGui::TableNextColumn();
      if (std::isfinite(c.value))
        ImGui::Text("%.7f", double(c.value));
      else
        colored_text(kWrong, std::isnan(c.value) ? "NaN" : "inf");
      ImGui::TableNextColumn();
      const float d = r.max_grad_diff[size_t(f)];
      if (std::isfinite(d))
        ImGui::Text("%.1e", double(d));
      else
        colored_text(kWrong, "NaN/inf");
    }
    ImGui::EndTable();
  }
  if (r.naive_finite && r.stable_finite)
    colored_text(kRight, "all five agree");
  ImGui::Text("dz of form %d (3 x 5):", st.loss.gradient_form + 1);
  const CostResult& c = r.costs[size_t(st.loss.gradient_form)];
  if (ImGui::BeginTable("dz", kLogitCols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (int i = 0; i < kLogitRows; ++i) {
      ImGui::TableNextRow();
      for (int j = 0; j < kLogitCols; ++j) {
        ImGui::TableNextColumn();
        const float g = c.dz[size_t(i * kLogitCols + j)];
        if (std::isfinite(g))
          ImGui::Text("%+.4f", double(g));
        else
          colored_text(kWrong, std::isnan(g) ? "NaN" : "inf");
      }
    }
    ImGui::EndTable();
  }
}

void draw_scale(AppState& st) {
  LossLabSettings& s = st.s.loss;
  const LossLabResult& r = st.loss.result;
  ImGui::TextWrapped("Multiply the logits by a growing factor. softmax then rounds the small probabilities to "
                     "exactly 0 in float, and log(0) = -inf (0 * -inf = NaN) breaks the first two forms; "
                     "log_softmax computes z - max - log(sum exp(z - max)) and never takes that log.");
  ImGui::SliderFloat("scale", &s.scale, 1.0f, kMaxScale, "%.1f", ImGuiSliderFlags_Logarithmic);
  if (r.naive_finite)
    colored_text(kRight, "log(softmax(z)) path: finite");
  else
    colored_text(kWrong, "log(softmax(z)) path: broken (inf/NaN)");
  if (r.stable_finite)
    colored_text(kRight, "log_softmax / nll_loss / cross_entropy: finite");
  else
    colored_text(kWrong, "log_softmax path: broken");
  ImGui::TextWrapped("Textbook softmax without subtracting the max, exp(z) / sum exp(z), sample 0:");
  std::string row = "[";
  for (int j = 0; j < kLogitCols; ++j) {
    char num[32];
    std::snprintf(num, sizeof num, "%s%.3g", j ? ", " : "", double(r.unshifted_probs[size_t(j)]));
    row += num;
  }
  row += "]";
  if (r.unshifted_finite)
    ImGui::TextUnformatted(row.c_str());
  else
    colored_text(kWrong, (row + "  exp overflowed").c_str());
}

}  // namespace

void draw_loss_lab_panel(AppState& st) {
  const LossLabSettings before = st.s.loss;
  if (section(st, "One-hot encoding")) draw_one_hot();
  if (section(st, "Logits and softmax", true)) {
    draw_logits(st);
    draw_softmax_bars(st);
  }
  if (section(st, "Five costs", true)) draw_costs(st);
  if (section(st, "Scale to extremes", true)) draw_scale(st);
  if (!(before == st.s.loss)) sync_loss(st);
}

}  // namespace nnplay::ui
