// The MNIST panel's drawing pad and fine-tuning. The pad is one ImGui InvisibleButton, so
// ImGui owns the pointer while it is pressed there (mouse, and touch and pen, which the
// platform layers turn into mouse input): a stroke never scrolls the panel, and a press
// that starts elsewhere never draws. Points come once per frame and the strokes join them
// with segments, drawn on screen with round joins and rasterised by digit_preprocess.
// Beside the pad (below it on a phone): the prediction in large type, the 28×28 image the
// model actually sees and its ten probabilities as bars (recomputed whenever the image or
// the weights change); under it, buttons to clear, show a random test digit, and save the
// image as PNG. The pad is the panel's main visual: as large as half the screen's height
// allows, next to the prediction where the column is wide enough.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mnist/mnist_actions.h"
#include "widgets/digit_drawing.h"
#include "mnist/mnist_panel.h"
#include "widgets/plot.h"

namespace nnplay::ui {

namespace {

const ImU32 kPaper = IM_COL32(250, 250, 250, 255);
const ImU32 kInk = IM_COL32(20, 20, 20, 255);
const ImU32 kGuide = IM_COL32(120, 170, 230, 150);
const ImU32 kHint = IM_COL32(150, 150, 150, 255);
const ImU32 kPredicted = IM_COL32(110, 210, 125, 255);

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

// Where the pad goes: its side, and whether the prediction fits beside it.
struct PadGeometry {
  float side = 0;
  bool beside = false;
};

PadGeometry pad_geometry() {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float font = ImGui::GetFontSize();
  const float beside_w = font * 12;  // the prediction, the small image and the bars
  const float most = std::max(160.0f, ImGui::GetMainViewport()->WorkSize.y * 0.5f);
  const float room = avail - beside_w - ImGui::GetStyle().ItemSpacing.x;
  PadGeometry g;
  g.beside = room >= font * 18;
  g.side = std::max(std::min(g.beside ? room : avail, most), 1.0f);
  return g;
}

// The pad itself: pointer input, the strokes and the framing guides.
void draw_pad_canvas(MnistPanel& panel, float side) {
  MnistState& m = panel.state;
  DrawingPad& pad = m.pad;
  Canvas c = reserve_canvas("pad", side, side);
  report_rect(panel.ui.rects, "mnist.visual");
  m.pad_rect[0] = c.p0.x, m.pad_rect[1] = c.p0.y, m.pad_rect[2] = c.p1.x, m.pad_rect[3] = c.p1.y;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const float u = std::clamp((mouse.x - c.p0.x) / side, 0.0f, 1.0f);
  const float v = std::clamp((mouse.y - c.p0.y) / side, 0.0f, 1.0f);
  if (ImGui::IsItemActivated())
    pad.begin_stroke(u, v);
  else if (ImGui::IsItemActive())
    pad.extend_stroke(u, v);
  else if (pad.stroke_open)
    pad.end_stroke();
  mnist_refresh_predictions(panel);  // this frame's drawing, predicted in this frame

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(c.p0, c.p1, kPaper, 6.0f);
  if (pad.test_index >= 0) {
    draw_digit(dl, c.p0, side, pad.image.data());
  } else {
    dl->PushClipRect(c.p0, c.p1, true);
    draw_strokes(dl, c, pad);
    draw_guides(dl, c, pad);
    dl->PopClipRect();
    if (pad.strokes.empty()) {
      const char* hint = tr("draw a digit here");
      const ImVec2 size = ImGui::CalcTextSize(hint);
      dl->AddText(ImVec2(c.p0.x + (side - size.x) / 2, c.p0.y + (side - size.y) / 2), kHint, hint);
    }
  }
  dl->AddRect(c.p0, c.p1, ImGui::GetColorU32(ImGuiCol_Border), 6.0f);
}

bool pad_is_blank(const DrawingPad& pad) {
  return std::none_of(pad.image.begin(), pad.image.end(), [](float x) { return x > 0.0f; });
}

// The predicted digit in large type on a card, with its probability and how long the
// prediction took; a question mark while the pad is empty.
void draw_big_prediction(const MnistState& m) {
  const float font = ImGui::GetFontSize();
  const float big = font * 3.4f;
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  const float width = std::min(ImGui::GetContentRegionAvail().x, font * 11);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 end(at.x + width, at.y + big + pad.y * 2);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(at, end, ImGui::GetColorU32(ImGuiCol_FrameBg), 6.0f);
  const bool ready = m.predictor.ready() && !pad_is_blank(m.pad);
  const int best = ready ? argmax(m.pad_probs) : -1;
  char digit[4];
  std::snprintf(digit, sizeof digit, "%s", "?");
  if (ready) std::snprintf(digit, sizeof digit, "%d", best);
  const ImVec2 digit_at(at.x + pad.x * 2, at.y + pad.y);
  dl->AddText(ImGui::GetFont(), big, digit_at, ready ? kPredicted : ImGui::GetColorU32(ImGuiCol_TextDisabled), digit);
  // Beside the digit, two lines: the probability, and the time from drawing to prediction.
  const float text_x = digit_at.x + ImGui::GetFont()->CalcTextSizeA(big, FLT_MAX, 0, "0").x + pad.x * 2;
  const float mid = (at.y + end.y) * 0.5f;
  const ImU32 quiet = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  if (ready) {
    dl->AddText(ImVec2(text_x, mid - font), ImGui::GetColorU32(ImGuiCol_Text),
                trf("%.0f%% sure", double(m.pad_probs[size_t(best)]) * 100.0).c_str());
    dl->AddText(ImVec2(text_x, mid), quiet, trf("%.2f ms", m.pad_latency_ms).c_str());
  } else {
    dl->AddText(ImVec2(text_x, mid - font * 0.5f), quiet, m.predictor.ready() ? tr("(empty)") : tr("no model yet"));
  }
  ImGui::Dummy(ImVec2(width, end.y - at.y));
  if (ready && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("from drawing to prediction"));
}

// The 28×28 image the model reads, at most `size` wide.
void draw_model_input(const DrawingPad& pad, float size) {
  ImGui::TextDisabled("%s", tr("what the model sees (28x28)"));
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  draw_digit(dl, at, size, pad.image.data());
  dl->AddRect(at, ImVec2(at.x + size, at.y + size), ImGui::GetColorU32(ImGuiCol_Border));
  ImGui::Dummy(ImVec2(size, size));
}

// The prediction, the image the model sees and the ten bars: a column beside the pad, or
// on a phone the image and the bars side by side under it.
void draw_prediction(MnistPanel& panel, const MnistSnapshot* s, bool beside) {
  MnistState& m = panel.state;
  const float font = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  const float small = std::min(font * 6, beside ? avail : avail * 0.4f);
  ImGui::TextDisabled("%s", tr("predicted digit"));
  draw_big_prediction(m);
  const int mark = m.pad.test_index >= 0 && s && s->data ? int(s->data->test.labels[size_t(m.pad.test_index)]) : -1;
  if (mark >= 0) ImGui::TextDisabled("%s", trf("test image #%d, label %d", m.pad.test_index, mark).c_str());
  ImGui::BeginGroup();
  draw_model_input(m.pad, small);
  ImGui::EndGroup();
  if (!beside) ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextDisabled("%s", tr("probabilities"));
  const DigitProbabilities none{};
  const bool ready = m.predictor.ready() && !pad_is_blank(m.pad);
  probability_bars("pad", ready ? m.pad_probs : none, mark, 10, std::min(font * 14, ImGui::GetContentRegionAvail().x));
  ImGui::EndGroup();
}

void draw_pad_buttons(MnistPanel& panel) {
  MnistState& m = panel.state;
  DrawingPad& pad = m.pad;
  if (ImGui::Button(tr("Clear"))) pad.clear();
  const char* random = tr("Random test digit");
  mnist_flow(mnist_button_width(random));
  if (ImGui::Button(random)) mnist_pad_test_digit(panel);
  const char* png = mnist_page_build() ? tr("Download PNG") : tr("Save PNG");
  mnist_flow(mnist_button_width(png));
  if (ImGui::Button(png)) mnist_save_png(panel, m.png_path);
  if (ImGui::IsItemHovered()) {
    if (mnist_page_build())
      ImGui::SetTooltip("%s", tr("the 28x28 image as MNIST stores it (white ink on black)"));
    else
      ImGui::SetTooltip("%s", trf("the 28x28 image as MNIST stores it (white ink on black), to %s", m.png_path.c_str()).c_str());
  }
  const float slider = std::min(ImGui::GetFontSize() * 7, ImGui::GetContentRegionAvail().x);
  mnist_flow(slider + ImGui::CalcTextSize(tr("brush")).x + ImGui::GetStyle().ItemInnerSpacing.x);
  float brush = pad.radius;
  ImGui::SetNextItemWidth(slider);
  if (ImGui::SliderFloat(tr("brush"), &brush, 0.02f, 0.1f, "%.3f")) pad.set_radius(brush);
}

// ---------------------------------------------------------------------------------------
// Fine-tuning: the user's own labelled digits, and a run that mixes them with MNIST.

void draw_label_choice(PersonalSet& set) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("this digit is"));
  for (int d = 0; d < 10; ++d) {
    char id[8];
    std::snprintf(id, sizeof id, "%d##l", d);
    mnist_flow(ImGui::GetFrameHeight() + ImGui::CalcTextSize("0").x + ImGui::GetStyle().ItemInnerSpacing.x);
    if (ImGui::RadioButton(id, set.label == d)) set.label = d;
  }
}

