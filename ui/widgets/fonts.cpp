// Loading the subset Latin and Korean fonts into ImGui's atlas (see fonts.h).
#include "widgets/fonts.h"

#include <cstdio>
#include <vector>

#include "imgui.h"
#include "widgets/translations.h"

namespace nnplay::ui {

namespace {

bool readable(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  std::fclose(f);
  return true;
}

// Glyph ranges (pairs, zero-terminated): the Latin, Greek, punctuation, arrow and maths
// blocks English text uses, and exactly the string table's other code points (Hangul).
// The subset font files hold only what the sources use, so the atlas stays small.
const ImWchar* ranges_of_strings() {
  static std::vector<ImWchar> ranges = [] {
    std::vector<ImWchar> r = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2000, 0x22FF, 0x2500, 0x25FF};
    for (unsigned c : string_code_points()) {
      if (c <= 0x25FF) continue;
      if (c > 0xFFFF) continue;  // ImWchar is 16 bits in this build
      if (!r.empty() && r.back() + 1 == ImWchar(c)) {
        r.back() = ImWchar(c);
      } else {
        r.push_back(ImWchar(c));
        r.push_back(ImWchar(c));
      }
    }
    r.push_back(0);
    return r;
  }();
  return ranges.data();
}

}  // namespace

std::string load_fonts(const std::string& dir, float size_px) {
  ImGuiIO& io = ImGui::GetIO();
  const std::string latin = dir + "/latin.ttf", korean = dir + "/korean.ttf";
  ImFontConfig cfg;
  cfg.SizePixels = size_px;
  if (!readable(latin) || !readable(korean)) {
    io.Fonts->AddFontDefault(&cfg);
    return "fonts not found in " + dir + ": using the built-in font (Korean text will not show)";
  }
  cfg.OversampleH = 2;  // crisper text at fractional positions
  ImFont* font = io.Fonts->AddFontFromFileTTF(latin.c_str(), size_px, &cfg, ranges_of_strings());
  ImFontConfig merge = cfg;
  merge.MergeMode = true;
  if (!font || !io.Fonts->AddFontFromFileTTF(korean.c_str(), size_px, &merge, ranges_of_strings())) {
    io.Fonts->Clear();
    ImFontConfig plain;
    plain.SizePixels = size_px;
    io.Fonts->AddFontDefault(&plain);
    return "fonts in " + dir + " could not be read: using the built-in font";
  }
  return "";
}

bool atlas_covers_strings(unsigned* missing) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (!atlas->IsBuilt()) {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas->GetTexDataAsAlpha8(&pixels, &w, &h);
  }
  const ImFont* font = atlas->Fonts.empty() ? nullptr : atlas->Fonts[0];
  for (unsigned c : string_code_points()) {
    if (c > 0xFFFF || c == '\n') continue;
    if (!font || !font->FindGlyphNoFallback(ImWchar(c))) {
      if (missing) *missing = c;
      return false;
    }
  }
  return true;
}

}  // namespace nnplay::ui
