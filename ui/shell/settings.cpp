// The settings string: a table of keys, each with a parser that validates its value and
// a formatter, so parse and format cannot drift apart.
#include "shell/settings.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "nnplay/error.h"
#include "mnist/mnist_model.h"
#include "nnplay/layers.h"

namespace nnplay::ui {

namespace {

// ---------------------------------------------------------------------------------------
// Value parsers: return false on anything that is not entirely a valid value.

bool parse_float(const std::string& text, float lo, float hi, float& out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v)) return false;
  if (v < lo || v > hi) return false;
  out = static_cast<float>(v);
  return true;
}

bool parse_u64(const std::string& text, uint64_t& out) {
  if (text.empty() || text[0] == '-' || text[0] == '+') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size()) return false;
  out = v;
  return true;
}

bool parse_int(const std::string& text, int lo, int hi, int& out) {
  uint64_t v = 0;
  if (!parse_u64(text, v) || v < uint64_t(lo < 0 ? 0 : lo) || v > uint64_t(hi)) return false;
  out = static_cast<int>(v);
  return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return parts;
}

std::string range_text(float lo, float hi) {
  std::string text = "[";
  text += format_float(lo);
  text += ", ";
  text += format_float(hi);
  text += "]";
  return text;
}

// ---------------------------------------------------------------------------------------
// The key table. Accessors are generic lambdas (auto& s) so one accessor serves both the
// parser (Settings&) and the formatter (const Settings&).

struct Key {
  const char* name;
  // Returns "" on success or what is wrong with the value.
  std::function<std::string(Settings&, const std::string&)> parse;
  // Writes the value text; returns false when the key is left out (an unedited default).
  std::function<bool(const Settings&, std::string&)> format;
};

template <typename Get>
Key float_setting(const char* name, float lo, float hi, Get get) {
  return Key{name,
             [=](Settings& s, const std::string& v) -> std::string {
               float f = 0;
               if (!parse_float(v, lo, hi, f)) return "must be a number in " + range_text(lo, hi);
               get(s) = f;
               return "";
             },
             [=](const Settings& s, std::string& out) {
               out = format_float(get(s));
               return true;
             }};
}

template <typename Get>
Key seed_setting(const char* name, Get get) {
  return Key{name,
             [=](Settings& s, const std::string& v) -> std::string {
               uint64_t u = 0;
               if (!parse_u64(v, u)) return "must be a whole number from 0 to 18446744073709551615";
               get(s) = u;
               return "";
             },
             [=](const Settings& s, std::string& out) {
               out = std::to_string(get(s));
               return true;
             }};
}

template <typename Get>
Key int_setting(const char* name, int lo, int hi, Get get) {
  return Key{name,
             [=](Settings& s, const std::string& v) -> std::string {
               int i = 0;
               if (!parse_int(v, lo, hi, i))
                 return "must be a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
               get(s) = i;
               return "";
             },
             [=](const Settings& s, std::string& out) {
               out = std::to_string(get(s));
               return true;
             }};
}

std::string parse_layers(const std::string& v, std::vector<int64_t>& out) {
  std::vector<int64_t> sizes;
  try {
    sizes = ModelSpec::parse_sizes(v);
  } catch (const Error&) {
    return "must be widths joined by '-', like 2-10-10-10-1";
  }
  if (sizes.size() < 2 || sizes.front() != 2 || sizes.back() != 1)
    return "must start with 2 (the two input coordinates) and end with 1 (the one sigmoid output)";
  if (sizes.size() - 2 > size_t(kMaxHiddenLayers))
    return "at most " + std::to_string(kMaxHiddenLayers) + " hidden layers";
  for (size_t i = 1; i + 1 < sizes.size(); ++i)
    if (sizes[i] < 1 || sizes[i] > kMaxWidth) return "hidden widths must be in [1, " + std::to_string(kMaxWidth) + "]";
  out = sizes;
  return "";
}

