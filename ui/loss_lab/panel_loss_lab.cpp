// Panel 2, the loss lab (the tutorial's softmax chapter), in the three columns of
// layout.h. Left, what you set: the seed, the scale that drives the logits to extremes,
// and the editable 3×5 logits with their labels. Middle, what you watch: softmax as bars
// beside each sample's one-hot target, and the five cost formulations as bars side by
// side (equal while the numbers are sane; red where log(softmax) breaks). Right, what it
// measured: the costs and gradient differences, the finite/broken verdicts, the chosen
// form's gradient, the unshifted softmax's overflow, and one-hot encoding as an extra.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "loss_lab/loss_lab_panel.h"
#include "widgets/layout.h"
#include "widgets/panel_style.h"
#include "widgets/plot.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

// A short name per cost form for the bars and the table (the full expression, which is
// code and reads the same in both languages, goes in the tooltip).
const char* form_label(int f) {
  switch (CostForm(f)) {
    case CostForm::OneHotLogSoftmaxExplicit: return tr("-log(softmax), step by step");
    case CostForm::Contracted: return tr("-log(softmax), in one line");
    case CostForm::OneHotLogSoftmax: return "-log_softmax";
    case CostForm::NllLogSoftmax: return "nll_loss(log_softmax)";
    case CostForm::CrossEntropy: return "cross_entropy";
  }
  return "?";
}

// "NaN", "inf" or the number, for a cost that may have broken.
std::string number_or_broken(float v, const char* format) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, double(v));
  return buf;
}

struct Box {
  ImVec2 p0, p1;
  float width() const { return p1.x - p0.x; }
  float height() const { return p1.y - p0.y; }
  bool contains(ImVec2 p) const { return p.x >= p0.x && p.x < p1.x && p.y >= p0.y && p.y < p1.y; }
};

void centered_text(ImDrawList* dl, float cx, float y, ImU32 col, const char* text) {
  dl->AddText(ImVec2(cx - ImGui::CalcTextSize(text).x * 0.5f, y), col, text);
}

// ---------------------------------------------------------------------------------
// Left column: what you set.

void draw_seed_and_scale(LossLabPanel& panel) {
  LossLabSettings& s = panel.s;
  heading(tr("Inputs"));
  if (shown(panel.ui, "lseed")) {
    int seed = int(std::min<uint64_t>(s.seed, 1000000));
    ImGui::SetNextItemWidth(control_width(8));
    if (ImGui::InputInt(tr("seed##loss"), &seed) && seed >= 0) {
      s.seed = uint64_t(seed);
      s.logits.clear();  // a new draw replaces hand edits
      s.labels.clear();
    }
  }
  if (shown(panel.ui, "scale")) {
    ImGui::SetNextItemWidth(control_width(12));
    ImGui::SliderFloat(tr("scale"), &s.scale, 1.0f, kMaxScale, "%.1f", ImGuiSliderFlags_Logarithmic);
    report_rect(panel.ui.rects, "loss.train");
    disabled_wrapped(tr("Every logit is multiplied by this. At a few hundred, softmax rounds the small probabilities to exactly 0 in float; log(0) = -inf and 0 * -inf = NaN break the first two forms, while log_softmax computes z - max - log(sum exp(z - max)) and never takes that log."));
  }
}

void draw_logit_cell(LossLabInputs& in, int i, int j, bool& edited) {
  ImGui::PushID(i * kLogitCols + j);
  ImGui::SetNextItemWidth(-FLT_MIN);
  float& z = in.logits[size_t(i * kLogitCols + j)];
  if (ImGui::DragFloat("##z", &z, 0.01f, -100.0f, 100.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp)) edited = true;
  ImGui::PopID();
}

void draw_label_cell(LossLabInputs& in, int i, bool& edited) {
  ImGui::PushID(100 + i);
  ImGui::SetNextItemWidth(-FLT_MIN);
  int y = in.labels[size_t(i)];
  if (ImGui::SliderInt("##y", &y, 0, kLogitCols - 1)) {
    in.labels[size_t(i)] = y;
    edited = true;
  }
  ImGui::PopID();
}

