// Draw-list helpers for the panels' canvases and plots.
#include "widgets/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "widgets/translations.h"

namespace nnplay::ui {

namespace {

struct Rgb {
  float r, g, b;
};
constexpr Rgb kOrange{245, 147, 34};
constexpr Rgb kBlue{8, 119, 189};
constexpr Rgb kLight{232, 234, 235};

ImU32 mix(Rgb a, Rgb b, float t, int alpha) {
  t = std::clamp(t, 0.0f, 1.0f);
  return IM_COL32(int(a.r + (b.r - a.r) * t), int(a.g + (b.g - a.g) * t), int(a.b + (b.b - a.b) * t), alpha);
}

}  // namespace

ImU32 class_color(int label, int alpha) {
  Rgb c = label ? kBlue : kOrange;
  return IM_COL32(int(c.r), int(c.g), int(c.b), alpha);
}

ImU32 probability_color(float p, int alpha) {
  if (!std::isfinite(p)) return IM_COL32(128, 128, 128, alpha);
  return p < 0.5f ? mix(kOrange, kLight, p * 2.0f, alpha) : mix(kLight, kBlue, (p - 0.5f) * 2.0f, alpha);
}

ImU32 ramp_color(float v, float lo, float hi, int alpha) {
  if (!std::isfinite(v) || !(hi > lo)) return IM_COL32(128, 128, 128, alpha);
  return probability_color((v - lo) / (hi - lo), alpha);
}

Canvas reserve_canvas(const char* id, float width, float height) {
  Canvas c;
  width = std::max(width, 8.0f);
  height = std::max(height, 8.0f);
  c.p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, height));
  c.hovered = ImGui::IsItemHovered();
  c.p1 = ImVec2(c.p0.x + width, c.p0.y + height);
  return c;
}

ImVec2 PlaneMap::to_screen(float a, float b) const {
  return ImVec2(canvas.p0.x + (a - x0) / (x1 - x0) * canvas.width(),
                canvas.p1.y - (b - y0) / (y1 - y0) * canvas.height());
}

void PlaneMap::to_plane(ImVec2 s, float& a, float& b) const {
  a = x0 + (s.x - canvas.p0.x) / canvas.width() * (x1 - x0);
  b = y0 + (canvas.p1.y - s.y) / canvas.height() * (y1 - y0);
}

void draw_heat_map(ImDrawList* dl, const Canvas& c, const std::vector<float>& values, int grid,
                   ImU32 (*color)(float, float, float, int), float lo, float hi, int alpha, int step) {
  if (grid <= 0 || values.size() < size_t(grid) * size_t(grid)) return;
  step = std::clamp(step, 1, grid);
  const int cells = grid / step;
  // Cell edges on whole pixels, each computed once and shared by the two cells beside it:
  // neighbours then meet exactly, every pixel is covered once, and no seam (a gap, or a
  // doubly blended overlap when alpha < 255) shows between rows or columns.
  std::vector<float> xs(size_t(cells) + 1), ys(size_t(cells) + 1);
  for (int i = 0; i <= cells; ++i) {
    xs[size_t(i)] = std::round(c.p0.x + c.width() * float(i) / float(cells));
    ys[size_t(i)] = std::round(c.p0.y + c.height() * float(i) / float(cells));
  }
  // Filled rectangles without rounding take ImGui's path without an anti-aliased fringe.
  const ImDrawListFlags flags = dl->Flags;
  dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
  std::vector<ImU32> row(static_cast<size_t>(cells), 0u);
  for (int r = 0; r < cells; ++r) {
    const size_t vr = size_t(r * step + step / 2);
    for (int col = 0; col < cells; ++col)
      row[size_t(col)] = color(values[vr * size_t(grid) + size_t(col * step + step / 2)], lo, hi, alpha);
    // A run of equal colours in a row is one rectangle: the same pixels with fewer
    // vertices to rasterise (a trained network's map is flat over large areas).
    for (int col = 0; col < cells;) {
      int end = col + 1;
      while (end < cells && row[size_t(end)] == row[size_t(col)]) ++end;
      dl->AddRectFilled(ImVec2(xs[size_t(col)], ys[size_t(r)]), ImVec2(xs[size_t(end)], ys[size_t(r) + 1]),
                        row[size_t(col)]);
      col = end;
    }
  }
  dl->Flags = flags;
}

