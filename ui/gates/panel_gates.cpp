// Panel 1, perceptrons and logic gates, in the three columns of layout.h. Left, what you
// set: the gate, the hand-set weights and the perceptron learning rule's controls.
// Middle, what you watch: the unit square with the four inputs and the decision line
// (the panel's main visual, sized to fill the first screen), and for XOR the circuit of
// three gates and a 2-2-1 sigmoid network that learns it. Right, what it measured: the
// truth table, the rule's progress and verdict (converging on AND/NAND/OR, cycling on
// XOR) with its epoch log, and the 2-2-1 network's outputs.
#include <algorithm>
#include <cmath>
#include <string>

#include "gates/gates_panel.h"
#include "widgets/layout.h"
#include "widgets/network_drawing.h"
#include "widgets/panel_style.h"
#include "widgets/plot.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

const ImU32 kWrongRow = IM_COL32(235, 84, 84, 60);

// The XOR material shows while XOR is chosen or its network has been started (and
// always when the tests ask for every section).
bool xor_shown(const GatesPanel& panel) { return panel.s.gate == Gate::XOR || panel.state.xor_started || panel.ui.expand_all; }

// A weight slider with the meaning of its symbol in a tooltip.
bool weight_slider(const char* symbol, float* v, const char* meaning) {
  ImGui::SetNextItemWidth(control_width(12));
  const bool moved = ImGui::SliderFloat(symbol, v, -kWeightLimit, kWeightLimit, "%.2f");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", meaning);
  return moved;
}

// ---------------------------------------------------------------------------------
// Left column: what you set.

void draw_gate_choice(GatesPanel& panel) {
  heading(tr("Logic gate"));
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR, Gate::XOR}) {
    if (g != Gate::AND) ImGui::SameLine();
    if (ImGui::RadioButton(gate_name(g), panel.s.gate == g)) select_gate(panel, g);
  }
}

void draw_weights(GatesPanel& panel) {
  GatesSettings& g = panel.s;
  heading(tr("Weights and bias"));
  disabled_wrapped(tr("The output is 1 when w1*x1 + w2*x2 + b > 0, else 0: the line w1*x1 + w2*x2 + b = 0 splits the plane."));
  bool moved = false;
  if (shown(panel.ui, "w1")) moved |= weight_slider("w1", &g.w1, tr("weight of input x1"));
  if (shown(panel.ui, "w2")) moved |= weight_slider("w2", &g.w2, tr("weight of input x2"));
  if (shown(panel.ui, "b")) moved |= weight_slider("b", &g.b, tr("bias: moves the line without turning it"));
  if (moved) panel.state.playing = false;  // the hand on the slider wins over the animation
  if (g.gate != Gate::XOR) {
    if (ImGui::Button(tr("Tutorial weights"))) select_gate(panel, g.gate);
    ImGui::SameLine();
    const Perceptron t = tutorial_perceptron(g.gate);
    ImGui::TextDisabled("(%.1f, %.1f, %.1f)", double(t.w1), double(t.w2), double(t.b));
  } else {
    disabled_wrapped(tr("XOR has no tutorial weights: no single line separates its 1s from its 0s. Try the sliders; at most three rows come out right."));
  }
}

void draw_rule_buttons(GatesPanel& panel) {
  GatesState& gs = panel.state;
  const PerceptronStepper& r = gs.stepper;
  const char* play = gs.playing ? tr("Pause") : (r.finished() ? tr("Replay") : tr("Train"));
  // A fixed id, so the button stays the same widget while its label changes.
  if (ImGui::Button((std::string(play) + "###rule_play").c_str(), ImVec2(ImGui::GetFontSize() * 6, 0))) {
    if (r.finished()) restart_learning_rule(panel);
    gs.playing = !gs.playing;
  }
  report_rect(panel.ui.rects, "gates.train");
  ImGui::SameLine();
  ImGui::BeginDisabled(r.finished());
  if (ImGui::Button(tr("Step##rule"))) {
    gs.playing = false;
    learning_rule_step(panel);
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr("Reset##rule"))) restart_learning_rule(panel);
}

void draw_rule_controls(GatesPanel& panel) {
  GatesSettings& g = panel.s;
  heading(tr("Perceptron learning rule"));
  disabled_wrapped(tr("From zero weights, the four inputs in turn: when the output is wrong, each weight moves by lr*(target - output)*its input, and b by lr*(target - output)."));
  if (shown(panel.ui, "train")) draw_rule_buttons(panel);
  if (shown(panel.ui, "plr")) {
    ImGui::SetNextItemWidth(control_width(12));
    if (ImGui::SliderFloat(tr("learning rate##plr"), &g.perceptron_lr, 0.01f, kMaxPerceptronLr, "%.2f"))
      restart_learning_rule(panel);
  }
  if (shown(panel.ui, "speed")) {
    ImGui::SetNextItemWidth(control_width(12));
    ImGui::SliderFloat(tr("steps per second"), &panel.state.steps_per_second, 0.5f, 30.0f, "%.1f");
  }
}