void draw_logits_editor(LossLabPanel& panel) {
  LossLabSettings& s = panel.s;
  heading(tr("Logits z and labels y"));
  disabled_wrapped(tr("3 samples x 5 classes, uniform in [0, 1) like torch.rand(3, 5); drag a cell to edit it. y is each sample's class."));
  LossLabInputs& in = panel.state.inputs;
  bool edited_z = false, edited_y = false;
  if (ImGui::BeginTable("logits", kLogitCols + 1, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {"z0", "z1", "z2", "z3", "z4", "y"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int i = 0; i < kLogitRows; ++i) {
      ImGui::TableNextRow();
      for (int j = 0; j < kLogitCols; ++j) {
        ImGui::TableNextColumn();
        draw_logit_cell(in, i, j, edited_z);
      }
      ImGui::TableNextColumn();
      draw_label_cell(in, i, edited_y);
    }
    ImGui::EndTable();
  }
  if (edited_z) s.logits = in.logits;
  if (edited_y) s.labels = in.labels;
  const bool hand_edited = !s.logits.empty() || !s.labels.empty();
  ImGui::BeginDisabled(!hand_edited);
  if (ImGui::Button(tr("Undo edits"))) {
    s.logits.clear();
    s.labels.clear();
  }
  ImGui::EndDisabled();
}

// ---------------------------------------------------------------------------------
// Middle column: the bars.

// Grid lines at 0, 0.5 and 1 with their values in the left margin.
void draw_probability_axis(ImDrawList* dl, const Box& box, const Box& plot) {
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border), faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float line = ImGui::GetTextLineHeight();
  for (float v : {0.0f, 0.5f, 1.0f}) {
    const float y = plot.p1.y - v * plot.height();
    dl->AddLine(ImVec2(plot.p0.x, y), ImVec2(plot.p1.x, y), grid);
    char t[8];
    std::snprintf(t, sizeof t, "%.1f", double(v));
    dl->AddText(ImVec2(box.p0.x, y - line * 0.5f), faint, t);
  }
  dl->AddText(ImVec2(box.p0.x, plot.p1.y + line + 4), faint, "y");
}

// One sample's five bars, its one-hot row under them and its caption.
void draw_sample_group(const LossLabPanel& panel, ImDrawList* dl, const Box& plot, int i, float x, float width) {
  const LossLabResult& r = panel.state.result;
  const int label = panel.state.inputs.labels[size_t(i)];
  const float line = ImGui::GetTextLineHeight(), slot = width / float(kLogitCols), bar = slot * 0.7f;
  const ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled), text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int j = 0; j < kLogitCols; ++j) {
    const float p = r.probs[size_t(i * kLogitCols + j)], cx = x + slot * (float(j) + 0.5f);
    const bool target = label == j;
    const float top = plot.p1.y - (std::isfinite(p) ? p : 0.0f) * plot.height();
    dl->AddRectFilled(ImVec2(cx - bar / 2, top), ImVec2(cx + bar / 2, plot.p1.y), class_color(target ? 1 : 0, target ? 255 : 190));
    // The one-hot target: an outline up to 1, so the gap above the bar is what the cost punishes.
    if (target) dl->AddRect(ImVec2(cx - bar / 2 - 2, plot.p0.y), ImVec2(cx + bar / 2 + 2, plot.p1.y), text, 0, 0, 1.5f);
    // A probability that rounded to exactly 0: log gives -inf here.
    if (p == 0.0f) dl->AddTriangleFilled(ImVec2(cx, plot.p1.y - 1), ImVec2(cx - 5, plot.p1.y + 7), ImVec2(cx + 5, plot.p1.y + 7), kBadColor);
    char digit[4];
    std::snprintf(digit, sizeof digit, "%d", j);
    centered_text(dl, cx, plot.p1.y + 8, faint, digit);
    centered_text(dl, cx, plot.p1.y + line + 8, target ? class_color(1) : faint, target ? "1" : "0");
    const Box hit{ImVec2(cx - slot / 2, plot.p0.y), ImVec2(cx + slot / 2, plot.p1.y + line * 2 + 8)};
    if (ImGui::IsItemHovered() && hit.contains(mouse))
      ImGui::SetTooltip("%s", trf("sample %d, class %d: z = %.3f, softmax %.6g, one-hot %d", i, j,
                                  double(r.scaled[size_t(i * kLogitCols + j)]), double(p), target ? 1 : 0)
                                  .c_str());
  }
  const float cx = x + width * 0.5f, p_target = r.probs[size_t(i * kLogitCols + label)];
  centered_text(dl, cx, plot.p1.y + line * 2 + 12, text, trf("sample %d", i).c_str());
  centered_text(dl, cx, plot.p1.y + line * 3 + 12, p_target == 0.0f ? kBadColor : faint,
                trf("-log p = %s", number_or_broken(std::max(0.0f, -std::log(p_target)), "%.3f").c_str()).c_str());
}

