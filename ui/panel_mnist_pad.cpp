// The MNIST panel's drawing pad and fine-tuning. The pad is one ImGui InvisibleButton, so
// ImGui owns the pointer while it is pressed there (mouse, and touch and pen, which the
// platform layers turn into mouse input): a stroke never scrolls the panel, and a press
// that starts elsewhere never draws. Points come once per frame and the strokes join them
// with segments, drawn on screen with round joins and rasterised by digit_preprocess.
// Beside the pad: the 28×28 image the model actually sees, its top-3 probabilities
// (recomputed whenever the image or the weights change), and buttons to clear, show a
// random test digit, and save the image as PNG.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mnist_actions.h"
#include "mnist_draw.h"
#include "mnist_panel.h"
#include "plot.h"

namespace nnplay::ui {

namespace {

const ImU32 kPaper = IM_COL32(250, 250, 250, 255);
const ImU32 kInk = IM_COL32(20, 20, 20, 255);
const ImU32 kGuide = IM_COL32(120, 170, 230, 150);

void draw_strokes(ImDrawList* dl, const Canvas& c, const DrawingPad& pad) {
  const float side = c.width();
  const float thickness = 2.0f * pad.radius * side;
  for (const Stroke& s : pad.strokes) {
    std::vector<ImVec2> pts;
    pts.reserve(s.size());
    for (const StrokePoint& p : s) pts.push_back(ImVec2(c.p0.x + p.x * side, c.p0.y + p.y * side));
    if (pts.size() > 1) dl->AddPolyline(pts.data(), int(pts.size()), kInk, 0, thickness);
    // Round caps and joins, as the rasteriser's capsules have them.
    for (const ImVec2& p : pts) dl->AddCircleFilled(p, thickness * 0.5f, kInk, 16);
  }
}

// The MNIST framing on the pad: the ink's bounding box (what is scaled to 20 pixels)
// and its centre of mass (what lands on the 28×28 image's centre).
void draw_guides(ImDrawList* dl, const Canvas& c, const DrawingPad& pad) {
  const DigitTransform& t = pad.transform;
  if (t.empty || pad.test_index >= 0) return;
  const float k = c.width() / float(kPadRaster);
  dl->AddRect(ImVec2(c.p0.x + float(t.box_x0) * k, c.p0.y + float(t.box_y0) * k),
              ImVec2(c.p0.x + float(t.box_x1) * k, c.p0.y + float(t.box_y1) * k), kGuide);
  const ImVec2 m(c.p0.x + t.mass_x * k, c.p0.y + t.mass_y * k);
  dl->AddLine(ImVec2(m.x - 6, m.y), ImVec2(m.x + 6, m.y), kGuide, 2.0f);
  dl->AddLine(ImVec2(m.x, m.y - 6), ImVec2(m.x, m.y + 6), kGuide, 2.0f);
}

}  // namespace

void draw_mnist_pad(AppState& st, const MnistSnapshot* s) {
  MnistState& m = st.mnist;
  DrawingPad& pad = m.pad;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float side = std::clamp(avail * 0.5f, std::min(avail, 160.0f), ImGui::GetFontSize() * 20);

  // The pad.
  Canvas c = reserve_canvas("pad", side, side);
  m.pad_rect[0] = c.p0.x, m.pad_rect[1] = c.p0.y, m.pad_rect[2] = c.p1.x, m.pad_rect[3] = c.p1.y;
  ImVec2 mouse = ImGui::GetIO().MousePos;
  const float u = std::clamp((mouse.x - c.p0.x) / side, 0.0f, 1.0f);
  const float v = std::clamp((mouse.y - c.p0.y) / side, 0.0f, 1.0f);
  if (ImGui::IsItemActivated())
    pad.begin_stroke(u, v);
  else if (ImGui::IsItemActive())
    pad.extend_stroke(u, v);
  else if (pad.stroke_open)
    pad.end_stroke();
  mnist_refresh_predictions(st);  // this frame's drawing, predicted in this frame

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(c.p0, c.p1, kPaper);
  if (pad.test_index >= 0) {
    draw_digit(dl, c.p0, side, pad.image.data());
  } else {
    dl->PushClipRect(c.p0, c.p1, true);
    draw_strokes(dl, c, pad);
    draw_guides(dl, c, pad);
    dl->PopClipRect();
    if (pad.strokes.empty())
      dl->AddText(ImVec2(c.p0.x + 8, c.p0.y + 6), IM_COL32(150, 150, 150, 255), "draw a digit here");
  }
  dl->AddRect(c.p0, c.p1, ImGui::GetColorU32(ImGuiCol_Border));

  // Beside it (or below, on a narrow screen): what the model sees, and what it says.
  const float right = avail - side - ImGui::GetStyle().ItemSpacing.x;
  if (right >= ImGui::GetFontSize() * 12) ImGui::SameLine();
  ImGui::BeginGroup();
  const float small = std::min(ImGui::GetFontSize() * 7, std::max(right, side * 0.5f));
  ImGui::TextDisabled("the model sees (28x28):");
  const ImVec2 at = ImGui::GetCursorScreenPos();
  draw_digit(dl, at, small, pad.image.data());
  dl->AddRect(at, ImVec2(at.x + small, at.y + small), ImGui::GetColorU32(ImGuiCol_Border));
  ImGui::Dummy(ImVec2(small, small));
  const bool blank = std::none_of(pad.image.begin(), pad.image.end(), [](float x) { return x > 0.0f; });
  if (!m.predictor.ready()) {
    ImGui::TextDisabled("no model yet");
  } else if (blank) {
    ImGui::TextDisabled("(empty)");
  } else {
    const int best = argmax(m.pad_probs);
    ImGui::Text("looks like a %d (%.0f%%)", best, double(m.pad_probs[size_t(best)]) * 100.0);
    probability_bars("pad", m.pad_probs,
                     pad.test_index >= 0 && s && s->data ? int(s->data->test.labels[size_t(pad.test_index)]) : -1, 3,
                     std::min(ImGui::GetFontSize() * 14, std::max(right, side)));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%.2f ms from drawing to prediction", m.pad_latency_ms);
    ImGui::PopStyleColor();
  }
  if (pad.test_index >= 0 && s && s->data)
    ImGui::Text("test image #%d, label %d", pad.test_index, int(s->data->test.labels[size_t(pad.test_index)]));
  if (ImGui::Button("Clear")) pad.clear();
  ImGui::SameLine();
  if (ImGui::Button("Random test digit")) mnist_pad_test_digit(st);
  if (ImGui::Button(mnist_page_build() ? "Download PNG" : "Save PNG")) mnist_save_png(st, m.png_path);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("the 28x28 image as MNIST stores it (white ink on black)%s%s",
                      mnist_page_build() ? "" : ", to ", mnist_page_build() ? "" : m.png_path.c_str());
  float brush = pad.radius;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::SliderFloat("brush", &brush, 0.02f, 0.1f, "%.3f")) pad.set_radius(brush);
  ImGui::EndGroup();
}

