// The one-step view's operations (see step_actions.h). The step is taken on a copy of the
// panel's model, on the CPU backend (the numerical reference, as `nnplay-train step`
// does), so the panel's own session is untouched until the learner chooses "Train on".
#include "one_step/step_actions.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <utility>

#include "nnplay/backend.h"
#include "nnplay/error.h"
#include "nnplay/recipes.h"
#include "nnplay/step_cases.h"

namespace nnplay::ui {

namespace {

bool file_exists(const std::string& path) {
  struct stat s;
  return ::stat(path.c_str(), &s) == 0 && S_ISREG(s.st_mode);
}

// The recordings: assets/step/ under the working directory (the page embeds it there),
// else under the source tree (the desktop started from elsewhere).
void load_recordings(StepState& s) {
  if (!s.recordings.empty()) return;
  // linear-page: the tutorial's model on the page's subset of MNIST (another first batch).
  for (const char* name : {"xor", "linear", "mlp", "linear-page"}) {
    const std::string rel = std::string("assets/step/pytorch-step-") + name + ".safetensors";
    std::vector<std::string> candidates = {rel};
#ifdef NNPLAY_UI_SOURCE_DIR
    candidates.push_back(std::string(NNPLAY_UI_SOURCE_DIR) + "/" + rel);
#endif
    std::shared_ptr<const StFile> file;
    for (const std::string& c : candidates) {
      if (!file_exists(c)) continue;
      try {
        file = std::make_shared<const StFile>(read_safetensors(c));
      } catch (const Error&) {
        file.reset();  // a damaged recording: no comparison, as for a missing one
      }
      break;
    }
    s.recordings.emplace_back(name, std::move(file));
  }
}

// The recording of this very step, if one exists; else why not (the recording of the
// same kind of model says what differs).
void compare(StepState& s) {
  load_recordings(s);
  s.comparison.reset();
  s.recorded.reset();
  s.recording.clear();
  s.no_comparison.clear();
  bool conv = false;
  for (const TraceModule& m : s.trace->modules) conv |= m.kind == "Conv2d";
  const std::string kind = s.source == StepSource::Network       ? "xor"
                           : conv                                 ? "cnn"  // none recorded
                           : linear_modules(*s.trace).size() == 1 ? "linear"
                                                                   : "mlp";
  bool any = false;
  for (const auto& [name, file] : s.recordings) {
    if (!file) continue;
    any = true;
    StepComparison c = compare_with_recorded(*s.trace, *file);
    if (c.same_case) {
      s.comparison = std::move(c);
      s.recorded = file;
      s.recording = name;
      return;
    }
    if (name == kind) s.no_comparison = c.why_not;
  }
  if (!any) s.no_comparison = "the recordings (assets/step) were not found";
  else if (s.no_comparison.empty()) s.no_comparison = "no recording of this model";
}

bool parse_weight(const std::string& v, WeightRef& w) {
  long long layer = 0, row = 0, col = 0;
  char tail = 0;
  if (std::sscanf(v.c_str(), "%lld,%lld,%lld%c", &layer, &row, &col, &tail) != 3) return false;
  w = {int(layer), row, col};
  return true;
}

}  // namespace

void step_show(StepPanel& panel, TracedStep step) {
  StepState& s = panel.state;
  s.spec = std::move(step.spec);
  s.source_generation = step.generation;
  s.optimizer = std::move(step.optimizer);
  s.origin = std::move(step.origin);
  s.source = step.source;
  s.trace = std::make_shared<const StepTrace>(std::move(step.trace));
  s.stage = 0;
  s.sample = 0;
  s.trained_on = false;
  s.error.clear();
  s.pick = default_chain_weight(*s.trace);
  s.chain = chain_rule(*s.trace, s.pick);
  compare(s);
}

const char* step_source_key(StepSource s) {
  switch (s) {
    case StepSource::None: return "";
    case StepSource::Network: return "network";
    case StepSource::Mnist: return "mnist";
  }
  return "";
}

void step_go(StepPanel& panel, int stage) {
  StepState& s = panel.state;
  if (!s.trace) return;
  s.stage = std::clamp(stage, 0, int(s.trace->stages.size()) - 1);
}

void step_next(StepPanel& panel) { step_go(panel, panel.state.stage + 1); }
void step_prev(StepPanel& panel) { step_go(panel, panel.state.stage - 1); }

bool step_pick(StepPanel& panel, const WeightRef& w) {
  StepState& s = panel.state;
  if (!s.trace) return false;
  try {
    s.chain = chain_rule(*s.trace, w);
  } catch (const Error&) {
    return false;
  }
  s.pick = w;
  return true;
}

std::span<const Command<StepPanel>> step_commands() {
  using P = StepPanel&;
  using A = const CommandArg&;
  static const Command<StepPanel> table[] = {
      {"step.next", ArgKind::None, [](P p, A) { step_next(p); return bool(p.state.trace); }},
      {"step.prev", ArgKind::None, [](P p, A) { step_prev(p); return bool(p.state.trace); }},
      // A stage by its index or its id ("loss", "dW1", ...).
      {"step.stage", ArgKind::Text,
       [](P p, A a) {
         if (!p.state.trace) return false;
         const auto& stages = p.state.trace->stages;
         for (size_t i = 0; i < stages.size(); ++i)
           if (stages[i].id == a.text) {
             step_go(p, int(i));
             return true;
           }
         char* end = nullptr;
         const long i = std::strtol(a.text.c_str(), &end, 10);
         if (a.text.empty() || *end || i < 0 || i >= long(stages.size())) return false;
         step_go(p, int(i));
         return true;
       }},
      {"step.pick", ArgKind::Text,
       [](P p, A a) {
         WeightRef w;
         return parse_weight(a.text, w) && step_pick(p, w);
       }},
      {"step.sample", ArgKind::Int,
       [](P p, A a) {
         if (!p.state.trace || a.number < 0 || a.number >= p.state.trace->batch_size) return false;
         p.state.sample = int(a.number);
         return true;
       }},
  };
  return table;
}

}  // namespace nnplay::ui
