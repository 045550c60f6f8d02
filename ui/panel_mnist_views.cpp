// The MNIST panel's views of a run: loss and accuracy curves with the tutorial's
// "Epoch: 0001 cost = ..." lines, the weights as images (the linear model's ten digit
// templates, or an MLP's strongest first-layer units), the confusion matrix whose cells
// list their images, and the test-image browser with the tutorial's random sample.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "mnist_actions.h"
#include "mnist_draw.h"
#include "mnist_panel.h"
#include "plot.h"

namespace nnplay::ui {

namespace {

const ImU32 kTrainColor = IM_COL32(8, 119, 189, 255);
const ImU32 kTestColor = IM_COL32(245, 147, 34, 255);
const ImU32 kRight = IM_COL32(90, 200, 110, 255);
const ImU32 kWrong = IM_COL32(230, 80, 70, 255);
constexpr int kMaxThumbnails = 60;
constexpr int kStrongestUnits = 16;

float side_for(int per_row, float max_side) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  return std::clamp((avail - gap * float(per_row - 1)) / float(per_row), 16.0f, max_side);
}

}  // namespace

void draw_mnist_curves(const MnistSnapshot& s) {
  if (s.train_loss.x.empty() && s.test_accuracy.x.size() < 2) {
    ImGui::TextDisabled("train to see the loss and accuracy curves");
    return;
  }
  const float h = ImGui::GetFontSize() * 6;
  line_plot("mnist_loss", s.train_loss.x, {{"training loss (recent batches)", &s.train_loss.y, kTrainColor}}, h, true,
            "epoch");
  line_plot("mnist_acc", s.train_accuracy.x,
            {{"training accuracy (recent batches)", &s.train_accuracy.y, kTrainColor}}, h, false, "epoch");
  line_plot("mnist_test", s.test_accuracy.x, {{"test accuracy", &s.test_accuracy.y, kTestColor}}, h, false, "epoch");
  // The tutorial's printout, for the epochs of this run.
  if (s.epoch_costs.empty()) return;
  // EndChild is due whatever BeginChild returns.
  if (ImGui::BeginChild("costs", ImVec2(-FLT_MIN, ImGui::GetTextLineHeightWithSpacing() * 5), true)) {
    for (size_t e = 0; e < s.epoch_costs.size(); ++e)
      ImGui::Text("Epoch: %04d cost = %.9f", int(e + 1), s.epoch_costs[e]);
    if (s.eval) ImGui::Text("Accuracy: %.4f", s.eval->accuracy);
    if (s.running) ImGui::SetScrollHereY(1.0f);
  }
  ImGui::EndChild();
}

void draw_mnist_weight_images(AppState& st, const MnistSnapshot& s) {
  (void)s;
  const MnistPredictor& p = st.mnist.predictor;
  int64_t rows = 0;
  const float* w = p.first_layer(rows);
  if (!w) return;
  const bool linear = p.spec().sizes.size() == 2;
  // Which rows to show: the ten digits, or the first layer's units with the largest
  // weight vectors (the ones that matter most to the next layer's input).
  std::vector<int> units(static_cast<size_t>(rows));
  std::iota(units.begin(), units.end(), 0);
  std::vector<float> norm(static_cast<size_t>(rows), 0.0f);
  for (int64_t u = 0; u < rows; ++u)
    for (int i = 0; i < 784; ++i) norm[size_t(u)] += w[u * 784 + i] * w[u * 784 + i];
  if (!linear) {
    std::stable_sort(units.begin(), units.end(), [&](int a, int b) { return norm[size_t(a)] > norm[size_t(b)]; });
    units.resize(std::min<size_t>(units.size(), kStrongestUnits));
  }
  // One colour scale for all images, so that they compare: the 99th percentile of |w|
  // (a few large weights at the edges of the digits would wash out the rest).
  std::vector<float> mags;
  mags.reserve(units.size() * 784);
  for (int u : units)
    for (int i = 0; i < 784; ++i) mags.push_back(std::fabs(w[int64_t(u) * 784 + i]));
  const size_t q = mags.size() * 99 / 100;
  std::nth_element(mags.begin(), mags.begin() + std::ptrdiff_t(q), mags.end());
  const float scale = std::max(mags[q], 1e-6f);
  if (linear)
    ImGui::TextWrapped("Each digit's 784 weights as a 28x28 image: red pixels raise its score, blue ones lower it "
                       "(colours saturate at |w| = %.3g).", double(scale));
  else
    ImGui::TextWrapped("The %d of %lld first-layer units with the largest weights (red positive, blue negative, "
                       "saturating at |w| = %.3g).", int(units.size()), static_cast<long long>(rows), double(scale));
  const int per_row = linear ? 5 : 8;
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
      ImGui::TextDisabled("unit %d", units[k]);
    ImGui::EndGroup();
  }
}

