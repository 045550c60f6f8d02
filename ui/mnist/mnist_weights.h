// The MNIST panel's one interface to weights files: load a model from bytes or a path,
// save one to bytes or a path. Built on the engine's model files (model_file.h:
// safetensors under PyTorch's state_dict names, with nnplay's metadata and proof), so a
// file saved here loads in nnplay-train and PyTorch, and theirs load here. The page's
// file picker, drag-and-drop, ?weights= and downloads all end up in these functions
// (through the in-memory file system); the desktop passes paths.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nnplay/dataset.h"
#include "nnplay/layers.h"
#include "nnplay/safetensors.h"

namespace nnplay::ui {

struct MnistWeights {
  ModelSpec spec;              // 784 → ... → 10
  std::vector<float> params;   // the flat parameter buffer, in Sequential's layout
  Metadata metadata;           // as stored (proof, how it was trained, ...)
  std::string source;          // a path or a label, for messages
  std::string note;            // how the architecture was determined (model_architecture's note)
};

// Throws Error naming the source when the file is malformed or is not a classifier of
// 28×28 images into 10 digits.
MnistWeights load_mnist_weights(const uint8_t* bytes, size_t size, const std::string& source);
MnistWeights load_mnist_weights(const std::string& path);

// The file image of a model, its metadata being model_metadata(spec) plus `extra`.
std::vector<uint8_t> save_mnist_weights(const ModelSpec& spec, const std::vector<float>& params,
                                        const Metadata& extra);
void save_mnist_weights(const std::string& path, const ModelSpec& spec, const std::vector<float>& params,
                        const Metadata& extra);

// The metadata a model trained in the panel records: how it was trained, and its proof
// (test accuracy and first logits, see proof.h) computed on `test` when given.
Metadata mnist_training_metadata(const ModelSpec& spec, const std::vector<float>& params, const std::string& how,
                                 const Dataset* test);

}  // namespace nnplay::ui
