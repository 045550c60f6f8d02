// Saving and loading Sequential models as safetensors, and inferring the architecture of
// files that carry no nnplay metadata (PyTorch state_dicts).
#include "nnplay/model_file.h"

#include <algorithm>
#include <limits>
#include <map>

#include "nnplay/error.h"
#include "nnplay/layer_list.h"

namespace nnplay {

namespace {

std::string join_sizes(const std::vector<int64_t>& sizes) {
  std::string s;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (i) s += '-';
    s += std::to_string(sizes[i]);
  }
  return s;
}

bool is_reserved(const std::string& name) { return name.rfind(kReservedPrefix, 0) == 0; }

// The parameter count a spec implies, or -1 when it exceeds `limit` (then it cannot match
// the file, and nothing that large is ever allocated).
int64_t parameter_count(const ModelSpec& spec, int64_t limit) {
  if (spec.is_layer_list()) {
    // A layer list's shapes are bounded by its input; a forged one still cannot overflow
    // (every number in a token has at most six digits), so counting it is safe.
    const int64_t n = model_cost(spec).parameters;
    return n > limit ? -1 : n;
  }
  int64_t total = 0;
  for (size_t i = 0; i + 1 < spec.sizes.size(); ++i) {
    int64_t in = spec.sizes[i], out = spec.sizes[i + 1];
    if (in > limit || out > limit || (in != 0 && out > limit / in)) return -1;
    total += in * out + (spec.bias ? out : 0);
    if (total > limit) return -1;
  }
  return total;
}

std::string lookup(const StFile& f, const std::string& key) {
  auto it = f.metadata.find(key);
  if (it == f.metadata.end()) throw Error(f.source + ": nnplay metadata lacks '" + key + "'");
  return it->second;
}

ModelArchitecture from_metadata(const StFile& f) {
  ModelArchitecture a;
  try {
    if (f.metadata.count(meta::kLayerList)) {
      a.spec = ModelSpec::from_layers(lookup(f, meta::kLayerList), parse_shape_text(lookup(f, meta::kInputShape)));
    } else {
      a.spec.sizes = ModelSpec::parse_sizes(lookup(f, meta::kSizes));
      a.spec.hidden = parse_activation(lookup(f, meta::kHidden));
      a.spec.output = parse_activation(lookup(f, meta::kOutput));
    }
  } catch (const Error& e) {
    std::string what = e.what();
    if (what.rfind(f.source, 0) == 0) throw;
    throw Error(f.source + ": metadata: " + what);
  }
  if (!a.spec.is_layer_list()) {
    std::string bias = lookup(f, meta::kBias);
    if (bias != "true" && bias != "false")
      throw Error(f.source + ": metadata 'bias' must be true or false, got '" + bias + "'");
    a.spec.bias = bias == "true";
  }

  // The file's weights must account for exactly this many parameters; checking it here
  // also keeps a forged "sizes" from making the loader allocate a huge model.
  int64_t in_file = 0;
  for (const StTensor& t : f.tensors)
    if (!is_reserved(t.name)) in_file += int64_t(t.values.size());
  int64_t want = parameter_count(a.spec, std::numeric_limits<int64_t>::max() / 4);
  if (want != in_file)
    throw Error(f.source + ": metadata describes " + a.spec.describe() + " (" +
                (want < 0 ? std::string("too many") : std::to_string(want)) + " parameters) but the file holds " +
                std::to_string(in_file) + " weight values");
  a.note = "architecture from the file's metadata: " + a.spec.describe();
  return a;
}

// Parses "<index>.weight" / "<index>.bias"; returns false for any other name.
bool parse_indexed(const std::string& name, long& index, bool& is_weight) {
  size_t dot = name.find('.');
  if (dot == 0 || dot == std::string::npos || dot > 6) return false;
  for (size_t i = 0; i < dot; ++i)
    if (name[i] < '0' || name[i] > '9') return false;
  std::string field = name.substr(dot + 1);
  if (field != "weight" && field != "bias") return false;
  index = std::stol(name.substr(0, dot));
  is_weight = field == "weight";
  return true;
}

struct LinearInFile {
  const StTensor* weight = nullptr;
  const StTensor* bias = nullptr;
};

ModelArchitecture inferred(const StFile& f) {
  const std::string expect =
      " (expected a PyTorch nn.Linear's 'weight'/'bias' or nn.Sequential's '<index>.weight'/'<index>.bias')";
  std::map<long, LinearInFile> layers;  // by module index; -1 for a bare nn.Linear
  for (const StTensor& t : f.tensors) {
    if (is_reserved(t.name)) continue;
    long index = -1;
    bool is_weight = false;
    if (t.name == "weight" || t.name == "bias") {
      is_weight = t.name == "weight";
    } else if (!parse_indexed(t.name, index, is_weight)) {
      throw Error(f.source + ": cannot infer the architecture: tensor '" + t.name + "' is not a Linear parameter" +
                  expect);
    }
    if (t.shape.size() == 4)
      throw Error(f.source + ": tensor '" + t.name + "' has shape " + shape_str(t.shape) +
                  ", a convolution's weight: a convolutional network cannot be inferred from its tensors (they do "
                  "not show pooling); give its layer list, e.g. --layers conv5x5x16,pool2,fc10");
    LinearInFile& l = layers[index];
    (is_weight ? l.weight : l.bias) = &t;
  }
  if (layers.empty()) throw Error(f.source + ": holds no weights" + expect);
  if (layers.count(-1) && layers.size() > 1)
    throw Error(f.source + ": mixes a bare 'weight'/'bias' with indexed Sequential names" + expect);

  ModelArchitecture a;
  const bool has_bias = layers.begin()->second.bias != nullptr;
  a.spec.bias = has_bias;
  long prev_index = 0;
  bool first = true;
  for (const auto& [index, l] : layers) {
    const std::string where = index < 0 ? std::string("the Linear layer") : "layer " + std::to_string(index);
    if (!l.weight) throw Error(f.source + ": " + where + " has a bias but no weight");
    if (l.weight->shape.size() != 2)
      throw Error(f.source + ": " + where + " weight has shape " + shape_str(l.weight->shape) +
                  "; a Linear weight is [out, in]");
    const int64_t out = l.weight->shape[0], in = l.weight->shape[1];
    if (in <= 0 || out <= 0) throw Error(f.source + ": " + where + " weight has an empty shape " + shape_str(l.weight->shape));
    if ((l.bias != nullptr) != has_bias)
      throw Error(f.source + ": some Linear layers have a bias and others do not; nnplay models use one setting");
    if (l.bias && l.bias->shape != Shape{out})
      throw Error(f.source + ": " + where + " bias has shape " + shape_str(l.bias->shape) + " but its weight has " +
                  std::to_string(out) + " outputs");
    if (first) {
      a.spec.sizes.push_back(in);
    } else {
      // nn.Sequential numbers every module: Linear, activation, Linear, ... so consecutive
      // Linear layers sit two indices apart, with one activation between them.
      if (index != prev_index + 2)
        throw Error(f.source + ": Linear layers " + std::to_string(prev_index) + " and " + std::to_string(index) +
                    " are not separated by exactly one module; nnplay models put one activation between layers");
      if (in != a.spec.sizes.back())
        throw Error(f.source + ": layer " + std::to_string(index) + " takes " + std::to_string(in) +
                    " inputs but layer " + std::to_string(prev_index) + " gives " + std::to_string(a.spec.sizes.back()) +
                    " outputs: the shapes do not chain");
    }
    a.spec.sizes.push_back(out);
    a.file_names.push_back(l.weight->name);
    if (l.bias) a.file_names.push_back(l.bias->name);
    prev_index = index;
    first = false;
  }
  a.spec.hidden = Activation::ReLU;
  a.spec.output = Activation::None;
  a.inferred = true;
  a.note = "architecture inferred from tensor names and shapes (no nnplay metadata): " + join_sizes(a.spec.sizes);
  if (a.spec.sizes.size() > 2) a.note += ", hidden activation relu assumed";
  a.note += ", linear output (logits) assumed";
  if (layers.begin()->first > 0)
    a.note += "; the first " + std::to_string(layers.begin()->first) + " module(s) have no parameters and are skipped";
  return a;
}

}  // namespace

