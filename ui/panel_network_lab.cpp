// Panel 3, the network lab: the tutorial's XOR MLP and beyond. Data (XOR's four points or
// a noisy 2D set with a train/test split), model (layers, widths, activation, loss,
// optimizer, learning rate, batch size, seed), training controls, live loss and
// accuracy curves, the decision heat map, per-neuron maps, the weighted graph and the
// tutorial's final table. Training runs in the TrainingRunner; this panel only draws
// its snapshots and sends it commands.
#include <algorithm>
#include <cstdio>

#include "app_actions.h"
#include "panels.h"
#include "plot.h"

namespace nnplay::ui {

namespace {

const ImU32 kWrong = IM_COL32(230, 60, 60, 255);
constexpr int kViewGrid = 36;
constexpr double kViewPeriod = 0.1;  // seconds between heat-map refreshes while training

template <typename T, size_t N>
bool combo(const char* label, T& value, const T (&options)[N], const char* (*name)(T)) {
  bool changed = false;
  if (ImGui::BeginCombo(label, name(value))) {
    for (T o : options)
      if (ImGui::Selectable(name(o), o == value)) {
        changed = o != value;
        value = o;
      }
    ImGui::EndCombo();
  }
  return changed;
}

const char* optimizer_label(int i) { return i == 0 ? "sgd" : "adam"; }

void draw_controls(AppState& st, const NetworkSnapshot* snap) {
  TrainingRunner& r = *st.network.runner;
  const bool running = snap && snap->running;
  if (ImGui::Button(running ? "Pause" : "Train")) r.set_running(!running);
  ImGui::SameLine();
  ImGui::BeginDisabled(running);
  if (ImGui::Button("Step")) r.step_epoch();
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Reset")) rebuild_network(st);
  if (!snap) return;
  ImGui::SameLine();
  ImGui::Text("epoch %d / %d", snap->epoch, snap->max_epochs);
  ImGui::Text("loss %.5f (test %.5f), accuracy %.3f (test %.3f)", double(snap->train_loss), double(snap->test_loss),
              double(snap->train_acc), double(snap->test_acc));
  if (!running && snap->epoch >= snap->max_epochs)
    ImGui::TextDisabled("reached the epoch limit: raise 'epochs' under Model and training to go on");
  if (!snap->error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWrong);
    ImGui::TextWrapped("stopped: %s", snap->error.c_str());
    ImGui::PopStyleColor();
  }
  if (!st.network.config_error.empty()) colored_text(kWrong, st.network.config_error.c_str());
}

void draw_data_settings(AppState& st) {
  NetworkSettings& n = st.s.network;
  static const Toy2D kKinds[] = {Toy2D::Xor, Toy2D::Circle, Toy2D::XorQuadrants, Toy2D::Gaussians, Toy2D::Spiral};
  combo("dataset", n.dataset, kKinds, toy2d_name);
  ImGui::BeginDisabled(n.dataset == Toy2D::Xor);
  // Each change regenerates the data and resets training (cheap at these sizes).
  ImGui::SliderInt("points", &n.points, kToy2DMinCount, 2000, "%d", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  ImGui::SliderFloat("noise", &n.noise, 0.0f, 0.5f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  ImGui::SliderFloat("test share", &n.test_fraction, 0.0f, 0.9f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  ImGui::EndDisabled();
  if (n.dataset == Toy2D::Xor) ImGui::TextDisabled("XOR: the tutorial's four points, trained and tested on");
}

void draw_model_settings(AppState& st) {
  NetworkSettings& n = st.s.network;
  int hidden = int(n.layers.size()) - 2;
  if (ImGui::SliderInt("hidden layers", &hidden, 0, kMaxHiddenLayers)) {
    std::vector<int64_t> sizes = {2};
    for (int i = 0; i < hidden; ++i) sizes.push_back(i + 1 < int(n.layers.size()) - 1 ? n.layers[size_t(i + 1)] : 8);
    sizes.push_back(1);
    n.layers = sizes;
  }
  for (size_t i = 1; i + 1 < n.layers.size(); ++i) {
    ImGui::PushID(int(i));
    int w = int(n.layers[i]);
    char label[32];
    std::snprintf(label, sizeof label, "width %d", int(i));
    if (ImGui::SliderInt(label, &w, 1, kMaxWidth, "%d", ImGuiSliderFlags_AlwaysClamp)) n.layers[i] = w;
    ImGui::PopID();
  }
  ImGui::TextDisabled("layers %s", format_layers(n.layers).c_str());
  static const Activation kActs[] = {Activation::Sigmoid, Activation::Tanh, Activation::ReLU};
  combo("activation", n.activation, kActs, activation_name);
  static const LossKind kLosses[] = {LossKind::BCE, LossKind::MSE};
  combo("loss", n.loss, kLosses, loss_name);
  int opt = n.optimizer == "adam" ? 1 : 0;
  static const int kOpts[] = {0, 1};
  if (combo("optimizer", opt, kOpts, optimizer_label)) n.optimizer = optimizer_label(opt);
  ImGui::SliderFloat("learning rate", &n.lr, 1e-4f, 10.0f, "%.4g", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  ImGui::SliderInt("batch (0 = all)", &n.batch, 0, 512, "%d", ImGuiSliderFlags_AlwaysClamp);
  int seed = int(std::min<uint64_t>(n.seed, 1000000000));
  if (ImGui::InputInt("seed", &seed) && seed >= 0) n.seed = uint64_t(seed);
  int epochs = n.epochs;
  if (ImGui::InputInt("epochs", &epochs, 1000, 10000)) n.epochs = std::clamp(epochs, 1, kMaxEpochs);
  ImGui::SliderInt("speed (epochs/s, 0 = max)", &n.speed, 0, 10000, "%d", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  ImGui::TextDisabled("learning rate, activation, epochs and speed apply while training; the rest resets");
}

void draw_curves(const NetworkSnapshot& snap) {
  const Curves& c = snap.curves;
  const float h = ImGui::GetFontSize() * 7;
  const bool has_test = snap.config.data.kind != Toy2D::Xor && snap.data->test.size() > 0;
  std::vector<Series> loss = {{"train loss", &c.train_loss.y, class_color(1)}};
  std::vector<Series> acc = {{"train accuracy", &c.train_acc.y, class_color(1)}};
  if (has_test) {
    loss.push_back({"test loss", &c.test_loss.y, class_color(0)});
    acc.push_back({"test accuracy", &c.test_acc.y, class_color(0)});
  }
  line_plot("loss", c.train_loss.x, loss, h, true, "epoch");
  line_plot("accuracy", c.train_acc.x, acc, h, false, "epoch");
}

// The tutorial ends with outputs, predictions, targets and accuracy; for the larger sets
// the first test points stand in for XOR's four.
void draw_final_table(const NetworkSnapshot& snap, const NetworkView& view) {
  const bool is_xor = snap.config.data.kind == Toy2D::Xor;
  const Points2D& pts = is_xor ? snap.data->train : snap.data->test;
  const std::vector<float>& out = is_xor ? view.train_outputs() : view.test_outputs();
  const size_t rows = std::min<size_t>(out.size(), is_xor ? 4 : 10);
  if (!is_xor) ImGui::TextDisabled("the first %d of %d test points", int(rows), int(pts.size()));
  if (rows > 0 && ImGui::BeginTable("final", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* h : {"input", "output", "prediction", "target"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < rows; ++i) {
      const int pred = out[i] > 0.5f ? 1 : 0, target = int(pts.y[i]);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("(%.2f, %.2f)", double(pts.x[2 * i]), double(pts.x[2 * i + 1]));
      ImGui::TableNextColumn();
      ImGui::Text("%.6f", double(out[i]));
      ImGui::TableNextColumn();
      if (pred == target)
        ImGui::Text("%d", pred);
      else
        colored_text(kWrong, pred ? "1" : "0");
      ImGui::TableNextColumn();
      ImGui::Text("%d", target);
    }
    ImGui::EndTable();
  }
  int correct = 0;
  for (size_t i = 0; i < out.size(); ++i) correct += (out[i] > 0.5f ? 1 : 0) == int(pts.y[i]);
  ImGui::Text("accuracy %.4f (%d of %d)%s", out.empty() ? 0.0 : double(correct) / double(out.size()), correct,
              int(out.size()), is_xor ? "" : " on the test set");
}

}  // namespace

void draw_network_lab_panel(AppState& st) {
  NetworkState& ns = st.network;
  const NetworkSettings before = st.s.network;
  auto snap = ns.runner->snapshot();
  draw_controls(st, snap.get());
  if (section(st, "Data")) draw_data_settings(st);
  if (section(st, "Model and training")) draw_model_settings(st);
  if (snap) {
    // Heat maps are recomputed at most every kViewPeriod while training (a forward pass
    // over the whole grid per refresh), and at once when anything else changes.
    const double now = ImGui::GetTime();
    if (!snap->running || ns.view_time < 0 || now - ns.view_time >= kViewPeriod) {
      ns.view.update(*snap, kViewGrid);
      ns.view_time = now;
    }
    if (section(st, "Curves", true)) draw_curves(*snap);
    if (section(st, "Decision map", true))
      draw_decision_map(*snap, ns.view, std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 22.0f), false);
    if (section(st, "Hidden neurons")) draw_hidden_maps(*snap, ns.view);
    if (section(st, "Network graph")) draw_network_graph(*snap);
    if (section(st, "Outputs table", true)) draw_final_table(*snap, ns.view);
  }
  if (!(before == st.s.network)) sync_network(st, before);
}

}  // namespace nnplay::ui
