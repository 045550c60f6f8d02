// The app's type: Noto Sans for Latin text with Nanum Gothic merged in for Korean, from
// Debian's font packages, subset at build time to the code points the string table uses
// (so the page's download stays small) and rasterised at the screen's pixel density.
// Both mains call load_fonts(); without the font files it falls back to ImGui's built-in
// bitmap font and says so.
#pragma once

#include <string>

namespace nnplay::ui {

// Adds the fonts from dir (latin.ttf, korean.ttf) to the current ImGui context's atlas at
// size_px pixels. Returns "" on success, else why the built-in font is used instead.
std::string load_fonts(const std::string& dir, float size_px);

// Whether every code point of the string table has a glyph in the loaded atlas (tests);
// missing receives the first one that does not.
bool atlas_covers_strings(unsigned* missing = nullptr);

}  // namespace nnplay::ui