Metadata model_metadata(const ModelSpec& spec) {
  Metadata m;
  m[meta::kFormat] = meta::kFormatModel;
  m[meta::kVersion] = NNPLAY_VERSION;
  m[meta::kSizes] = join_sizes(spec.sizes);
  m[meta::kHidden] = activation_name(spec.hidden);
  m[meta::kOutput] = activation_name(spec.output);
  m[meta::kBias] = spec.bias ? "true" : "false";
  m[meta::kLayers] = pytorch_modules(spec);
  if (spec.is_layer_list()) {
    m[meta::kLayerList] = spec.layers;
    m[meta::kInputShape] = shape_text(spec.input);
  }
  return m;
}

void save_model(const std::string& path, Sequential& model, const Metadata& extra) {
  Metadata m = model_metadata(model.spec());
  for (const auto& [k, v] : extra) m[k] = v;
  const std::vector<float> host = model.parameters().data().to_host();
  std::vector<StTensorRef> refs;
  for (const ParameterEntry& e : model.parameters().entries())
    refs.push_back({e.name, e.shape, host.data() + e.offset});
  write_safetensors(path, refs, m);
}

ModelArchitecture model_architecture(const StFile& file, std::optional<Activation> hidden,
                                     const std::optional<ModelSpec>& given) {
  ModelArchitecture a;
  if (file.metadata.count(meta::kSizes)) {
    a = from_metadata(file);
    if (given && !given->same_architecture(a.spec))
      throw Error(file.source + ": the file's metadata describes " + a.spec.describe() + ", not " + given->describe());
  } else if (given) {
    a.spec = *given;
    a.note = "architecture as given: " + given->describe() + " (" + pytorch_modules(*given) + ")";
  } else {
    a = inferred(file);
  }
  if (hidden && a.spec.is_layer_list())
    throw Error("a layer list names its own activations: put relu, tanh or sigmoid in it instead");
  if (hidden) {
    if (*hidden == Activation::None && a.spec.sizes.size() > 2)
      throw Error("the hidden activation cannot be none: consecutive Linear layers need one between them");
    if (a.spec.sizes.size() > 2)
      a.note += std::string("; hidden activation set to ") + activation_name(*hidden) + " as asked";
    a.spec.hidden = *hidden;
  }
  return a;
}