Lang g_default_lang = Lang::En;

// Control names: lowercase letters, digits and '_' (at most 32 of them, 32 characters each).
std::string parse_hidden(const std::string& v, std::vector<std::string>& out) {
  std::vector<std::string> names;
  for (const std::string& n : split(v, ',')) {
    if (n.empty()) continue;
    if (n.size() > 32) return "control names are at most 32 characters";
    for (char c : n)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
        return "control names are lowercase letters, digits and '_'";
    names.push_back(n);
  }
  if (names.size() > 32) return "at most 32 controls can be hidden";
  out = names;
  return "";
}

const std::vector<Key>& keys() {
  static const std::vector<Key> table = {
      {"panel",
       [](Settings& s, const std::string& v) -> std::string {
         for (PanelId p : {PanelId::Gates, PanelId::LossLab, PanelId::Network, PanelId::Mnist, PanelId::OneStep})
           if (v == panel_key(p)) {
             s.panel = p;
             return "";
           }
         return "must be gates, loss, network, mnist or step";
       },
       [](const Settings& s, std::string& out) {
         out = panel_key(s.panel);
         return true;
       }},
      {"lang",
       [](Settings& s, const std::string& v) -> std::string {
         if (v != "en" && v != "ko") return "must be en or ko";
         s.lang = v == "ko" ? Lang::Ko : Lang::En;
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = lang_key(s.lang);
         return s.lang != g_default_lang;
       }},
      {"solo",
       [](Settings& s, const std::string& v) -> std::string {
         if (v != "0" && v != "1") return "must be 0 or 1";
         s.solo = v == "1";
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = "1";
         return s.solo;
       }},
      {"hide", [](Settings& s, const std::string& v) -> std::string { return parse_hidden(v, s.hidden); },
       [](const Settings& s, std::string& out) {
         for (const std::string& n : s.hidden) out += (out.empty() ? "" : ",") + n;
         return !s.hidden.empty();
       }},
      // --- Perceptron & gates
      {"gate",
       [](Settings& s, const std::string& v) -> std::string {
         try {
           s.gates.gate = parse_gate(v);
         } catch (const Error&) {
           return "must be and, nand, or or xor";
         }
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = gate_name(s.gates.gate);
         for (char& c : out) c = char(c - 'A' + 'a');
         return true;
       }},
      float_setting("w1", -kWeightLimit, kWeightLimit, [](auto& s) -> auto& { return s.gates.w1; }),
      float_setting("w2", -kWeightLimit, kWeightLimit, [](auto& s) -> auto& { return s.gates.w2; }),
      float_setting("b", -kWeightLimit, kWeightLimit, [](auto& s) -> auto& { return s.gates.b; }),
      float_setting("plr", 0.01f, kMaxPerceptronLr, [](auto& s) -> auto& { return s.gates.perceptron_lr; }),
      float_setting("xlr", 0.01f, 10.0f, [](auto& s) -> auto& { return s.gates.xor_lr; }),
      seed_setting("xseed", [](auto& s) -> auto& { return s.gates.xor_seed; }),
      // --- Loss lab
      seed_setting("lseed", [](auto& s) -> auto& { return s.loss.seed; }),
      float_setting("scale", 1.0f, kMaxScale, [](auto& s) -> auto& { return s.loss.scale; }),
      {"logits",
       [](Settings& s, const std::string& v) -> std::string {
         std::vector<std::string> parts = split(v, ',');
         if (parts.size() != size_t(kLogitRows * kLogitCols))
           return "must be " + std::to_string(kLogitRows * kLogitCols) + " numbers separated by ','";
         std::vector<float> z;
         for (const std::string& p : parts) {
           float f = 0;
           if (!parse_float(p, -100.0f, 100.0f, f)) return "each logit must be a number in [-100, 100]";
           z.push_back(f);
         }
         s.loss.logits = z;
         return "";
       },
       [](const Settings& s, std::string& out) {
         if (s.loss.logits.empty()) return false;
         for (size_t i = 0; i < s.loss.logits.size(); ++i) {
           if (i) out += ',';
           out += format_float(s.loss.logits[i]);
         }
         return true;
       }},
      {"labels",
       [](Settings& s, const std::string& v) -> std::string {
         std::vector<std::string> parts = split(v, '-');
         if (parts.size() != size_t(kLogitRows)) return "must be " + std::to_string(kLogitRows) + " classes joined by '-'";
         std::vector<int32_t> y;
         for (const std::string& p : parts) {
           int c = 0;
           if (!parse_int(p, 0, kLogitCols - 1, c))
             return "each label must be a class in [0, " + std::to_string(kLogitCols - 1) + "]";
           y.push_back(c);
         }
         s.loss.labels = y;
         return "";
       },
       [](const Settings& s, std::string& out) {
         if (s.loss.labels.empty()) return false;
         for (size_t i = 0; i < s.loss.labels.size(); ++i) {
           if (i) out += '-';
           out += std::to_string(s.loss.labels[i]);
         }
         return true;
       }},
      // --- Network lab
      {"dataset",
       [](Settings& s, const std::string& v) -> std::string {
         try {
           s.network.dataset = parse_toy2d(v);
         } catch (const Error&) {
           return "must be xor, circle, xor-quadrants, gaussians or spiral";
         }
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = toy2d_name(s.network.dataset);
         return true;
       }},
      int_setting("points", kToy2DMinCount, kToy2DMaxCount, [](auto& s) -> auto& { return s.network.points; }),
      float_setting("noise", 0.0f, 1.0f, [](auto& s) -> auto& { return s.network.noise; }),
      float_setting("test", 0.0f, 0.9f, [](auto& s) -> auto& { return s.network.test_fraction; }),
      {"layers", [](Settings& s, const std::string& v) { return parse_layers(v, s.network.layers); },
       [](const Settings& s, std::string& out) {
         out = format_layers(s.network.layers);
         return true;
       }},
      {"act",
       [](Settings& s, const std::string& v) -> std::string {
         for (Activation a : {Activation::Sigmoid, Activation::Tanh, Activation::ReLU})
           if (v == activation_name(a)) {
             s.network.activation = a;
             return "";
           }
         return "must be sigmoid, tanh or relu";
       },
       [](const Settings& s, std::string& out) {
         out = activation_name(s.network.activation);
         return true;
       }},
      {"loss",
       [](Settings& s, const std::string& v) -> std::string {
         for (LossKind k : {LossKind::BCE, LossKind::MSE})
           if (v == loss_name(k)) {
             s.network.loss = k;
             return "";
           }
         return "must be bce or mse (the network has one sigmoid output)";
       },
       [](const Settings& s, std::string& out) {
         out = loss_name(s.network.loss);
         return true;
       }},
      {"opt",
       [](Settings& s, const std::string& v) -> std::string {
         if (v != "sgd" && v != "adam") return "must be sgd or adam";
         s.network.optimizer = v;
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = s.network.optimizer;
         return true;
       }},
      float_setting("lr", 1e-4f, 10.0f, [](auto& s) -> auto& { return s.network.lr; }),
      int_setting("batch", 0, kMaxBatch, [](auto& s) -> auto& { return s.network.batch; }),
      seed_setting("seed", [](auto& s) -> auto& { return s.network.seed; }),
      int_setting("epochs", 1, kMaxEpochs, [](auto& s) -> auto& { return s.network.epochs; }),
      int_setting("speed", 0, kMaxSpeed, [](auto& s) -> auto& { return s.network.speed; }),
      // --- MNIST
      {"mlayers", [](Settings& s, const std::string& v) { return parse_mnist_model(v, s.mnist); },
       [](const Settings& s, std::string& out) {
         out = format_mnist_model(s.mnist);
         return true;
       }},
      {"mact",
       [](Settings& s, const std::string& v) -> std::string {
         for (Activation a : {Activation::ReLU, Activation::Sigmoid, Activation::Tanh})
           if (v == activation_name(a)) {
             s.mnist.activation = a;
             return "";
           }
         return "must be relu, sigmoid or tanh";
       },
       [](const Settings& s, std::string& out) {
         out = activation_name(s.mnist.activation);
         return true;
       }},
      {"mopt",
       [](Settings& s, const std::string& v) -> std::string {
         if (v != "sgd" && v != "adam") return "must be sgd or adam";
         s.mnist.optimizer = v;
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = s.mnist.optimizer;
         return true;
       }},
      float_setting("mlr", 1e-5f, 10.0f, [](auto& s) -> auto& { return s.mnist.lr; }),
      int_setting("mbatch", 1, kMnistMaxBatch, [](auto& s) -> auto& { return s.mnist.batch; }),
      int_setting("mepochs", 1, kMnistMaxEpochs, [](auto& s) -> auto& { return s.mnist.epochs; }),
      seed_setting("mseed", [](auto& s) -> auto& { return s.mnist.seed; }),
      int_setting("mtrain", 0, kMnistMaxImages, [](auto& s) -> auto& { return s.mnist.train; }),
      int_setting("mtest", 0, kMnistMaxImages, [](auto& s) -> auto& { return s.mnist.test; }),
      {"mdevice",
       [](Settings& s, const std::string& v) -> std::string {
         if (v != "cpu" && v != "cuda" && v != "auto") return "must be cpu, cuda or auto";
         s.mnist.device = v;
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = s.mnist.device;
         return true;
       }},
      {"mdata",
       [](Settings& s, const std::string& v) -> std::string {
         s.mnist.data = v;
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = s.mnist.data;
         return !out.empty();
       }},
      {"weights",
       [](Settings& s, const std::string& v) -> std::string {
         s.mnist.weights = v;
         return "";
       },
       [](const Settings& s, std::string& out) {
         out = s.mnist.weights;
         return !out.empty();
       }},
  };
  return table;
}

}  // namespace






