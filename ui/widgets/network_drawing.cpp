// The network drawings shared by the network lab and the gates panel's 2-2-1 network:
// the output's decision heat map with the data points, one small heat map per hidden
// neuron, and the graph of neurons with edges sized and coloured by weight (its neurons
// optionally drawn as their own heat maps).
#include <algorithm>
#include <cmath>

#include "widgets/network_drawing.h"
#include "widgets/plot.h"
#include "widgets/translations.h"

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

// One wrapped line under the decision map: what its colours, dots and rings mean.
void draw_map_legend(bool has_test_points) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", has_test_points ? tr("colour: output (orange 0 .. blue 1); dots: training points; rings: test points")
                                           : tr("colour: output (orange 0 .. blue 1); dots: training points"));
  ImGui::PopStyleColor();
}

void neuron_tooltip(int layer, int neuron, float lo, float hi) {
  ImGui::SetTooltip("%s", trf("layer %d, neuron %d: activation %.2f .. %.2f", layer, neuron, double(lo), double(hi)).c_str());
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
    ImGui::SetTooltip("%s", trf("x1 = %.2f, x2 = %.2f\noutput %.3f", double(a), double(b),
                                double(view.output_map()[size_t(row) * size_t(g) + size_t(col)])).c_str());
  }
  draw_map_legend(snap.config.data.kind != Toy2D::Xor);
}

void draw_hidden_maps(const NetworkSnapshot& snap, const NetworkView& view) {
  const float thumb = ImGui::GetFontSize() * 3.2f;
  const int step = std::max(1, view.grid() / 12);
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const auto& layers = view.hidden_maps();
  for (size_t l = 0; l < layers.size(); ++l) {
    ImGui::TextUnformatted(trf("hidden layer %d (%s)", int(l + 1), activation_name(snap.activation)).c_str());
    for (size_t j = 0; j < layers[l].size(); ++j) {
      ImGui::PushID(int(l * 1000 + j));
      float lo, hi;
      activation_range(snap.activation, layers[l][j], lo, hi);
      Canvas c = reserve_canvas("neuron", thumb, thumb);
      draw_heat_map(dl, c, layers[l][j], view.grid(), ramp_color, lo, hi, 255, step);
      dl->AddRect(c.p0, c.p1, ImGui::GetColorU32(ImGuiCol_Border));
      if (c.hovered) neuron_tooltip(int(l + 1), int(j + 1), lo, hi);
      ImGui::PopID();
      if (j + 1 < layers[l].size() && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + thumb < right)
        ImGui::SameLine();
    }
  }
}

void draw_network_graph(const NetworkSnapshot& snap) { draw_network_graph(snap, nullptr, 0.0f); }

// ----------------------------------------------------------------------------
// The graph: columns of neurons, an edge per weight, and (given a view) each hidden
// neuron and the output drawn as its own small heat map over the input plane, as in the
// TensorFlow Playground, so one can see which part of the shape each neuron picked up.