void load_parameters(const StFile& file, const ModelArchitecture& arch, Sequential& model) {
  ParameterSet& params = model.parameters();
  const auto& entries = params.entries();
  if (!arch.file_names.empty() && arch.file_names.size() != entries.size())
    throw Error(file.source + ": the model has " + std::to_string(entries.size()) + " parameters but " +
                std::to_string(arch.file_names.size()) + " were matched in the file");
  // Everything is checked before the first value is copied, so a bad file leaves the
  // model as it was.
  std::vector<bool> used(file.tensors.size(), false);
  std::vector<const StTensor*> sources(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const ParameterEntry& e = entries[i];
    const std::string& name = arch.file_names.empty() ? e.name : arch.file_names[i];
    const StTensor* t = file.find(name);
    if (!t)
      throw Error(file.source + ": missing tensor '" + name + "' (the model " + model.spec().describe() +
                  " needs it with shape " + shape_str(e.shape) + ")");
    if (t->shape != e.shape)
      throw Error(file.source + ": tensor '" + name + "' has shape " + shape_str(t->shape) + " but the model " +
                  model.spec().describe() + " needs " + shape_str(e.shape));
    used[size_t(t - file.tensors.data())] = true;
    sources[i] = t;
  }
  for (size_t i = 0; i < file.tensors.size(); ++i)
    if (!used[i] && !is_reserved(file.tensors[i].name))
      throw Error(file.source + ": unexpected tensor '" + file.tensors[i].name + "' (not a parameter of " +
                  model.spec().describe() + ")");
  for (size_t i = 0; i < entries.size(); ++i) params.value_view(int(i)).from_host(sources[i]->values);
}

LoadedModel load_model(Backend& backend, const StFile& file, std::optional<Activation> hidden,
                       const std::optional<ModelSpec>& given) {
  LoadedModel m;
  m.arch = model_architecture(file, hidden, given);
  m.metadata = file.metadata;
  Rng unused(0);  // the constructor initialises the weights; the file's replace them
  m.model = std::make_unique<Sequential>(backend, m.arch.spec, unused);
  load_parameters(file, m.arch, *m.model);
  return m;
}

LoadedModel load_model(Backend& backend, const std::string& path, std::optional<Activation> hidden,
                       const std::optional<ModelSpec>& given) {
  return load_model(backend, read_safetensors(path), hidden, given);
}

}  // namespace nnplay
