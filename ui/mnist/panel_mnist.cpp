// Panel 4, MNIST: the tutorial's softmax regression (Linear 784→10, SGD lr 0.1, batch
// 100, 15 epochs) or a multi-layer perceptron, trained live; a drawing pad whose digit
// the model predicts as it is drawn; curves, weight images, a confusion matrix and a
// file's recorded results. Laid out as three columns on a wide screen: what you set
// (train / pause / reset, the model, the optimizer, the data, the weights file) | what
// you watch (the pad, the test images, fine-tuning) | what it measured. On a phone the
// same parts stack, with the settings last so that the pad is on the first screen.
// This file draws the layout, the status strip, the training controls and the settings;
// the views are in panel_mnist_views.cpp and panel_mnist_pad.cpp. Training runs in the
// MnistRunner.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mnist/mnist_actions.h"
#include "mnist/mnist_model.h"
#include "mnist/mnist_panel.h"
#include "nnplay/layer_list.h"
#include "widgets/layout.h"
#include "widgets/panel_style.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

// A text field over a std::string (ImGui's own edit buffer persists while it is active).
bool input_text(const char* label, std::string& s) {
  char buf[1024];
  std::snprintf(buf, sizeof buf, "%s", s.c_str());
  if (!ImGui::InputText(label, buf, sizeof buf)) return false;
  s = buf;
  return true;
}

// A path field filling the line, with its button at the end.
bool path_field(const char* id, std::string& s, const char* button) {
  const float button_w = mnist_button_width(button);
  ImGui::SetNextItemWidth(std::max(60.0f, ImGui::GetContentRegionAvail().x - button_w - ImGui::GetStyle().ItemSpacing.x));
  input_text(id, s);
  ImGui::SameLine();
  return ImGui::Button(button);
}

std::string duration_text(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
  char buf[32];
  const long s = std::lround(seconds);
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// ---------------------------------------------------------------------------------------
// The status strip above the columns: the data's download or reading, and what the last
// action did or why it failed.

void draw_data_status(const MnistDataLoader& l) {
  if (l.state() == MnistDataLoader::State::Loading) {
    const std::string overlay = l.progress() >= 0 ? trf("loading MNIST %.0f%%", l.progress() * 100.0)
                                                   : trf("loading MNIST from %s...", l.dir().c_str());
    // An unknown fraction shows as a slowly filling bar, so the page visibly works.
    const float f = l.progress() >= 0 ? float(l.progress()) : float(std::fmod(ImGui::GetTime() * 0.3, 1.0));
    ImGui::ProgressBar(f, ImVec2(-FLT_MIN, 0), overlay.c_str());
  } else if (l.state() == MnistDataLoader::State::Failed) {
    ImGui::PushStyleColor(ImGuiCol_Text, kMnistBad);
    ImGui::TextWrapped("%s", trf("MNIST data: %s", l.error().c_str()).c_str());
    ImGui::PopStyleColor();
    if (!mnist_page_build()) ImGui::TextDisabled("%s", tr("run scripts/fetch-mnist.sh, or pick a folder under Data"));
  } else if (l.state() == MnistDataLoader::State::Idle && mnist_page_build()) {
    ImGui::TextDisabled("%s", tr("waiting for the page to load the MNIST subset..."));
  }
}

void draw_status(const MnistState& m) {
  draw_data_status(m.loader);
  if (m.waiting_for_page_weights) ImGui::TextDisabled("%s", tr("loading the default model..."));
  if (!m.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kMnistBad);
    ImGui::TextWrapped("%s", m.error.c_str());
    ImGui::PopStyleColor();
  } else if (!m.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", m.message.c_str());
    ImGui::PopStyleColor();
  }
}

// ---------------------------------------------------------------------------------------
// Training: train / pause / reset, the run's progress, and the two settings that apply
// at once (learning rate, epochs), kept together at the top of the first column.

// The train button stands out: it is what a learner presses first.
bool primary_button(const char* label) {
  ImGui::PushStyleColor(ImGuiCol_Button, kMnistAccent);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kMnistAccentHover);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, kMnistAccentHover);
  const bool pressed = ImGui::Button(label);
  ImGui::PopStyleColor(3);
  return pressed;
}

