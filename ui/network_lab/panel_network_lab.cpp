// Panel 3, the network lab: the tutorial's XOR MLP and beyond, laid out as the
// TensorFlow Playground is. On a wide screen three columns: what you set (the run's
// buttons, the data, the model and its training), what you watch (the network with a
// heat map per neuron, and a large decision map), what it measured (loss and accuracy,
// their curves, the tutorial's outputs table). On a phone the same parts stacked, the
// buttons and the map first. Training runs in the TrainingRunner; this panel only draws
// its snapshots and sends it commands.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "network_lab/network_lab_panel.h"
#include "network_lab/network_presets.h"
#include "widgets/layout.h"
#include "widgets/network_drawing.h"
#include "widgets/panel_style.h"
#include "widgets/plot.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

const ImU32 kWrong = IM_COL32(230, 60, 60, 255);
constexpr int kViewGrid = 60;
constexpr double kViewPeriod = 0.1;  // seconds between heat-map refreshes while training

// A label that shows the translated text but keeps an id that does not change with the
// language ("학습###train" and "Train###train" are the same button).
std::string label(const char* text, const char* id) { return std::string(text) + "###" + id; }

// Headings: quiet text over a rule, with some air above, the same in every column.
void heading(const char* text) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", text);
  ImGui::Separator();
}

// A control's width: what its content needs, leaving room for its label on the right so
// nothing runs past the column.
void fit_next(const char* text, float chars = 11.0f) {
  const float room = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(text).x - ImGui::GetStyle().ItemInnerSpacing.x;
  ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 4.0f, std::min(control_width(chars), room)));
}

void wrapped_disabled(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

template <typename T, size_t N>
bool combo(const char* text, const char* id, T& value, const T (&options)[N], const char* (*name)(T)) {
  bool changed = false;
  fit_next(text);
  if (ImGui::BeginCombo(label(text, id).c_str(), name(value))) {
    for (T o : options)
      if (ImGui::Selectable(name(o), o == value)) {
        changed = o != value;
        value = o;
      }
    ImGui::EndCombo();
  }
  return changed;
}

// The names the panel shows (the settings keep their short keys: "xor-quadrants", "bce").
const char* dataset_label(Toy2D d) {
  switch (d) {
    case Toy2D::Xor: return tr("XOR (the tutorial's 4 points)");
    case Toy2D::Circle: return tr("circle");
    case Toy2D::XorQuadrants: return tr("XOR quadrants");
    case Toy2D::Gaussians: return tr("two Gaussians");
    case Toy2D::Spiral: return tr("spiral");
  }
  return "?";
}

const char* activation_label(Activation a) {
  switch (a) {
    case Activation::Sigmoid: return tr("sigmoid");
    case Activation::Tanh: return tr("tanh");
    case Activation::ReLU: return tr("ReLU");
    default: return activation_name(a);
  }
}

const char* loss_label(LossKind k) { return k == LossKind::MSE ? tr("MSE (mean squared error)") : tr("BCE (binary cross-entropy)"); }
const char* optimizer_key(int i) { return i == 0 ? "sgd" : "adam"; }
const char* optimizer_label(int i) { return i == 0 ? tr("SGD") : tr("Adam"); }

// ----------------------------------------------------------------------------
// What you set

void draw_buttons(NetworkLabPanel& panel, const NetworkSnapshot* snap) {
  TrainingRunner& r = *panel.state.runner;
  const bool running = snap && snap->running;
  if (shown(panel.ui, "train")) {
    // The one action that matters most wears the accent colour while it is "Train".
    const int colors = running ? 0 : 3;
    if (!running) {
      ImGui::PushStyleColor(ImGuiCol_Button, class_color(1, 200));
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, class_color(1, 240));
      ImGui::PushStyleColor(ImGuiCol_ButtonActive, class_color(1, 255));
    }
    const float w = std::max(ImGui::CalcTextSize(tr("Train")).x, ImGui::CalcTextSize(tr("Pause")).x) +
                    ImGui::GetStyle().FramePadding.x * 4;
    if (ImGui::Button(label(running ? tr("Pause") : tr("Train"), "train").c_str(), ImVec2(w, 0))) r.set_running(!running);
    report_rect(panel.ui.rects, "network.train");
    ImGui::PopStyleColor(colors);
    ImGui::SameLine();
  }
  if (shown(panel.ui, "step")) {
    ImGui::BeginDisabled(running);
    if (ImGui::Button(label(tr("Step"), "step").c_str())) r.step_epoch();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("train one epoch"));
    ImGui::EndDisabled();
    ImGui::SameLine();
  }
  if (shown(panel.ui, "reset")) {
    if (ImGui::Button(label(tr("Reset"), "reset").c_str())) rebuild_network(panel);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("new initial weights from the seed, back to epoch 0"));
    ImGui::SameLine();
  }
  if (shown(panel.ui, "onestep")) {
    // The shell opens the one-step view on this model (panels do not reach each other).
    if (ImGui::Button(label(tr("One step…"), "onestep").c_str())) panel.ui.open_one_step = PanelId::Network;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("one training step of these weights, every number"));
    ImGui::SameLine();
  }
  ImGui::NewLine();
}