namespace {

struct GraphGeometry {
  Canvas c;
  const std::vector<int64_t>* sizes;
  float margin, node;  // node: a neuron's side (its heat map) or diameter (a circle)
  ImVec2 pos(size_t layer, int64_t k) const {
    const float x = c.p0.x + margin + (c.width() - 2 * margin) * float(layer) / float(sizes->size() - 1);
    const float y = c.p0.y + c.height() * (float(k) + 0.5f) / float((*sizes)[layer]);
    return ImVec2(std::round(x), std::round(y));
  }
};

struct Hover {
  int layer = -1;  // a hovered neuron's layer (0: inputs), else -1
  int64_t node = 0;
  int edge_layer = -1;  // the nearest edge's layer, else -1
  int64_t to = 0, from = 0;
};

float max_abs_weight(const std::vector<LayerWeights>& layers) {
  float m = 0;
  for (const LayerWeights& l : layers)
    for (int64_t k = 0; k < l.in * l.out; ++k)
      if (std::isfinite(l.W[k])) m = std::max(m, std::fabs(l.W[k]));
  return m;
}

void draw_edges(ImDrawList* dl, const GraphGeometry& g, const std::vector<LayerWeights>& layers, float max_abs,
                Hover& hover) {
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  float best = 6.0f;
  for (size_t li = 0; li < layers.size(); ++li) {
    const LayerWeights& l = layers[li];
    for (int64_t to = 0; to < l.out; ++to)
      for (int64_t from = 0; from < l.in; ++from) {
        const float w = l.w(to, from);
        const ImVec2 a = g.pos(li, from), b = g.pos(li + 1, to);
        const float thick = max_abs > 0 && std::isfinite(w) ? 0.5f + 3.5f * std::fabs(w) / max_abs : 0.5f;
        dl->AddLine(a, b, weight_color(w, max_abs), thick);
        if (!g.c.hovered) continue;
        const float d = segment_distance(mouse, a, b);
        if (d < best) {
          best = d;
          hover.edge_layer = int(li);
          hover.to = to;
          hover.from = from;
        }
      }
  }
}

// The map a neuron shows: hidden layer l's neuron k, or the output (layer == hidden count).
const std::vector<float>* neuron_map(const NetworkView& view, size_t hidden_layer, int64_t k) {
  const auto& maps = view.hidden_maps();
  if (hidden_layer < maps.size()) return size_t(k) < maps[hidden_layer].size() ? &maps[hidden_layer][size_t(k)] : nullptr;
  return &view.output_map();
}

void draw_node(ImDrawList* dl, const GraphGeometry& g, const NetworkSnapshot& snap, const NetworkView* view,
               size_t li, int64_t k) {
  const ImVec2 p = g.pos(li, k);
  const float h = g.node * 0.5f;
  const std::vector<float>* map = view && li > 0 && view->grid() > 0 ? neuron_map(*view, li - 1, k) : nullptr;
  if (!map) {
    dl->AddCircleFilled(p, h, ImGui::GetColorU32(ImGuiCol_Button));
    dl->AddCircle(p, h, ImGui::GetColorU32(ImGuiCol_Text));
    if (li == 0 && g.node >= ImGui::GetFontSize()) {
      const std::string name = "x" + std::to_string(k + 1);
      const ImVec2 t = ImGui::CalcTextSize(name.c_str());
      dl->AddText(ImVec2(p.x - t.x * 0.5f, p.y - t.y * 0.5f), ImGui::GetColorU32(ImGuiCol_Text), name.c_str());
    }
    return;
  }
  float lo = 0, hi = 1;
  if (li + 1 < snap.config.spec.sizes.size()) activation_range(snap.activation, *map, lo, hi);
  Canvas cell;
  cell.p0 = ImVec2(p.x - h, p.y - h);
  cell.p1 = ImVec2(p.x + h, p.y + h);
  const int step = std::max(1, view->grid() / std::max(4, int(g.node / 2.0f)));
  draw_heat_map(dl, cell, *map, view->grid(), ramp_color, lo, hi, 255, step);
  dl->AddRect(cell.p0, cell.p1, ImGui::GetColorU32(ImGuiCol_Border));
}

Hover hovered_node(const GraphGeometry& g) {
  Hover h;
  if (!g.c.hovered) return h;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const float reach = g.node * 0.5f + 2.0f;
  for (size_t li = 0; li < g.sizes->size(); ++li)
    for (int64_t k = 0; k < (*g.sizes)[li]; ++k) {
      const ImVec2 p = g.pos(li, k);
      if (std::fabs(mouse.x - p.x) <= reach && std::fabs(mouse.y - p.y) <= reach) {
        h.layer = int(li);
        h.node = k;
      }
    }
  return h;
}

void graph_tooltip(const Hover& node, const Hover& edge, const std::vector<LayerWeights>& layers) {
  if (node.layer > 0 && layers[size_t(node.layer - 1)].b) {
    ImGui::SetTooltip("%s", trf("layer %d, neuron %d: bias %.4f", node.layer, int(node.node + 1),
                                double(layers[size_t(node.layer - 1)].b[node.node])).c_str());
  } else if (node.layer == 0) {
    ImGui::SetTooltip("%s", trf("input x%d", int(node.node + 1)).c_str());
  } else if (edge.edge_layer >= 0) {
    ImGui::SetTooltip("%s", trf("weight %.4f\nfrom layer %d node %d to layer %d node %d",
                                double(layers[size_t(edge.edge_layer)].w(edge.to, edge.from)), edge.edge_layer,
                                int(edge.from + 1), edge.edge_layer + 1, int(edge.to + 1)).c_str());
  }
}

}  // namespace

void draw_network_graph(const NetworkSnapshot& snap, const NetworkView* view, float height) {
  const std::vector<int64_t>& sizes = snap.config.spec.sizes;
  const std::vector<LayerWeights> layers = layer_weights(snap);
  const int64_t widest = *std::max_element(sizes.begin(), sizes.end());
  const float font = ImGui::GetFontSize();
  if (height <= 0) height = std::clamp(float(widest) * font * 1.1f, font * 6, font * 24);
  GraphGeometry g;
  g.c = reserve_canvas("graph", ImGui::GetContentRegionAvail().x, height);
  g.sizes = &sizes;
  const float spacing = g.c.height() / float(widest);
  const float column_gap = (g.c.width() - 2 * font) / float(sizes.size() - 1);
  g.node = view ? std::clamp(std::min(spacing * 0.82f, column_gap * 0.45f), 6.0f, font * 3.2f)
                : std::clamp(spacing * 0.6f, 5.0f, font);
  g.margin = std::max(font, g.node * 0.5f + 2.0f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float max_abs = max_abs_weight(layers);
  Hover edge;
  draw_edges(dl, g, layers, max_abs, edge);
  for (size_t li = 0; li < sizes.size(); ++li)
    for (int64_t k = 0; k < sizes[li]; ++k) draw_node(dl, g, snap, view, li, k);
  graph_tooltip(hovered_node(g), edge, layers);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", trf("edges: blue positive, orange negative, thicker = larger |w| (max %.3g); hover to read",
                               double(max_abs)).c_str());
  ImGui::PopStyleColor();
}

}  // namespace nnplay::ui