void draw_buttons(MnistPanel& panel, const MnistSnapshot& s) {
  const bool can_train = s.data && s.steps_per_epoch > 0 && s.error.empty();
  const bool done = s.epoch >= s.config.max_epochs;
  bool first = true;
  auto same_line = [&] {
    if (!first) ImGui::SameLine();
    first = false;
  };
  if (shown(panel.ui, "train")) {
    same_line();
    ImGui::BeginDisabled(!can_train || done || s.running);
    if (primary_button(s.images_trained > 0 ? tr("Resume##mnist") : tr("Train##mnist"))) mnist_set_training(panel, true);
    ImGui::EndDisabled();
    report_rect(panel.ui.rects, "mnist.train");
    ImGui::SameLine();
    ImGui::BeginDisabled(!s.running);
    if (ImGui::Button(tr("Pause##mnist"))) mnist_set_training(panel, false);
    ImGui::EndDisabled();
  }
  if (shown(panel.ui, "reset")) {
    same_line();
    if (ImGui::Button(tr("Reset##mnist"))) mnist_new_model(panel);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", trf("a new model: fresh weights from the seed (%llu)",
                                  static_cast<unsigned long long>(s.config.seed)).c_str());
  }
  if (shown(panel.ui, "onestep")) {
    same_line();
    // The shell opens the one-step view on this model (panels do not reach each other).
    ImGui::BeginDisabled(!can_train);
    if (ImGui::Button(tr("One step…##mnist"))) panel.ui.open_one_step = PanelId::Mnist;
    ImGui::EndDisabled();
    report_rect(panel.ui.rects, "mnist.onestep");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", tr("one training step of these weights, every number"));
  }
}

// Progress over the whole run (epoch limit), with throughput and time left.
void draw_progress(const MnistSnapshot& s) {
  const double total = double(s.config.max_epochs) * double(std::max<int64_t>(1, s.steps_per_epoch));
  const double done_steps = double(s.epoch) * double(s.steps_per_epoch) + double(s.step);
  std::string overlay;
  if (s.running)
    overlay = trf("epoch %d/%d  %.0f images/s  %s left", s.epoch + 1, s.config.max_epochs, s.images_per_second,
                  duration_text(s.eta_seconds).c_str());
  else if (s.epoch >= s.config.max_epochs)
    overlay = trf("%d of %d epochs: done", s.epoch, s.config.max_epochs);
  else if (s.images_trained > 0)
    overlay = trf("%d of %d epochs, paused", s.epoch, s.config.max_epochs);
  else
    overlay = trf("%d of %d epochs", s.epoch, s.config.max_epochs);
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, kMnistAccent);
  ImGui::ProgressBar(total > 0 ? float(done_steps / total) : 0.0f, ImVec2(-FLT_MIN, 0), overlay.c_str());
  ImGui::PopStyleColor();
  if (s.epoch >= s.config.max_epochs && !s.running)
    ImGui::TextDisabled("%s", tr("raise the epochs to train on"));
}

// Two lines of figures: the recent batches' cost and accuracy, then the test accuracy.
void draw_figures(const MnistSnapshot& s) {
  if (std::isfinite(s.recent_loss))
    ImGui::Text("%s", trf("cost %.4f   training accuracy %.3f", double(s.recent_loss), double(s.recent_accuracy)).c_str());
  const MnistEval* e = s.eval.get();
  if (e)
    ImGui::Text("%s", trf("test accuracy %.4f (%lld of %lld)", e->accuracy, static_cast<long long>(e->correct),
                          static_cast<long long>(e->count)).c_str());
  else
    ImGui::TextDisabled("%s", tr("test accuracy not measured yet"));
  if (s.evaluating) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr("(evaluating...)"));
  }
  if (!s.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kMnistBad);
    ImGui::TextWrapped("%s", trf("stopped: %s", s.error.c_str()).c_str());
    ImGui::PopStyleColor();
  }
}

