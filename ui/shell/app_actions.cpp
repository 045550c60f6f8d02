// The shell's operations (app_actions.h): start-up, settings changes, the panels'
// requests and commands by name. What a panel's buttons do lives in the panel's folder;
// only what spans two panels (the one-step view on another panel's model) is here.
#include "shell/app_actions.h"

#include <memory>
#include <utility>

#include "mnist/mnist_actions.h"
#include "nnplay/backend.h"
#include "nnplay/batches.h"
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

// Everything the step needs, alive while it is taken (the batch points into the loader).
// The step is taken on a copy of the panel's model, on the CPU backend (the numerical
// reference, as `nnplay-train step` does), so the panel is untouched until "Train on".
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

bool trace_network(AppState& st) {
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
  TracedStep t;
  t.source = StepSource::Network;
  t.spec = snap->config.spec;
  t.generation = snap->generation;
  t.optimizer = snap->config.optimizer.name;
  t.trace = trace_step(*in.model, step_sgd(snap->config.optimizer, snap->lr), snap->config.loss, in.batch);
  step_show(st.step_panel, std::move(t));
  return true;
}

bool trace_mnist(AppState& st) {
  MnistState& m = st.mnist;
  auto snap = m.runner ? m.runner->snapshot() : nullptr;
  if (!snap || !snap->data) {
    mnist_start(st.mnist_panel);  // asks for the data and the default model, if not yet asked
    st.step.error = "the MNIST panel's images and model are not loaded yet: open the MNIST panel first";
    return false;
  }
  mnist_set_training(st.mnist_panel, false);
  snap = m.runner->snapshot();
  StepInputs in;
  make_model(in, snap->config.spec, m.runner->params());
  // The run's first shuffled batch, as its trainer draws it (mnist_session.cpp).
  in.train = snap->data->train.head(snap->train_count);
  auto loader = std::make_unique<BatchLoader>(*in.backend, in.train, snap->config.batch, /*shuffle=*/true,
                                              /*drop_last=*/true, shuffle_seed(snap->config.seed));
  loader->start_epoch();
  if (!loader->next(in.batch)) throw Error("the training images are fewer than one batch");
  in.source = std::move(loader);
  TracedStep t;
  t.source = StepSource::Mnist;
  t.spec = snap->config.spec;
  t.generation = snap->generation;
  t.optimizer = snap->config.optimizer.name;
  t.origin = snap->origin;
  t.trace = trace_step(*in.model, step_sgd(snap->config.optimizer, snap->lr), LossKind::CrossEntropy, in.batch);
  step_show(st.step_panel, std::move(t));
  return true;
}

}  // namespace

void init_runtime(AppState& st) {
  gates_init(st.gates_panel);
  loss_sync(st.loss_panel);
  network_init(st.network_panel);
}

void sync_all(AppState& st, const Settings& before) {
  if (!(before.gates == st.s.gates)) gates_sync(st.gates_panel, before.gates);
  if (!(before.loss == st.s.loss)) loss_sync(st.loss_panel);
  if (!(before.network == st.s.network)) network_sync(st.network_panel, before.network);
  if (!(before.mnist == st.s.mnist)) sync_mnist(st.mnist_panel, before.mnist);
  if (before.panel != st.s.panel) st.ui.select_tab = st.s.panel;
}

bool open_one_step(AppState& st, PanelId source) {
  try {
    return source == PanelId::Network ? trace_network(st) : source == PanelId::Mnist && trace_mnist(st);
  } catch (const Error& e) {  // DivergenceError included: a loss that is not finite
    st.step.error = e.what();
    return false;
  }
}

bool hand_back_step(AppState& st) {
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
    st.ui.select_tab = PanelId::Network;
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
    st.ui.select_tab = PanelId::Mnist;
  } else {
    return false;
  }
  s.trained_on = true;
  return true;
}

void serve_panel_requests(AppState& st) {
  if (const auto source = std::exchange(st.ui.open_one_step, std::nullopt)) {
    if (open_one_step(st, *source)) st.ui.select_tab = PanelId::OneStep;
  }
  if (std::exchange(st.ui.hand_back_step, false)) hand_back_step(st);
}

bool run_test_command(AppState& st, const std::string& cmd) {
  // The panels' tables.
  if (auto r = run_mnist_command(st.mnist_panel, cmd)) return *r;
  if (auto r = run_command(gates_commands(), st.gates_panel, cmd)) return *r;
  if (auto r = run_command(loss_commands(), st.loss_panel, cmd)) return *r;
  if (auto r = run_command(network_commands(), st.network_panel, cmd)) return *r;
  if (auto r = run_command(step_commands(), st.step_panel, cmd)) return *r;
  // The shell's own.
  if (cmd == "step.train_on") return hand_back_step(st);
  if (cmd == "ui.expand_all" || cmd == "ui.collapse_default") {
    st.ui.expand_all = cmd == "ui.expand_all";
    return true;
  }
  const size_t eq = cmd.find('=');
  if (eq == std::string::npos) return false;
  const std::string key = cmd.substr(0, eq), value = cmd.substr(eq + 1);
  if (key == "step.open") {
    const PanelId source = value == "network" ? PanelId::Network : PanelId::Mnist;
    if (value != "network" && value != "mnist") return false;
    st.s.panel = PanelId::OneStep;
    st.ui.select_tab = PanelId::OneStep;
    return open_one_step(st, source);
  }
  if (key == "settings") {
    size_t known = st.ui.warnings.size();
    Settings before = st.s;
    st.s = parse_settings(value, st.ui.warnings);
    sync_all(st, before);
    st.ui.select_tab = st.s.panel;
    return st.ui.warnings.size() == known;
  }
  // gate= is the old name of gates.gate= (the panel's gate buttons).
  if (key == "gate") return *run_command(gates_commands(), st.gates_panel, "gates.gate=" + value);
  Settings before = st.s;
  if (!apply_setting(st.s, key, value).empty()) return false;
  sync_all(st, before);
  if (key == "panel") st.ui.select_tab = st.s.panel;
  return true;
}

}  // namespace nnplay::ui