// The set as thumbnails with their labels; clicking one removes it.
void draw_personal_thumbnails(PersonalSet& set) {
  const float thumb = std::clamp(ImGui::GetFontSize() * 2.6f, 28.0f, 56.0f);
  const int per_row = std::max(1, int(ImGui::GetContentRegionAvail().x / (thumb + ImGui::GetStyle().ItemSpacing.x)));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  int remove = -1;
  for (size_t k = 0; k < set.samples.size(); ++k) {
    if (k % size_t(per_row) != 0) ImGui::SameLine();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::PushID(int(k));
    if (ImGui::InvisibleButton("own", ImVec2(thumb, thumb))) remove = int(k);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("labelled %d; click to remove", set.samples[k].label).c_str());
    ImGui::PopID();
    draw_digit(dl, at, thumb, set.samples[k].image.data());
    char buf[4];
    std::snprintf(buf, sizeof buf, "%d", set.samples[k].label);
    dl->AddText(ImVec2(at.x + 2, at.y), IM_COL32(200, 60, 60, 255), buf);
  }
  if (remove >= 0) set.samples.erase(set.samples.begin() + remove);
}

void draw_personal_set(MnistPanel& panel) {
  MnistState& m = panel.state;
  PersonalSet& set = m.personal;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr("Draw a digit, pick its label and add it. Fine-tuning mixes your digits into batches of training images."));
  ImGui::PopStyleColor();
  draw_label_choice(set);
  ImGui::BeginDisabled(pad_is_blank(m.pad) || int(set.samples.size()) >= kMaxPersonalSamples);
  if (ImGui::Button(tr("Add the drawing"))) {
    if (set.add(m.pad.image, set.label)) m.pad.clear();
  }
  ImGui::EndDisabled();
  const char* forget = tr("Forget them all");
  mnist_flow(mnist_button_width(forget));
  ImGui::BeginDisabled(set.samples.empty());
  if (ImGui::Button(forget)) set.samples.clear();
  ImGui::EndDisabled();
  const std::string count = trf("%d of %d digits", int(set.samples.size()), kMaxPersonalSamples);
  mnist_flow(ImGui::CalcTextSize(count.c_str()).x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(count.c_str());
  draw_personal_thumbnails(set);
}

