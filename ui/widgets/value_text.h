// Numbers and lists as text, the same way everywhere: in the settings string, in the
// panels' labels and in the state report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnplay::ui {

std::string format_float(float v);  // shortest text that reads back to exactly v
std::string url_decode(const std::string& s);
std::string url_encode(const std::string& s);
std::string format_layers(const std::vector<int64_t>& layers);  // "2-10-10-10-1"

}  // namespace nnplay::ui