void draw_preset_button(NetworkLabPanel& panel, const char* id) {
  const NetworkPreset& p = learning_preset(panel.s.dataset);
  if (ImGui::Button(label(tr("Use settings that learn it"), id).c_str())) apply_preset(panel.s, p);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", describe_preset(p).c_str());
}

// Epoch count, the stall hint and anything that stopped the run, under the buttons.
void draw_run_status(NetworkLabPanel& panel, const NetworkSnapshot* snap) {
  if (snap) {
    ImGui::TextUnformatted(trf("epoch %d / %d", snap->epoch, snap->max_epochs).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s", snap->running ? tr("training") : tr("paused"));
    if (!snap->running && snap->epoch >= snap->max_epochs)
      wrapped_disabled(tr("Reached the epoch limit: raise 'epochs' to go on."));
    const int stalled = stalled_epochs(*snap);
    if (stalled >= kStallEpochs && snap->error.empty()) {
      const bool preset = uses_preset(panel.s, learning_preset(panel.s.dataset));
      wrapped_disabled(preset ? trf("Accuracy has not improved for %d epochs. These settings learn it: keep training.", stalled)
                              : trf("Accuracy has not improved for %d epochs. A wider network, tanh, Adam or a smaller learning rate may help:", stalled));
      if (!preset && shown(panel.ui, "presets")) draw_preset_button(panel, "preset_hint");
    }
    if (!snap->error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, kWrong);
      ImGui::TextWrapped("%s", trf("stopped: %s", snap->error.c_str()).c_str());
      ImGui::PopStyleColor();
    }
  }
  if (!panel.state.config_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWrong);
    ImGui::TextWrapped("%s", panel.state.config_error.c_str());
    ImGui::PopStyleColor();
  }
}