// ---------------------------------------------------------------------------------
// Middle column: what you watch.

// The four inputs as dots coloured by target with the output written inside, the line
// w1·x1 + w2·x2 + b = 0 and the side where the output is 1 shaded.
void draw_square_canvas(GatesPanel& panel, float size) {
  const GatesSettings& g = panel.s;
  PlaneMap m{reserve_canvas("square", size, size), -0.25f, -0.25f, 1.25f, 1.25f};
  report_rect(panel.ui.rects, "gates.visual");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(m.canvas.p0, m.canvas.p1, true);
  dl->AddRectFilled(m.canvas.p0, m.canvas.p1, class_color(0, 45));
  fill_half_plane(dl, m, g.w1, g.w2, g.b, class_color(1, 70));
  draw_plane_line(dl, m, g.w1, g.w2, g.b, ImGui::GetColorU32(ImGuiCol_Text), 2.5f);
  const Perceptron p{g.w1, g.w2, g.b};
  const float r = std::clamp(size * 0.04f, ImGui::GetFontSize() * 0.55f, ImGui::GetFontSize() * 1.1f);
  const PerceptronStepper& rule = panel.state.stepper;
  for (int x1 = 0; x1 <= 1; ++x1)
    for (int x2 = 0; x2 <= 1; ++x2) {
      const int t = gate_target(g.gate, x1, x2), y = p(float(x1), float(x2));
      const ImVec2 c = m.to_screen(float(x1), float(x2));
      dl->AddCircleFilled(c, r, class_color(t));
      const char* digit = y ? "1" : "0";
      const ImVec2 ts = ImGui::CalcTextSize(digit);
      dl->AddText(ImVec2(c.x - ts.x / 2, c.y - ts.y / 2), IM_COL32(255, 255, 255, 255), digit);
      if (y != t) dl->AddCircle(c, r + 3, kBadColor, 0, 3.0f);
      if (rule.started() && rule.last().x1 == x1 && rule.last().x2 == x2) dl->AddCircle(c, r + 8, kAccentColor, 0, 2.0f);
    }
  draw_plane_frame(dl, m);
  const ImU32 axis = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  dl->AddText(ImVec2(m.canvas.p1.x - ImGui::GetFontSize() * 1.5f, m.canvas.p1.y - ImGui::GetFontSize() * 1.3f), axis, "x1");
  dl->AddText(ImVec2(m.canvas.p0.x + ImGui::GetFontSize() * 0.4f, m.canvas.p0.y + 4), axis, "x2");
  dl->PopClipRect();
  if (m.canvas.hovered) {
    float a, b;
    m.to_plane(ImGui::GetIO().MousePos, a, b);
    ImGui::SetTooltip("%s", trf("x1 = %.2f, x2 = %.2f\nw.x + b = %+.3f -> output %d", double(a), double(b),
                                double(g.w1 * a + g.w2 * b + g.b), p(a, b))
                                .c_str());
  }
}

void draw_unit_square(GatesPanel& panel) {
  heading(tr("The four inputs and the decision line"));
  const float lines = ImGui::GetTextLineHeightWithSpacing();
  const float avail = ImGui::GetContentRegionAvail().x;
  // Room under the square for the legend and, for XOR, the button that goes on.
  const float size = main_visual_height(lines * 3.5f, avail);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - size) * 0.5f));
  draw_square_canvas(panel, size);
  legend({{class_color(1), 0, tr("target 1")},
          {class_color(0), 0, tr("target 0")},
          {0, kBadColor, tr("wrong output")},
          {class_color(1, 110), 0, tr("shaded: output 1"), true},
          {0, kAccentColor, tr("last input the rule saw")}});
  disabled_wrapped(tr("The digit in each dot is the perceptron's output."));
  if (panel.s.gate == Gate::XOR && !panel.state.xor_started &&
      ImGui::Button(tr("Learn XOR with a 2-2-1 network"))) {
    start_xor221(panel);
    panel.state.open_xor_section = true;
  }
}

