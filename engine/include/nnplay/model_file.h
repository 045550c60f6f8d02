// nnplay model files: a Sequential's parameters saved as safetensors under PyTorch's
// state_dict names ("weight"/"bias" for a bare nn.Linear, "0.weight", "0.bias",
// "2.weight", ... inside nn.Sequential), plus metadata recording what a state_dict cannot:
// the layer sizes and activations, how the model was trained, and its proof (proof.h).
//
// Files without nnplay's metadata (written by PyTorch) are read too: the architecture is
// inferred from the tensor names and shapes, and the activation it assumes between the
// layers (relu unless told otherwise) is reported, since no state_dict records it. A
// convolutional network cannot be inferred (a state_dict does not show pooling): its
// layer list is recorded in nnplay's metadata, and must be given for PyTorch's files.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nnplay/layers.h"
#include "nnplay/safetensors.h"

namespace nnplay {

// Metadata keys nnplay writes (every value is a string, as safetensors requires).
namespace meta {
constexpr const char* kFormat = "format";               // kFormatModel or kFormatCheckpoint
constexpr const char* kVersion = "nnplay_version";      // NNPLAY_VERSION of the writer
constexpr const char* kSizes = "sizes";                 // "784-256-10"
constexpr const char* kHidden = "hidden_activation";    // "relu"
constexpr const char* kOutput = "output_activation";    // "none"
constexpr const char* kBias = "bias";                   // "true" / "false"
constexpr const char* kLayers = "layers";               // "Linear(784, 256), ReLU, Linear(256, 10)"
constexpr const char* kLayerList = "layer_list";        // a layer list (layer_list.h): "conv5x5x16,pool2,fc10"
constexpr const char* kInputShape = "input_shape";      // with a layer list: "1x28x28"
constexpr const char* kFormatModel = "nnplay-model";
constexpr const char* kFormatCheckpoint = "nnplay-checkpoint";
}  // namespace meta

// Tensors whose names start with this hold training state (checkpoint.h), not weights.
constexpr const char* kReservedPrefix = "nnplay.";

// The metadata describing a model's architecture (format, version, sizes, activations,
// layer list). Callers add what they know about training (dataset, epochs, ...).
Metadata model_metadata(const ModelSpec& spec);

// Saves the model's parameters under their state_dict names, with model_metadata(spec)
// merged with `extra` (extra wins on a clash), atomically.
void save_model(const std::string& path, Sequential& model, const Metadata& extra = {});

// How a file's architecture was determined.
struct ModelArchitecture {
  ModelSpec spec;
  bool inferred = false;  // true: no nnplay metadata, read from names and shapes
  std::string note;       // one line for the user: where the spec came from, what was assumed
  // The file's tensor name for each of the model's parameters, in ParameterSet order;
  // empty when they are the model's own names. (They differ when a PyTorch nn.Sequential
  // holds a single Linear, or starts with a module without parameters such as Flatten.)
  std::vector<std::string> file_names;
};

// From nnplay's metadata when present, otherwise from `given` (a layer-list spec, for a
// PyTorch nn.Sequential CNN), otherwise inferred (names/shapes must form a chain of
// Linear layers). `hidden` overrides an MLP's hidden activation.
ModelArchitecture model_architecture(const StFile& file, std::optional<Activation> hidden = {},
                                     const std::optional<ModelSpec>& given = {});

// Copies the file's tensors into the model: every parameter must be present with the same
// shape, and the file may hold no other tensors besides training state (kReservedPrefix).
void load_parameters(const StFile& file, const ModelArchitecture& arch, Sequential& model);

struct LoadedModel {
  ModelArchitecture arch;
  Metadata metadata;
  std::unique_ptr<Sequential> model;
};

// Reads a model file (or a checkpoint) and builds the model it describes.
LoadedModel load_model(Backend& backend, const std::string& path, std::optional<Activation> hidden = {},
                       const std::optional<ModelSpec>& given = {});
LoadedModel load_model(Backend& backend, const StFile& file, std::optional<Activation> hidden = {},
                       const std::optional<ModelSpec>& given = {});

}  // namespace nnplay
