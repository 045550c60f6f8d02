// State changes shared by widgets, settings strings and test commands.
#include "shell/app_actions.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include "mnist/mnist_actions.h"
#include "network_lab/network_presets.h"
#include "one_step/step_actions.h"
#include "nnplay/error.h"

namespace nnplay::ui {

namespace {

// The 2-2-1 network gets XOR right after a few hundred epochs (seed 1: 368) and
// spends the rest sharpening; 1000 epochs a second makes that a five-second show.
constexpr int kXor221Epochs = 5000;
constexpr int kXor221Speed = 1000;

NetworkConfig xor221_config(const GatesSettings& g) {
  NetworkSettings n;
  n.dataset = Toy2D::Xor;
  n.layers = {2, 2, 1};
  n.activation = Activation::Sigmoid;
  n.loss = LossKind::BCE;
  n.optimizer = "sgd";
  n.lr = g.xor_lr;
  n.seed = g.xor_seed;
  n.epochs = kXor221Epochs;
  n.speed = kXor221Speed;
  return network_config(n);
}

}  // namespace

void rebuild_network(AppState& st) {
  std::string err = st.network.runner->configure(network_config(st.s.network));
  st.network.config_error = err;
  if (!err.empty()) st.warnings.push_back("network lab: " + err);
  st.network.view_time = -1;
}

void learning_rule_step(AppState& st) {
  GatesState& g = st.gates;
  g.stepper.step();
  // The rule drives the sliders, so the line on the unit square moves with it.
  Perceptron w = g.stepper.weights();
  st.s.gates.w1 = std::clamp(w.w1, -kWeightLimit, kWeightLimit);
  st.s.gates.w2 = std::clamp(w.w2, -kWeightLimit, kWeightLimit);
  st.s.gates.b = std::clamp(w.b, -kWeightLimit, kWeightLimit);
  if (g.stepper.finished()) g.playing = false;
}

void init_runtime(AppState& st) {
  restart_learning_rule(st);
  st.gates.xor_started = false;
  sync_loss(st);
  if (!st.network.runner) st.network.runner = std::make_unique<TrainingRunner>(st.mode);
  rebuild_network(st);
}

void restart_learning_rule(AppState& st) {
  GatesState& g = st.gates;
  g.stepper.reset(st.s.gates.gate, st.s.gates.perceptron_lr);
  g.playing = false;
  g.step_clock = 0;
  g.engine_run = train_perceptron(st.s.gates.gate, st.s.gates.perceptron_lr, PerceptronStepper::kMaxEpochs);
}

void select_gate(AppState& st, Gate gate) {
  GatesSettings before = st.s.gates;
  st.s.gates.gate = gate;
  // XOR has no weights of its own; OR's get three of its four rows right, a fair start.
  Perceptron p = tutorial_perceptron(gate == Gate::XOR ? Gate::OR : gate);
  st.s.gates.w1 = p.w1;
  st.s.gates.w2 = p.w2;
  st.s.gates.b = p.b;
  sync_gates(st, before);
}

void start_xor221(AppState& st) {
  std::string err = st.gates.xor_runner.configure(xor221_config(st.s.gates));
  if (!err.empty()) {
    st.warnings.push_back("XOR 2-2-1: " + err);
    return;
  }
  st.gates.xor_started = true;
  st.gates.xor_runner.set_running(true);
}

void advance_animation(AppState& st, double dt) {
  GatesState& g = st.gates;
  if (!g.playing) return;
  g.step_clock += dt;
  const double period = 1.0 / std::max(0.5f, g.steps_per_second);
  // At most a few steps per frame, so a long stall does not fast-forward the animation.
  for (int i = 0; i < 8 && g.step_clock >= period && g.playing; ++i) {
    g.step_clock -= period;
    learning_rule_step(st);
  }
  if (g.step_clock > period) g.step_clock = period;
}

void sync_gates(AppState& st, const GatesSettings& before) {
  const GatesSettings& now = st.s.gates;
  if (now.gate != before.gate || now.perceptron_lr != before.perceptron_lr) restart_learning_rule(st);
  if (!st.gates.xor_started) return;
  if (now.xor_seed != before.xor_seed) {
    start_xor221(st);
  } else if (now.xor_lr != before.xor_lr) {
    st.gates.xor_runner.set_lr(now.xor_lr);
  }
}

void sync_loss(AppState& st) {
  st.loss.inputs = loss_lab_inputs(st.s.loss);
  st.loss.result = compute_loss_lab(st.loss.inputs, st.s.loss.scale);
}

void sync_network(AppState& st, const NetworkSettings& before) {
  const NetworkSettings& now = st.s.network;
  NetworkSettings structural = before;
  structural.lr = now.lr;
  structural.activation = now.activation;
  structural.epochs = now.epochs;
  structural.speed = now.speed;
  if (!(structural == now)) {
    rebuild_network(st);
    return;
  }
  TrainingRunner& r = *st.network.runner;
  if (now.lr != before.lr) r.set_lr(now.lr);
  if (now.activation != before.activation) r.set_activation(now.activation);
  if (now.epochs != before.epochs) r.set_max_epochs(now.epochs);
  if (now.speed != before.speed) r.set_speed(now.speed);
  st.network.view_time = -1;
}

void apply_learning_preset(AppState& st) {
  const NetworkSettings before = st.s.network;
  apply_preset(st.s.network, learning_preset(st.s.network.dataset));
  sync_network(st, before);
}

void sync_all(AppState& st, const Settings& before) {
  if (!(before.gates == st.s.gates)) sync_gates(st, before.gates);
  if (!(before.loss == st.s.loss)) sync_loss(st);
  if (!(before.network == st.s.network)) sync_network(st, before.network);
  if (!(before.mnist == st.s.mnist)) sync_mnist(st, before.mnist);
  if (before.panel != st.s.panel) st.select_tab = st.s.panel;
}

bool run_test_command(AppState& st, const std::string& cmd) {
  if (cmd.rfind("mnist.", 0) == 0) return run_mnist_command(st, cmd);
  if (cmd.rfind("step.", 0) == 0) return run_step_command(st, cmd);
  TrainingRunner& net = *st.network.runner;
  GatesState& g = st.gates;
  // Commands without a value: what the panels' buttons do.
  const std::pair<const char*, std::function<bool()>> actions[] = {
      {"network.train", [&] { net.set_running(true); return true; }},
      {"network.pause", [&] { net.set_running(false); return true; }},
      {"network.step", [&] { net.step_epoch(); return true; }},
      {"network.reset", [&] { rebuild_network(st); return st.network.config_error.empty(); }},
      {"network.preset", [&] { apply_learning_preset(st); return st.network.config_error.empty(); }},
      {"xor221.train",
       [&] {
         if (g.xor_started) {
           g.xor_runner.set_running(true);
         } else {
           start_xor221(st);
         }
         return g.xor_started;
       }},
      {"xor221.pause", [&] { g.xor_runner.set_running(false); return true; }},
      {"xor221.reset",
       [&] {
         start_xor221(st);
         g.xor_runner.set_running(false);
         return g.xor_started;
       }},
      {"gates.learn",
       [&] {
         restart_learning_rule(st);
         g.playing = true;
         return true;
       }},
      {"gates.pause", [&] { g.playing = false; return true; }},
      {"ui.expand_all", [&] { st.expand_all = true; return true; }},
      {"ui.collapse_default", [&] { st.expand_all = false; return true; }},
      {"gates.step", [&] { learning_rule_step(st); return true; }},
      {"gates.finish",
       [&] {
         while (!g.stepper.finished()) learning_rule_step(st);
         return true;
       }},
  };
  for (const auto& [name, action] : actions)
    if (cmd == name) return action();

  const size_t eq = cmd.find('=');
  if (eq == std::string::npos) return false;
  const std::string key = cmd.substr(0, eq), value = cmd.substr(eq + 1);
  if (key == "settings") {
    size_t known = st.warnings.size();
    Settings before = st.s;
    st.s = parse_settings(value, st.warnings);
    sync_all(st, before);
    st.select_tab = st.s.panel;
    return st.warnings.size() == known;
  }
  if (key == "gate") {
    // Like the panel's gate buttons: the gate with the tutorial's weights on the sliders.
    try {
      select_gate(st, parse_gate(value));
    } catch (const Error&) {
      return false;
    }
    return true;
  }
  Settings before = st.s;
  if (!apply_setting(st.s, key, value).empty()) return false;
  sync_all(st, before);
  if (key == "panel") st.select_tab = st.s.panel;
  return true;
}

}  // namespace nnplay::ui
