// The one-step view's network drawing and MNIST images (see step_drawing.h). What each
// part shows follows the stage: a quantity appears once the stage that computes it has
// been reached, so stepping forward fills the picture in the order the step did.
#include "one_step/step_drawing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "one_step/step_actions.h"
#include "widgets/digit_drawing.h"
#include "widgets/layout.h"
#include "widgets/panel_style.h"
#include "widgets/plot.h"
#include "widgets/translations.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

constexpr int kCollapsedNodes = 12;  // neurons drawn per column unless expanded
constexpr int kImageRows = 10;       // first-layer weight images shown (the linear model's ten)

const TraceTensor* reached(const StepState& s, const std::string& key) {
  const int at = tensor_stage(*s.trace, key);
  return at >= 0 && at <= s.stage ? s.trace->tensor(key) : nullptr;
}

bool backward_view(const StepState& s) {
  const StagePhase p = s.trace->stages[size_t(s.stage)].phase;
  return p == StagePhase::Backward || p == StagePhase::Update;
}

float max_abs(const float* v, size_t n) {
  float m = 0;
  for (size_t i = 0; i < n; ++i)
    if (std::isfinite(v[i])) m = std::max(m, std::fabs(v[i]));
  return m;
}

ImU32 signed_color(float v, float scale, int alpha_min = 50) {
  const float f = scale > 0 ? std::min(1.0f, std::fabs(v) / scale) : 0;
  return class_color(v > 0 ? 1 : 0, int(float(alpha_min) + float(255 - alpha_min) * f));
}

float segment_distance(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  const float t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0f, 1.0f) : 0;
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

// One column of neurons: which are drawn (the first ones, and the picked one always).
struct Column {
  int64_t size = 0;
  std::vector<int64_t> shown;
  std::vector<float> y;  // screen y of each shown neuron
  float x = 0;
  const TraceTensor* values = nullptr;  // [batch, size], for the drawn sample
  bool gradient = false;
};

std::vector<int64_t> shown_of(int64_t size, int limit, int64_t must) {
  std::vector<int64_t> out;
  if (size <= limit) {
    for (int64_t i = 0; i < size; ++i) out.push_back(i);
    return out;
  }
  for (int64_t i = 0; i < limit - 1; ++i) out.push_back(i);
  if (must >= limit - 1 && must < size) out.push_back(must);
  else out.push_back(limit - 1);
  return out;
}

// The neuron values a column shows: forward, what the layer (then its activation)
// computed; backward, dL/dz once known (else dL/da).
const TraceTensor* column_values(const StepState& s, int linear, bool& gradient) {
  const StepTrace& t = *s.trace;
  const int act = linear + 1 < int(t.modules.size()) && t.modules[size_t(linear) + 1].weight.empty() ? linear + 1 : -1;
  gradient = backward_view(s);
  const std::string a = act >= 0 ? std::to_string(act) : "", z = std::to_string(linear);
  if (gradient) {
    if (const TraceTensor* v = reached(s, "dout." + z)) return v;
    if (act >= 0)
      if (const TraceTensor* v = reached(s, "dout." + a)) return v;
    return nullptr;
  }
  if (act >= 0)
    if (const TraceTensor* v = reached(s, "out." + a)) return v;
  return reached(s, "out." + z);
}

// The edges' values for Linear module i: its weights, their gradient once computed,
// the step and the new weights in the update.
const TraceTensor* edge_values(const StepState& s, const std::string& w) {
  const StagePhase p = s.trace->stages[size_t(s.stage)].phase;
  if (p == StagePhase::Update) {
    if (const TraceTensor* v = reached(s, "new." + w)) return v;
    if (const TraceTensor* v = reached(s, "lr_grad." + w)) return v;
  }
  if (p == StagePhase::Backward || p == StagePhase::Update)
    if (const TraceTensor* v = reached(s, "grad." + w)) return v;
  return s.trace->tensor("param." + w);
}

}  // namespace

int stage_index(const StepTrace& t, const std::string& id) {
  for (size_t i = 0; i < t.stages.size(); ++i)
    if (t.stages[i].id == id) return int(i);
  return -1;
}

int tensor_stage(const StepTrace& t, const std::string& key) {
  for (size_t i = 0; i < t.stages.size(); ++i)
    for (const TraceTensor& x : t.stages[i].tensors)
      if (x.key == key) return int(i);
  return -1;
}

