// Layer lists: parsing, the canonical text, and the module plan every Sequential is built
// from (see layer_list.h).
#include "nnplay/layer_list.h"

#include <cstdio>
#include <cstdlib>
#include <limits>

#include "nnplay/error.h"
#include "nnplay/layers.h"

namespace nnplay {

namespace {

constexpr const char* kForms =
    "convKxKxC[/sS][pP], poolK[/sS], fcN, dropoutP, flatten, relu, tanh or sigmoid, e.g. "
    "conv5x5x16,pool2,conv3x3x32,pool2,fc128,fc10";

// Reads a positive integer at s[i..]; false when there is none (or it is absurdly large).
bool read_int(const std::string& s, size_t& i, int64_t& v) {
  size_t start = i;
  v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    v = v * 10 + (s[i] - '0');
    if (++i - start > 6) return false;
  }
  return i > start;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Parses "[/sS][pP]" modifiers from s[i..] (a '/' before each is optional); pool takes no padding.
bool read_modifiers(const std::string& s, size_t i, LayerDesc& d, bool allow_padding) {
  bool seen_s = false, seen_p = false;
  while (i < s.size()) {
    if (s[i] == '/') ++i;
    if (i >= s.size()) return false;
    char c = s[i++];
    int64_t v = 0;
    if (!read_int(s, i, v)) return false;
    if (c == 's' && !seen_s && v > 0) {
      d.stride = v;
      seen_s = true;
    } else if (c == 'p' && !seen_p && allow_padding) {
      d.padding = v;
      seen_p = true;
    } else {
      return false;
    }
  }
  return true;
}

bool parse_token(const std::string& t, LayerDesc& d) {
  size_t i = 0;
  if (t == "flatten") {
    d.kind = LayerKind::Flatten;
    return true;
  }
  for (Activation a : {Activation::ReLU, Activation::Tanh, Activation::Sigmoid})
    if (t == activation_name(a)) {
      d.kind = LayerKind::Activation;
      d.act = a;
      return true;
    }
  if (starts_with(t, "conv")) {
    d.kind = LayerKind::Conv2d;
    i = 4;
    int64_t a = 0, b = 0, c = 0;
    if (!read_int(t, i, a) || i >= t.size() || t[i++] != 'x' || !read_int(t, i, b)) return false;
    if (i < t.size() && t[i] == 'x') {
      ++i;
      if (!read_int(t, i, c)) return false;
      d.kh = a, d.kw = b, d.out = c;
    } else {
      d.kh = d.kw = a, d.out = b;  // convKxC: a square kernel
    }
    if (d.kh <= 0 || d.kw <= 0 || d.out <= 0) return false;
    return read_modifiers(t, i, d, true);
  }
  if (starts_with(t, "pool")) {
    d.kind = LayerKind::MaxPool2d;
    i = 4;
    if (!read_int(t, i, d.kh) || d.kh <= 0) return false;
    d.kw = d.kh;
    d.stride = d.kh;
    return read_modifiers(t, i, d, false);
  }
  if (starts_with(t, "fc")) {
    d.kind = LayerKind::Linear;
    i = 2;
    return read_int(t, i, d.out) && d.out > 0 && i == t.size();
  }
  if (starts_with(t, "dropout")) {
    d.kind = LayerKind::Dropout;
    const std::string num = t.substr(7);
    if (num.empty() || num.find_first_not_of("0123456789.") != std::string::npos) return false;
    char* end = nullptr;
    const double p = std::strtod(num.c_str(), &end);
    // The float it is kept as must be below 1 too: 0.99999999 rounds to 1, and a dropout
    // of 1 would scale what it keeps by 1 / (1 - p), an infinity.
    if (*end != '\0' || !(p >= 0.0 && float(p) < 1.0f)) return false;
    d.p = float(p);
    return true;
  }
  return false;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

int64_t out_size(int64_t in, int64_t k, int64_t stride, int64_t padding) {
  return (in + 2 * padding - k) / stride + 1;
}

}  // namespace

std::string LayerDesc::token() const {
  switch (kind) {
    case LayerKind::Conv2d: {
      std::string s = "conv" + std::to_string(kh) + "x" + std::to_string(kw) + "x" + std::to_string(out);
      if (stride != 1 || padding != 0) s += "/";
      if (stride != 1) s += "s" + std::to_string(stride);
      if (padding != 0) s += "p" + std::to_string(padding);
      return s;
    }
    case LayerKind::MaxPool2d:
      return "pool" + std::to_string(kh) + (stride != kh ? "/s" + std::to_string(stride) : "");
    case LayerKind::Flatten: return "flatten";
    case LayerKind::Linear: return "fc" + std::to_string(out);
    case LayerKind::Dropout: {
      // Plain decimals, since the parser takes digits and a point only ("%g" wrote 1e-05,
      // which did not parse back), with the fewest that read back as the same float (six
      // significant digits changed 0.1234567). 50 decimals reach the smallest float.
      if (p == 0.0f) return "dropout0";
      char buf[64];
      for (int decimals = 1; decimals <= 50; ++decimals) {
        std::snprintf(buf, sizeof buf, "%.*f", decimals, double(p));
        if (float(std::strtod(buf, nullptr)) == p) break;
      }
      return std::string("dropout") + buf;
    }
    case LayerKind::Activation: return activation_name(act);
  }
  return "?";
}

std::vector<LayerDesc> parse_layer_list(const std::string& text) {
  std::vector<LayerDesc> out;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find(',', i);
    if (j == std::string::npos) j = text.size();
    const std::string token = trim(text.substr(i, j - i));
    LayerDesc d;
    if (!parse_token(token, d))
      throw Error("layer list '" + text + "': bad token '" + token + "' (expected " + kForms + ")");
    out.push_back(d);
    i = j + 1;
  }
  if (out.back().kind != LayerKind::Linear)
    throw Error("layer list '" + text + "': the last layer must be fcN (the class scores), not '" + out.back().token() +
                "'");
  return out;
}

std::string format_layer_list(const std::vector<LayerDesc>& layers) {
  std::string s;
  for (const LayerDesc& d : layers) s += (s.empty() ? "" : ",") + d.token();
  return s;
}

std::string shape_text(const Shape& s) {
  std::string t;
  for (int64_t v : s) t += (t.empty() ? "" : "x") + std::to_string(v);
  return t;
}

Shape parse_shape_text(const std::string& text) {
  Shape s;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find('x', i);
    if (j == std::string::npos) j = text.size();
    size_t k = i;
    int64_t v = 0;
    if (!read_int(text, k, v) || k != j || v <= 0)
      throw Error("input shape '" + text + "': expected positive integers separated by 'x', like 1x28x28");
    s.push_back(v);
    i = j + 1;
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// The plan

namespace {

// An MLP described by sizes: Linear, activation, Linear, ... (a bare nn.Linear when it is a
// single layer with nothing after it: its parameters are then "weight" and "bias").
std::vector<ModulePlan> plan_mlp(const ModelSpec& spec) {
  std::vector<ModulePlan> plan;
  const size_t n_linear = spec.sizes.size() - 1;
  const bool bare = n_linear == 1 && spec.output == Activation::None;
  for (size_t i = 0; i < n_linear; ++i) {
    ModulePlan m;
    m.layer.kind = LayerKind::Linear;
    m.layer.out = spec.sizes[i + 1];
    m.in = {spec.sizes[i]};
    m.out = {spec.sizes[i + 1]};
    m.prefix = bare ? "" : std::to_string(plan.size()) + ".";
    m.bias = spec.bias;
    plan.push_back(m);
    Activation after = (i + 1 < n_linear) ? spec.hidden : spec.output;
    if (after != Activation::None) {
      ModulePlan a;
      a.layer.kind = LayerKind::Activation;
      a.layer.act = after;
      a.in = a.out = m.out;
      plan.push_back(a);
    }
  }
  return plan;
}

std::vector<ModulePlan> plan_list(const ModelSpec& spec) {
  const std::vector<LayerDesc> layers = parse_layer_list(spec.layers);
  if (spec.input.empty() || spec.input.size() > 3)
    throw Error("layer list '" + spec.layers + "': the input shape must be {C, H, W} or {features}, got " +
                shape_str(spec.input));
  size_t last_fc = 0;
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].kind == LayerKind::Linear) last_fc = i;

  std::vector<ModulePlan> plan;
  Shape shape = spec.input;
  if (shape.size() == 2) shape.insert(shape.begin(), 1);  // {H, W}: one channel
  Activation act = Activation::ReLU;
  auto fail = [&](const LayerDesc& d, const std::string& why) {
    throw Error("layer list '" + spec.layers + "' on " + shape_text(spec.input) + " inputs: '" + d.token() + "' " + why);
  };
  auto add = [&](const LayerDesc& d, const Shape& out) {
    ModulePlan m;
    m.layer = d;
    m.in = shape;
    m.out = out;
    m.prefix = std::to_string(plan.size()) + ".";
    plan.push_back(m);
    shape = out;
  };
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerDesc& d = layers[i];
    switch (d.kind) {
      case LayerKind::Activation:
        act = d.act;
        break;
      case LayerKind::Conv2d:
      case LayerKind::MaxPool2d: {
        if (shape.size() != 3) fail(d, "needs a [C, H, W] input but follows a flattened one");
        const int64_t pad = d.kind == LayerKind::Conv2d ? d.padding : 0;
        if (shape[1] + 2 * pad < d.kh || shape[2] + 2 * pad < d.kw)
          fail(d, "needs at least " + std::to_string(d.kh) + "x" + std::to_string(d.kw) + " inputs but gets " +
                      std::to_string(shape[1]) + "x" + std::to_string(shape[2]) +
                      (pad ? " (padded by " + std::to_string(pad) + ")" : std::string()));
        if (d.kind == LayerKind::Conv2d && (d.padding >= d.kh || d.padding >= d.kw))
          fail(d, "pads by as much as its kernel: a window could then see only padding");
        const int64_t c = d.kind == LayerKind::Conv2d ? d.out : shape[0];
        add(d, {c, out_size(shape[1], d.kh, d.stride, pad), out_size(shape[2], d.kw, d.stride, pad)});
        if (d.kind == LayerKind::Conv2d) {
          LayerDesc a;
          a.kind = LayerKind::Activation;
          a.act = act;
          add(a, shape);
        }
        break;
      }
      case LayerKind::Flatten:
        add(d, {shape_numel(shape)});
        break;
      case LayerKind::Linear: {
        if (shape.size() != 1) {
          LayerDesc f;
          f.kind = LayerKind::Flatten;
          add(f, {shape_numel(shape)});
        }
        add(d, {d.out});
        if (i != last_fc) {
          LayerDesc a;
          a.kind = LayerKind::Activation;
          a.act = act;
          add(a, shape);
        }
        break;
      }
      case LayerKind::Dropout:
        if (i > last_fc) fail(d, "comes after the last fc; the class scores must be the model's output");
        add(d, shape);
        break;
    }
  }
  return plan;
}

}  // namespace

