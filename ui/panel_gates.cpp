// Panel 1, perceptrons and logic gates: the tutorial's hand-set weights on sliders, the
// truth table, the unit square with the decision line, the perceptron learning rule
// step by step (converging on AND/NAND/OR, cycling on XOR), XOR as a circuit of three
// gates, and a 2-2-1 sigmoid network that learns XOR with its hidden units' lines.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app_actions.h"
#include "panels.h"
#include "plot.h"

namespace nnplay::ui {

namespace {

const ImU32 kWrong = IM_COL32(230, 60, 60, 255);
const ImU32 kRight = IM_COL32(80, 190, 90, 255);

void draw_gate_choice(AppState& st) {
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR, Gate::XOR}) {
    if (g != Gate::AND) ImGui::SameLine();
    if (ImGui::RadioButton(gate_name(g), st.s.gates.gate == g)) select_gate(st, g);
  }
}

void draw_weights_and_table(AppState& st) {
  GatesSettings& g = st.s.gates;
  bool moved = false;
  moved |= ImGui::SliderFloat("w1", &g.w1, -kWeightLimit, kWeightLimit, "%.2f");
  moved |= ImGui::SliderFloat("w2", &g.w2, -kWeightLimit, kWeightLimit, "%.2f");
  moved |= ImGui::SliderFloat("b", &g.b, -kWeightLimit, kWeightLimit, "%.2f");
  if (moved) st.gates.playing = false;  // the hand on the slider wins over the animation
  if (g.gate != Gate::XOR) {
    if (ImGui::Button("Tutorial weights")) select_gate(st, g.gate);
    ImGui::SameLine();
    Perceptron t = tutorial_perceptron(g.gate);
    ImGui::TextDisabled("(%.1f, %.1f, %.1f)", double(t.w1), double(t.w2), double(t.b));
  } else {
    ImGui::TextWrapped("XOR has no tutorial weights: no single line separates its 1s from its 0s. "
                       "Try the sliders; at most three rows come out right.");
  }

  const Perceptron p{g.w1, g.w2, g.b};
  int correct = 0;
  if (ImGui::BeginTable("truth", 6, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {"x1", "x2", "w.x+b", "out", "target", ""}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int x1 = 0; x1 <= 1; ++x1)
      for (int x2 = 0; x2 <= 1; ++x2) {
        const float z = g.w1 * float(x1) + g.w2 * float(x2) + g.b;
        const int y = p(float(x1), float(x2)), t = gate_target(g.gate, x1, x2);
        correct += y == t;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%d", x1);
        ImGui::TableNextColumn();
        ImGui::Text("%d", x2);
        ImGui::TableNextColumn();
        ImGui::Text("%+.2f", double(z));
        ImGui::TableNextColumn();
        ImGui::Text("%d", y);
        ImGui::TableNextColumn();
        ImGui::Text("%d", t);
        ImGui::TableNextColumn();
        colored_text(y == t ? kRight : kWrong, y == t ? "ok" : "WRONG");
      }
    ImGui::EndTable();
  }
  ImGui::Text("%d of 4 rows correct", correct);
}

// The four inputs, the line w1·x1 + w2·x2 + b = 0 and the side where the output is 1.
void draw_unit_square(AppState& st) {
  const GatesSettings& g = st.s.gates;
  const float size = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 18.0f);
  PlaneMap m{reserve_canvas("square", size, size), -0.25f, -0.25f, 1.25f, 1.25f};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(m.canvas.p0, m.canvas.p1, true);
  dl->AddRectFilled(m.canvas.p0, m.canvas.p1, class_color(0, 45));
  fill_half_plane(dl, m, g.w1, g.w2, g.b, class_color(1, 70));
  draw_plane_line(dl, m, g.w1, g.w2, g.b, ImGui::GetColorU32(ImGuiCol_Text), 2.0f);
  const Perceptron p{g.w1, g.w2, g.b};
  const float r = ImGui::GetFontSize() * 0.45f;
  const PerceptronStepper& rule = st.gates.stepper;
  for (int x1 = 0; x1 <= 1; ++x1)
    for (int x2 = 0; x2 <= 1; ++x2) {
      const int t = gate_target(g.gate, x1, x2);
      const ImVec2 c = m.to_screen(float(x1), float(x2));
      dl->AddCircleFilled(c, r, class_color(t));
      if (p(float(x1), float(x2)) != t) dl->AddCircle(c, r + 3, kWrong, 0, 2.5f);
      if (rule.started() && rule.last().x1 == x1 && rule.last().x2 == x2)
        dl->AddCircle(c, r + 7, IM_COL32(250, 220, 40, 255), 0, 2.0f);
    }
  draw_plane_frame(dl, m);
  dl->PopClipRect();
  if (m.canvas.hovered) {
    float a, b;
    m.to_plane(ImGui::GetIO().MousePos, a, b);
    ImGui::SetTooltip("x1 = %.2f, x2 = %.2f\nw.x + b = %+.3f -> output %d", double(a), double(b),
                      double(g.w1 * a + g.w2 * b + g.b), p(a, b));
  }
  ImGui::TextDisabled("filled: target (blue 1, orange 0); red ring: wrong output; shaded blue: output 1");
  if (g.gate == Gate::XOR && ImGui::Button("Learn XOR with a 2-2-1 network")) {
    start_xor221(st);
    st.gates.open_xor_section = true;
  }
}

