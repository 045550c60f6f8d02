// A minimal JSON writer for test_state_json: objects, arrays, strings, numbers, bools.
// Non-finite numbers become null (JSON has no NaN or infinity) so that a broken value
// still yields valid JSON that a test can read and flag. No parsing: writing is all the
// front end needs, and it must build for the browser without extra dependencies.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace nnplay::ui {

class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(const std::string& k) {
    separate();
    string_literal(k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonWriter& value(const std::string& s) {
    separate();
    string_literal(s);
    return *this;
  }
  JsonWriter& value(const char* s) { return value(std::string(s)); }
  JsonWriter& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& value(double d) {
    separate();
    if (!std::isfinite(d)) {
      out_ += "null";
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.9g", d);
      out_ += buf;
    }
    return *this;
  }
  JsonWriter& value(float f) { return value(double(f)); }
  JsonWriter& value(int i) { return value(int64_t(i)); }
  JsonWriter& value(int64_t i) {
    separate();
    out_ += std::to_string(i);
    return *this;
  }
  JsonWriter& value(uint64_t u) {
    separate();
    out_ += std::to_string(u);
    return *this;
  }
  template <typename T>
  JsonWriter& value(const std::vector<T>& v) {
    begin_array();
    for (const T& x : v) value(x);
    return end_array();
  }
  template <typename T>
  JsonWriter& field(const std::string& k, const T& v) {
    key(k);
    return value(v);
  }
  const std::string& str() const { return out_; }

 private:
  JsonWriter& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  // A comma before every element but the first, and none right after a key.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_ += ',';
    first_ = false;
  }
  void string_literal(const std::string& s) {
    out_ += '"';
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += char(c);
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out_ += buf;
      } else {
        out_ += char(c);
      }
    }
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace nnplay::ui