std::vector<ModulePlan> plan_modules(const ModelSpec& spec) {
  if (spec.is_layer_list()) return plan_list(spec);
  if (spec.sizes.size() < 2) throw Error("Sequential: a model needs at least an input and an output size");
  for (int64_t s : spec.sizes)
    if (s <= 0) throw Error("Sequential: layer sizes must be positive, got " + spec.describe());
  return plan_mlp(spec);
}

namespace {

// Products and sums of sizes, held at the largest int64 instead of overflowing: a layer
// list may ask for more parameters or FLOPs than int64 counts (conv999999x999999x999999/p999998
// on 28x28 images is 2e30 FLOPs), and its cost must still compare as too large with any limit.
constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max();
int64_t mul(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? kMaxCount : r;
}
int64_t add(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? kMaxCount : r;
}
int64_t count(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n = mul(n, d);
  return n;
}

}  // namespace

ModelCost model_cost(const ModelSpec& spec) {
  ModelCost c;
  for (const ModulePlan& m : plan_modules(spec)) {
    if (m.layer.kind == LayerKind::Conv2d) {
      const int64_t fan_in = mul(mul(m.in[0], m.layer.kh), m.layer.kw);
      c.parameters = add(c.parameters, add(mul(m.layer.out, fan_in), m.bias ? m.layer.out : 0));
      c.flops = add(c.flops, mul(mul(2, count(m.out)), fan_in));
    } else if (m.layer.kind == LayerKind::Linear) {
      c.parameters = add(c.parameters, add(mul(m.out[0], m.in[0]), m.bias ? m.out[0] : 0));
      c.flops = add(c.flops, mul(mul(2, m.out[0]), m.in[0]));
    }
  }
  return c;
}