void draw_step_network(StepPanel& panel, float width, float height) {
  StepState& s = panel.state;
  const StepTrace& t = *s.trace;
  const std::vector<int> linears = linear_modules(t);
  if (linears.empty()) return;
  bool too_many = false;
  const int limit = s.expand ? std::max(kCollapsedNodes, int(height / (ImGui::GetFontSize() * 0.6f))) : kCollapsedNodes;

  // Columns: the inputs, then each Linear's outputs.
  std::vector<Column> cols(linears.size() + 1);
  for (size_t k = 0; k < linears.size(); ++k) {
    const TraceTensor* w = t.tensor("param." + t.modules[size_t(linears[k])].weight);
    if (k == 0) cols[0].size = w->shape[1];
    cols[k + 1].size = w->shape[0];
  }
  // What the first Linear reads: the images themselves, or (in a CNN) the flattened
  // feature maps of the layers before it.
  cols[0].values = linears[0] == 0 ? t.tensor("x") : t.tensor("out." + std::to_string(linears[0] - 1));
  for (size_t k = 0; k < linears.size(); ++k) cols[k + 1].values = column_values(s, linears[k], cols[k + 1].gradient);
  for (size_t k = 0; k < cols.size(); ++k) {
    int64_t must = -1;
    if (k < linears.size() && linears[k] == s.pick.module) must = s.pick.col;
    if (k > 0 && linears[k - 1] == s.pick.module) must = s.pick.row;
    cols[k].shown = shown_of(cols[k].size, limit, must);
    too_many |= int64_t(cols[k].shown.size()) < cols[k].size;
  }

  const Canvas c = reserve_canvas("##step-network", width, height);
  report_rect(panel.ui.rects, "step.visual");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const float margin_x = font * 2.2f, margin_y = font * 0.9f;
  const float col_gap = (c.width() - 2 * margin_x - font * 2.5f) / float(std::max<size_t>(1, cols.size() - 1));
  float spacing = c.height();
  for (size_t k = 0; k < cols.size(); ++k) {
    Column& col = cols[k];
    col.x = c.p0.x + margin_x + col_gap * float(k);
    const size_t n = col.shown.size() + (int64_t(col.shown.size()) < col.size ? 1 : 0);  // room for "…"
    const float step = (c.height() - 2 * margin_y) / float(n);
    spacing = std::min(spacing, step);
    for (size_t j = 0; j < col.shown.size(); ++j) col.y.push_back(c.p0.y + margin_y + step * (float(j) + 0.5f));
  }
  const float r = std::clamp(spacing * 0.3f, 2.5f, font * 0.45f);
  const bool labels = spacing >= font * 1.05f;

  // Edges, and the one nearest the pointer (a click picks its weight).
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  float best = font * 0.4f;
  WeightRef hover{-1, 0, 0};
  ImVec2 ha, hb;
  for (size_t k = 0; k < linears.size(); ++k) {
    const std::string& wname = t.modules[size_t(linears[k])].weight;
    const TraceTensor* ev = edge_values(s, wname);
    const float scale = max_abs(ev->values.data(), ev->values.size());
    const Column &from = cols[k], &to = cols[k + 1];
    for (size_t a = 0; a < from.shown.size(); ++a)
      for (size_t b = 0; b < to.shown.size(); ++b) {
        const float v = ev->values[size_t(to.shown[b] * from.size + from.shown[a])];
        const ImVec2 p(from.x + r, from.y[a]), q(to.x - r, to.y[b]);
        dl->AddLine(p, q, signed_color(v, scale, 25), 1.0f + 1.5f * (scale > 0 ? std::fabs(v) / scale : 0));
        if (c.hovered) {
          const float d = segment_distance(mouse, p, q);
          if (d < best) {
            best = d;
            hover = {linears[k], to.shown[b], from.shown[a]};
            ha = p;
            hb = q;
          }
        }
        if (linears[k] == s.pick.module && to.shown[b] == s.pick.row && from.shown[a] == s.pick.col) {
          dl->AddLine(p, q, kAccentColor, 3.0f);
        }
      }
  }
  if (hover.module >= 0) {
    dl->AddLine(ha, hb, IM_COL32(255, 255, 255, 200), 2.0f);
    const TraceTensor* ev = edge_values(s, t.modules[size_t(hover.module)].weight);
    const int64_t in = ev->shape[1];
    ImGui::SetTooltip("%s", trf("W[%d][%d] of layer %d: %.4g (click: write out its chain rule)", int(hover.row),
                               int(hover.col), hover.module, double(ev->values[size_t(hover.row * in + hover.col)]))
                                .c_str());
    if (ImGui::IsItemClicked()) step_pick(panel, hover);
  }

  // Neurons, each with its value for the drawn sample.
  const int n = std::clamp(s.sample, 0, int(t.batch_size) - 1);
  for (const Column& col : cols) {
    float scale = 0;
    if (col.values) {
      const float* row = col.values->values.data() + size_t(n) * size_t(col.size);
      scale = max_abs(row, size_t(col.size));
    }
    for (size_t j = 0; j < col.shown.size(); ++j) {
      const ImVec2 p(col.x, col.y[j]);
      ImU32 fill = IM_COL32(70, 74, 82, 255);
      if (col.values) {
        const float v = col.values->values[size_t(n) * size_t(col.size) + size_t(col.shown[j])];
        fill = col.gradient ? signed_color(v, scale, 90) : ramp_color(v, -scale, scale);
        if (labels) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.3g", double(v));
          dl->AddText(ImVec2(p.x + r + 2, p.y - font), ImGui::GetColorU32(ImGuiCol_Text), buf);
        }
      }
      dl->AddCircleFilled(p, r, fill);
      dl->AddCircle(p, r, IM_COL32(200, 200, 200, 160));
    }
    if (int64_t(col.shown.size()) < col.size) {
      char more[32];
      std::snprintf(more, sizeof more, "⋯ +%lld", static_cast<long long>(col.size - int64_t(col.shown.size())));
      dl->AddText(ImVec2(col.x - r, col.y.back() + spacing * 0.5f), ImGui::GetColorU32(ImGuiCol_TextDisabled), more);
    }
  }
  if (too_many) ImGui::Checkbox(tr("Show every neuron that fits"), &s.expand);
}