void draw_rate_and_epochs(MnistPanel& panel) {
  MnistSettings& n = panel.s;
  const MnistSettings before = n;
  if (shown(panel.ui, "mlr")) {
    ImGui::SetNextItemWidth(control_width(11));
    ImGui::SliderFloat(tr("learning rate##mnist"), &n.lr, 1e-4f, 2.0f, "%.4g",
                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  }
  if (shown(panel.ui, "mepochs")) {
    int epochs = n.epochs;
    ImGui::SetNextItemWidth(control_width(11));
    if (ImGui::InputInt(tr("epochs##mnist"), &epochs)) n.epochs = std::clamp(epochs, 1, kMnistMaxEpochs);
  }
  if (!(before == n)) sync_mnist(panel, before);
}

void draw_training(MnistPanel& panel, const MnistSnapshot* s) {
  mnist_heading(tr("Training"));
  if (!s) return;
  draw_buttons(panel, *s);
  draw_progress(*s);
  draw_figures(*s);
  draw_rate_and_epochs(panel);
}

// ---------------------------------------------------------------------------------------
// The settings: the model, the optimizer, the data and the weights file.

// One of a few round numbers of images, or all of them (0).
std::string count_text(int value) { return value == 0 ? std::string(tr("all loaded")) : std::to_string(value); }

bool count_combo(const char* label, int& value, const int* options, int n) {
  bool changed = false;
  ImGui::SetNextItemWidth(control_width(11));
  if (ImGui::BeginCombo(label, count_text(value).c_str())) {
    for (int i = 0; i < n; ++i)
      if (ImGui::Selectable(count_text(options[i]).c_str(), options[i] == value)) {
        changed = options[i] != value;
        value = options[i];
      }
    ImGui::EndCombo();
  }
  return changed;
}

void draw_layers(MnistPanel& panel) {
  MnistSettings& n = panel.s;
  int hidden = int(n.layers.size()) - 2;
  ImGui::SetNextItemWidth(control_width(11));
  if (ImGui::SliderInt(tr("hidden layers"), &hidden, 0, kMnistMaxHidden)) {
    std::vector<int64_t> sizes = {784};
    for (int i = 0; i < hidden; ++i) sizes.push_back(i + 1 < int(n.layers.size()) - 1 ? n.layers[size_t(i + 1)] : 128);
    sizes.push_back(10);
    n.layers = sizes;
  }
  for (size_t i = 1; i + 1 < n.layers.size(); ++i) {
    ImGui::PushID(int(i));
    int w = int(n.layers[i]);
    ImGui::SetNextItemWidth(control_width(11));
    if (ImGui::SliderInt(trf("layer %d width", int(i)).c_str(), &w, 8, kMnistMaxWidth, "%d",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
      n.layers[i] = w;
    ImGui::PopID();
  }
}

void draw_activation(MnistPanel& panel) {
  MnistSettings& n = panel.s;
  if (n.layers.size() <= 2 || mnist_is_cnn(n) || !shown(panel.ui, "mact")) return;
  const Activation acts[] = {Activation::ReLU, Activation::Sigmoid, Activation::Tanh};
  ImGui::SetNextItemWidth(control_width(11));
  if (ImGui::BeginCombo(tr("activation##mnist"), activation_name(n.activation))) {
    for (Activation a : acts)
      if (ImGui::Selectable(activation_name(a), a == n.activation)) n.activation = a;
    ImGui::EndCombo();
  }
}

// The kind of model: the tutorial's linear model, an MLP, or a CNN (the page's small one or
// the engine's recipe). Choosing a CNN brings the recipe's optimizer, rate and batch.
enum class ModelKind { Linear, Mlp, SmallCnn, RecipeCnn, OwnCnn };

ModelKind model_kind(const MnistSettings& n) {
  if (!mnist_is_cnn(n)) return n.layers.size() == 2 ? ModelKind::Linear : ModelKind::Mlp;
  if (n.layer_list == kMnistPageCnn) return ModelKind::SmallCnn;
  return n.layer_list == mnist_recipe_cnn_layers() ? ModelKind::RecipeCnn : ModelKind::OwnCnn;
}

void draw_model_kind(MnistPanel& panel) {
  MnistSettings& n = panel.s;
  const ModelKind kind = model_kind(n);
  const std::pair<ModelKind, const char*> kinds[] = {{ModelKind::Linear, tr("linear (softmax regression)")},
                                                     {ModelKind::Mlp, tr("multi-layer perceptron")},
                                                     {ModelKind::SmallCnn, tr("small CNN")},
                                                     {ModelKind::RecipeCnn, tr("CNN (nnplay-train's recipe)")},
                                                     {ModelKind::OwnCnn, tr("CNN (your layer list)")}};
  const char* current = "";
  for (const auto& [k, name] : kinds)
    if (k == kind) current = name;
  ImGui::SetNextItemWidth(control_width(14));
  if (!ImGui::BeginCombo(tr("model##mnist"), current)) return;
  for (const auto& [k, name] : kinds) {
    if (k == ModelKind::OwnCnn && kind != ModelKind::OwnCnn) continue;  // reached by editing a list
    if (!ImGui::Selectable(name, k == kind) || k == kind) continue;
    if (k == ModelKind::Linear || k == ModelKind::Mlp) {
      const std::vector<int64_t> sizes = k == ModelKind::Linear ? std::vector<int64_t>{784, 10}
                                                                : std::vector<int64_t>{784, 128, 10};
      if (mnist_is_cnn(n))
        mnist_choose_mlp(n, sizes);
      else
        n.layers = sizes;
    } else {
      mnist_choose_cnn(n, k == ModelKind::SmallCnn ? std::string(kMnistPageCnn) : mnist_recipe_cnn_layers());
    }
  }
  ImGui::EndCombo();
}

// The layer list, applied when Enter is pressed (a half-typed list is not a network).
void draw_layer_list(MnistPanel& panel) {
  MnistState& m = panel.state;
  MnistSettings& n = panel.s;
  if (m.layers_field_for != n.layer_list) {
    m.layers_field = n.layer_list;
    m.layers_field_for = n.layer_list;
  }
  char buf[512];
  std::snprintf(buf, sizeof buf, "%s", m.layers_field.c_str());
  ImGui::TextDisabled("%s", tr("layer list (Enter builds it)"));
  ImGui::SetNextItemWidth(-FLT_MIN);
  const bool enter = ImGui::InputText("##mnist_layer_list", buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue);
  m.layers_field = buf;
  if (!enter) return;
  MnistSettings next = n;
  const std::string problem = parse_mnist_model(m.layers_field, next);
  if (!problem.empty()) {
    m.error = trf("layer list: %s", problem.c_str());
    return;
  }
  m.error.clear();
  n.layer_list = next.layer_list;
  n.layers = next.layers;
}

void draw_model_settings(MnistPanel& panel) {
  mnist_heading(tr("Model"));
  MnistSettings& n = panel.s;
  if (shown(panel.ui, "mmodel")) draw_model_kind(panel);
  if (mnist_is_cnn(n)) {
    const ModelCost cost = model_cost(mnist_model_spec(n));
    ImGui::TextWrapped("%s", trf("%s: a convolutional network, %lld parameters.", n.layer_list.c_str(),
                                 static_cast<long long>(cost.parameters)).c_str());
    if (shown(panel.ui, "mlayers")) draw_layer_list(panel);
  } else {
    const bool linear = n.layers.size() == 2;
    ImGui::TextWrapped("%s", linear ? tr("784-10 with no hidden layer: the tutorial's softmax regression.")
                                    : trf("%s: a multi-layer perceptron.", format_layers(n.layers).c_str()).c_str());
    if (shown(panel.ui, "mlayers")) draw_layers(panel);
    draw_activation(panel);
  }
  if (shown(panel.ui, "mseed")) {
    int seed = int(std::min<uint64_t>(n.seed, 1000000000));
    ImGui::SetNextItemWidth(control_width(11));
    if (ImGui::InputInt(tr("seed##mnist"), &seed) && seed >= 0) n.seed = uint64_t(seed);
  }
  ImGui::TextDisabled("%s", tr("changing these starts a new model"));
}

// The trained CNN from assets/models: good predictions on the pad before any training.
void draw_trained_cnn_button(MnistPanel& panel) {
  if (!shown(panel.ui, "loadcnn")) return;
  if (ImGui::Button(tr("Load the trained CNN"))) mnist_load_trained_cnn(panel);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", tr("the CNN recipe trained for 2 epochs on all of MNIST (test accuracy 0.9909)"));
}

void draw_optimizer_settings(MnistPanel& panel) {
  MnistSettings& n = panel.s;
  mnist_heading(tr("Optimizer"));
  if (shown(panel.ui, "mopt")) {
    ImGui::SetNextItemWidth(control_width(11));
    if (ImGui::BeginCombo(tr("optimizer##mnist"), n.optimizer.c_str())) {
      for (const char* o : {"sgd", "adam"})
        if (ImGui::Selectable(o, n.optimizer == o)) n.optimizer = o;
      ImGui::EndCombo();
    }
  }
  if (shown(panel.ui, "mbatch")) {
    ImGui::SetNextItemWidth(control_width(11));
    ImGui::SliderInt(tr("batch size##mnist"), &n.batch, 1, 1000, "%d",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  }
}

void draw_device(MnistPanel& panel) {
  MnistState& m = panel.state;
  MnistSettings& n = panel.s;
  if (m.cuda < 0) m.cuda = cuda_available(&m.cuda_why) ? 1 : 0;
  ImGui::SetNextItemWidth(control_width(11));
  if (ImGui::BeginCombo(tr("device"), n.device.c_str())) {
    for (const char* d : {"cpu", "cuda", "auto"}) {
      const bool off = std::string(d) == "cuda" && m.cuda == 0;
      if (ImGui::Selectable(d, n.device == d, off ? ImGuiSelectableFlags_Disabled : 0)) n.device = d;
    }
    ImGui::EndCombo();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", m.cuda ? m.cuda_why.c_str() : trf("no GPU: %s", m.cuda_why.c_str()).c_str());
  ImGui::PopStyleColor();
}

void draw_data_folder(MnistPanel& panel) {
  MnistState& m = panel.state;
  if (mnist_page_build()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", tr("The page trains on a subset of MNIST; the desktop app reads all of it."));
    ImGui::PopStyleColor();
    return;
  }
  if (!shown(panel.ui, "mdata")) return;
  ImGui::TextDisabled("%s", tr("folder of the four IDX files (raw or .gz)"));
  if (path_field("##mnist_folder", m.data_field, tr("Load##data"))) {
    // Recorded in the settings (so a shared string names the folder) and read again even
    // when it is the same folder.
    panel.s.data = m.data_field;
    mnist_start_data(panel, m.data_field);
  }
}

void draw_data_settings(MnistPanel& panel) {
  MnistSettings& n = panel.s;
  mnist_heading(tr("Data"));
  if (auto data = panel.state.loader.data())
    ImGui::TextWrapped("%s", trf("%lld training and %lld test images", static_cast<long long>(data->train.count),
                                 static_cast<long long>(data->test.count)).c_str());
  static const int kTrain[] = {1000, 2000, 5000, 10000, 20000, 30000, 0};
  static const int kTest[] = {500, 1000, 2000, 5000, 0};
  if (shown(panel.ui, "mtrain")) count_combo(tr("training images"), n.train, kTrain, int(std::size(kTrain)));
  if (shown(panel.ui, "mtest")) count_combo(tr("test images"), n.test, kTest, int(std::size(kTest)));
  if (shown(panel.ui, "mdevice")) draw_device(panel);
  draw_data_folder(panel);
  ImGui::TextDisabled("%s", tr("changing these keeps the weights trained so far"));
}

void draw_loaded_file(const MnistWeights& w) {
  ImGui::TextWrapped("%s", trf("Loaded %s: %s", w.source.c_str(), w.spec.describe().c_str()).c_str());
  const std::pair<const char*, const char*> keys[] = {{"trained_with", tr("trained with")},
                                                      {"dataset", tr("dataset")},
                                                      {"epochs", tr("epochs")},
                                                      {"optimizer", tr("optimizer")},
                                                      {"test_accuracy", tr("test accuracy")}};
  for (const auto& [key, label] : keys) {
    auto it = w.metadata.find(key);
    if (it == w.metadata.end()) continue;
    // Wrapped: a record such as the optimizer's settings is longer than the column.
    ImGui::Bullet();
    ImGui::TextWrapped("%s: %s", label, it->second.c_str());
  }
  if (!w.note.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", w.note.c_str());
    ImGui::PopStyleColor();
  }
}

// The page's buttons: the browser's file picker and a download.
void draw_page_weights_buttons(MnistPanel& panel) {
  MnistState& m = panel.state;
  if (ImGui::Button(tr("Open a weights file..."))) m.page_picker_wanted = true;
  const ImVec2 p0 = ImGui::GetItemRectMin(), p1 = ImGui::GetItemRectMax();
  m.open_rect[0] = p0.x, m.open_rect[1] = p0.y, m.open_rect[2] = p1.x, m.open_rect[3] = p1.y;
  if (ImGui::Button(tr("Download the current model"))) mnist_save_weights(panel, "mnist-model.safetensors");
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr("a .safetensors file can also be dropped onto the page; ?weights=URL loads one at start"));
  ImGui::PopStyleColor();
}

// The desktop's: paths to load from and save to.
void draw_desktop_weights_fields(MnistPanel& panel) {
  MnistState& m = panel.state;
  ImGui::TextDisabled("%s", tr("load from"));
  if (path_field("##mnist_load", m.weights_field, tr("Load##weights"))) mnist_load_weights(panel, m.weights_field);
  ImGui::TextDisabled("%s", tr("save to"));
  if (path_field("##mnist_save", m.save_path, tr("Save##weights"))) mnist_save_weights(panel, m.save_path);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr("safetensors with PyTorch's names; saving records the test accuracy and first logits"));
  ImGui::PopStyleColor();
}

void draw_weights_file(MnistPanel& panel) {
  if (!shown(panel.ui, "weights")) return;
  mnist_heading(tr("Weights file"));
  if (panel.state.loaded) draw_loaded_file(*panel.state.loaded);
  draw_trained_cnn_button(panel);
  if (mnist_page_build())
    draw_page_weights_buttons(panel);
  else
    draw_desktop_weights_fields(panel);
}

void draw_settings(MnistPanel& panel) {
  const MnistSettings before = panel.s;
  draw_model_settings(panel);
  draw_optimizer_settings(panel);
  draw_data_settings(panel);
  if (!(before == panel.s)) sync_mnist(panel, before);
  draw_weights_file(panel);
}

}  // namespace

void mnist_heading(const char* text) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", text);
  ImGui::Separator();
}

float mnist_button_width(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

void mnist_flow(float width) {
  ImGui::SameLine();
  // A little room to spare: a label's glyphs can reach past its measured advance.
  if (ImGui::GetContentRegionAvail().x < width + ImGui::GetStyle().FramePadding.x * 2) ImGui::NewLine();
}

void draw_mnist_panel(MnistPanel& panel) {
  mnist_start(panel);
  auto snap = panel.state.runner->snapshot();
  const MnistSnapshot* s = snap.get();
  draw_status(panel.state);
  PanelLayout layout("mnist_layout", 0.25f, 0.28f);
  // What you set. On a phone only the training controls come first; the rest of the
  // settings go last, so that the pad is on the first screen.
  draw_training(panel, s);
  if (layout.wide()) draw_settings(panel);
  layout.next();
  // What you watch.
  if (shown(panel.ui, "pad")) draw_mnist_pad(panel, s);
  if (shown(panel.ui, "cnnview")) draw_mnist_cnn(panel);
  if (s && shown(panel.ui, "samples")) draw_mnist_samples(panel, *s);
  if (shown(panel.ui, "finetune")) draw_mnist_finetune(panel, s);
  layout.next();
  // What it measured.
  if (s) draw_mnist_results(panel, *s);
  if (!layout.wide()) {
    layout.next();
    draw_settings(panel);
  }
}

}  // namespace nnplay::ui
