// Korean and English: every string the UI's sources pass to tr() or trf() has a Korean
// entry with the same format directives, no entry is given twice, and the fonts the app
// loads have a glyph for every code point the strings use (no missing-glyph boxes).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "widgets/fonts.h"
#include "imgui.h"
#include "widgets/translations.h"

using namespace nnplay::ui;

namespace {

// The English strings the sources translate: the literal first argument of tr(...) and
// trf(...), with its "##id" suffix removed (tr keeps the id as it is).
std::set<std::string> translated_in_sources() {
  std::set<std::string> found;
  const std::regex call(R"(\btrf?\(\s*"((?:[^"\\]|\\.)*)\")");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(NNPLAY_SOURCE_DIR "/ui")) {
    if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
    if (entry.path().filename().string().rfind("translations", 0) == 0) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string src = text.str();
    for (auto it = std::sregex_iterator(src.begin(), src.end(), call); it != std::sregex_iterator(); ++it) {
      std::string s = (*it)[1].str();
      // The escapes the UI's strings use.
      for (size_t at; (at = s.find("\\\"")) != std::string::npos;) s.replace(at, 2, "\"");
      for (size_t at; (at = s.find("\\n")) != std::string::npos;) s.replace(at, 2, "\n");
      if (const size_t hashes = s.find("##"); hashes != std::string::npos) s.resize(hashes);
      found.insert(s);
    }
  }
  return found;
}

std::string directives(const std::string& s) {
  static const std::regex spec(R"(%[-+ #0]*\d*(?:\.\d+)?[a-zA-Z%])");
  std::string out;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), spec); it != std::sregex_iterator(); ++it)
    out += it->str() + " ";
  return out;
}

}  // namespace

TEST(Translations, EveryTranslatedStringHasKoreanWithTheSameFormat) {
  std::map<std::string, std::string> ko;
  for (const auto& [en, k] : korean_strings()) {
    EXPECT_TRUE(ko.emplace(en, k).second) << "given twice: " << en;
    EXPECT_EQ(directives(en), directives(k)) << en << " -> " << k;
    EXPECT_FALSE(std::string(k).empty()) << en;
  }
  const std::set<std::string> used = translated_in_sources();
  EXPECT_GT(used.size(), 20u) << "the scan found the UI's strings";
  for (const std::string& en : used) EXPECT_TRUE(ko.count(en)) << "no Korean for: \"" << en << "\"";
}

TEST(Translations, LanguageSwitchesAndIdsStay) {
  set_language(Lang::Ko);
  EXPECT_STREQ(tr("Train"), "학습");
  EXPECT_STREQ(tr("Train##network"), "학습##network");
  EXPECT_STREQ(tr("no such string"), "no such string");
  set_language(Lang::En);
  EXPECT_STREQ(tr("Train##network"), "Train##network");
  EXPECT_EQ(lang_from_locale("ko-KR"), Lang::Ko);
  EXPECT_EQ(lang_from_locale("ko_KR.UTF-8"), Lang::Ko);
  EXPECT_EQ(lang_from_locale("en-US"), Lang::En);
  EXPECT_EQ(lang_from_locale("kok"), Lang::En);
  EXPECT_EQ(lang_from_locale(""), Lang::En);
}

TEST(Translations, TheFontsHaveEveryGlyphTheStringsUse) {
  ImGui::CreateContext();
  EXPECT_EQ(load_fonts(NNPLAY_FONT_DIR, 15.0f), "");
  unsigned missing = 0;
  EXPECT_TRUE(atlas_covers_strings(&missing)) << "no glyph for U+" << std::hex << missing;
  ImGui::DestroyContext();
}