struct Strip {
  const char* title;
  const TraceTensor* v;
};

bool step_has_images(const StepTrace& t) {
  const TraceTensor* x = t.tensor("x");
  return x && !x->shape.empty() && x->shape[0] > 0 && shape_numel(x->shape) == x->shape[0] * 784;
}

namespace {

// A CNN's first convolution: each of its filters (one input channel, k×k) as a small
// image, for the weights, their gradient, the step and the new weights.
void draw_filter_strips(StepState& s, int module, float width) {
  const StepTrace& t = *s.trace;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const std::string w = t.modules[size_t(module)].weight;
  const TraceTensor* W = t.tensor("param." + w);
  if (!W || W->shape.size() != 4 || W->shape[1] != 1) return;
  const int filters = int(std::min<int64_t>(kImageRows * 2, W->shape[0]));
  const int kh = int(W->shape[2]), kw = int(W->shape[3]);
  const Strip strips[] = {
      {"W", W},
      {"dL/dW", reached(s, "grad." + w)},
      {"lr·dL/dW", reached(s, "lr_grad." + w)},
      {"W'", reached(s, "new." + w)},
  };
  ImGui::TextDisabled("%s", trf("the first convolution's %d filters (%d×%d), one per column", int(W->shape[0]), kh, kw).c_str());
  const float title_w = font * 4.5f;
  const float size = std::min(font * 2.4f, (width - title_w) / float(filters) - 2);
  for (const Strip& strip : strips) {
    if (!strip.v) continue;
    ImGui::TextDisabled("%s", strip.title);
    ImGui::SameLine(title_w);
    char id[40];
    std::snprintf(id, sizeof id, "##filters-%s", strip.title);
    const Canvas c = reserve_canvas(id, (size + 2) * float(filters), size);
    const size_t per = size_t(kh) * size_t(kw);
    const float scale = max_abs(strip.v->values.data(), size_t(filters) * per);
    const float cw = size / float(kw), ch = size / float(kh);
    for (int f = 0; f < filters; ++f) {
      const float x0 = c.p0.x + (size + 2) * float(f);
      for (int r = 0; r < kh; ++r)
        for (int q = 0; q < kw; ++q) {
          const float v = strip.v->values[size_t(f) * per + size_t(r * kw + q)];
          const ImVec2 a(x0 + cw * float(q), c.p0.y + ch * float(r));
          dl->AddRectFilled(a, ImVec2(a.x + cw, a.y + ch), diverging_color(v, scale));
        }
    }
    if (c.hovered) {
      const ImVec2 m = ImGui::GetIO().MousePos;
      const int f = int((m.x - c.p0.x) / (size + 2));
      const float lx = m.x - c.p0.x - (size + 2) * float(f), ly = m.y - c.p0.y;
      if (f >= 0 && f < filters && lx < size) {
        const int r = std::clamp(int(ly / ch), 0, kh - 1), q = std::clamp(int(lx / cw), 0, kw - 1);
        ImGui::SetTooltip("%s", trf("filter %d, row %d, column %d: %.4g", f, r, q,
                                   double(strip.v->values[size_t(f) * per + size_t(r * kw + q)])).c_str());
      }
    }
  }
}

}  // namespace