void draw_probability_bars(const LossLabPanel& panel, const Box& box) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  const float axis = ImGui::CalcTextSize("0.5").x + ImGui::GetFontSize() * 0.5f;
  const Box plot{ImVec2(box.p0.x + axis, box.p0.y + line * 0.5f), ImVec2(box.p1.x, box.p1.y - line * 4 - 16)};
  draw_probability_axis(dl, box, plot);
  const float group = plot.width() / float(kLogitRows);
  for (int i = 0; i < kLogitRows; ++i)
    draw_sample_group(panel, dl, plot, i, plot.p0.x + group * (float(i) + 0.06f), group * 0.88f);
}

// The five costs as horizontal bars on one scale: equal lengths while they agree, a red
// band where a form broke. Clicking a bar shows that form's gradient on the right.
void draw_cost_bars(LossLabPanel& panel, const Box& box) {
  const LossLabResult& r = panel.state.result;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight(), row = box.height() / float(kCostForms);
  // Room after the longest bar for the widest value, so no number runs off the column.
  float largest = 0, value_w = 0;
  for (const CostResult& c : r.costs) {
    if (std::isfinite(c.value)) largest = std::max(largest, c.value);
    value_w = std::max(value_w, ImGui::CalcTextSize(number_or_broken(c.value, "%.5f").c_str()).x + 8);
  }
  if (!(largest > 0)) largest = 1;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int f = 0; f < kCostForms; ++f) {
    const float v = r.costs[size_t(f)].value, y = box.p0.y + row * float(f);
    const bool broken = !std::isfinite(v), chosen = panel.state.gradient_form == f;
    char caption[96];
    std::snprintf(caption, sizeof caption, "%d  %s", f + 1, form_label(f));
    dl->AddText(ImVec2(box.p0.x, y), chosen ? text : faint, caption);
    const float bar_h = std::min(row - line - 8, ImGui::GetFontSize() * 1.6f);
    const ImVec2 a(box.p0.x, y + line + 3);
    const float full = box.width() - value_w;
    const float len = broken ? full : std::max(2.0f, full * std::max(0.0f, v) / largest);
    dl->AddRectFilled(a, ImVec2(a.x + len, a.y + bar_h), broken ? IM_COL32(235, 84, 84, 110) : class_color(1, 230));
    if (chosen) dl->AddRect(ImVec2(a.x - 2, a.y - 2), ImVec2(a.x + len + 2, a.y + bar_h + 2), text, 0, 0, 1.5f);
    const std::string value = number_or_broken(v, "%.5f");
    dl->AddText(ImVec2(a.x + (broken ? 6 : len + 6), a.y + (bar_h - line) * 0.5f), broken ? kBadColor : text, value.c_str());
    const Box hit{ImVec2(box.p0.x, y), ImVec2(box.p1.x, y + row)};
    if (!ImGui::IsItemHovered() || !hit.contains(mouse)) continue;
    ImGui::SetTooltip("%s\n%s", cost_form_name(CostForm(f)), tr("click: show this form's gradient"));
    if (ImGui::IsItemClicked()) panel.state.gradient_form = f;
  }
}