// A value from outside as a warning shows it: at most 60 bytes, and only printable ASCII
// (a link may hold anything, and the warning is drawn and logged).
static std::string shown_value(const std::string& v) {
  std::string out;
  for (char c : v.substr(0, 60)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  if (v.size() > 60) out += "... (" + std::to_string(v.size()) + " bytes)";
  return out;
}

std::string apply_setting(Settings& s, const std::string& key, const std::string& value) {
  for (const Key& k : keys()) {
    if (key != k.name) continue;
    std::string problem = k.parse(s, value);
    if (problem.empty()) return "";
    return "setting '" + key + "=" + shown_value(value) + "' ignored: " + problem;
  }
  return "unknown setting '" + shown_value(key) + "' ignored";
}

void set_default_lang(Lang l) { g_default_lang = l; }
Lang default_lang() { return g_default_lang; }

Settings parse_settings(const std::string& query, std::vector<std::string>& warnings) {
  Settings s;
  s.lang = g_default_lang;
  std::string q = query;
  if (!q.empty() && q[0] == '?') q.erase(0, 1);  // tolerate a pasted "?a=b"
  if (q.empty()) return s;
  for (const std::string& pair : split(q, '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string::npos) {
      warnings.push_back("setting '" + shown_value(url_decode(pair)) + "' ignored: expected key=value");
      continue;
    }
    std::string problem = apply_setting(s, url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
    if (!problem.empty()) warnings.push_back(problem);
  }
  return s;
}

std::string format_settings(const Settings& s) {
  std::string out;
  for (const Key& k : keys()) {
    std::string value;
    if (!k.format(s, value)) continue;
    if (!out.empty()) out += '&';
    out += k.name;
    out += '=';
    out += url_encode(value);
  }
  return out;
}

}  // namespace nnplay::ui
