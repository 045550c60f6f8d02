// The one-step view's state for tests: the stage shown and its numbers, the chosen
// weight's chain rule, PyTorch's comparison, and fingerprints of the weights before and
// after the step (so that a test can follow them into the panel that trains on).
#include "one_step/step_report.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "nnplay/step_record.h"

namespace nnplay::ui {

namespace {

constexpr size_t kReportedValues = 16;  // entries of a stage's tensor written out

// FNV-1a over the floats' bits: equal buffers, equal fingerprints.
std::string fingerprint(const std::vector<float>& v) {
  uint64_t h = 1469598103934665603ULL;
  for (float f : v) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    for (int i = 0; i < 4; ++i) {
      h ^= (bits >> (8 * i)) & 0xff;
      h *= 1099511628211ULL;
    }
  }
  return hash_hex(h);
}

const char* phase_name(StagePhase p) {
  switch (p) {
    case StagePhase::Batch: return "batch";
    case StagePhase::Forward: return "forward";
    case StagePhase::Loss: return "loss";
    case StagePhase::Backward: return "backward";
    case StagePhase::Update: return "update";
  }
  return "";
}

}  // namespace

void write_step_state(JsonWriter& j, const StepPanel& panel) {
  const StepState& s = panel.state;
  j.key("step").begin_object();
  j.field("open", bool(s.trace)).field("source", step_source_key(s.source)).field("error", s.error);
  j.field("trained_on", s.trained_on);
  if (s.trace) {
    const StepTrace& t = *s.trace;
    const TraceStage& stage = t.stages[size_t(s.stage)];
    j.field("model", t.model).field("lr", t.lr).field("batch", t.batch_size).field("loss", t.loss_value);
    j.field("case_hash", hash_hex(t.case_hash));
    j.field("params_before", fingerprint(t.params_before)).field("params_after", fingerprint(t.params_after));
    j.field("stage_count", int(t.stages.size())).field("stage", s.stage).field("stage_id", stage.id);
    j.field("phase", phase_name(stage.phase)).field("formula", stage.formula).field("sample", s.sample);
    j.key("tensors").begin_array();
    for (const TraceTensor& x : stage.tensors) {
      std::vector<float> first(x.values.begin(), x.values.begin() + std::ptrdiff_t(std::min(x.values.size(), kReportedValues)));
      j.begin_object().field("key", x.key).field("shape", x.shape).field("size", int64_t(x.values.size()));
      j.field("values", first).end_object();
    }
    j.end_array();
    const ChainRule& c = s.chain;
    std::vector<float> upstream, inputs;
    std::vector<double> products;
    for (const ChainTerm& term : c.terms) {
      upstream.push_back(term.upstream);
      inputs.push_back(term.input);
      products.push_back(term.product);
    }
    j.key("chain").begin_object();
    j.field("module", c.module).field("row", c.row).field("col", c.col).field("weight_name", c.weight_name);
    j.field("weight", c.weight).field("gradient", c.gradient).field("sum", c.sum).field("lr", c.lr);
    j.field("lr_gradient", c.lr_gradient).field("new_weight", c.new_weight);
    j.field("upstream", upstream).field("inputs", inputs).field("products", products);
    j.end_object();
    j.field("pytorch_compared", s.comparison.has_value());
    j.field("recording", s.recording).field("no_comparison", s.no_comparison);
    j.field("max_rel", s.comparison ? s.comparison->max_rel : NAN);
    j.field("quantities", s.comparison ? int(s.comparison->quantities.size()) : 0);
  }
  j.end_object();
}

std::string step_status_line(const StepPanel& panel) {
  const StepState& s = panel.state;
  if (!s.trace) return "one step: " + (s.error.empty() ? std::string("no model stepped") : s.error);
  char buf[256];
  std::snprintf(buf, sizeof buf, "one step of %s: stage %d of %d (%s), loss %.6g, %s", s.trace->model.c_str(),
                s.stage + 1, int(s.trace->stages.size()), s.trace->stages[size_t(s.stage)].id.c_str(),
                double(s.trace->loss_value),
                s.comparison ? "PyTorch agrees" : "no PyTorch values for this step");
  return buf;
}

}  // namespace nnplay::ui
