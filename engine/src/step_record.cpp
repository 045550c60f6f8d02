// Step case files, their hash, and a trace compared with PyTorch's recording of the same
// step (see step_record.h).
#include "nnplay/step_record.h"

#include <cmath>
#include <cstdio>

#include "nnplay/error.h"
#include "nnplay/layer_list.h"
#include "nnplay/model_file.h"

namespace nnplay {

namespace {

struct Fnv {
  uint64_t h = 0xcbf29ce484222325ULL;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001b3ULL;
  }
  void text(const std::string& s) { bytes(s.data(), s.size() + 1); }  // with its end, so "ab"+"c" ≠ "a"+"bc"
  void floats(const std::vector<float>& v) { bytes(v.data(), v.size() * sizeof(float)); }
};

std::vector<float> batch_targets(const Batch& batch) {
  if (batch.labels) {
    const std::vector<int32_t> l = batch.labels->to_host();
    return std::vector<float>(l.begin(), l.end());
  }
  return batch.targets->to_host();
}

}  // namespace

std::string hash_hex(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// lr as metadata: 9 significant digits give the float back exactly.
std::string lr_text(float lr) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", double(lr));
  return buf;
}

uint64_t step_case_hash(Sequential& model, LossKind loss, float lr, const Batch& batch) {
  Fnv f;
  f.text(model.spec().describe());
  f.text(loss_name(loss));
  f.bytes(&lr, sizeof lr);
  f.floats(batch.x->to_host());
  f.text(batch.labels ? "labels" : "targets");
  f.floats(batch_targets(batch));
  f.floats(model.parameters().data().to_host());
  return f.h;
}

void write_step_case(const std::string& path, Sequential& model, LossKind loss, float lr, const Batch& batch) {
  const ModelSpec& spec = model.spec();
  Metadata meta;
  if (spec.is_layer_list()) {
    meta[meta::kLayerList] = spec.layers;
    meta[meta::kInputShape] = shape_text(spec.input);
  } else {
    std::string sizes;
    for (size_t i = 0; i < spec.sizes.size(); ++i) {
      if (i) sizes += '-';
      sizes += std::to_string(spec.sizes[i]);
    }
    meta[meta::kSizes] = sizes;
    meta[meta::kHidden] = activation_name(spec.hidden);
    meta[meta::kOutput] = activation_name(spec.output);
  }
  meta["model"] = spec.describe();
  meta["loss"] = loss_name(loss);
  meta["lr"] = lr_text(lr);
  meta["case"] = hash_hex(step_case_hash(model, loss, lr, batch));

  const std::vector<float> params = model.parameters().data().to_host();
  const std::vector<float> x = batch.x->to_host(), targets = batch_targets(batch);
  std::vector<StTensorRef> refs;
  for (const ParameterEntry& e : model.parameters().entries())
    refs.push_back({e.name, e.shape, params.data() + e.offset});
  refs.push_back({"x", batch.x->shape(), x.data()});
  if (batch.labels)
    refs.push_back({"labels", {int64_t(targets.size())}, targets.data()});
  else
    refs.push_back({"targets", batch.targets->shape(), targets.data()});
  write_safetensors(path, refs, meta);
}

const QuantityDiff* StepComparison::find(const std::string& key) const {
  for (const QuantityDiff& q : quantities)
    if (q.key == key) return &q;
  return nullptr;
}

StepComparison compare_with_recorded(const StepTrace& trace, const StFile& rec) {
  StepComparison c;
  auto meta = [&](const std::string& key) {
    auto it = rec.metadata.find(key);
    return it == rec.metadata.end() ? std::string() : it->second;
  };
  c.torch_version = meta("torch");
  const std::string recorded_case = meta("case");
  if (recorded_case != hash_hex(trace.case_hash)) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on literal + string chains.
    std::string& w = c.why_not;
    w = "the recording is of ";
    w += meta("model").empty() ? std::string("another step") : meta("model");
    w += ", loss ";
    w += meta("loss");
    w += ", lr ";
    w += meta("lr");
    w += " (case ";
    w += recorded_case;
    w += "); this step is ";
    w += trace.model;
    w += ", loss ";
    w += loss_name(trace.loss);
    w += ", lr ";
    w += lr_text(trace.lr);
    w += " (case ";
    w += hash_hex(trace.case_hash);
    w += ")";
    return c;
  }
  c.same_case = true;
  for (const StTensor& t : rec.tensors) {
    QuantityDiff q;
    q.key = t.name;
    const std::string stride = meta("stride." + t.name);
    if (!stride.empty()) q.stride = std::stoll(stride);
    if (q.stride < 1) throw Error(rec.source + ": stride." + t.name + " must be at least 1");
    const TraceTensor* ours = trace.tensor(t.name);
    if (!ours) {
      q.max_abs = q.max_rel = std::numeric_limits<double>::infinity();
    } else {
      const size_t expect = (ours->values.size() + size_t(q.stride) - 1) / size_t(q.stride);
      if (t.values.size() != expect)
        throw Error(rec.source + ": " + t.name + " holds " + std::to_string(t.values.size()) + " values, expected " +
                    std::to_string(expect) + " (every " + std::to_string(q.stride) + "th of " +
                    std::to_string(ours->values.size()) + ")");
      double scale = 0.0;
      for (size_t k = 0; k < t.values.size(); ++k) {
        const double a = ours->values[k * size_t(q.stride)], b = t.values[k];
        const double d = std::fabs(a - b);
        q.max_abs = std::isnan(d) ? d : std::max(q.max_abs, d);
        scale = std::max(scale, std::fabs(b));
      }
      q.compared = int64_t(t.values.size());
      q.max_rel = scale > 0.0 ? q.max_abs / scale : q.max_abs;
    }
    c.max_rel = std::isnan(q.max_rel) ? q.max_rel : std::max(c.max_rel, q.max_rel);
    c.quantities.push_back(q);
  }
  return c;
}

}  // namespace nnplay
