// Numbers and lists as text (see value_text.h).
#include "widgets/value_text.h"

#include "widgets/panel_context.h"

#include <cstdio>
#include <cstdlib>

namespace nnplay::ui {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string format_float(float v) {
  // The shortest %g that reads back as the same float: 0.1 stays "0.1", not "0.100000001".
  char buf[32];
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, double(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return buf;
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += char(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.' || c == '~' || c == ',';
    if (plain) {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string format_layers(const std::vector<int64_t>& layers) {
  std::string out;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (i) out += '-';
    out += std::to_string(layers[i]);
  }
  return out;
}

const char* panel_key(PanelId p) {
  switch (p) {
    case PanelId::Gates: return "gates";
    case PanelId::LossLab: return "loss";
    case PanelId::Network: return "network";
    case PanelId::Mnist: return "mnist";
    case PanelId::OneStep: return "step";
  }
  return "?";
}

}  // namespace nnplay::ui