namespace {

// Sutherland–Hodgman against one half-plane a·x + b·y + c ≥ 0, in plane coordinates.
std::vector<ImVec2> clip_polygon(const std::vector<ImVec2>& poly, float a, float b, float c) {
  std::vector<ImVec2> out;
  const size_t n = poly.size();
  for (size_t i = 0; i < n; ++i) {
    ImVec2 p = poly[i], q = poly[(i + 1) % n];
    float fp = a * p.x + b * p.y + c, fq = a * q.x + b * q.y + c;
    if (fp >= 0) out.push_back(p);
    if ((fp >= 0) != (fq >= 0)) {
      float t = fp / (fp - fq);
      out.push_back(ImVec2(p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t));
    }
  }
  return out;
}

std::vector<ImVec2> box_polygon(const PlaneMap& m) {
  return {ImVec2(m.x0, m.y0), ImVec2(m.x1, m.y0), ImVec2(m.x1, m.y1), ImVec2(m.x0, m.y1)};
}

}  // namespace

void draw_plane_line(ImDrawList* dl, const PlaneMap& m, float a, float b, float c, ImU32 col, float thickness) {
  if (!(std::isfinite(a) && std::isfinite(b) && std::isfinite(c)) || (a == 0 && b == 0)) return;
  // The segment is where the box's boundary crosses the line: clip the box to the
  // half-plane and keep the points that lie on the line.
  std::vector<ImVec2> poly = clip_polygon(box_polygon(m), a, b, c);
  const float scale = std::fabs(a) + std::fabs(b);
  std::vector<ImVec2> on_line;
  for (const ImVec2& p : poly)
    if (std::fabs(a * p.x + b * p.y + c) <= 1e-5f * scale * (1 + std::fabs(p.x) + std::fabs(p.y))) on_line.push_back(p);
  if (on_line.size() < 2) return;
  // The two points farthest apart (a vertex on the line can appear as well).
  ImVec2 p = on_line[0], q = on_line[1];
  float best = -1;
  for (size_t i = 0; i < on_line.size(); ++i)
    for (size_t j = i + 1; j < on_line.size(); ++j) {
      float dx = on_line[i].x - on_line[j].x, dy = on_line[i].y - on_line[j].y;
      if (dx * dx + dy * dy > best) {
        best = dx * dx + dy * dy;
        p = on_line[i];
        q = on_line[j];
      }
    }
  dl->AddLine(m.to_screen(p.x, p.y), m.to_screen(q.x, q.y), col, thickness);
}

void fill_half_plane(ImDrawList* dl, const PlaneMap& m, float a, float b, float c, ImU32 col) {
  if (!(std::isfinite(a) && std::isfinite(b) && std::isfinite(c))) return;
  std::vector<ImVec2> poly = clip_polygon(box_polygon(m), a, b, c);
  if (poly.size() < 3) return;
  // Strictly > 0 would differ only on the line itself, which has no area.
  for (ImVec2& p : poly) p = m.to_screen(p.x, p.y);
  dl->AddConvexPolyFilled(poly.data(), int(poly.size()), col);
}

void draw_plane_frame(ImDrawList* dl, const PlaneMap& m) {
  const ImU32 frame = ImGui::GetColorU32(ImGuiCol_Border);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  dl->AddRect(m.canvas.p0, m.canvas.p1, frame);
  for (float v : {0.0f, 1.0f}) {
    char label[16];
    std::snprintf(label, sizeof label, "%g", double(v));
    if (v >= m.x0 && v <= m.x1) {
      ImVec2 s = m.to_screen(v, m.y0);
      dl->AddLine(ImVec2(s.x, s.y - 4), s, frame);
      dl->AddText(ImVec2(s.x + 2, s.y - ImGui::GetFontSize() - 2), text, label);
    }
    if (v >= m.y0 && v <= m.y1) {
      ImVec2 s = m.to_screen(m.x0, v);
      dl->AddLine(s, ImVec2(s.x + 4, s.y), frame);
      dl->AddText(ImVec2(s.x + 6, s.y - ImGui::GetFontSize()), text, label);
    }
  }
}