void draw_step_images(StepPanel& panel, float width) {
  StepState& s = panel.state;
  const StepTrace& t = *s.trace;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();

  // The batch: every image with its label; a click chooses the sample the network shows.
  const TraceTensor* x = t.tensor("x");
  const TraceTensor* y = t.tensor("labels");
  const int count = int(x->shape[0]);
  const int per_row = std::max(8, int(width / (font * 1.9f)));
  const float cell = width / float(per_row);
  const int rows = (count + per_row - 1) / per_row;
  const Canvas b = reserve_canvas("##step-batch", width, cell * float(rows));
  for (int i = 0; i < count; ++i) {
    const ImVec2 p(b.p0.x + cell * float(i % per_row), b.p0.y + cell * float(i / per_row));
    draw_digit(dl, p, cell - 1, x->values.data() + size_t(i) * 784);
    if (y) {
      char lab[8];
      std::snprintf(lab, sizeof lab, "%d", int(y->values[size_t(i)]));
      dl->AddText(nullptr, font * 0.7f, ImVec2(p.x + 1, p.y), kAccentColor, lab);
    }
    if (i == s.sample) dl->AddRect(p, ImVec2(p.x + cell - 1, p.y + cell - 1), kAccentColor, 0, 0, 2.0f);
  }
  if (b.hovered && ImGui::IsItemClicked()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int i = int((m.y - b.p0.y) / cell) * per_row + int((m.x - b.p0.x) / cell);
    if (i >= 0 && i < count) s.sample = i;
  }

  // The first layer's weight images, and what the step does to them, as the stages reach
  // it: a Linear's rows as 28×28 images, or a convolution's filters.
  if (t.modules.front().kind == "Conv2d") {
    draw_filter_strips(s, 0, width);
    return;
  }
  const int module = linear_modules(t).front();
  const std::string w = t.modules[size_t(module)].weight;
  const TraceTensor* W = t.tensor("param." + w);
  if (module != 0 || W->shape[1] != 784) return;
  const int shown = int(std::min<int64_t>(kImageRows, W->shape[0]));
  const Strip strips[] = {
      {"W", W},
      {"dL/dW", reached(s, "grad." + w)},
      {"lr·dL/dW", reached(s, "lr_grad." + w)},
      {"W'", reached(s, "new." + w)},
  };
  const float title_w = font * 4.5f;
  const float size = std::min(font * 3.2f, (width - title_w) / float(shown) - 2);
  for (const Strip& strip : strips) {
    if (!strip.v) continue;
    ImGui::TextDisabled("%s", strip.title);
    ImGui::SameLine(title_w);
    char id[32];
    std::snprintf(id, sizeof id, "##strip-%s", strip.title);
    const Canvas c = reserve_canvas(id, (size + 2) * float(shown), size);
    const float scale = max_abs(strip.v->values.data(), size_t(shown) * 784);
    for (int r = 0; r < shown; ++r) {
      const ImVec2 p(c.p0.x + (size + 2) * float(r), c.p0.y);
      draw_weight_image(dl, p, size, strip.v->values.data() + size_t(r) * 784, scale);
      if (module == s.pick.module && r == s.pick.row) {
        const float px = size / 28.0f;
        const ImVec2 q(p.x + px * float(s.pick.col % 28), p.y + px * float(s.pick.col / 28));
        dl->AddRect(q, ImVec2(q.x + px + 1, q.y + px + 1), kAccentColor, 0, 0, 2.0f);
      }
    }
    if (c.hovered) {
      const ImVec2 m = ImGui::GetIO().MousePos;
      const int r = int((m.x - c.p0.x) / (size + 2));
      const float lx = m.x - c.p0.x - (size + 2) * float(r), ly = m.y - c.p0.y;
      if (r >= 0 && r < shown && lx < size) {
        const int pixel = int(ly / size * 28) * 28 + int(lx / size * 28);
        if (pixel >= 0 && pixel < 784) {
          ImGui::SetTooltip("%s", trf("W[%d][%d] of layer %d: %.4g (click: write out its chain rule)", r, pixel,
                                     module, double(strip.v->values[size_t(r) * 784 + size_t(pixel)]))
                                      .c_str());
          if (ImGui::IsItemClicked()) step_pick(panel, {module, r, pixel});
        }
      }
    }
  }
}

}  // namespace nnplay::ui