void draw_data_settings(NetworkLabPanel& panel) {
  NetworkSettings& n = panel.s;
  heading(tr("Data"));
  static const Toy2D kKinds[] = {Toy2D::Xor, Toy2D::Circle, Toy2D::XorQuadrants, Toy2D::Gaussians, Toy2D::Spiral};
  if (shown(panel.ui, "dataset")) combo(tr("dataset"), "dataset", n.dataset, kKinds, dataset_label);
  // Each change regenerates the data and resets training (cheap at these sizes).
  ImGui::BeginDisabled(n.dataset == Toy2D::Xor);
  if (shown(panel.ui, "points")) {
    fit_next(tr("points"));
    ImGui::SliderInt(label(tr("points"), "points").c_str(), &n.points, kToy2DMinCount, 2000, "%d",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  }
  if (shown(panel.ui, "noise")) {
    fit_next(tr("noise"));
    ImGui::SliderFloat(label(tr("noise"), "noise").c_str(), &n.noise, 0.0f, 0.5f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  }
  if (shown(panel.ui, "test")) {
    fit_next(tr("test share"));
    ImGui::SliderFloat(label(tr("test share"), "test").c_str(), &n.test_fraction, 0.0f, 0.9f, "%.2f",
                       ImGuiSliderFlags_AlwaysClamp);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("the share of points kept apart as test data, never trained on"));
  }
  ImGui::EndDisabled();
  if (n.dataset == Toy2D::Xor) wrapped_disabled(tr("XOR: the tutorial's four points, trained and tested on."));
  if (shown(panel.ui, "presets")) draw_preset_button(panel, "preset");
}

// Hidden layers as a count with - and +, and each layer's neurons as a small number
// field on one row, so a deep network does not take a slider per layer.
void draw_layer_editor(NetworkSettings& n) {
  int hidden = int(n.layers.size()) - 2;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("hidden layers"));
  ImGui::SameLine();
  ImGui::BeginDisabled(hidden <= 0);
  if (ImGui::Button("-##layers")) --hidden;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Text("%d", hidden);
  ImGui::SameLine();
  ImGui::BeginDisabled(hidden >= kMaxHiddenLayers);
  if (ImGui::Button("+##layers")) ++hidden;
  ImGui::EndDisabled();
  if (hidden != int(n.layers.size()) - 2) {
    std::vector<int64_t> sizes = {2};
    for (int i = 0; i < hidden; ++i) sizes.push_back(i + 1 < int(n.layers.size()) - 1 ? n.layers[size_t(i + 1)] : 8);
    sizes.push_back(1);
    n.layers = sizes;
  }
  if (hidden == 0) return;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("neurons"));
  const float field = ImGui::GetFontSize() * 2.4f;
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  for (size_t i = 1; i + 1 < n.layers.size(); ++i) {
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + field <= right) ImGui::SameLine();
    ImGui::PushID(int(i));
    int w = int(n.layers[i]);
    ImGui::SetNextItemWidth(field);
    if (ImGui::DragInt("##width", &w, 0.1f, 1, kMaxWidth, "%d", ImGuiSliderFlags_AlwaysClamp)) n.layers[i] = w;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("hidden layer %d: drag or type its neurons (1 to %d)", int(i), kMaxWidth).c_str());
    ImGui::PopID();
  }
}

void draw_model_settings(NetworkLabPanel& panel) {
  NetworkSettings& n = panel.s;
  heading(tr("Model"));
  if (shown(panel.ui, "layers")) {
    draw_layer_editor(n);
    wrapped_disabled(trf("layers %s", format_layers(n.layers).c_str()));
  }
  static const Activation kActs[] = {Activation::Sigmoid, Activation::Tanh, Activation::ReLU};
  if (shown(panel.ui, "act")) combo(tr("activation"), "act", n.activation, kActs, activation_label);
  static const LossKind kLosses[] = {LossKind::BCE, LossKind::MSE};
  if (shown(panel.ui, "loss")) combo(tr("cost function"), "loss", n.loss, kLosses, loss_label);
}

