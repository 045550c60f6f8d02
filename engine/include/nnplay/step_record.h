// A traced step next to PyTorch's: the inputs PyTorch needs to take the same step (a
// "step case" file), the hash that says which case a recording belongs to, and the
// comparison of a trace with a recording (tests/torch_step.py writes them).
//
// A case file holds the initial parameters under PyTorch's state_dict names, the batch
// ("x", and "labels" as floats or "targets") and metadata: the model (as in model files:
// sizes and activations, or a layer list and its input shape), "loss", "lr" and "case".
// A recording holds PyTorch's values under the trace's keys (step_trace.h); a tensor too
// large to keep whole is kept every k-th value, with metadata "stride.<key>" = k.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "nnplay/batches.h"
#include "nnplay/layers.h"
#include "nnplay/safetensors.h"
#include "nnplay/step_trace.h"

namespace nnplay {

// FNV-1a over the model's description, the loss, lr's bits, the batch and the initial
// parameters: equal hashes mean the same step. Call before the step.
uint64_t step_case_hash(Sequential& model, LossKind loss, float lr, const Batch& batch);
std::string hash_hex(uint64_t h);  // 16 lowercase hex digits
std::string lr_text(float lr);     // "0.100000001": the float exactly

// Writes the case file for this model (before its step) and batch.
void write_step_case(const std::string& path, Sequential& model, LossKind loss, float lr, const Batch& batch);

// One recorded quantity against the trace's.
struct QuantityDiff {
  std::string key;
  int64_t compared = 0;  // values compared (every stride-th of the trace's)
  int64_t stride = 1;
  double max_abs = 0.0;  // max |ours − PyTorch's|
  // max_abs / max |PyTorch's|: relative to the tensor's scale, so that entries that
  // cancel to nearly 0 do not blow up; infinite when the trace lacks the key.
  double max_rel = 0.0;
};

struct StepComparison {
  bool same_case = false;  // the recording is of this model, batch, loss and lr
  std::string why_not;     // when !same_case: what differs
  std::string torch_version;
  std::vector<QuantityDiff> quantities;
  double max_rel = 0.0;    // over all quantities
  const QuantityDiff* find(const std::string& key) const;
};

// Compares every quantity of the recording with the trace's. Throws Error when the
// recording is malformed (a stride without its tensor, shapes that cannot match).
StepComparison compare_with_recorded(const StepTrace& trace, const StFile& recorded);

}  // namespace nnplay