void line_plot(const char* id, const std::vector<float>& x, const std::vector<Series>& series, float height,
               bool log_y, const char* x_label) {
  ImGui::PushID(id);
  const float width = ImGui::GetContentRegionAvail().x;
  Canvas c = reserve_canvas("plot", width, height);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(c.p0, c.p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  dl->AddRect(c.p0, c.p1, ImGui::GetColorU32(ImGuiCol_Border));

  auto value = [&](float v) { return log_y ? (v > 0 ? std::log10(v) : NAN) : v; };
  float lo = INFINITY, hi = -INFINITY;
  for (const Series& s : series)
    for (float v : *s.y) {
      float t = value(v);
      if (std::isfinite(t)) {
        lo = std::min(lo, t);
        hi = std::max(hi, t);
      }
    }
  const bool has_data = x.size() >= 1 && std::isfinite(lo);
  if (!has_data) {
    dl->AddText(ImVec2(c.p0.x + 6, c.p0.y + 6), ImGui::GetColorU32(ImGuiCol_TextDisabled), tr("no data yet"));
    ImGui::PopID();
    return;
  }
  if (hi - lo < 1e-6f) {
    lo -= 0.5f;
    hi += 0.5f;
  }
  const float xmin = x.front(), xmax = x.back() > x.front() ? x.back() : x.front() + 1;
  const float pad = 4.0f;
  auto to_screen = [&](float xv, float yv) {
    return ImVec2(c.p0.x + pad + (xv - xmin) / (xmax - xmin) * (c.width() - 2 * pad),
                  c.p1.y - pad - (yv - lo) / (hi - lo) * (c.height() - 2 * pad));
  };
  dl->PushClipRect(c.p0, c.p1, true);
  for (const Series& s : series) {
    std::vector<ImVec2> pts;
    auto flush = [&] {
      if (pts.size() >= 2) dl->AddPolyline(pts.data(), int(pts.size()), s.color, 0, 1.5f);
      pts.clear();
    };
    for (size_t i = 0; i < x.size() && i < s.y->size(); ++i) {
      float t = value((*s.y)[i]);
      if (!std::isfinite(t)) {
        flush();
        continue;
      }
      pts.push_back(to_screen(x[i], t));
    }
    if (pts.size() == 1) dl->AddCircleFilled(pts[0], 2.0f, s.color);
    flush();
  }
  dl->PopClipRect();

  // Axis labels: the y range at the corners, x range below.
  char buf[64];
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  auto y_text = [&](float t) { return log_y ? std::pow(10.0f, t) : t; };
  std::snprintf(buf, sizeof buf, "%.3g", double(y_text(hi)));
  dl->AddText(ImVec2(c.p0.x + 4, c.p0.y + 2), text, buf);
  std::snprintf(buf, sizeof buf, "%.3g", double(y_text(lo)));
  dl->AddText(ImVec2(c.p0.x + 4, c.p1.y - ImGui::GetFontSize() - 2), text, buf);

  if (c.hovered) {
    float mx = ImGui::GetIO().MousePos.x;
    float xv = xmin + (mx - c.p0.x - pad) / (c.width() - 2 * pad) * (xmax - xmin);
    size_t best = 0;
    for (size_t i = 1; i < x.size(); ++i)
      if (std::fabs(x[i] - xv) < std::fabs(x[best] - xv)) best = i;
    ImVec2 top = to_screen(x[best], hi), bottom = to_screen(x[best], lo);
    dl->AddLine(top, bottom, text);
    ImGui::BeginTooltip();
    ImGui::Text("%s %g", x_label, double(x[best]));
    for (const Series& s : series)
      if (best < s.y->size()) {
        ImGui::PushStyleColor(ImGuiCol_Text, s.color);
        ImGui::Text("%s: %.5g", s.label.c_str(), double((*s.y)[best]));
        ImGui::PopStyleColor();
      }
    ImGui::EndTooltip();
  }

  // Legend on one wrapped line under the plot.
  for (size_t i = 0; i < series.size(); ++i) {
    if (i) ImGui::SameLine();
    colored_text(series[i].color, ("-- " + series[i].label).c_str());
  }
  std::snprintf(buf, sizeof buf, "%s %g .. %g%s", x_label, double(xmin), double(x.back()), log_y ? tr(", log scale") : "");
  ImGui::TextDisabled("%s", buf);
  ImGui::PopID();
}

void colored_text(ImU32 col, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, col);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

}  // namespace nnplay::ui
