// The one-step view's working state: the traced step of the model that
// was loaded when the view was opened (the network lab's or the MNIST panel's), the stage
// shown, the weight whose chain rule is written out, and PyTorch's recording of the same
// step when one exists. The view keeps only the trace: the model it stepped is gone, so
// the panels it came from are untouched until "Train on" hands the new weights back.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nnplay/layers.h"
#include "nnplay/safetensors.h"
#include "nnplay/step_record.h"
#include "nnplay/step_trace.h"

namespace nnplay::ui {

enum class StepSource { None, Network, Mnist };
const char* step_source_key(StepSource s);  // "", "network", "mnist"

struct StepState {
  StepSource source = StepSource::None;
  std::shared_ptr<const StepTrace> trace;  // null until a step was taken
  ModelSpec spec;             // the stepped model's, for handing its weights back
  uint64_t source_generation = 0;  // the session the weights came from
  std::string origin;         // where the weights came from (the MNIST panel's label)
  std::string optimizer;      // the panel's optimizer ("adam": the view shows SGD instead)
  bool trained_on = false;    // "Train on" handed the new weights back

  int stage = 0;        // index into trace->stages
  WeightRef pick;       // the weight whose chain rule is shown
  ChainRule chain;      // chain_rule(*trace, pick)
  int sample = 0;       // the sample whose values the network drawing shows
  bool expand = false;  // the network drawing shows every neuron that fits

  // PyTorch's recording of this very step, when the hash matches one (else why not).
  std::optional<StepComparison> comparison;
  std::shared_ptr<const StFile> recorded;
  std::string recording;  // which one ("xor", "linear", "mlp")
  std::string no_comparison;
  // The recordings in assets/step, read once on first use (name, file; null: missing).
  std::vector<std::pair<std::string, std::shared_ptr<const StFile>>> recordings;

  std::string error;    // why the last open or train-on failed
};

}  // namespace nnplay::ui
