// Panel 4, MNIST: the tutorial's softmax regression (Linear 784→10, SGD lr 0.1, batch
// 100, 15 epochs) or a small MLP, trained live with a progress bar, curves, weight
// images, a confusion matrix, a test-image browser, a drawing pad and fine-tuning on
// drawn digits; weights load and save as safetensors, and a file's recorded results are
// checked here ("reproduces native results"). This file draws the status line, the
// training controls and the settings, data and weights-file sections; the views are in
// panel_mnist_views.cpp and panel_mnist_pad.cpp. Training runs in the MnistRunner.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mnist_actions.h"
#include "mnist_panel.h"
#include "panels.h"
#include "plot.h"

namespace nnplay::ui {

namespace {

const ImU32 kGood = IM_COL32(90, 200, 110, 255);
const ImU32 kBad = IM_COL32(230, 80, 70, 255);

// A text field over a std::string (ImGui's own edit buffer persists while it is active).
bool input_text(const char* label, std::string& s) {
  char buf[1024];
  std::snprintf(buf, sizeof buf, "%s", s.c_str());
  if (!ImGui::InputText(label, buf, sizeof buf)) return false;
  s = buf;
  return true;
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

void draw_proof_badge(const MnistSnapshot& s) {
  if (s.proof_pending) {
    ImGui::TextDisabled("checking the file's recorded results on this build...");
    return;
  }
  if (!s.proof) return;
  const ProofCheck& p = *s.proof;
  if (!p.recorded) return;
  if (p.reproduced()) {
    colored_text(kGood, "[reproduces native results]");
  } else {
    char buf[200];
    if (p.expected.count != p.actual.count)
      std::snprintf(buf, sizeof buf, "[not checked: recorded on %lld test images, %lld loaded here]",
                    static_cast<long long>(p.expected.count), static_cast<long long>(p.actual.count));
    else
      std::snprintf(buf, sizeof buf, "[differs: %lld vs %lld correct, largest logit difference %.3g]",
                    static_cast<long long>(p.expected.correct), static_cast<long long>(p.actual.correct),
                    double(p.max_logit_diff));
    colored_text(kBad, buf);
  }
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(p.summary().c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void draw_status(AppState& st, const MnistSnapshot* s) {
  MnistState& m = st.mnist;
  const MnistDataLoader& l = m.loader;
  if (l.state() == MnistDataLoader::State::Loading) {
    char overlay[96];
    if (l.progress() >= 0)
      std::snprintf(overlay, sizeof overlay, "loading MNIST %.0f%%", l.progress() * 100.0);
    else
      std::snprintf(overlay, sizeof overlay, "loading MNIST from %s...", l.dir().c_str());
    // An unknown fraction shows as a slowly filling bar, so the page visibly works.
    const float f = l.progress() >= 0 ? float(l.progress()) : float(std::fmod(ImGui::GetTime() * 0.3, 1.0));
    ImGui::ProgressBar(f, ImVec2(-FLT_MIN, 0), overlay);
  } else if (l.state() == MnistDataLoader::State::Failed) {
    ImGui::PushStyleColor(ImGuiCol_Text, kBad);
    ImGui::TextWrapped("MNIST data: %s", l.error().c_str());
    ImGui::PopStyleColor();
    if (!mnist_page_build()) ImGui::TextDisabled("run scripts/fetch-mnist.sh, or pick a folder under Data");
  } else if (l.state() == MnistDataLoader::State::Idle && mnist_page_build()) {
    ImGui::TextDisabled("waiting for the page to load the MNIST subset...");
  }
  if (s) {
    ImGui::Text("Model %s", s->config.spec.describe().c_str());
    if (s->pristine) {
      ImGui::SameLine();
      draw_proof_badge(*s);
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("from %s", s->origin.c_str());
    ImGui::PopStyleColor();
  }
  if (m.waiting_for_page_weights) ImGui::TextDisabled("loading the default model...");
  if (!m.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kBad);
    ImGui::TextWrapped("%s", m.error.c_str());
    ImGui::PopStyleColor();
  } else if (!m.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", m.message.c_str());
    ImGui::PopStyleColor();
  }
}

void draw_controls(AppState& st, const MnistSnapshot* s) {
  if (!s) return;
  const bool can_train = s->data && s->steps_per_epoch > 0 && s->error.empty();
  const bool done = s->epoch >= s->config.max_epochs;
  ImGui::BeginDisabled(!can_train || (done && !s->running));
  const char* label = s->running ? "Pause" : s->images_trained > 0 ? "Resume" : "Train";
  if (ImGui::Button(label)) mnist_set_training(st, !s->running);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("New model")) mnist_new_model(st);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("fresh weights from the seed (%llu)", static_cast<unsigned long long>(s->config.seed));
  ImGui::SameLine();
  ImGui::Text("%s, lr %g, batch %d", s->config.optimizer.name.c_str(), double(s->lr), s->config.batch);

  // Progress over the whole run (epoch limit), with throughput and time left.
  const double total = double(s->config.max_epochs) * double(std::max<int64_t>(1, s->steps_per_epoch));
  const double done_steps = double(s->epoch) * double(s->steps_per_epoch) + double(s->step);
  char overlay[160];
  if (s->running)
    std::snprintf(overlay, sizeof overlay, "epoch %d/%d  step %lld/%lld  %.0f images/s  ETA %s", s->epoch + 1,
                  s->config.max_epochs, static_cast<long long>(s->step), static_cast<long long>(s->steps_per_epoch),
                  s->images_per_second, duration_text(s->eta_seconds).c_str());
  else
    std::snprintf(overlay, sizeof overlay, "%d of %d epochs%s", s->epoch, s->config.max_epochs,
                  done ? " (raise Epochs to go on)" : s->images_trained > 0 ? ", paused" : "");
  ImGui::ProgressBar(total > 0 ? float(done_steps / total) : 0.0f, ImVec2(-FLT_MIN, 0), overlay);

  const MnistEval* e = s->eval.get();
  char acc[64] = "not measured yet";
  if (e) std::snprintf(acc, sizeof acc, "%.4f (%lld of %lld)", e->accuracy, static_cast<long long>(e->correct),
                       static_cast<long long>(e->count));
  if (std::isfinite(s->recent_loss))
    ImGui::Text("loss %.4f  training accuracy %.3f  test accuracy %s%s", double(s->recent_loss),
                double(s->recent_accuracy), acc, s->evaluating ? " (evaluating...)" : "");
  else
    ImGui::Text("test accuracy %s%s", acc, s->evaluating ? " (evaluating...)" : "");
  if (!s->error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kBad);
    ImGui::TextWrapped("stopped: %s", s->error.c_str());
    ImGui::PopStyleColor();
  }
}

// One of a few round numbers of images, or all of them (0).
bool count_combo(const char* label, int& value, const int* options, int n) {
  char current[32];
  if (value == 0)
    std::snprintf(current, sizeof current, "all loaded");
  else
    std::snprintf(current, sizeof current, "%d", value);
  bool changed = false;
  if (ImGui::BeginCombo(label, current)) {
    for (int i = 0; i < n; ++i) {
      char text[32];
      if (options[i] == 0)
        std::snprintf(text, sizeof text, "all loaded");
      else
        std::snprintf(text, sizeof text, "%d", options[i]);
      if (ImGui::Selectable(text, options[i] == value)) {
        changed = options[i] != value;
        value = options[i];
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

void draw_settings(AppState& st) {
  MnistState& m = st.mnist;
  MnistSettings& n = st.s.mnist;
  const MnistSettings before = n;
  int hidden = int(n.layers.size()) - 2;
  ImGui::TextDisabled("Linear 784-10 is the tutorial's softmax regression; hidden layers make an MLP");
  if (ImGui::SliderInt("hidden layers", &hidden, 0, kMnistMaxHidden)) {
    std::vector<int64_t> sizes = {784};
    for (int i = 0; i < hidden; ++i) sizes.push_back(i + 1 < int(n.layers.size()) - 1 ? n.layers[size_t(i + 1)] : 128);
    sizes.push_back(10);
    n.layers = sizes;
  }
  for (size_t i = 1; i + 1 < n.layers.size(); ++i) {
    ImGui::PushID(int(i));
    int w = int(n.layers[i]);
    char label[32];
    std::snprintf(label, sizeof label, "width %d", int(i));
    if (ImGui::SliderInt(label, &w, 8, kMnistMaxWidth, "%d",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
      n.layers[i] = w;
    ImGui::PopID();
  }
  if (n.layers.size() > 2) {
    const Activation acts[] = {Activation::ReLU, Activation::Sigmoid, Activation::Tanh};
    if (ImGui::BeginCombo("activation", activation_name(n.activation))) {
      for (Activation a : acts)
        if (ImGui::Selectable(activation_name(a), a == n.activation)) n.activation = a;
      ImGui::EndCombo();
    }
  }
  if (ImGui::BeginCombo("optimizer", n.optimizer.c_str())) {
    for (const char* o : {"sgd", "adam"})
      if (ImGui::Selectable(o, n.optimizer == o)) n.optimizer = o;
    ImGui::EndCombo();
  }
  ImGui::SliderFloat("learning rate", &n.lr, 1e-4f, 2.0f, "%.4g",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  ImGui::SliderInt("batch", &n.batch, 1, 1000, "%d", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  int epochs = n.epochs;
  if (ImGui::InputInt("epochs", &epochs)) n.epochs = std::clamp(epochs, 1, kMnistMaxEpochs);
  int seed = int(std::min<uint64_t>(n.seed, 1000000000));
  if (ImGui::InputInt("seed", &seed) && seed >= 0) n.seed = uint64_t(seed);
  static const int kTrain[] = {1000, 2000, 5000, 10000, 20000, 30000, 0};
  static const int kTest[] = {500, 1000, 2000, 5000, 0};
  count_combo("training images", n.train, kTrain, int(std::size(kTrain)));
  count_combo("test images", n.test, kTest, int(std::size(kTest)));
  if (m.cuda < 0) m.cuda = cuda_available(&m.cuda_why) ? 1 : 0;
  if (ImGui::BeginCombo("device", n.device.c_str())) {
    for (const char* d : {"cpu", "cuda", "auto"}) {
      const bool off = std::string(d) == "cuda" && m.cuda == 0;
      if (ImGui::Selectable(d, n.device == d, off ? ImGuiSelectableFlags_Disabled : 0)) n.device = d;
    }
    ImGui::EndCombo();
  }
  ImGui::TextDisabled("%s", m.cuda ? m.cuda_why.c_str() : ("no GPU: " + m.cuda_why).c_str());
  ImGui::TextDisabled("learning rate and epochs apply at once; optimizer, batch, images and device keep the weights;");
  ImGui::TextDisabled("layers, activation and seed start a new model");
  if (!(before == n)) sync_mnist(st, before);
}

void draw_data(AppState& st) {
  MnistState& m = st.mnist;
  auto data = m.loader.data();
  if (data)
    ImGui::Text("%lld training and %lld test images from %s", static_cast<long long>(data->train.count),
                static_cast<long long>(data->test.count), data->source.c_str());
  if (mnist_page_build()) {
    ImGui::TextWrapped("The page trains on a subset of MNIST packed when it was built; the desktop app reads "
                       "the whole set.");
    return;
  }
  input_text("folder", m.data_field);
  ImGui::SameLine();
  if (ImGui::Button("Load")) {
    // Recorded in the settings (so a shared string names the folder) and read again even
    // when it is the same folder.
    st.s.mnist.data = m.data_field;
    mnist_start_data(st, m.data_field);
  }
  ImGui::TextDisabled("the four IDX files, raw or .gz (MNIST, Fashion-MNIST, ...)");
}

void draw_weights_file(AppState& st, const MnistSnapshot* s) {
  MnistState& m = st.mnist;
  if (m.loaded) {
    ImGui::TextWrapped("Loaded %s: %s", m.loaded->source.c_str(), m.loaded->spec.describe().c_str());
    for (const char* k : {"trained_with", "dataset", "epochs", "optimizer", "test_accuracy"}) {
      auto it = m.loaded->metadata.find(k);
      if (it != m.loaded->metadata.end()) ImGui::BulletText("%s: %s", k, it->second.c_str());
    }
    if (!m.loaded->note.empty()) ImGui::TextDisabled("%s", m.loaded->note.c_str());
  }
  if (s && s->proof) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", s->proof->summary().c_str());
    ImGui::PopTextWrapPos();
  }
  if (mnist_page_build()) {
    if (ImGui::Button("Open a weights file...")) m.page_picker_wanted = true;
    const ImVec2 p0 = ImGui::GetItemRectMin(), p1 = ImGui::GetItemRectMax();
    m.open_rect[0] = p0.x, m.open_rect[1] = p0.y, m.open_rect[2] = p1.x, m.open_rect[3] = p1.y;
    ImGui::SameLine();
    if (ImGui::Button("Download the current model")) mnist_save_weights(st, "mnist-model.safetensors");
    ImGui::TextDisabled("a .safetensors file can also be dropped onto the page; ?weights=URL loads one at start");
    return;
  }
  input_text("load from", m.weights_field);
  ImGui::SameLine();
  if (ImGui::Button("Load##weights")) mnist_load_weights(st, m.weights_field);
  input_text("save to", m.save_path);
  ImGui::SameLine();
  if (ImGui::Button("Save##weights")) mnist_save_weights(st, m.save_path);
  ImGui::TextDisabled("safetensors with PyTorch's names; saving records the test accuracy and first logits");
}

}  // namespace

void draw_mnist_panel(AppState& st) {
  mnist_start(st);
  MnistState& m = st.mnist;
  auto snap = m.runner->snapshot();
  const MnistSnapshot* s = snap.get();
  draw_status(st, s);
  draw_controls(st, s);
  if (section(st, "Draw a digit", true)) draw_mnist_pad(st, s);
  if (s) {
    if (section(st, "Training curves", true)) draw_mnist_curves(*s);
    if (section(st, "Weights as images", true)) draw_mnist_weight_images(st, *s);
    if (section(st, "Confusion matrix", true)) draw_mnist_confusion(st, *s);
    if (section(st, "Test images", true)) draw_mnist_samples(st, *s);
  }
  if (section(st, "Fine-tune on your own digits")) draw_mnist_finetune(st, s);
  if (section(st, "Model and training")) draw_settings(st);
  if (section(st, "Data")) draw_data(st);
  if (section(st, "Weights file")) draw_weights_file(st, s);
}

}  // namespace nnplay::ui
