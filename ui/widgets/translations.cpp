// Looking up the current language's text (see translations.h).
#include "widgets/translations.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>
#include <unordered_map>

namespace nnplay::ui {

namespace {

Lang g_lang = Lang::En;

using Table = std::unordered_map<std::string_view, const char*>;

const Table& table() {
  static const Table t = [] {
    Table m;
    for (const auto& [en, ko] : korean_strings()) m.emplace(en, ko);
    return m;
  }();
  return t;
}

// Labels with an "##id" suffix: the translated visible part joined to the same id, kept
// here so that the returned pointer stays valid.
const char* with_id(const char* english, size_t hashes) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::unique_ptr<std::string>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[english];
  if (!slot) {
    const std::string visible(english, hashes);
    auto it = table().find(visible);
    slot = std::make_unique<std::string>((it == table().end() ? visible : std::string(it->second)) +
                                         std::string(english + hashes));
  }
  return slot->c_str();
}

void add_utf8(std::set<unsigned>& out, const char* s) {
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(s); *p;) {
    unsigned c = *p;
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    c = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    ++p;
    for (int i = 0; i < extra && *p; ++i, ++p) c = (c << 6) | (*p & 0x3F);
    out.insert(c);
  }
}

}  // namespace

const char* lang_key(Lang l) { return l == Lang::Ko ? "ko" : "en"; }

Lang lang_from_locale(const std::string& locale) {
  return locale.size() >= 2 && (locale[0] == 'k' || locale[0] == 'K') && (locale[1] == 'o' || locale[1] == 'O') &&
                 (locale.size() == 2 || locale[2] == '-' || locale[2] == '_' || locale[2] == '.')
             ? Lang::Ko
             : Lang::En;
}

void set_language(Lang l) { g_lang = l; }
Lang language() { return g_lang; }

const char* tr(const char* english) {
  if (g_lang == Lang::En || english == nullptr) return english;
  const std::string_view s(english);
  const size_t hashes = s.find("##");
  if (hashes != std::string_view::npos) return with_id(english, hashes);
  auto it = table().find(s);
  return it == table().end() ? english : it->second;
}

std::string trf(const char* english_format, ...) {
  char buf[1024];
  va_list args;
  va_start(args, english_format);
  std::vsnprintf(buf, sizeof buf, tr(english_format), args);
  va_end(args);
  return buf;
}

std::vector<unsigned> string_code_points() {
  std::set<unsigned> points;
  for (unsigned c = 0x20; c < 0x7F; ++c) points.insert(c);
  for (const auto& [en, ko] : korean_strings()) {
    add_utf8(points, en);
    add_utf8(points, ko);
  }
  return {points.begin(), points.end()};
}

}  // namespace nnplay::ui
