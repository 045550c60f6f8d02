// A network written as a list of layers, the way a learner writes it, e.g. a small CNN:
//
//   conv5x5x16,pool2,conv3x3x32,pool2,fc128,fc10
//
// Tokens, separated by commas:
//   convKxKxC[/sS][pP]  Conv2d: a KxK kernel (KhxKw for a rectangle) with C output
//                       channels, stride S (1), zero padding P (0); e.g. conv3x3x32/s2p1
//                       (convKxC is short for convKxKxC; the '/' before p may be left out)
//   poolK[/sS]          MaxPool2d: a KxK window, stride S (K)
//   fcN                 Linear with N outputs; the last token must be one (the class scores)
//   dropoutP            Dropout with probability P in [0, 1), e.g. dropout0.25
//   flatten             Flatten; put in by itself before the first fc after a conv or pool
//   relu, tanh, sigmoid the activation after every later conv and fc but the last (relu)
//
// The list is expanded into the modules of a PyTorch nn.Sequential (an activation after
// each conv and hidden fc, Flatten before the first fc on a [C, H, W] input), so module
// indices, and with them the parameter names ("0.weight", "3.bias"), are PyTorch's. The
// same expansion also serves MLPs described by sizes (ModelSpec), so there is one plan that
// builds every Sequential, names its parameters, and counts its parameters and FLOPs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/backend.h"
#include "nnplay/tensor.h"

namespace nnplay {

struct ModelSpec;

enum class LayerKind { Conv2d, MaxPool2d, Flatten, Linear, Dropout, Activation };

struct LayerDesc {
  LayerKind kind = LayerKind::Linear;
  int64_t out = 0;                    // Conv2d: output channels; Linear: output features
  int64_t kh = 0, kw = 0;             // Conv2d, MaxPool2d: kernel (window) size
  int64_t stride = 1, padding = 0;    // Conv2d, MaxPool2d
  float p = 0.0f;                     // Dropout: the probability of zeroing an element
  Activation act = Activation::None;  // Activation
  std::string token() const;          // as written in a layer list: "conv5x5x16", "relu"
};

// Parses a layer list into its tokens (activation tokens included, no implicit modules).
// Throws Error naming the bad token and the accepted forms.
std::vector<LayerDesc> parse_layer_list(const std::string& text);
// The canonical text of a parsed list (defaults left out: conv5x5x16, not conv5x5x16/s1p0).
std::string format_layer_list(const std::vector<LayerDesc>& layers);

// One module of the Sequential a spec builds.
struct ModulePlan {
  LayerDesc layer;
  Shape in, out;       // per sample: {C, H, W} or {features}
  std::string prefix;  // of its parameters' names: "0." (nn.Sequential) or "" (a bare nn.Linear)
  bool bias = true;    // Conv2d, Linear
};

// The modules of the model a spec describes, with their shapes. Throws Error when a layer
// list does not fit its input (a kernel larger than its input, a conv after an fc, ...).
std::vector<ModulePlan> plan_modules(const ModelSpec& spec);

// What a model costs: its parameters and the floating-point operations of one image's
// forward pass (2 per multiply-add of the convolutions and Linear layers; biases,
// activations and pooling are not counted, being a rounding error beside them). A count
// that int64 cannot hold is given as its largest value, never overflows or throws.
struct ModelCost {
  int64_t parameters = 0;
  int64_t flops = 0;
};
ModelCost model_cost(const ModelSpec& spec);

// The modules as PyTorch prints them: "Conv2d(1, 16, kernel_size=(5, 5)), ReLU, MaxPool2d(2), ...".
std::string pytorch_modules(const ModelSpec& spec);

// "1x28x28" <-> {1, 28, 28}. parse_shape throws Error on anything but positive integers.
std::string shape_text(const Shape& s);
Shape parse_shape_text(const std::string& text);

}  // namespace nnplay