void draw_learning_rule(AppState& st) {
  GatesState& gs = st.gates;
  GatesSettings& g = st.s.gates;
  const PerceptronStepper& r = gs.stepper;
  ImGui::TextWrapped("Rosenblatt's rule from zero weights: show each input in turn; when the output is wrong, "
                     "add lr*(target - output)*x to the weights (and lr*(target - output) to b).");
  if (ImGui::SliderFloat("rate", &g.perceptron_lr, 0.01f, kMaxPerceptronLr, "%.2f")) restart_learning_rule(st);
  if (ImGui::Button(gs.playing ? "Pause" : (r.finished() ? "Replay" : "Play"))) {
    if (r.finished()) restart_learning_rule(st);
    gs.playing = !gs.playing;
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(r.finished());
  if (ImGui::Button("Step")) {
    gs.playing = false;
    learning_rule_step(st);
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Restart")) restart_learning_rule(st);
  ImGui::SliderFloat("steps/s", &gs.steps_per_second, 0.5f, 30.0f, "%.1f");

  if (!r.started()) {
    ImGui::TextDisabled("not started: weights (0, 0, 0)");
  } else {
    const PerceptronUpdate& u = r.last();
    ImGui::Text("epoch %d, input (%d, %d): target %d, output %d", r.epoch(), u.x1, u.x2, u.target, u.output);
    if (u.updated)
      ImGui::Text("update: w1 %+.2f, w2 %+.2f, b %+.2f", double(g.perceptron_lr * float((u.target - u.output) * u.x1)),
                  double(g.perceptron_lr * float((u.target - u.output) * u.x2)),
                  double(g.perceptron_lr * float(u.target - u.output)));
    else
      ImGui::TextDisabled("correct: no update");
    const Perceptron w = r.weights();
    ImGui::Text("weights now (%.2f, %.2f, %.2f)", double(w.w1), double(w.w2), double(w.b));
  }
  if (r.converged()) colored_text(kRight, "converged: an epoch without a single error");
  if (r.cycled()) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "cycle: the weights after epoch %d equal those after epoch %d; the rule is deterministic, so it "
                  "repeats forever and never converges",
                  r.completed_epochs(), r.cycle_start());
    ImGui::PushStyleColor(ImGuiCol_Text, kWrong);
    ImGui::TextWrapped("%s", buf);
    ImGui::PopStyleColor();
  }
  const PerceptronRun& e = gs.engine_run;
  ImGui::TextDisabled("engine's train_perceptron: %s after %d epochs", e.converged ? "converged" : (e.cycled ? "cycled" : "still going"),
                      e.epochs);

  if (!r.history().empty() &&
      ImGui::BeginTable("epochs", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchSame,
                        ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 7))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* h : {"epoch", "errors", "w1", "w2", "b"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (const PerceptronEpoch& h : r.history()) {
      ImGui::TableNextRow();
      const bool in_cycle = r.cycled() && h.epoch >= r.cycle_start();
      ImGui::TableNextColumn();
      if (in_cycle) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(230, 60, 60, 60));
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
}

// x1, x2 → NAND and OR → AND → y, drawn as boxes and wires, with the live bits.
void draw_xor_circuit() {
  static const char* kRows[] = {"x1", "x2", "NAND", "OR", "AND = XOR", "target"};
  const float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 20.0f);
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
  const float bw = ImGui::GetFontSize() * 2.2f, bh = ImGui::GetFontSize() * 1.1f;
  auto node = [&](ImVec2 p, const char* label) {
    dl->AddRectFilled(ImVec2(p.x - bw / 2, p.y - bh / 2), ImVec2(p.x + bw / 2, p.y + bh / 2), box, 4.0f);
    ImVec2 ts = ImGui::CalcTextSize(label);
    dl->AddText(ImVec2(p.x - ts.x / 2, p.y - ts.y / 2), line, label);
  };
  node(x1, "x1");
  node(x2, "x2");
  node(nand, "NAND");
  node(orr, "OR");
  node(andg, "AND");
  dl->AddText(ImVec2(out.x - ImGui::GetFontSize() * 0.6f, out.y - ImGui::GetFontSize() * 1.4f), line, "y");

  const Perceptron pn = tutorial_perceptron(Gate::NAND), po = tutorial_perceptron(Gate::OR),
                   pa = tutorial_perceptron(Gate::AND);
  if (ImGui::BeginTable("xor_table", 6, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* name : kRows) ImGui::TableSetupColumn(name);
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
        if (y != xor_composed(a, b) || y != t) colored_text(kWrong, "mismatch");
      }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("each box is one of the tutorial's perceptrons; two layers do what one cannot");
}