// x1, x2 → NAND and OR → AND → y, drawn as boxes and wires.
void draw_circuit_canvas() {
  const float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 22.0f);
  const float h = ImGui::GetFontSize() * 7.0f;
  Canvas c = reserve_canvas("circuit", w, h);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 line = ImGui::GetColorU32(ImGuiCol_Text), box = ImGui::GetColorU32(ImGuiCol_FrameBgActive);
  auto at = [&](float fx, float fy) { return ImVec2(c.p0.x + fx * c.width(), c.p0.y + fy * c.height()); };
  const ImVec2 x1 = at(0.08f, 0.25f), x2 = at(0.08f, 0.75f), nand = at(0.45f, 0.25f), orr = at(0.45f, 0.75f),
               andg = at(0.78f, 0.5f), out = at(0.97f, 0.5f);
  for (ImVec2 from : {x1, x2})
    for (ImVec2 to : {nand, orr}) dl->AddLine(from, to, line, 1.5f);
  dl->AddLine(nand, andg, line, 1.5f);
  dl->AddLine(orr, andg, line, 1.5f);
  dl->AddLine(andg, out, line, 1.5f);
  const float bw = ImGui::GetFontSize() * 2.6f, bh = ImGui::GetFontSize() * 1.3f;
  auto node = [&](ImVec2 p, const char* label) {
    dl->AddRectFilled(ImVec2(p.x - bw / 2, p.y - bh / 2), ImVec2(p.x + bw / 2, p.y + bh / 2), box, 4.0f);
    const ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddText(ImVec2(p.x - ts.x / 2, p.y - ts.y / 2), line, label);
  };
  node(x1, "x1");
  node(x2, "x2");
  node(nand, "NAND");
  node(orr, "OR");
  node(andg, "AND");
  dl->AddText(ImVec2(out.x - ImGui::GetFontSize() * 0.6f, out.y - ImGui::GetFontSize() * 1.4f), line, "y");
}

// The circuit's bits for the four inputs, checked against XOR's truth table.
void draw_circuit_table() {
  const Perceptron pn = tutorial_perceptron(Gate::NAND), po = tutorial_perceptron(Gate::OR),
                   pa = tutorial_perceptron(Gate::AND);
  if (!ImGui::BeginTable("xor_table", 6, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) return;
  for (const char* name : {"x1", "x2", "NAND", "OR", "AND = XOR"}) ImGui::TableSetupColumn(name);
  ImGui::TableSetupColumn(tr("target"));
  ImGui::TableHeadersRow();
  for (int a = 0; a <= 1; ++a)
    for (int b = 0; b <= 1; ++b) {
      const int s1 = pn(float(a), float(b)), s2 = po(float(a), float(b)), y = pa(float(s1), float(s2));
      const int t = gate_target(Gate::XOR, a, b);
      ImGui::TableNextRow();
      for (int v : {a, b, s1, s2, y, t}) {
        ImGui::TableNextColumn();
        ImGui::Text("%d", v);
      }
      if (y != xor_composed(a, b) || y != t) colored_text(kBadColor, tr("mismatch"));
    }
  ImGui::EndTable();
}

void draw_xor_circuit() {
  heading(tr("XOR from NAND, OR and AND"));
  draw_circuit_canvas();
  draw_circuit_table();
  disabled_wrapped(tr("Each box is one of the tutorial's perceptrons; two layers do what one cannot."));
}

void draw_xor221_controls(GatesPanel& panel, bool running) {
  GatesState& gs = panel.state;
  GatesSettings& g = panel.s;
  if (shown(panel.ui, "xtrain")) {
    const char* label = running ? tr("Pause") : (gs.xor_started ? tr("Continue") : tr("Learn XOR"));
    if (ImGui::Button((std::string(label) + "###xor_play").c_str(), ImVec2(ImGui::GetFontSize() * 6, 0))) {
      if (running)
        gs.xor_runner.set_running(false);
      else if (gs.xor_started)
        gs.xor_runner.set_running(true);
      else
        start_xor221(panel);
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("Reset##x"))) start_xor221(panel);
  }
  if (shown(panel.ui, "xlr")) {
    ImGui::SetNextItemWidth(control_width(12));
    ImGui::SliderFloat(tr("learning rate##x"), &g.xor_lr, 0.01f, 10.0f, "%.2f", ImGuiSliderFlags_Logarithmic);
  }
  if (shown(panel.ui, "xseed")) {
    int seed = int(std::min<uint64_t>(g.xor_seed, 1000000));
    ImGui::SetNextItemWidth(control_width(8));
    if (ImGui::InputInt(tr("seed##x"), &seed) && seed >= 0) g.xor_seed = uint64_t(seed);
  }
}