void draw_finetune_run(MnistPanel& panel, const MnistSnapshot* s) {
  MnistState& m = panel.state;
  PersonalSet& set = m.personal;
  ImGui::SetNextItemWidth(control_width(8));
  ImGui::SliderInt(tr("steps"), &set.steps, 1, 200, "%d", ImGuiSliderFlags_AlwaysClamp);
  const char* go = tr("Fine-tune");
  mnist_flow(mnist_button_width(go));
  ImGui::BeginDisabled(set.samples.empty() || !s || !s->data || s->finetune_left > 0);
  if (ImGui::Button(go)) mnist_finetune(panel, set.steps);
  ImGui::EndDisabled();
  if (!s || (s->finetune_left <= 0 && s->finetune_done <= 0)) return;
  if (s->finetune_left > 0)
    ImGui::Text("%s", trf("%d steps done, %d to go, last batch cost %.4f", s->finetune_done, s->finetune_left,
                          double(s->finetune_loss)).c_str());
  else
    ImGui::Text("%s", trf("%d steps done, last batch cost %.4f", s->finetune_done, double(s->finetune_loss)).c_str());
  if (s->eval) ImGui::Text("%s", trf("test accuracy now %.4f", s->eval->accuracy).c_str());
}

}  // namespace

void draw_mnist_pad(MnistPanel& panel, const MnistSnapshot* s) {
  mnist_heading(tr("Draw a digit"));
  const PadGeometry g = pad_geometry();
  ImGui::BeginGroup();
  draw_pad_canvas(panel, g.side);
  ImGui::EndGroup();
  if (g.beside) ImGui::SameLine();
  ImGui::BeginGroup();
  draw_prediction(panel, s, g.beside);
  ImGui::EndGroup();
  draw_pad_buttons(panel);
}

void draw_mnist_finetune(MnistPanel& panel, const MnistSnapshot* s) {
  mnist_heading(tr("Fine-tune on your own digits"));
  draw_personal_set(panel);
  draw_finetune_run(panel, s);
}

}  // namespace nnplay::ui
