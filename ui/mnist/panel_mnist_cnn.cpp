// The MNIST panel's view inside a convolutional network, under the drawing pad: the first
// layer's filters as small images (red positive, blue negative), and each convolution's
// feature maps for the digit being drawn, recomputed with the pad's prediction. Drawn with
// rectangles on ImGui's draw list like the other images, every grid sized to the column
// so that a phone's narrow column never scrolls sideways. Shows nothing for an MLP.
#include <algorithm>
#include <cmath>

#include "widgets/digit_drawing.h"
#include "mnist/mnist_panel.h"

namespace nnplay::ui {

namespace {

// Maps shown per layer: a wide first layer would otherwise push the rest off the screen.
constexpr int kMaxMaps = 32;
constexpr int kPerRow = 8;

// Tiles per row and their side, so that `n` tiles fill the column without overflowing it.
float tile_side(int per_row, float max_side) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = 2.0f;
  return std::clamp((avail - gap * float(per_row - 1)) / float(per_row), 8.0f, max_side);
}

// An h × w image; `value_colour` picks each cell's colour. Starts a new row every per_row.
template <typename Colour>
void draw_tiles(const char* id, int count, int per_row, int h, int w, float side, const float* values,
                Colour value_colour, ImU32 background) {
  ImGui::PushID(id);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(2.0f, 2.0f));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float cell_h = side / float(h), cell_w = side / float(w);
  for (int k = 0; k < count; ++k) {
    if (k % per_row != 0) ImGui::SameLine();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(at, ImVec2(at.x + side, at.y + side), background);
    const float* v = values + size_t(k) * size_t(h) * size_t(w);
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c) {
        ImU32 col = 0;
        if (!value_colour(v[r * w + c], col)) continue;  // background: fewer rectangles to draw
        const ImVec2 a(at.x + cell_w * float(c), at.y + cell_h * float(r));
        dl->AddRectFilled(a, ImVec2(a.x + cell_w + 0.25f, a.y + cell_h + 0.25f), col);
      }
    ImGui::Dummy(ImVec2(side, side));
  }
  ImGui::PopStyleVar();
  ImGui::PopID();
}

void disabled_wrapped(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void draw_filters(const MnistPredictor& p) {
  Shape shape;
  const float* w = p.first_filters(shape);
  if (!w || shape.size() != 4) return;
  const int n = int(shape[0]), per = int(shape[1] * shape[2] * shape[3]);
  // One colour scale for all filters, so they compare: the largest |w|.
  float scale = 1e-6f;
  for (int i = 0; i < n * per; ++i) scale = std::max(scale, std::fabs(w[i]));
  disabled_wrapped(trf("The first layer's %d filters (%lldx%lld; red positive, blue negative, |w| = %.3g is full colour): each slides over the image and responds where the image looks like it.",
                       n, static_cast<long long>(shape[2]), static_cast<long long>(shape[3]), double(scale)));
  const int per_row = std::min(n, kPerRow);
  // Only the first input channel: an MNIST image has one.
  std::vector<float> first(size_t(n) * size_t(shape[2] * shape[3]));
  for (int k = 0; k < n; ++k)
    std::copy(w + size_t(k) * size_t(per), w + size_t(k) * size_t(per) + size_t(shape[2] * shape[3]),
              first.begin() + std::ptrdiff_t(size_t(k) * size_t(shape[2] * shape[3])));
  draw_tiles("filters", n, per_row, int(shape[2]), int(shape[3]), tile_side(per_row, 40.0f), first.data(),
             [&](float v, ImU32& col) {
               col = diverging_color(v, scale);
               return true;
             },
             IM_COL32(255, 255, 255, 255));
}

void draw_maps(const std::vector<FeatureMaps>& maps) {
  for (size_t l = 0; l < maps.size(); ++l) {
    const FeatureMaps& f = maps[l];
    if (f.channels <= 0 || f.height <= 0 || f.width <= 0) continue;
    const int shown = std::min(f.channels, kMaxMaps);
    float top = 1e-6f;
    for (float v : f.values) top = std::max(top, v);
    ImGui::TextDisabled("%s", trf("conv layer %d: %d maps of %dx%d", int(l + 1), f.channels, f.height, f.width).c_str());
    if (shown < f.channels) disabled_wrapped(trf("the first %d shown", shown));
    const int per_row = std::min(shown, kPerRow);
    ImGui::PushID(int(l));
    // Dark ink where the map is active, as the digits are drawn; one scale per layer.
    draw_tiles("maps", shown, per_row, f.height, f.width, tile_side(per_row, 56.0f), f.values.data(),
               [&](float v, ImU32& col) {
                 if (!(v > 0.0f)) return false;
                 const int g = int(std::lround(250.0f * (1.0f - std::clamp(v / top, 0.0f, 1.0f))));
                 col = IM_COL32(g, g, g, 255);
                 return true;
               },
               IM_COL32(250, 250, 250, 255));
    ImGui::PopID();
  }
}

}  // namespace

void draw_mnist_cnn(MnistPanel& panel) {
  const MnistState& m = panel.state;
  if (!m.predictor.ready() || !m.predictor.spec().is_layer_list()) return;
  mnist_heading(tr("Inside the CNN"));
  draw_filters(m.predictor);
  if (m.pad_maps.empty()) return;
  disabled_wrapped(tr("Feature maps of the digit on the pad (dark is active): what each filter found, and where. Draw to see them change."));
  draw_maps(m.pad_maps);
}

}  // namespace nnplay::ui