void draw_xor221(AppState& st) {
  GatesState& gs = st.gates;
  GatesSettings& g = st.s.gates;
  ImGui::TextWrapped("Two sigmoid hidden units each draw a line; the output unit combines the two half-planes. "
                     "Trained with binary cross-entropy and SGD on the four XOR points.");
  ImGui::SliderFloat("learning rate", &g.xor_lr, 0.01f, 10.0f, "%.2f", ImGuiSliderFlags_Logarithmic);
  int seed = int(std::min<uint64_t>(g.xor_seed, 1000000));
  if (ImGui::InputInt("seed", &seed) && seed >= 0) g.xor_seed = uint64_t(seed);
  auto snap = gs.xor_runner.snapshot();
  const bool running = gs.xor_started && snap && snap->running;
  if (ImGui::Button(running ? "Pause##x" : (gs.xor_started ? "Continue##x" : "Learn XOR"))) {
    if (running)
      gs.xor_runner.set_running(false);
    else if (gs.xor_started)
      gs.xor_runner.set_running(true);
    else
      start_xor221(st);
  }
  ImGui::SameLine();
  if (ImGui::Button("Restart##x")) start_xor221(st);
  if (!gs.xor_started || !snap) {
    ImGui::TextDisabled("not trained yet");
    return;
  }
  ImGui::Text("epoch %d / %d, loss %.5f, accuracy %.2f", snap->epoch, snap->max_epochs, double(snap->train_loss),
              double(snap->train_acc));
  if (!snap->error.empty()) colored_text(kWrong, snap->error.c_str());
  gs.xor_view.update(*snap, 32);
  draw_decision_map(*snap, gs.xor_view, std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 18.0f), true);
  const std::vector<LayerWeights> layers = layer_weights(*snap);
  for (int64_t j = 0; j < layers[0].out; ++j)
    ImGui::Text("hidden %d: %.2f*x1 %+.2f*x2 %+.2f = 0", int(j + 1), double(layers[0].w(j, 0)),
                double(layers[0].w(j, 1)), double(layers[0].b ? layers[0].b[j] : 0.0f));
  const std::vector<float>& out = gs.xor_view.train_outputs();
  if (out.size() == 4 && ImGui::BeginTable("xor221_out", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {"input", "output", "prediction", "target"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (int i = 0; i < 4; ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("(%d, %d)", i / 2, i % 2);
      ImGui::TableNextColumn();
      ImGui::Text("%.4f", double(out[size_t(i)]));
      ImGui::TableNextColumn();
      ImGui::Text("%d", out[size_t(i)] > 0.5f ? 1 : 0);
      ImGui::TableNextColumn();
      ImGui::Text("%d", gate_target(Gate::XOR, i / 2, i % 2));
    }
    ImGui::EndTable();
  }
}

}  // namespace

void draw_gates_panel(AppState& st) {
  const GatesSettings before = st.s.gates;
  ImGui::TextWrapped("A perceptron outputs 1 when w1*x1 + w2*x2 + b > 0, else 0: a line through the input plane.");
  draw_gate_choice(st);
  if (section(st, "Weights and truth table", true)) draw_weights_and_table(st);
  if (section(st, "Unit square", true)) draw_unit_square(st);
  if (section(st, "Perceptron learning rule")) draw_learning_rule(st);
  if (section(st, "XOR from NAND, OR and AND")) draw_xor_circuit();
  if (st.gates.open_xor_section) {
    ImGui::SetNextItemOpen(true);
    st.gates.open_xor_section = false;
  }
  if (section(st, "XOR with a 2-2-1 network")) draw_xor221(st);
  sync_gates(st, before);
}

}  // namespace nnplay::ui