std::string pytorch_modules(const ModelSpec& spec) {
  std::string s;
  for (const ModulePlan& m : plan_modules(spec)) {
    if (!s.empty()) s += ", ";
    const LayerDesc& d = m.layer;
    switch (d.kind) {
      case LayerKind::Conv2d:
        s += "Conv2d(" + std::to_string(m.in[0]) + ", " + std::to_string(d.out) + ", kernel_size=(" +
             std::to_string(d.kh) + ", " + std::to_string(d.kw) + ")";
        if (d.stride != 1) s += ", stride=(" + std::to_string(d.stride) + ", " + std::to_string(d.stride) + ")";
        if (d.padding != 0) s += ", padding=(" + std::to_string(d.padding) + ", " + std::to_string(d.padding) + ")";
        s += ")";
        break;
      case LayerKind::MaxPool2d:
        s += "MaxPool2d(kernel_size=" + std::to_string(d.kh) + ", stride=" + std::to_string(d.stride) + ")";
        break;
      case LayerKind::Flatten: s += "Flatten"; break;
      case LayerKind::Linear:
        s += "Linear(" + std::to_string(m.in[0]) + ", " + std::to_string(d.out) + (m.bias ? ")" : ", bias=False)");
        break;
      case LayerKind::Dropout: s += "Dropout(p=" + d.token().substr(7) + ")"; break;
      case LayerKind::Activation:
        switch (d.act) {
          case Activation::Sigmoid: s += "Sigmoid"; break;
          case Activation::ReLU: s += "ReLU"; break;
          case Activation::Tanh: s += "Tanh"; break;
          case Activation::Step: s += "Step"; break;
          case Activation::None: s += "Identity"; break;
        }
        break;
    }
  }
  return s;
}

}  // namespace nnplay
