// The MNIST panel's views of a run. The measured column: the current model with its
// recorded-results badge, loss and accuracy curves with the tutorial's "Epoch: 0001 cost
// = ..." lines, the weights as images (the linear model's ten digit templates, or an
// MLP's strongest first-layer units) and the confusion matrix whose cells list their
// images. And, under the pad, the test-image browser with the tutorial's random sample.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "mnist/mnist_actions.h"
#include "widgets/digit_drawing.h"
#include "mnist/mnist_panel.h"
#include "widgets/plot.h"

namespace nnplay::ui {

namespace {

constexpr int kMaxThumbnails = 60;
constexpr int kStrongestUnits = 16;

float side_for(int per_row, float max_side) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  return std::clamp((avail - gap * float(per_row - 1)) / float(per_row), 16.0f, max_side);
}

void disabled_wrapped(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

// Where the weights came from, in the language shown. The runner's labels are English
// (they are also written into saved files' metadata); the two it makes itself are
// recognised here, and a path stays a path.
std::string shown_origin(const std::string& label) {
  const std::string seed = "new model, seed ";
  const std::string trained = "the weights trained so far (from ";
  if (label.rfind(seed, 0) == 0) return trf("a new model from seed %s", label.substr(seed.size()).c_str());
  if (label.rfind(trained, 0) == 0 && label.back() == ')') {
    const std::string inner = label.substr(trained.size(), label.size() - trained.size() - 1);
    return trf("the weights trained so far (from %s)", shown_origin(inner).c_str());
  }
  return label;
}

// ---------------------------------------------------------------------------------------
// The current model and its recorded-results badge.

// A rounded label in a colour: the recorded-results verdict.
void badge(const char* text, ImU32 col) {
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 end(at.x + size.x + pad.x * 2, at.y + size.y + pad.y * 2);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(at, end, (col & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 60), 4.0f);
  dl->AddRect(at, end, col, 4.0f);
  dl->AddText(ImVec2(at.x + pad.x, at.y + pad.y), col, text);
  ImGui::Dummy(ImVec2(end.x - at.x, end.y - at.y));
}

// What the check found, in one or two sentences (the tooltip and the weights file part).
std::string proof_text(const ProofCheck& p) {
  if (!p.recorded)
    return trf("The file records no results. Here: %lld of %lld test images correct.",
               static_cast<long long>(p.actual.correct), static_cast<long long>(p.actual.count));
  if (p.expected.count != p.actual.count)
    return trf("The results were recorded on %lld test images; %lld are loaded here, so they cannot be compared.",
               static_cast<long long>(p.expected.count), static_cast<long long>(p.actual.count));
  return trf("Recorded: %lld of %lld correct. Here: %lld of %lld. The first logits differ by at most %.3g.",
             static_cast<long long>(p.expected.correct), static_cast<long long>(p.expected.count),
             static_cast<long long>(p.actual.correct), static_cast<long long>(p.actual.count),
             double(p.max_logit_diff));
}

void draw_proof_badge(const MnistSnapshot& s) {
  if (s.proof_pending) {
    ImGui::TextDisabled("%s", tr("checking the file's recorded results on this build..."));
    return;
  }
  if (!s.proof || !s.proof->recorded) return;
  const ProofCheck& p = *s.proof;
  if (p.reproduced())
    badge(tr("reproduces the recorded results"), kMnistGood);
  else if (p.expected.count != p.actual.count)
    badge(trf("not checked: recorded on %lld test images", static_cast<long long>(p.expected.count)).c_str(),
          kMnistTest);
  else
    badge(trf("differs: %lld vs %lld correct", static_cast<long long>(p.expected.correct),
              static_cast<long long>(p.actual.correct)).c_str(),
          kMnistBad);
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(proof_text(p).c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void draw_model_summary(const MnistSnapshot& s) {
  mnist_heading(tr("Current model"));
  ImGui::TextWrapped("%s", s.config.spec.describe().c_str());
  disabled_wrapped(trf("from %s", shown_origin(s.origin).c_str()));
  if (s.pristine) draw_proof_badge(s);
}

// ---------------------------------------------------------------------------------------
// Curves and the tutorial's printout.

void draw_epoch_costs(const MnistSnapshot& s) {
  if (s.epoch_costs.empty()) return;
  ImGui::TextDisabled("%s", tr("the tutorial's printout"));
  const float lines = float(std::min<size_t>(s.epoch_costs.size() + (s.eval ? 1 : 0), 5));
  // EndChild is due whatever BeginChild returns.
  if (ImGui::BeginChild("costs", ImVec2(-FLT_MIN, ImGui::GetTextLineHeightWithSpacing() * lines + ImGui::GetStyle().WindowPadding.y * 2), true)) {
    for (size_t e = 0; e < s.epoch_costs.size(); ++e)
      ImGui::Text("%s", trf("Epoch: %04d cost = %.9f", int(e + 1), s.epoch_costs[e]).c_str());
    if (s.eval) ImGui::Text("%s", trf("Accuracy: %.4f", s.eval->accuracy).c_str());
    if (s.running) ImGui::SetScrollHereY(1.0f);
  }
  ImGui::EndChild();
}

void draw_curves(const MnistSnapshot& s) {
  mnist_heading(tr("Training curves"));
  if (s.train_loss.x.empty() && s.test_accuracy.x.size() < 2) {
    disabled_wrapped(tr("Train to see the cost and the accuracies, epoch by epoch."));
    return;
  }
  const float h = ImGui::GetFontSize() * 4.5f;
  line_plot("mnist_loss", s.train_loss.x, {{tr("training cost (recent batches)"), &s.train_loss.y, kMnistAccent}}, h,
            true, tr("epoch"));
  line_plot("mnist_acc", s.train_accuracy.x,
            {{tr("training accuracy (recent batches)"), &s.train_accuracy.y, kMnistAccent}}, h, false, tr("epoch"));
  line_plot("mnist_test", s.test_accuracy.x, {{tr("test accuracy"), &s.test_accuracy.y, kMnistTest}}, h, false,
            tr("epoch"));
  draw_epoch_costs(s);
}

// ---------------------------------------------------------------------------------------
// Weights as images.

// Which rows to show: the ten digits, or the first layer's units with the largest weight
// vectors (the ones that matter most to the next layer's input).
std::vector<int> units_to_show(const float* w, int64_t rows, bool linear) {
  std::vector<int> units(static_cast<size_t>(rows));
  std::iota(units.begin(), units.end(), 0);
  if (linear) return units;
  std::vector<float> norm(static_cast<size_t>(rows), 0.0f);
  for (int64_t u = 0; u < rows; ++u)
    for (int i = 0; i < 784; ++i) norm[size_t(u)] += w[u * 784 + i] * w[u * 784 + i];
  std::stable_sort(units.begin(), units.end(), [&](int a, int b) { return norm[size_t(a)] > norm[size_t(b)]; });
  units.resize(std::min<size_t>(units.size(), kStrongestUnits));
  return units;
}

// One colour scale for all images, so that they compare: the 99th percentile of |w| (a
// few large weights at the edges of the digits would wash out the rest).
float colour_scale(const float* w, const std::vector<int>& units) {
  std::vector<float> mags;
  mags.reserve(units.size() * 784);
  for (int u : units)
    for (int i = 0; i < 784; ++i) mags.push_back(std::fabs(w[int64_t(u) * 784 + i]));
  const size_t q = mags.size() * 99 / 100;
  std::nth_element(mags.begin(), mags.begin() + std::ptrdiff_t(q), mags.end());
  return std::max(mags[q], 1e-6f);
}

void draw_weight_images(MnistPanel& panel) {
  const MnistPredictor& p = panel.state.predictor;
  int64_t rows = 0;
  const float* w = p.first_layer(rows);
  if (!w) return;
  mnist_heading(tr("Weights as images"));
  const bool linear = p.spec().sizes.size() == 2;
  const std::vector<int> units = units_to_show(w, rows, linear);
  const float scale = colour_scale(w, units);
  if (linear)
    disabled_wrapped(trf("Each digit's 784 weights as a 28x28 image: red raises its score, blue lowers it (|w| = %.3g is full colour).",
                         double(scale)));
  else
    disabled_wrapped(trf("The %d of %lld first-layer units with the largest weights (red positive, blue negative, |w| = %.3g is full colour).",
                         int(units.size()), static_cast<long long>(rows), double(scale)));
  const int per_row = linear ? 5 : 4;
  const float side = side_for(per_row, linear ? 96.0f : 72.0f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (size_t k = 0; k < units.size(); ++k) {
    if (k % size_t(per_row) != 0) ImGui::SameLine();
    ImGui::BeginGroup();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    draw_weight_image(dl, at, side, w + int64_t(units[k]) * 784, scale);
    ImGui::Dummy(ImVec2(side, side));
    if (linear)
      ImGui::Text("%d", units[k]);
    else
      ImGui::TextDisabled("%s", trf("unit %d", units[k]).c_str());
    ImGui::EndGroup();
  }
}

// ---------------------------------------------------------------------------------------
// The confusion matrix and the picked cell's images.

ImU32 cell_colour(const MnistEval& e, int t, int p, int64_t row_total, int64_t most_off) {
  const int64_t n = e.confusion.at(t, p);
  // The diagonal by its share of the row; mistakes by how they compare to the worst.
  const float f = t == p ? (row_total ? float(n) / float(row_total) : 0.0f) : std::sqrt(float(n) / float(most_off));
  return t == p ? IM_COL32(40, int(60 + 150 * f), 70, 255) : IM_COL32(int(40 + 200 * f), 40, 45, n ? 255 : 120);
}

void draw_matrix_cells(MnistPanel& panel, const MnistEval& e, ImVec2 origin, float cell) {
  MnistState& m = panel.state;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  int64_t most_off = 1;
  for (int t = 0; t < 10; ++t)
    for (int p = 0; p < 10; ++p)
      if (t != p) most_off = std::max(most_off, e.confusion.at(t, p));
  char buf[16];
  for (int t = 0; t < 10; ++t) {
    int64_t row_total = 0;
    for (int p = 0; p < 10; ++p) row_total += e.confusion.at(t, p);
    for (int p = 0; p < 10; ++p) {
      const int64_t n = e.confusion.at(t, p);
      const ImVec2 a(origin.x + cell * float(p + 1), origin.y + cell * float(t + 1));
      const ImVec2 b(a.x + cell - 1, a.y + cell - 1);
      dl->AddRectFilled(a, b, cell_colour(e, t, p, row_total, most_off));
      if (m.confusion_truth == t && m.confusion_pred == p) dl->AddRect(a, b, IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
      std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
      const ImVec2 sz = ImGui::CalcTextSize(buf);
      if (sz.x < cell - 2) dl->AddText(ImVec2(a.x + (cell - sz.x) / 2, a.y + (cell - sz.y) / 2), IM_COL32_WHITE, buf);
      ImGui::SetCursorScreenPos(a);
      ImGui::PushID(t * 10 + p);
      if (ImGui::InvisibleButton("cell", ImVec2(cell - 1, cell - 1))) {
        m.confusion_truth = t;
        m.confusion_pred = p;
      }
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", trf("true %d, predicted %d: %lld images", t, p, static_cast<long long>(n)).c_str());
      ImGui::PopID();
    }
  }
}

void draw_matrix(MnistPanel& panel, const MnistEval& e) {
  const float cell = std::clamp(ImGui::GetContentRegionAvail().x / 11.0f, 18.0f, 40.0f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImU32 head = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  char buf[8];
  for (int k = 0; k < 10; ++k) {
    std::snprintf(buf, sizeof buf, "%d", k);
    dl->AddText(ImVec2(origin.x + cell * float(k + 1) + cell * 0.35f, origin.y + cell * 0.2f), head, buf);
    dl->AddText(ImVec2(origin.x + cell * 0.35f, origin.y + cell * float(k + 1) + cell * 0.2f), head, buf);
  }
  draw_matrix_cells(panel, e, origin, cell);
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + cell * 11 + 4));
  ImGui::Dummy(ImVec2(cell * 11, 1));
}

// The picked cell's images, as thumbnails; clicking one opens it in the test browser.
void draw_cell_images(MnistPanel& panel, const MnistSnapshot& s, const MnistEval& e) {
  MnistState& m = panel.state;
  std::vector<int> hits;
  int64_t total = 0;
  for (int64_t i = 0; i < int64_t(e.predictions.size()) && i < s.data->test.count; ++i)
    if (s.data->test.labels[size_t(i)] == m.confusion_truth && e.predictions[size_t(i)] == m.confusion_pred) {
      if (int(hits.size()) < kMaxThumbnails) hits.push_back(int(i));
      ++total;
    }
  ImGui::TextWrapped("%s", trf("%lld test images labelled %d were predicted as %d", static_cast<long long>(total),
                               m.confusion_truth, m.confusion_pred).c_str());
  if (total > kMaxThumbnails) ImGui::TextDisabled("%s", trf("(the first %d shown)", kMaxThumbnails).c_str());
  const float thumb = std::clamp(ImGui::GetFontSize() * 2.6f, 28.0f, 56.0f);
  const int per_row = std::max(1, int(ImGui::GetContentRegionAvail().x / (thumb + ImGui::GetStyle().ItemSpacing.x)));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (size_t k = 0; k < hits.size(); ++k) {
    if (k % size_t(per_row) != 0) ImGui::SameLine();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::PushID(int(k));
    if (ImGui::InvisibleButton("thumb", ImVec2(thumb, thumb))) mnist_show_sample(panel, hits[k]);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("test image #%d: click to show it under Test images", hits[k]).c_str());
    ImGui::PopID();
    draw_digit(dl, at, thumb, s.data->test.images.data() + size_t(hits[k]) * 784);
  }
}

void draw_confusion(MnistPanel& panel, const MnistSnapshot& s) {
  mnist_heading(tr("Confusion matrix"));
  if (!s.eval) {
    ImGui::TextDisabled("%s", s.data ? tr("evaluating the test images...") : tr("no test images loaded yet"));
    return;
  }
  const MnistEval& e = *s.eval;
  disabled_wrapped(trf("%lld test images after %.2f epochs. Rows: the true digit; columns: the prediction. Click a cell to see its images.",
                       static_cast<long long>(e.count), double(e.at_epoch)));
  draw_matrix(panel, e);
  if (panel.state.confusion_truth >= 0 && s.data) draw_cell_images(panel, s, e);
}

}  // namespace

void draw_mnist_results(MnistPanel& panel, const MnistSnapshot& s) {
  draw_model_summary(s);
  if (shown(panel.ui, "curves")) draw_curves(s);
  if (shown(panel.ui, "weightimages")) draw_weight_images(panel);
  if (shown(panel.ui, "confusion")) draw_confusion(panel, s);
}

// ---------------------------------------------------------------------------------------
// The test-image browser.

void draw_mnist_samples(MnistPanel& panel, const MnistSnapshot& s) {
  MnistState& m = panel.state;
  mnist_heading(tr("Test images"));
  if (!s.data || s.data->test.count == 0) {
    ImGui::TextDisabled("%s", tr("no test images loaded yet"));
    return;
  }
  if (m.sample < 0) mnist_random_sample(panel);
  if (ImGui::Button(tr("< Previous"))) mnist_show_sample(panel, m.sample - 1);
  ImGui::SameLine();
  if (ImGui::Button(tr("Next >"))) mnist_show_sample(panel, m.sample + 1);
  ImGui::SameLine();
  if (ImGui::Button(tr("Random##sample"))) mnist_random_sample(panel);
  mnist_refresh_predictions(panel);
  const int label = s.data->test.labels[size_t(m.sample)];
  const int pred = m.predictor.ready() ? argmax(m.sample_probs) : -1;
  ImGui::Text("%s", trf("#%d   label %d   prediction", m.sample, label).c_str());
  ImGui::SameLine();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d", pred);
  colored_text(pred == label ? kMnistGood : kMnistBad, buf);
  const float side = std::min(ImGui::GetFontSize() * 7, ImGui::GetContentRegionAvail().x);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  draw_digit(ImGui::GetWindowDrawList(), at, side, s.data->test.images.data() + size_t(m.sample) * 784);
  ImGui::Dummy(ImVec2(side, side));
  const float rest = ImGui::GetContentRegionAvail().x - side - ImGui::GetStyle().ItemSpacing.x;
  if (rest > ImGui::GetFontSize() * 10) ImGui::SameLine();
  ImGui::BeginGroup();
  probability_bars("sample", m.sample_probs, label, 10,
                   std::min(ImGui::GetFontSize() * 16, ImGui::GetContentRegionAvail().x));
  ImGui::EndGroup();
}

}  // namespace nnplay::ui
