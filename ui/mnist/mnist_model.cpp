// The MNIST panel's model setting: MLP widths or a layer list (see mnist_model.h).
#include "mnist/mnist_model.h"

#include "nnplay/error.h"
#include "nnplay/layer_list.h"
#include "nnplay/recipes.h"
#include "widgets/value_text.h"
#include "widgets/value_text.h"

namespace nnplay::ui {

namespace {

const Shape kDigitShape = {1, 28, 28};

std::string parse_widths(const std::string& v, std::vector<int64_t>& out) {
  std::vector<int64_t> sizes;
  try {
    sizes = ModelSpec::parse_sizes(v);
  } catch (const Error&) {
    return "must be widths joined by '-', like 784-10 or 784-128-10, or a layer list like " +
           std::string(kMnistPageCnn);
  }
  if (sizes.size() < 2 || sizes.front() != 784 || sizes.back() != 10)
    return "must start with 784 (28x28 pixels) and end with 10 (the digits)";
  if (sizes.size() - 2 > size_t(kMnistMaxHidden)) return "at most " + std::to_string(kMnistMaxHidden) + " hidden layers";
  for (size_t i = 1; i + 1 < sizes.size(); ++i)
    if (sizes[i] < 1 || sizes[i] > kMnistMaxWidth)
      return "hidden widths must be in [1, " + std::to_string(kMnistMaxWidth) + "]";
  out = sizes;
  return "";
}

// A layer list on 28x28 images that ends in the 10 digits, within the size bounds; its
// canonical text goes to `out`.
std::string parse_list(const std::string& v, std::string& out) {
  ModelSpec spec;
  try {
    spec = ModelSpec::from_layers(v, kDigitShape);
  } catch (const Error& e) {
    return e.what();
  }
  if (spec.sizes.back() != 10) return "the last layer must be fc10 (the digits)";
  const ModelCost cost = model_cost(spec);
  if (cost.parameters > kMnistMaxParameters)
    return "at most " + std::to_string(kMnistMaxParameters) + " parameters (this one has " +
           std::to_string(cost.parameters) + ")";
  if (cost.flops > kMnistMaxFlops)
    return "at most " + std::to_string(kMnistMaxFlops / 1'000'000) + " MFLOPs per image";
  out = spec.layers;
  return "";
}

}  // namespace

std::string mnist_recipe_cnn_layers() { return mnist_cnn_recipe().spec.layers; }

std::string parse_mnist_model(const std::string& v, MnistSettings& s) {
  // Widths are digits and dashes only; anything else is read as a layer list.
  if (v.find_first_not_of("0123456789-") == std::string::npos) {
    const std::string problem = parse_widths(v, s.layers);
    if (problem.empty()) s.layer_list.clear();
    return problem;
  }
  return parse_list(v == kMnistCnnAlias ? mnist_recipe_cnn_layers() : v, s.layer_list);
}

std::string format_mnist_model(const MnistSettings& s) {
  return mnist_is_cnn(s) ? s.layer_list : format_layers(s.layers);
}

ModelSpec mnist_model_spec(const MnistSettings& s) {
  if (mnist_is_cnn(s)) return ModelSpec::from_layers(s.layer_list, kDigitShape);
  ModelSpec spec;
  spec.sizes = s.layers;
  spec.hidden = s.activation;
  spec.output = Activation::None;  // logits, for cross-entropy
  return spec;
}

void mnist_choose_cnn(MnistSettings& s, const std::string& layers) {
  const Recipe r = mnist_layers_recipe(layers);
  s.layer_list = r.spec.layers;
  s.optimizer = r.optimizer.name;
  s.lr = s.layer_list == kMnistPageCnn ? kMnistPageCnnLr : r.optimizer.lr;
  s.batch = int(r.batch);
}

void mnist_choose_mlp(MnistSettings& s, const std::vector<int64_t>& sizes) {
  const Recipe r = mnist_linear_recipe();
  s.layer_list.clear();
  s.layers = sizes;
  s.optimizer = r.optimizer.name;
  s.lr = r.optimizer.lr;
  s.batch = int(r.batch);
}

}  // namespace nnplay::ui
