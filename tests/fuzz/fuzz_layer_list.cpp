// libFuzzer target: layer lists ("conv5x5x16,pool2,conv3x3x32,pool2,fc128,fc10"), which
// come from outside as the CLI's --layers, the page's and the desktop's mlayers= setting,
// and the layer_list metadata of a weights file. parse_layer_list must give tokens that
// keep their promises (positive sizes, a dropout probability in [0, 1), fc last) or an
// nnplay::Error; its canonical text must parse back to the same layers. On a few input
// shapes, ModelSpec::from_layers must either refuse the list or plan modules whose shapes
// are positive and whose cost can be counted; a small enough model is then built and run
// forward and backward once, so that a plan that was accepted also fits the layers'
// kernels (strides, padding, pooling windows) under the sanitizers. Built and run by
// scripts/fuzz.sh.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "nnplay/backend.h"
#include "nnplay/error.h"
#include "nnplay/layer_list.h"
#include "nnplay/layers.h"
#include "nnplay/rng.h"
#include "nnplay/tensor.h"

namespace {

using namespace nnplay;

bool same_layer(const LayerDesc& a, const LayerDesc& b) {
  return a.kind == b.kind && a.out == b.out && a.kh == b.kh && a.kw == b.kw && a.stride == b.stride &&
         a.padding == b.padding && a.p == b.p && a.act == b.act;
}

void check_tokens(const std::vector<LayerDesc>& layers) {
  fuzz::require(!layers.empty(), "a parsed list has no layers");
  fuzz::require(layers.back().kind == LayerKind::Linear, "a parsed list does not end in fc");
  for (const LayerDesc& d : layers) {
    switch (d.kind) {
      case LayerKind::Conv2d:
        fuzz::require(d.out > 0 && d.kh > 0 && d.kw > 0 && d.stride > 0 && d.padding >= 0, "a conv with a bad size");
        break;
      case LayerKind::MaxPool2d:
        fuzz::require(d.kh > 0 && d.kw == d.kh && d.stride > 0 && d.padding == 0, "a pool with a bad size");
        break;
      case LayerKind::Linear: fuzz::require(d.out > 0, "an fc with no outputs"); break;
      case LayerKind::Dropout:
        // p = 1 would scale the kept elements by 1 / (1 - p), an infinity.
        fuzz::require(d.p >= 0.0f && d.p < 1.0f, "a dropout probability outside [0, 1)");
        break;
      case LayerKind::Flatten:
      case LayerKind::Activation: break;
    }
  }
}

// The shapes a list meets: MNIST's images, a small odd rectangle with three channels, and
// flat inputs (where a conv or pool must be refused).
const std::vector<Shape>& input_shapes() {
  static const std::vector<Shape> shapes = {{1, 28, 28}, {3, 7, 5}, {784}, {2}};
  return shapes;
}

// Models small enough to run on every input in well under the fuzzer's 1 s limit.
constexpr int64_t kRunMaxParameters = 20000;
constexpr int64_t kRunMaxFlops = 2'000'000;
constexpr int64_t kRunMaxElements = 200'000;  // of any module's output, per image

// Elements of a shape, held at kRunMaxElements + 1 (a module's output may be far larger
// than int64 counts: planning does not allocate it, so it is not refused there).
int64_t elements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n = d > 0 && n > (kRunMaxElements + 1) / d ? kRunMaxElements + 1 : n * d;
  return std::min(n, kRunMaxElements + 1);
}

void run_once(const ModelSpec& spec, const std::vector<ModulePlan>& plan) {
  static const std::unique_ptr<Backend> be = make_cpu_backend(1);
  Rng rng(7);
  Sequential model(*be, spec, rng);
  const int64_t n = 2;
  Shape in = {n};
  in.insert(in.end(), spec.input.begin(), spec.input.end());
  Tensor x(*be, in);
  std::vector<float> xs(size_t(shape_numel(in)));
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = float(i % 13) / 13.0f;
  x.from_host(xs);
  model.set_training(true);  // Dropout drops, so its mask and scale are exercised too
  const Tensor& y = model.forward(x);
  const int64_t classes = plan.back().out[0];
  fuzz::require(y.shape() == Shape({n, classes}), "the model's output is not [N, classes]");
  for (float v : y.to_host()) fuzz::require(std::isfinite(v), "a small model's output is not finite");
  Tensor dy(*be, y.shape());
  std::vector<float> ones(size_t(y.numel()), 1.0f);
  dy.from_host(ones);
  model.backward(dy);
  model.set_training(false);
}

void check_plans(const std::string& text, const std::string& canonical) {
  for (const Shape& input : input_shapes()) {
    ModelSpec spec;
    try {
      spec = ModelSpec::from_layers(text, input);
    } catch (const Error& e) {
      fuzz::rejected(e);
      continue;
    }
    fuzz::require(spec.layers == canonical, "from_layers keeps another text than the canonical one");
    const std::vector<ModulePlan> plan = plan_modules(spec);
    fuzz::require(!plan.empty(), "an accepted list plans no modules");
    int64_t largest = 0;
    for (const ModulePlan& m : plan) {
      fuzz::require(!m.in.empty() && !m.out.empty(), "a module without a shape");
      for (int64_t d : m.out) fuzz::require(d > 0, "a module's output shape has a dimension below 1");
      largest = std::max(largest, elements(m.out));
    }
    fuzz::require(plan.back().out.size() == 1, "the last module does not give class scores");
    const ModelCost cost = model_cost(spec);
    fuzz::require(cost.parameters > 0 && cost.flops > 0, "a model's cost is not positive (did it overflow?)");
    (void)pytorch_modules(spec);
    (void)spec.describe();
    if (cost.parameters <= kRunMaxParameters && cost.flops <= kRunMaxFlops && largest <= kRunMaxElements)
      run_once(spec, plan);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<LayerDesc> layers;
  try {
    layers = parse_layer_list(text);
  } catch (const Error& e) {
    fuzz::rejected(e);
    return 0;
  }
  check_tokens(layers);
  // The canonical text is what model files and settings keep: it must read back as the
  // same layers, and format to itself again.
  const std::string canonical = format_layer_list(layers);
  std::vector<LayerDesc> again;
  try {
    again = parse_layer_list(canonical);
  } catch (const Error& e) {
    std::fprintf(stderr, "fuzz: '%s' -> '%s': %s\n", text.c_str(), canonical.c_str(), e.what());
    fuzz::require(false, "the canonical text of a parsed list does not parse");
  }
  fuzz::require(again.size() == layers.size(), "the canonical text parses to another number of layers");
  for (size_t i = 0; i < layers.size(); ++i)
    fuzz::require(same_layer(layers[i], again[i]), "the canonical text parses to other layers");
  fuzz::require(format_layer_list(again) == canonical, "formatting is not stable");
  check_plans(text, canonical);
  return 0;
}