void draw_mnist_confusion(AppState& st, const MnistSnapshot& s) {
  MnistState& m = st.mnist;
  if (!s.eval) {
    ImGui::TextDisabled(s.data ? "evaluating the test images..." : "no test images loaded yet");
    return;
  }
  const MnistEval& e = *s.eval;
  ImGui::TextWrapped("%lld test images (after %.2f epochs): rows are the true digit, columns the prediction. "
                     "Click a cell to see its images.",
                     static_cast<long long>(e.count), double(e.at_epoch));
  const float cell = std::clamp(ImGui::GetContentRegionAvail().x / 11.0f, 18.0f, 40.0f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  int64_t most_off = 1;
  for (int t = 0; t < 10; ++t)
    for (int p = 0; p < 10; ++p)
      if (t != p) most_off = std::max(most_off, e.confusion.at(t, p));
  char buf[16];
  for (int k = 0; k < 10; ++k) {
    std::snprintf(buf, sizeof buf, "%d", k);
    const ImU32 head = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    dl->AddText(ImVec2(origin.x + cell * float(k + 1) + cell * 0.35f, origin.y + cell * 0.2f), head, buf);
    dl->AddText(ImVec2(origin.x + cell * 0.35f, origin.y + cell * float(k + 1) + cell * 0.2f), head, buf);
  }
  for (int t = 0; t < 10; ++t) {
    int64_t row_total = 0;
    for (int p = 0; p < 10; ++p) row_total += e.confusion.at(t, p);
    for (int p = 0; p < 10; ++p) {
      const int64_t n = e.confusion.at(t, p);
      const ImVec2 a(origin.x + cell * float(p + 1), origin.y + cell * float(t + 1));
      const ImVec2 b(a.x + cell - 1, a.y + cell - 1);
      // The diagonal by its share of the row; mistakes by how they compare to the worst.
      const float f = t == p ? (row_total ? float(n) / float(row_total) : 0.0f)
                             : std::sqrt(float(n) / float(most_off));
      const ImU32 col = t == p ? IM_COL32(40, int(60 + 150 * f), 70, 255)
                               : IM_COL32(int(40 + 200 * f), 40, 45, n ? 255 : 120);
      dl->AddRectFilled(a, b, col);
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
        ImGui::SetTooltip("true %d, predicted %d: %lld images", t, p, static_cast<long long>(n));
      ImGui::PopID();
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + cell * 11 + 4));
  ImGui::Dummy(ImVec2(cell * 11, 1));
  if (m.confusion_truth < 0 || !s.data) return;

  // The picked cell's images, as thumbnails; clicking one opens it in the browser.
  std::vector<int> hits;
  int64_t total = 0;
  for (int64_t i = 0; i < int64_t(e.predictions.size()) && i < s.data->test.count; ++i)
    if (s.data->test.labels[size_t(i)] == m.confusion_truth && e.predictions[size_t(i)] == m.confusion_pred) {
      if (int(hits.size()) < kMaxThumbnails) hits.push_back(int(i));
      ++total;
    }
  ImGui::Text("%lld test images labelled %d were classified as %d%s", static_cast<long long>(total), m.confusion_truth,
              m.confusion_pred, total > kMaxThumbnails ? " (the first 60 shown)" : "");
  const float thumb = std::clamp(ImGui::GetFontSize() * 2.6f, 28.0f, 56.0f);
  const float avail = ImGui::GetContentRegionAvail().x;
  const int per_row = std::max(1, int(avail / (thumb + ImGui::GetStyle().ItemSpacing.x)));
  for (size_t k = 0; k < hits.size(); ++k) {
    if (k % size_t(per_row) != 0) ImGui::SameLine();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::PushID(int(k));
    if (ImGui::InvisibleButton("thumb", ImVec2(thumb, thumb))) mnist_show_sample(st, hits[k]);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("test image #%d: open it under Test images", hits[k]);
    ImGui::PopID();
    draw_digit(dl, at, thumb, s.data->test.images.data() + size_t(hits[k]) * 784);
  }
}

void draw_mnist_samples(AppState& st, const MnistSnapshot& s) {
  MnistState& m = st.mnist;
  if (!s.data || s.data->test.count == 0) {
    ImGui::TextDisabled("no test images loaded yet");
    return;
  }
  if (m.sample < 0) mnist_random_sample(st);
  if (ImGui::Button("< Previous")) mnist_show_sample(st, m.sample - 1);
  ImGui::SameLine();
  if (ImGui::Button("Next >")) mnist_show_sample(st, m.sample + 1);
  ImGui::SameLine();
  if (ImGui::Button("Random")) mnist_random_sample(st);
  mnist_refresh_predictions(st);
  const int label = s.data->test.labels[size_t(m.sample)];
  const int pred = m.predictor.ready() ? argmax(m.sample_probs) : -1;
  ImGui::Text("Test sample #%d   Label: %d   Prediction: ", m.sample, label);
  ImGui::SameLine(0, 0);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d", pred);
  colored_text(pred == label ? kRight : kWrong, buf);
  const float side = std::min(ImGui::GetFontSize() * 10, ImGui::GetContentRegionAvail().x);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  draw_digit(ImGui::GetWindowDrawList(), at, side, s.data->test.images.data() + size_t(m.sample) * 784);
  ImGui::Dummy(ImVec2(side, side));
  const float rest = ImGui::GetContentRegionAvail().x - side - ImGui::GetStyle().ItemSpacing.x;
  if (rest > ImGui::GetFontSize() * 12) ImGui::SameLine();
  ImGui::BeginGroup();
  probability_bars("sample", m.sample_probs, label, 10,
                   std::min(ImGui::GetFontSize() * 18, ImGui::GetContentRegionAvail().x));
  ImGui::EndGroup();
}

}  // namespace nnplay::ui