void draw_loss_visual(LossLabPanel& panel) {
  heading(tr("Softmax against the one-hot targets, and the five costs"));
  const float avail = ImGui::GetContentRegionAvail().x, fs = ImGui::GetFontSize();
  const bool side_by_side = avail >= fs * 30;
  const float lines = ImGui::GetTextLineHeightWithSpacing();
  const float height = side_by_side ? main_visual_height(lines * 3, std::max(avail * 0.9f, fs * 20))
                                    : avail * 0.75f + fs * 14;
  const Canvas c = reserve_canvas("loss_bars", avail, height);
  report_rect(panel.ui.rects, "loss.visual");
  const float gap = fs * 1.5f;
  if (side_by_side) {
    const float split = c.p0.x + c.width() * 0.6f;
    draw_probability_bars(panel, Box{c.p0, ImVec2(split - gap * 0.5f, c.p1.y)});
    draw_cost_bars(panel, Box{ImVec2(split + gap * 0.5f, c.p0.y + ImGui::GetTextLineHeight() * 0.5f), c.p1});
  } else {
    const float split = c.p0.y + avail * 0.75f;
    draw_probability_bars(panel, Box{c.p0, ImVec2(c.p1.x, split)});
    draw_cost_bars(panel, Box{ImVec2(c.p0.x, split + gap), c.p1});
  }
  legend({{class_color(1), 0, tr("target class"), true},
          {class_color(0, 190), 0, tr("other classes"), true},
          {0, ImGui::GetColorU32(ImGuiCol_Text), tr("one-hot target (1)"), true},
          {kBadColor, 0, tr("rounds to exactly 0"), false}});
  disabled_wrapped(trf("bars: softmax(%g * z) per sample; the cost is the mean of -log p over the samples",
                                double(panel.state.result.scale))
                                .c_str());
}

// ---------------------------------------------------------------------------------
// Right column: what it measured.

void draw_cost_row(LossLabPanel& panel, int f) {
  const LossLabResult& r = panel.state.result;
  const CostResult& c = r.costs[size_t(f)];
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::PushID(f);
  if (ImGui::RadioButton("##show", panel.state.gradient_form == f)) panel.state.gradient_form = f;
  ImGui::PopID();
  ImGui::SameLine();
  ImGui::TextWrapped("%d. %s", f + 1, form_label(f));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", cost_form_name(CostForm(f)));
  ImGui::TableNextColumn();
  const std::string value = number_or_broken(c.value, "%.7f");
  colored_text(std::isfinite(c.value) ? ImGui::GetColorU32(ImGuiCol_Text) : kBadColor, value.c_str());
  ImGui::TableNextColumn();
  const float d = r.max_grad_diff[size_t(f)];
  if (std::isfinite(d))
    ImGui::Text("%.1e", double(d));
  else
    colored_text(kBadColor, "NaN/inf");
}