// The output's decision map beside the network's graph when the column is wide enough,
// one under the other when not.
void draw_xor221_views(GatesState& gs, const NetworkSnapshot& snap) {
  gs.xor_view.update(snap, 32);
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool side_by_side = avail >= ImGui::GetFontSize() * 26;
  if (!side_by_side) {
    draw_decision_map(snap, gs.xor_view, std::min(avail, ImGui::GetFontSize() * 18.0f), true);
    draw_network_graph(snap);
    return;
  }
  if (!ImGui::BeginTable("xor221_views", 2, ImGuiTableFlags_SizingStretchSame)) return;
  ImGui::TableNextColumn();
  draw_decision_map(snap, gs.xor_view, ImGui::GetContentRegionAvail().x, true);
  ImGui::TableNextColumn();
  draw_network_graph(snap);
  ImGui::EndTable();
}

void draw_xor221(GatesPanel& panel) {
  GatesState& gs = panel.state;
  heading(tr("XOR with a 2-2-1 network"));
  if (gs.open_xor_section) {
    ImGui::SetScrollHereY(0.0f);  // the button under the square sends the learner here
    gs.open_xor_section = false;
  }
  disabled_wrapped(tr("Two sigmoid hidden units each draw a line; the output unit combines the two half-planes. Trained with binary cross-entropy and SGD on the four XOR points."));
  auto snap = gs.xor_runner.snapshot();
  const bool running = gs.xor_started && snap && snap->running;
  draw_xor221_controls(panel, running);
  if (!gs.xor_started || !snap) {
    ImGui::TextDisabled("%s", tr("not trained yet"));
    return;
  }
  ImGui::TextWrapped("%s", trf("epoch %d / %d, loss %.5f, accuracy %.2f", snap->epoch, snap->max_epochs,
                             double(snap->train_loss), double(snap->train_acc))
                             .c_str());
  if (!snap->error.empty()) colored_wrapped(kBadColor, snap->error.c_str());
  draw_xor221_views(gs, *snap);
}

// ---------------------------------------------------------------------------------
// Right column: what it measured.

void draw_truth_table(const GatesPanel& panel) {
  const GatesSettings& g = panel.s;
  heading(tr("Truth table"));
  const Perceptron p{g.w1, g.w2, g.b};
  int correct = 0;
  if (ImGui::BeginTable("truth", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {"x1", "x2", "w.x+b"}) ImGui::TableSetupColumn(h);
    ImGui::TableSetupColumn(tr("output"));
    ImGui::TableSetupColumn(tr("target"));
    ImGui::TableHeadersRow();
    for (int x1 = 0; x1 <= 1; ++x1)
      for (int x2 = 0; x2 <= 1; ++x2) {
        const float z = g.w1 * float(x1) + g.w2 * float(x2) + g.b;
        const int y = p(float(x1), float(x2)), t = gate_target(g.gate, x1, x2);
        correct += y == t;
        ImGui::TableNextRow();
        if (y != t) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, kWrongRow);
        ImGui::TableNextColumn();
        ImGui::Text("%d", x1);
        ImGui::TableNextColumn();
        ImGui::Text("%d", x2);
        ImGui::TableNextColumn();
        ImGui::Text("%+.2f", double(z));
        ImGui::TableNextColumn();
        colored_text(y == t ? kGoodColor : kBadColor, y ? "1" : "0");
        ImGui::TableNextColumn();
        ImGui::Text("%d", t);
      }
    ImGui::EndTable();
  }
  colored_text(correct == 4 ? kGoodColor : kBadColor, trf("%d of 4 rows correct", correct).c_str());
}

void draw_rule_progress(const GatesPanel& panel) {
  const PerceptronStepper& r = panel.state.stepper;
  const float lr = panel.s.perceptron_lr;
  if (!r.started()) {
    ImGui::TextDisabled("%s", tr("not started: weights (0, 0, 0)"));
    return;
  }
  const PerceptronUpdate& u = r.last();
  ImGui::TextWrapped("%s", trf("epoch %d, input (%d, %d): target %d, output %d", r.epoch(), u.x1, u.x2, u.target, u.output).c_str());
  if (u.updated)
    ImGui::TextWrapped("%s", trf("update: w1 %+.2f, w2 %+.2f, b %+.2f", double(lr * float((u.target - u.output) * u.x1)),
                               double(lr * float((u.target - u.output) * u.x2)), double(lr * float(u.target - u.output)))
                               .c_str());
  else
    ImGui::TextDisabled("%s", tr("right output: no update"));
  const Perceptron w = r.weights();
  ImGui::TextWrapped("%s", trf("weights now (%.2f, %.2f, %.2f)", double(w.w1), double(w.w2), double(w.b)).c_str());
}

