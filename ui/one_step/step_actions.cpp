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

#include "mnist/mnist_actions.h"
#include "nnplay/backend.h"
#include "nnplay/error.h"
#include "nnplay/recipes.h"
#include "nnplay/step_cases.h"

namespace nnplay::ui {

namespace {

// A model that trains with another optimizer (Adam) is shown one plain SGD step at the
// rate the step view's MLP recipe uses (step_cases.h), so that PyTorch's recording of
// that recipe still applies to it.
float non_sgd_rate() { return step_mnist_recipe("mlp").optimizer.lr; }

OptimizerConfig step_sgd(const OptimizerConfig& panel, float lr) {
  OptimizerConfig c;
  c.name = "sgd";
  c.lr = panel.name == "sgd" ? lr : non_sgd_rate();
  return c;
}

bool file_exists(const std::string& path) {
  struct stat s;
  return ::stat(path.c_str(), &s) == 0 && S_ISREG(s.st_mode);
}

// The recordings: assets/step/ under the working directory (the page embeds it there),
// else under the source tree (the desktop started from elsewhere).
void load_recordings(StepState& s) {
  if (!s.recordings.empty()) return;
  for (const char* name : {"xor", "linear", "mlp"}) {
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
  const std::string kind = s.source == StepSource::Network       ? "xor"
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

// Everything the step needs, alive while it is taken (the batch points into the loader).
struct StepInputs {
  std::unique_ptr<Backend> backend = make_cpu_backend(1);
  Rng rng{0};
  std::unique_ptr<Sequential> model;
  std::unique_ptr<BatchSource> source;
  Dataset train;
  Batch batch;
};

void make_model(StepInputs& in, const ModelSpec& spec, const std::vector<float>& params) {
  in.model = std::make_unique<Sequential>(*in.backend, spec, in.rng);
  Tensor& data = in.model->parameters().data();
  if (int64_t(params.size()) != data.numel()) throw Error("the panel's weights do not fit its model");
  data.from_host(params);
}

void start(StepState& s, StepSource source, StepTrace trace) {
  s.source = source;
  s.trace = std::make_shared<const StepTrace>(std::move(trace));
  s.stage = 0;
  s.sample = 0;
  s.trained_on = false;
  s.error.clear();
  s.pick = default_chain_weight(*s.trace);
  s.chain = chain_rule(*s.trace, s.pick);
  compare(s);
}

bool open_network(AppState& st) {
  TrainingRunner& runner = *st.network.runner;
  runner.set_running(false);  // the step is of the weights as they are now
  auto snap = runner.snapshot();
  if (!snap) {
    st.step.error = "the network lab has no model: " + st.network.config_error;
    return false;
  }
  StepInputs in;
  make_model(in, snap->config.spec, snap->params);
  // The whole training set, in order, as one batch (the tutorial's full-batch XOR).
  const Points2D& tr = snap->data->train;
  auto points = std::make_unique<PointBatches>(*in.backend, tr.x, tr.y, 2);
  points->start_epoch();
  if (!points->next(in.batch)) throw Error("the network lab's training set is empty");
  in.source = std::move(points);
  StepState& s = st.step;
  s.spec = snap->config.spec;
  s.source_generation = snap->generation;
  s.optimizer = snap->config.optimizer.name;
  s.origin.clear();
  start(s, StepSource::Network, trace_step(*in.model, step_sgd(snap->config.optimizer, snap->lr),
                                           snap->config.loss, in.batch));
  return true;
}

bool open_mnist(AppState& st) {
  MnistState& m = st.mnist;
  auto snap = m.runner ? m.runner->snapshot() : nullptr;
  if (!snap || !snap->data) {
    mnist_start(st);  // asks for the data and the default model, if not yet asked
    st.step.error = "the MNIST panel's images and model are not loaded yet: open the MNIST panel first";
    return false;
  }
  mnist_set_training(st, false);
  snap = m.runner->snapshot();
  if (snap->config.spec.is_layer_list()) {
    st.step.error = "the one-step view shows Linear models (784-10 and MLPs)";
    return false;
  }
  StepInputs in;
  make_model(in, snap->config.spec, m.runner->params());
  // The run's first shuffled batch, as its trainer draws it (mnist_session.cpp).
  in.train = snap->data->train.head(snap->train_count);
  auto loader = std::make_unique<BatchLoader>(*in.backend, in.train, snap->config.batch, /*shuffle=*/true,
                                              /*drop_last=*/true, shuffle_seed(snap->config.seed));
  loader->start_epoch();
  if (!loader->next(in.batch)) throw Error("the training images are fewer than one batch");
  in.source = std::move(loader);
  StepState& s = st.step;
  s.spec = snap->config.spec;
  s.source_generation = snap->generation;
  s.optimizer = snap->config.optimizer.name;
  s.origin = snap->origin;
  start(s, StepSource::Mnist,
        trace_step(*in.model, step_sgd(snap->config.optimizer, snap->lr), LossKind::CrossEntropy, in.batch));
  return true;
}

bool parse_weight(const std::string& v, WeightRef& w) {
  long long layer = 0, row = 0, col = 0;
  char tail = 0;
  if (std::sscanf(v.c_str(), "%lld,%lld,%lld%c", &layer, &row, &col, &tail) != 3) return false;
  w = {int(layer), row, col};
  return true;
}

}  // namespace

const char* step_source_key(StepSource s) {
  switch (s) {
    case StepSource::None: return "";
    case StepSource::Network: return "network";
    case StepSource::Mnist: return "mnist";
  }
  return "";
}

bool step_open(AppState& st, StepSource source) {
  try {
    return source == StepSource::Network ? open_network(st) : source == StepSource::Mnist && open_mnist(st);
  } catch (const Error& e) {  // DivergenceError included: a loss that is not finite
    st.step.error = e.what();
    return false;
  }
}

void step_go(AppState& st, int stage) {
  StepState& s = st.step;
  if (!s.trace) return;
  s.stage = std::clamp(stage, 0, int(s.trace->stages.size()) - 1);
}

void step_next(AppState& st) { step_go(st, st.step.stage + 1); }
void step_prev(AppState& st) { step_go(st, st.step.stage - 1); }

bool step_pick(AppState& st, const WeightRef& w) {
  StepState& s = st.step;
  if (!s.trace) return false;
  try {
    s.chain = chain_rule(*s.trace, w);
  } catch (const Error&) {
    return false;
  }
  s.pick = w;
  return true;
}

bool step_train_on(AppState& st) {
  StepState& s = st.step;
  if (!s.trace) return false;
  const std::vector<float>& after = s.trace->params_after;
  if (s.source == StepSource::Network) {
    auto snap = st.network.runner->snapshot();
    if (!snap || snap->generation != s.source_generation) {
      s.error = "the network lab has a new model since this step: open the step again";
      return false;
    }
    s.error = st.network.runner->set_parameters(after);
    if (!s.error.empty()) return false;
    st.network.view_time = -1;
    st.select_tab = PanelId::Network;
  } else if (s.source == StepSource::Mnist) {
    MnistState& m = st.mnist;
    auto snap = m.runner ? m.runner->snapshot() : nullptr;
    if (!snap || snap->generation != s.source_generation) {
      s.error = "the MNIST panel has a new model since this step: open the step again";
      return false;
    }
    // A new run of the same configuration from the stepped weights, as the panel starts
    // one from "the weights trained so far".
    MnistOrigin origin;
    origin.label = "one traced step (from " + s.origin + ")";
    origin.params = std::make_shared<const std::vector<float>>(after);
    s.error = m.runner->configure(snap->config, m.loader.data(), origin);
    if (!s.error.empty()) return false;
    m.origin = origin;
    m.error.clear();
    s.source_generation = m.runner->snapshot()->generation;
    st.select_tab = PanelId::Mnist;
  } else {
    return false;
  }
  s.trained_on = true;
  return true;
}

bool run_step_command(AppState& st, const std::string& cmd) {
  const std::pair<const char*, std::function<bool()>> actions[] = {
      {"step.next", [&] { step_next(st); return bool(st.step.trace); }},
      {"step.prev", [&] { step_prev(st); return bool(st.step.trace); }},
      {"step.train_on", [&] { return step_train_on(st); }},
  };
  for (const auto& [name, action] : actions)
    if (cmd == name) return action();
  const size_t eq = cmd.find('=');
  if (eq == std::string::npos) return false;
  const std::string key = cmd.substr(0, eq), value = cmd.substr(eq + 1);
  if (key == "step.open") {
    const StepSource src = value == "network" ? StepSource::Network
                           : value == "mnist" ? StepSource::Mnist
                                              : StepSource::None;
    if (src == StepSource::None) return false;
    st.s.panel = PanelId::OneStep;
    st.select_tab = PanelId::OneStep;
    return step_open(st, src);
  }
  if (key == "step.pick") {
    WeightRef w;
    return parse_weight(value, w) && step_pick(st, w);
  }
  if (key == "step.sample") {
    if (!st.step.trace) return false;
    const int n = std::atoi(value.c_str());
    if (n < 0 || n >= st.step.trace->batch_size) return false;
    st.step.sample = n;
    return true;
  }
  if (key == "step.stage") {
    if (!st.step.trace) return false;
    const auto& stages = st.step.trace->stages;
    for (size_t i = 0; i < stages.size(); ++i)
      if (stages[i].id == value) {
        step_go(st, int(i));
        return true;
      }
    char* end = nullptr;
    const long i = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end || i < 0 || i >= long(stages.size())) return false;
    step_go(st, int(i));
    return true;
  }
  return false;
}

}  // namespace nnplay::ui