void draw_training_settings(NetworkLabPanel& panel) {
  NetworkSettings& n = panel.s;
  heading(tr("Training"));
  if (shown(panel.ui, "lr")) {
    fit_next(tr("learning rate"));
    ImGui::SliderFloat(label(tr("learning rate"), "lr").c_str(), &n.lr, 1e-4f, 10.0f, "%.4g",
                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  }
  if (shown(panel.ui, "opt")) {
    int opt = n.optimizer == "adam" ? 1 : 0;
    static const int kOpts[] = {0, 1};
    if (combo(tr("optimizer"), "opt", opt, kOpts, optimizer_label)) n.optimizer = optimizer_key(opt);
  }
  if (shown(panel.ui, "batch")) {
    fit_next(tr("batch"));
    ImGui::SliderInt(label(tr("batch"), "batch").c_str(), &n.batch, 0, 512, n.batch == 0 ? tr("full batch") : "%d",
                     ImGuiSliderFlags_AlwaysClamp);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("points per update; 0: all the training points at once"));
  }
  if (shown(panel.ui, "epochs")) {
    int epochs = n.epochs;
    fit_next(tr("epochs"));
    if (ImGui::InputInt(label(tr("epochs"), "epochs").c_str(), &epochs, 100, 1000)) n.epochs = std::clamp(epochs, 1, kMaxEpochs);
  }
  if (shown(panel.ui, "speed")) {
    fit_next(tr("speed"));
    ImGui::SliderInt(label(tr("speed"), "speed").c_str(), &n.speed, 0, 10000, n.speed == 0 ? tr("as fast as it goes") : tr("%d epochs/s"),
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  }
  if (shown(panel.ui, "seed")) {
    int seed = int(std::min<uint64_t>(n.seed, 1000000000));
    fit_next(tr("seed"));
    if (ImGui::InputInt(label(tr("seed"), "seed").c_str(), &seed) && seed >= 0) n.seed = uint64_t(seed);
  }
  wrapped_disabled(tr("Learning rate, activation, epochs and speed change a run as it trains; the rest starts it over."));
}

// ----------------------------------------------------------------------------
// What you watch

// The room left down to the window's bottom edge (the wide layout fits one screen).
float room_below() {
  const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y;
  return bottom - ImGui::GetCursorScreenPos().y;
}

void draw_watch(NetworkLabPanel& panel, const NetworkSnapshot& snap, bool wide) {
  const float font = ImGui::GetFontSize(), line = ImGui::GetTextLineHeightWithSpacing();
  const float width = ImGui::GetContentRegionAvail().x;
  const int64_t widest = *std::max_element(snap.config.spec.sizes.begin(), snap.config.spec.sizes.end());
  // The graph takes about a third of the column's height; the decision map the rest.
  const float graph_h = wide ? std::clamp(float(widest) * font * 1.4f, font * 7, room_below() * 0.35f)
                             : std::clamp(float(widest) * font * 1.2f, font * 6, font * 16);
  heading(tr("Network: each neuron's output over the input plane"));
  draw_network_graph(snap, &panel.state.view, graph_h);
  heading(tr("Output: the decision map"));
  const float min_size = ImGui::GetMainViewport()->WorkSize.y * 0.42f;
  const float size = wide ? std::min(width, std::max(min_size, room_below() - 2 * line)) : width;
  if (size < width) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::floor((width - size) * 0.5f));
  // Recorded before drawing: the map's legend follows it as the last item.
  const ImVec2 at = ImGui::GetCursorScreenPos();
  panel.ui.rects["network.visual"] = {at.x, at.y, size, size};
  draw_decision_map(snap, panel.state.view, size, false);
}

// ----------------------------------------------------------------------------
// What it measured

void draw_numbers(const NetworkSnapshot& snap) {
  const bool is_xor = snap.config.data.kind == Toy2D::Xor;
  heading(tr("Progress"));
  if (!ImGui::BeginTable("numbers", is_xor ? 2 : 3, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_RowBg)) return;
  ImGui::TableSetupColumn("");
  ImGui::TableSetupColumn(is_xor ? tr("the 4 points") : tr("training set"));
  if (!is_xor) ImGui::TableSetupColumn(tr("test set"));
  ImGui::TableHeadersRow();
  auto row = [&](const char* name, float train, float test, const char* fmt) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(name);
    ImGui::TableNextColumn();
    ImGui::Text(fmt, double(train));
    if (is_xor) return;
    ImGui::TableNextColumn();
    ImGui::Text(fmt, double(test));
  };
  row(tr("cost"), snap.train_loss, snap.test_loss, "%.5f");
  row(tr("accuracy"), snap.train_acc, snap.test_acc, "%.3f");
  ImGui::EndTable();
}

void draw_curves(const NetworkSnapshot& snap) {
  const Curves& c = snap.curves;
  const float h = ImGui::GetFontSize() * 5.5f;
  const bool has_test = snap.config.data.kind != Toy2D::Xor && snap.data->test.size() > 0;
  std::vector<Series> loss = {{tr("training cost"), &c.train_loss.y, class_color(1)}};
  std::vector<Series> acc = {{tr("training accuracy"), &c.train_acc.y, class_color(1)}};
  if (has_test) {
    loss.push_back({tr("test cost"), &c.test_loss.y, class_color(0)});
    acc.push_back({tr("test accuracy"), &c.test_acc.y, class_color(0)});
  }
  heading(tr("Cost and accuracy per epoch"));
  line_plot("loss", c.train_loss.x, loss, h, true, tr("epoch"));
  line_plot("accuracy", c.train_acc.x, acc, h, false, tr("epoch"));
}