void draw_rule_verdict(const GatesPanel& panel) {
  const PerceptronStepper& r = panel.state.stepper;
  if (r.converged())
    colored_wrapped(kGoodColor, trf("converged in %d epochs: an epoch without a single error", r.completed_epochs()).c_str());
  if (r.cycled())
    colored_wrapped(kBadColor, trf("cycle: the weights after epoch %d equal those after epoch %d; the rule is deterministic, so it repeats forever and never converges",
                                   r.completed_epochs(), r.cycle_start())
                                   .c_str());
  const PerceptronRun& e = panel.state.engine_run;
  const char* verdict = e.converged ? tr("converged") : (e.cycled ? tr("cycled") : tr("still going"));
  disabled_wrapped(trf("engine's train_perceptron: %s after %d epochs", verdict, e.epochs).c_str());
}

// Weights and error count at the end of every epoch; a cycle's epochs are tinted red.
void draw_rule_log(const GatesPanel& panel) {
  const PerceptronStepper& r = panel.state.stepper;
  if (r.history().empty()) return;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchSame;
  // As tall as its rows, up to eight; longer logs scroll.
  const float rows = float(std::min<size_t>(r.history().size() + 1, 8));
  const float height = (ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y + 1) * rows + 6;
  if (!ImGui::BeginTable("epochs", 5, flags, ImVec2(0, height))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(tr("epoch"));
  ImGui::TableSetupColumn(tr("errors"));
  for (const char* h : {"w1", "w2", "b"}) ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (const PerceptronEpoch& h : r.history()) {
    ImGui::TableNextRow();
    if (r.cycled() && h.epoch >= r.cycle_start()) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, kWrongRow);
    ImGui::TableNextColumn();
    ImGui::Text("%d", h.epoch);
    ImGui::TableNextColumn();
    ImGui::Text("%d", h.errors);
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", double(h.weights.w1));
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", double(h.weights.w2));
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", double(h.weights.b));
  }
  ImGui::EndTable();
}

void draw_rule_report(const GatesPanel& panel) {
  heading(tr("What the learning rule did"));
  draw_rule_progress(panel);
  draw_rule_verdict(panel);
  draw_rule_log(panel);
}

// Each hidden unit's line and the four outputs against XOR's targets.
void draw_xor221_outputs(GatesPanel& panel) {
  GatesState& gs = panel.state;
  auto snap = gs.xor_runner.snapshot();
  if (!gs.xor_started || !snap) return;
  heading(tr("2-2-1 network outputs"));
  const std::vector<LayerWeights> layers = layer_weights(*snap);
  for (int64_t j = 0; j < layers[0].out; ++j)
    ImGui::TextUnformatted(trf("hidden %d: %.2f*x1 %+.2f*x2 %+.2f = 0", int(j + 1), double(layers[0].w(j, 0)),
                               double(layers[0].w(j, 1)), double(layers[0].b ? layers[0].b[j] : 0.0f))
                               .c_str());
  const std::vector<float>& out = gs.xor_view.train_outputs();
  if (out.size() != 4 || !ImGui::BeginTable("xor221_out", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame))
    return;
  for (const char* h : {tr("input"), tr("output"), tr("prediction"), tr("target")}) ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (int i = 0; i < 4; ++i) {
    const int predicted = out[size_t(i)] > 0.5f ? 1 : 0, t = gate_target(Gate::XOR, i / 2, i % 2);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("(%d, %d)", i / 2, i % 2);
    ImGui::TableNextColumn();
    ImGui::Text("%.4f", double(out[size_t(i)]));
    ImGui::TableNextColumn();
    colored_text(predicted == t ? kGoodColor : kBadColor, predicted ? "1" : "0");
    ImGui::TableNextColumn();
    ImGui::Text("%d", t);
  }
  ImGui::EndTable();
}

}  // namespace

void draw_gates_panel(GatesPanel& panel) {
  const GatesSettings before = panel.s;
  {
    PanelLayout layout("gates_layout");
    if (shown(panel.ui, "gate")) draw_gate_choice(panel);
    draw_weights(panel);
    draw_rule_controls(panel);
    layout.next();
    draw_unit_square(panel);
    if (xor_shown(panel)) {
      draw_xor_circuit();
      draw_xor221(panel);
    }
    layout.next();
    draw_truth_table(panel);
    draw_rule_report(panel);
    if (xor_shown(panel)) draw_xor221_outputs(panel);
  }
  gates_sync(panel, before);
}

}  // namespace nnplay::ui