void draw_mnist_finetune(AppState& st, const MnistSnapshot* s) {
  MnistState& m = st.mnist;
  PersonalSet& set = m.personal;
  ImGui::TextWrapped("Draw a digit above, say which it is, and add it to your set; fine-tuning then trains the "
                     "current model on batches mixing all of your digits with random training images.");
  ImGui::Text("label:");
  for (int d = 0; d < 10; ++d) {
    ImGui::SameLine();
    char id[8];
    std::snprintf(id, sizeof id, "%d##l", d);
    if (ImGui::RadioButton(id, set.label == d)) set.label = d;
  }
  const bool blank = std::none_of(m.pad.image.begin(), m.pad.image.end(), [](float x) { return x > 0.0f; });
  ImGui::BeginDisabled(blank || int(set.samples.size()) >= kMaxPersonalSamples);
  if (ImGui::Button("Add the drawing")) {
    if (set.add(m.pad.image, set.label)) m.pad.clear();
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(set.samples.empty());
  if (ImGui::Button("Forget them all")) set.samples.clear();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Text("%d of %d digits", int(set.samples.size()), kMaxPersonalSamples);

  const float thumb = std::clamp(ImGui::GetFontSize() * 2.6f, 28.0f, 56.0f);
  const int per_row = std::max(1, int(ImGui::GetContentRegionAvail().x / (thumb + ImGui::GetStyle().ItemSpacing.x)));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  int remove = -1;
  for (size_t k = 0; k < set.samples.size(); ++k) {
    if (k % size_t(per_row) != 0) ImGui::SameLine();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::PushID(int(k));
    if (ImGui::InvisibleButton("own", ImVec2(thumb, thumb))) remove = int(k);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("labelled %d; click to remove", set.samples[k].label);
    ImGui::PopID();
    draw_digit(dl, at, thumb, set.samples[k].image.data());
    char buf[4];
    std::snprintf(buf, sizeof buf, "%d", set.samples[k].label);
    dl->AddText(ImVec2(at.x + 2, at.y), IM_COL32(200, 60, 60, 255), buf);
  }
  if (remove >= 0) set.samples.erase(set.samples.begin() + remove);

  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  ImGui::SliderInt("steps", &set.steps, 1, 200, "%d", ImGuiSliderFlags_AlwaysClamp);
  ImGui::SameLine();
  ImGui::BeginDisabled(set.samples.empty() || !s || !s->data || s->finetune_left > 0);
  if (ImGui::Button("Fine-tune")) mnist_finetune(st, set.steps);
  ImGui::EndDisabled();
  if (s && (s->finetune_left > 0 || s->finetune_done > 0)) {
    ImGui::Text("%d steps done%s, last batch loss %.4f", s->finetune_done,
                s->finetune_left > 0 ? (", " + std::to_string(s->finetune_left) + " to go").c_str() : "",
                double(s->finetune_loss));
    if (s->eval) ImGui::Text("test accuracy now %.4f", s->eval->accuracy);
  }
}

}  // namespace nnplay::ui
