// Weights files for the MNIST panel, on top of the engine's model files.
#include "mnist/mnist_weights.h"

#include <cstdio>

#include "nnplay/atomic_file.h"
#include "nnplay/error.h"
#include "nnplay/idx.h"
#include "nnplay/model_file.h"
#include "nnplay/proof.h"

namespace nnplay::ui {

namespace {

// A model on the CPU holding these parameters (the engine's code builds and names them).
std::unique_ptr<Sequential> cpu_model(Backend& be, const ModelSpec& spec, const std::vector<float>& params) {
  Rng unused(0);
  auto model = std::make_unique<Sequential>(be, spec, unused);
  if (int64_t(params.size()) != model->parameters().total())
    throw Error("the model " + spec.describe() + " has " + std::to_string(model->parameters().total()) +
                " parameters but " + std::to_string(params.size()) + " values were given");
  model->parameters().data().from_host(params);
  return model;
}

}  // namespace

MnistWeights load_mnist_weights(const uint8_t* bytes, size_t size, const std::string& source) {
  const StFile file = parse_safetensors(bytes, size, source);
  auto be = make_cpu_backend(1);
  LoadedModel lm = load_model(*be, file);
  const ModelSpec& spec = lm.arch.spec;
  if (spec.sizes.front() != 784 || spec.sizes.back() != 10)
    throw Error(source + ": the model " + spec.describe() +
                " does not classify 28x28 images (784 inputs) into 10 digits");
  if (spec.output != Activation::None)
    throw Error(source + ": the model ends with " + activation_name(spec.output) +
                "; the panel needs logits (no output activation)");
  MnistWeights w;
  w.spec = spec;
  w.params = lm.model->parameters().data().to_host();
  w.metadata = lm.metadata;
  w.source = source;
  w.note = lm.arch.note;
  return w;
}

MnistWeights load_mnist_weights(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return load_mnist_weights(bytes.data(), bytes.size(), path);
}

std::vector<uint8_t> save_mnist_weights(const ModelSpec& spec, const std::vector<float>& params,
                                        const Metadata& extra) {
  auto be = make_cpu_backend(1);
  auto model = cpu_model(*be, spec, params);
  Metadata m = model_metadata(spec);
  for (const auto& [k, v] : extra) m[k] = v;
  std::vector<StTensorRef> refs;
  for (const ParameterEntry& e : model->parameters().entries())
    refs.push_back({e.name, e.shape, params.data() + e.offset});
  return serialize_safetensors(refs, m);
}

void save_mnist_weights(const std::string& path, const ModelSpec& spec, const std::vector<float>& params,
                        const Metadata& extra) {
  const std::vector<uint8_t> bytes = save_mnist_weights(spec, params, extra);
  write_file_atomic(path, bytes.data(), bytes.size());
}

Metadata mnist_training_metadata(const ModelSpec& spec, const std::vector<float>& params, const std::string& how,
                                 const Dataset* test) {
  Metadata m;
  m["trained_with"] = how;
  if (test && test->count > 0) {
    auto be = make_cpu_backend(1);
    auto model = cpu_model(*be, spec, params);
    const Proof proof = compute_proof(*model, *test);
    char acc[32];
    std::snprintf(acc, sizeof acc, "%.4f", proof.accuracy());
    m["test_accuracy"] = acc;
    m[kProofKey] = proof_to_json(proof);
  }
  return m;
}

}  // namespace nnplay::ui
