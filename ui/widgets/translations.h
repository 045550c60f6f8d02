// Every string the app shows, in English and Korean, from one table (translations_ko.cpp).
// Code writes the English text and wraps it in tr(), gettext style: tr("Train") is
// "Train" in English and "학습" in Korean. An ImGui label's "##id" suffix is kept as it
// is, so widget ids do not change with the language. A tests' scan of the sources checks
// that every tr("...") has a Korean entry, and the page's font atlas is built from the
// table's code points.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace nnplay::ui {

enum class Lang { En, Ko };

const char* lang_key(Lang l);  // "en", "ko"
// "ko", "ko-KR", "ko_KR.UTF-8" -> Ko; anything else -> En (the browser's or the system's
// language setting).
Lang lang_from_locale(const std::string& locale);

void set_language(Lang l);
Lang language();

// The current language's text for an English source string (the string itself when the
// language is English or no translation exists). The pointer stays valid.
const char* tr(const char* english);
// tr() then snprintf-style formatting.
std::string trf(const char* english_format, ...);

// The Korean table: (English, Korean) pairs, the shell's (translations_ko.cpp) and each
// panel's own (translations_ko_<panel>.cpp) joined.
using KoreanTable = std::vector<std::pair<const char*, const char*>>;
const KoreanTable& korean_strings();
const KoreanTable& korean_gates();
const KoreanTable& korean_loss_lab();
const KoreanTable& korean_network_lab();
const KoreanTable& korean_mnist();
const KoreanTable& korean_step();

// Every code point the app's strings use in either language, sorted, for the font atlas.
std::vector<unsigned> string_code_points();

}  // namespace nnplay::ui