void table_row(const Points2D& pts, const std::vector<float>& out, size_t i) {
  const int pred = out[i] > 0.5f ? 1 : 0, target = int(pts.y[i]);
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::Text("(%.2f, %.2f)", double(pts.x[2 * i]), double(pts.x[2 * i + 1]));
  ImGui::TableNextColumn();
  ImGui::Text("%.4f", double(out[i]));
  ImGui::TableNextColumn();
  if (pred == target)
    ImGui::Text("%d", pred);
  else
    colored_text(kWrong, pred ? "1" : "0");
  ImGui::TableNextColumn();
  ImGui::Text("%d", target);
}

// The tutorial ends with outputs, predictions, targets and accuracy; for the larger sets
// the first test points stand in for XOR's four.
void draw_final_table(const NetworkSnapshot& snap, const NetworkView& view) {
  const bool is_xor = snap.config.data.kind == Toy2D::Xor;
  const Points2D& pts = is_xor ? snap.data->train : snap.data->test;
  const std::vector<float>& out = is_xor ? view.train_outputs() : view.test_outputs();
  const size_t rows = std::min<size_t>(out.size(), is_xor ? 4 : 8);
  heading(tr("Outputs"));
  if (!is_xor) wrapped_disabled(trf("the first %d of %d test points", int(rows), int(pts.size())));
  if (rows > 0 && ImGui::BeginTable("final", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(tr("input"), ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableSetupColumn(tr("output"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(tr("prediction"), ImGuiTableColumnFlags_WidthStretch, 0.9f);
    ImGui::TableSetupColumn(tr("target"), ImGuiTableColumnFlags_WidthStretch, 0.7f);
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < rows; ++i) table_row(pts, out, i);
    ImGui::EndTable();
  }
  int correct = 0;
  for (size_t i = 0; i < out.size(); ++i) correct += (out[i] > 0.5f ? 1 : 0) == int(pts.y[i]);
  const double acc = out.empty() ? 0.0 : double(correct) / double(out.size());
  ImGui::TextUnformatted((is_xor ? trf("accuracy %.4f (%d of %d)", acc, correct, int(out.size()))
                                 : trf("test accuracy %.4f (%d of %d)", acc, correct, int(out.size()))).c_str());
}

void draw_measured(const NetworkSnapshot& snap, const NetworkView& view) {
  draw_numbers(snap);
  draw_curves(snap);
  draw_final_table(snap, view);
}

// Heat maps are recomputed at most every kViewPeriod while training (a forward pass over
// the whole grid per refresh), and at once when anything else changes.
void refresh_view(NetworkState& ns, const NetworkSnapshot& snap) {
  const double now = ImGui::GetTime();
  if (!snap.running || ns.view_time < 0 || now - ns.view_time >= kViewPeriod) {
    ns.view.update(snap, kViewGrid);
    ns.view_time = now;
  }
}

}  // namespace

void draw_network_lab_panel(NetworkLabPanel& panel) {
  NetworkState& ns = panel.state;
  const NetworkSettings before = panel.s;
  auto snap = ns.runner->snapshot();
  if (snap) refresh_view(ns, *snap);
  {
    PanelLayout layout("network_lab", 0.24f, 0.27f);
    draw_buttons(panel, snap.get());
    draw_run_status(panel, snap.get());
    if (layout.wide()) {
      draw_data_settings(panel);
      draw_model_settings(panel);
      draw_training_settings(panel);
      layout.next();
      if (snap) draw_watch(panel, *snap, true);
      layout.next();
      if (snap) draw_measured(*snap, ns.view);
    } else {
      // A phone: the buttons, then the pictures, then the settings and the numbers.
      if (snap) draw_watch(panel, *snap, false);
      layout.next();
      draw_data_settings(panel);
      draw_model_settings(panel);
      draw_training_settings(panel);
      layout.next();
      if (snap) draw_measured(*snap, ns.view);
    }
  }
  if (!(before == panel.s)) network_sync(panel, before);
}

}  // namespace nnplay::ui
