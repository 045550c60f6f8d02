// libFuzzer target: the settings string (the page's URL query, the desktop's --settings)
// on arbitrary text. Parsing never fails, so the check is the promise settings.h makes:
// whatever was parsed formats to a string that parses back to the same settings, with no
// warning, and formats to the same string again. Built and run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "shell/settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nnplay::ui;
  const std::string query(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> warnings;
  const Settings first = parse_settings(query, warnings);
  const std::string text = format_settings(first);
  std::vector<std::string> again_warnings;
  const Settings again = parse_settings(text, again_warnings);
  if (nnplay::fuzz::verbose())
    for (const std::string& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (!again_warnings.empty()) std::fprintf(stderr, "fuzz: '%s' -> %s\n", text.c_str(), again_warnings[0].c_str());
  nnplay::fuzz::require(again_warnings.empty(), "formatted settings give a warning when parsed back");
  nnplay::fuzz::require(again == first, "formatted settings parse back to different settings");
  nnplay::fuzz::require(format_settings(again) == text, "formatting is not stable");
  return 0;
}