void draw_cost_table(LossLabPanel& panel) {
  heading(tr("Five costs"));
  disabled_wrapped(tr("One cost, five ways. The last column is the largest difference between each form's gradient dz and cross_entropy's; pick a form to see its dz below."));
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("costs", 3, flags)) return;
  ImGui::TableSetupColumn(tr("cost formulation"), ImGuiTableColumnFlags_WidthStretch, 2.2f);
  ImGui::TableSetupColumn(tr("value"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn("max |dz diff|", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (int f = 0; f < kCostForms; ++f) draw_cost_row(panel, f);
  ImGui::EndTable();
}

void draw_verdicts(const LossLabPanel& panel) {
  const LossLabResult& r = panel.state.result;
  if (r.naive_finite)
    colored_text(kGoodColor, tr("log(softmax(z)) path: finite"));
  else
    colored_wrapped(kBadColor, tr("log(softmax(z)) path: broken (inf/NaN)"));
  if (r.stable_finite)
    colored_wrapped(kGoodColor, tr("log_softmax / nll_loss / cross_entropy: finite"));
  else
    colored_text(kBadColor, tr("log_softmax path: broken"));
  if (r.naive_finite && r.stable_finite) colored_text(kGoodColor, tr("all five agree"));
}

void draw_gradient(const LossLabPanel& panel) {
  const int form = panel.state.gradient_form;
  heading(trf("Gradient dz of form %d (3 x 5)", form + 1).c_str());
  const CostResult& c = panel.state.result.costs[size_t(form)];
  if (!ImGui::BeginTable("dz", kLogitCols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) return;
  for (int i = 0; i < kLogitRows; ++i) {
    ImGui::TableNextRow();
    for (int j = 0; j < kLogitCols; ++j) {
      ImGui::TableNextColumn();
      const float g = c.dz[size_t(i * kLogitCols + j)];
      if (std::isfinite(g))
        ImGui::Text("%+.4f", double(g));
      else
        colored_text(kBadColor, std::isnan(g) ? "NaN" : "inf");
    }
  }
  ImGui::EndTable();
  disabled_wrapped(tr("For cross_entropy, dz = (softmax(z) - one-hot) / 3: negative only at each sample's target."));
}

void draw_unshifted(const LossLabPanel& panel) {
  const LossLabResult& r = panel.state.result;
  heading(tr("Softmax without subtracting the max"));
  disabled_wrapped(tr("The textbook formula exp(z) / sum exp(z) taken literally, sample 0: exp overflows past z = 88.7."));
  std::string row = "[";
  for (int j = 0; j < kLogitCols; ++j) {
    if (j) row += ", ";
    row += number_or_broken(r.unshifted_probs[size_t(j)], "%.3g");
  }
  row += "]";
  if (r.unshifted_finite) {
    ImGui::TextWrapped("%s", row.c_str());
  } else {
    colored_wrapped(kBadColor, row.c_str());
    colored_text(kBadColor, tr("exp overflowed"));
  }
}

void draw_one_hot_tables(const EncodingComparison& e, const char* const animals[3]) {
  if (ImGui::BeginTable("onehot", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {tr("animal"), tr("integer label"), tr("one-hot")}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int i = 0; i < 3; ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(animals[i]);
      ImGui::TableNextColumn();
      ImGui::Text("%d", i + 1);
      ImGui::TableNextColumn();
      ImGui::Text("[%g, %g, %g]", double(e.one_hot[size_t(i * 3)]), double(e.one_hot[size_t(i * 3 + 1)]),
                  double(e.one_hot[size_t(i * 3 + 2)]));
    }
    ImGui::EndTable();
  }
  disabled_wrapped(tr("Squared distance between classes, which is what MSE penalises:"));
  if (ImGui::BeginTable("dist", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {tr("pair"), tr("labels 1,2,3"), tr("one-hot")}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int i = 0; i < 3; ++i)
      for (int j = i + 1; j < 3; ++j) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%s - %s", animals[i], animals[j]);
        ImGui::TableNextColumn();
        ImGui::Text("%g", double(e.label_sq[size_t(i)][size_t(j)]));
        ImGui::TableNextColumn();
        ImGui::Text("%g", double(e.onehot_sq[size_t(i)][size_t(j)]));
      }
    ImGui::EndTable();
  }
}

// An extra, folded: why the labels become one-hot vectors before any of this.
void draw_one_hot(LossLabPanel& panel) {
  ImGui::Spacing();
  if (!section(panel.ui, tr("One-hot encoding: why not labels 1, 2, 3"))) return;
  const EncodingComparison e = compare_encodings();
  const char* const animals[3] = {tr("dog"), tr("cat"), tr("parrot")};
  disabled_wrapped(tr("Three classes with no order between them. One-hot gives each its own axis, so every mistake costs the same; with labels 1, 2, 3 a parrot is four times as wrong for a dog as a cat is."));
  draw_one_hot_tables(e, animals);
}

}  // namespace

void draw_loss_lab_panel(LossLabPanel& panel) {
  const LossLabSettings before = panel.s;
  {
    PanelLayout layout("loss_layout");
    draw_seed_and_scale(panel);
    if (shown(panel.ui, "logits")) draw_logits_editor(panel);
    layout.next();
    draw_loss_visual(panel);
    layout.next();
    draw_cost_table(panel);
    draw_verdicts(panel);
    draw_gradient(panel);
    draw_unshifted(panel);
    draw_one_hot(panel);
  }
  if (!(before == panel.s)) loss_sync(panel);
}

}  // namespace nnplay::ui
