// The network drawings shared by the network lab and the gates panel's 2-2-1 network:
// the output's decision heat map with the data points, one small heat map per hidden
// neuron, and the graph of neurons with edges sized and coloured by weight.
#include <algorithm>
#include <cmath>

#include "panels.h"
#include "plot.h"

namespace nnplay::ui {

namespace {

// The range a hidden activation can take, for its heat map's colour ramp.
void activation_range(Activation a, const std::vector<float>& values, float& lo, float& hi) {
  switch (a) {
    case Activation::Tanh: lo = -1; hi = 1; return;
    case Activation::ReLU: {
      lo = 0;
      hi = 0;
      for (float v : values)
        if (std::isfinite(v)) hi = std::max(hi, v);
      if (hi <= 0) hi = 1;
      return;
    }
    default: lo = 0; hi = 1; return;
  }
}

float segment_distance(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

ImU32 weight_color(float w, float max_abs) {
  const float f = max_abs > 0 ? std::min(1.0f, std::fabs(w) / max_abs) : 0;
  return class_color(w > 0 ? 1 : 0, int(60 + 195 * f));
}

}  // namespace

void draw_decision_map(const NetworkSnapshot& snap, const NetworkView& view, float size, bool show_hidden_lines) {
  const PlaneBox box = view.box();
  PlaneMap m{reserve_canvas("decision", size, size), box.x0, box.y0, box.x1, box.y1};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(m.canvas.p0, m.canvas.p1, true);
  draw_heat_map(dl, m.canvas, view.output_map(), view.grid(), ramp_color, 0.0f, 1.0f, 220);
  if (show_hidden_lines) {
    const LayerWeights first = layer_weights(snap).front();
    for (int64_t j = 0; j < first.out; ++j) {
      const ImU32 col = ImGui::GetColorU32(j % 2 ? ImGuiCol_PlotLinesHovered : ImGuiCol_Text);
      draw_plane_line(dl, m, first.w(j, 0), first.w(j, 1), first.b ? first.b[j] : 0.0f, col, 2.0f);
    }
  }
  const Toy2DSplit& data = *snap.data;
  const float n = float(std::max<int64_t>(1, data.train.size() + data.test.size()));
  const float r = std::clamp(size / std::sqrt(n) * 0.22f, 2.0f, ImGui::GetFontSize() * 0.45f);
  const ImU32 outline = IM_COL32(30, 30, 30, 255);
  for (int64_t i = 0; i < data.train.size(); ++i) {
    ImVec2 c = m.to_screen(data.train.x[size_t(2 * i)], data.train.x[size_t(2 * i + 1)]);
    dl->AddCircleFilled(c, r, class_color(int(data.train.y[size_t(i)])));
    dl->AddCircle(c, r, outline);
  }
  // Test points: rings, so they can be told from the training points they sit among.
  // (XOR's test set is its training set: no rings.)
  if (snap.config.data.kind != Toy2D::Xor)
    for (int64_t i = 0; i < data.test.size(); ++i) {
      ImVec2 c = m.to_screen(data.test.x[size_t(2 * i)], data.test.x[size_t(2 * i + 1)]);
      dl->AddCircle(c, r, class_color(int(data.test.y[size_t(i)])), 0, 2.0f);
    }
  draw_plane_frame(dl, m);
  dl->PopClipRect();
  if (m.canvas.hovered && view.grid() > 0) {
    float a, b;
    m.to_plane(ImGui::GetIO().MousePos, a, b);
    const int g = view.grid();
    const int col = std::clamp(int((a - box.x0) / (box.x1 - box.x0) * float(g)), 0, g - 1);
    const int row = std::clamp(int((box.y1 - b) / (box.y1 - box.y0) * float(g)), 0, g - 1);
    ImGui::SetTooltip("x1 = %.2f, x2 = %.2f\noutput %.3f", double(a), double(b),
                      double(view.output_map()[size_t(row) * size_t(g) + size_t(col)]));
  }
  ImGui::TextDisabled("colour: output (orange 0 .. blue 1); dots: training points%s",
                      snap.config.data.kind != Toy2D::Xor ? "; rings: test points" : "");
}

void draw_hidden_maps(const NetworkSnapshot& snap, const NetworkView& view) {
  const float thumb = ImGui::GetFontSize() * 3.2f;
  const int step = std::max(1, view.grid() / 12);
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const auto& layers = view.hidden_maps();
  for (size_t l = 0; l < layers.size(); ++l) {
    ImGui::Text("hidden layer %d (%s)", int(l + 1), activation_name(snap.activation));
    for (size_t j = 0; j < layers[l].size(); ++j) {
      ImGui::PushID(int(l * 1000 + j));
      float lo, hi;
      activation_range(snap.activation, layers[l][j], lo, hi);
      Canvas c = reserve_canvas("neuron", thumb, thumb);
      draw_heat_map(dl, c, layers[l][j], view.grid(), ramp_color, lo, hi, 255, step);
      dl->AddRect(c.p0, c.p1, ImGui::GetColorU32(ImGuiCol_Border));
      if (c.hovered) ImGui::SetTooltip("layer %d, neuron %d: activation %.2f .. %.2f", int(l + 1), int(j + 1), double(lo), double(hi));
      ImGui::PopID();
      if (j + 1 < layers[l].size() && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + thumb < right)
        ImGui::SameLine();
    }
  }
}

void draw_network_graph(const NetworkSnapshot& snap) {
  const std::vector<int64_t>& sizes = snap.config.spec.sizes;
  const std::vector<LayerWeights> layers = layer_weights(snap);
  const int64_t widest = *std::max_element(sizes.begin(), sizes.end());
  const float width = ImGui::GetContentRegionAvail().x;
  const float height = std::clamp(float(widest) * ImGui::GetFontSize() * 1.1f, ImGui::GetFontSize() * 6, ImGui::GetFontSize() * 24);
  Canvas c = reserve_canvas("graph", width, height);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float margin = ImGui::GetFontSize();
  auto node_pos = [&](size_t layer, int64_t k) {
    const float x = c.p0.x + margin + (c.width() - 2 * margin) * float(layer) / float(sizes.size() - 1);
    const float y = c.p0.y + c.height() * (float(k) + 0.5f) / float(sizes[layer]);
    return ImVec2(x, y);
  };
  float max_abs = 0;
  for (const LayerWeights& l : layers)
    for (int64_t k = 0; k < l.in * l.out; ++k)
      if (std::isfinite(l.W[k])) max_abs = std::max(max_abs, std::fabs(l.W[k]));

  // Edges, and the one nearest the mouse for the tooltip.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  float best = 6.0f;
  int best_layer = -1;
  int64_t best_to = 0, best_from = 0;
  for (size_t li = 0; li < layers.size(); ++li) {
    const LayerWeights& l = layers[li];
    for (int64_t to = 0; to < l.out; ++to)
      for (int64_t from = 0; from < l.in; ++from) {
        const float w = l.w(to, from);
        const ImVec2 a = node_pos(li, from), b = node_pos(li + 1, to);
        const float thick = max_abs > 0 && std::isfinite(w) ? 0.5f + 3.5f * std::fabs(w) / max_abs : 0.5f;
        dl->AddLine(a, b, weight_color(w, max_abs), thick);
        if (c.hovered) {
          const float d = segment_distance(mouse, a, b);
          if (d < best) {
            best = d;
            best_layer = int(li);
            best_to = to;
            best_from = from;
          }
        }
      }
  }
  const float r = std::clamp(c.height() / float(widest) * 0.3f, 2.5f, ImGui::GetFontSize() * 0.5f);
  int hovered_layer = -1;
  int64_t hovered_node = 0;
  for (size_t li = 0; li < sizes.size(); ++li)
    for (int64_t k = 0; k < sizes[li]; ++k) {
      const ImVec2 p = node_pos(li, k);
      dl->AddCircleFilled(p, r, ImGui::GetColorU32(ImGuiCol_Button));
      dl->AddCircle(p, r, ImGui::GetColorU32(ImGuiCol_Text));
      const float dx = mouse.x - p.x, dy = mouse.y - p.y;
      if (c.hovered && dx * dx + dy * dy <= (r + 2) * (r + 2)) {
        hovered_layer = int(li);
        hovered_node = k;
      }
    }
  if (hovered_layer > 0 && layers[size_t(hovered_layer - 1)].b) {
    ImGui::SetTooltip("layer %d, neuron %d: bias %.4f", hovered_layer, int(hovered_node + 1),
                      double(layers[size_t(hovered_layer - 1)].b[hovered_node]));
  } else if (hovered_layer == 0) {
    ImGui::SetTooltip("input x%d", int(hovered_node + 1));
  } else if (best_layer >= 0) {
    ImGui::SetTooltip("weight %.4f\nfrom layer %d node %d to layer %d node %d", double(layers[size_t(best_layer)].w(best_to, best_from)),
                      best_layer, int(best_from + 1), best_layer + 1, int(best_to + 1));
  }
  ImGui::TextDisabled("edges: blue positive, orange negative, thicker = larger |w| (max %.3g); hover to read", double(max_abs));
}

}  // namespace nnplay::ui
