// What the gates panel's controls do (gates_panel.h): the perceptron learning rule, step
// by step or animated, and the 2-2-1 network that learns XOR; and their command table.
#include <algorithm>
#include <string>

#include "gates/gates_panel.h"
#include "nnplay/error.h"

namespace nnplay::ui {

namespace {

// The XOR slice per frame: the network is tiny, 2 ms is plenty.
constexpr double kXorSliceMs = 2.0;
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

void advance_animation(GatesPanel& panel, double dt) {
  GatesState& g = panel.state;
  if (!g.playing) return;
  g.step_clock += dt;
  const double period = 1.0 / std::max(0.5f, g.steps_per_second);
  // At most a few steps per frame, so a long stall does not fast-forward the animation.
  for (int i = 0; i < 8 && g.step_clock >= period && g.playing; ++i) {
    g.step_clock -= period;
    learning_rule_step(panel);
  }
  if (g.step_clock > period) g.step_clock = period;
}

}  // namespace

void gates_init(GatesPanel& panel) {
  restart_learning_rule(panel);
  panel.state.xor_started = false;
}

void gates_frame(GatesPanel& panel, double dt) {
  panel.state.xor_runner.pump(kXorSliceMs);
  advance_animation(panel, dt);
}

void learning_rule_step(GatesPanel& panel) {
  GatesState& g = panel.state;
  g.stepper.step();
  // The rule drives the sliders, so the line on the unit square moves with it.
  Perceptron w = g.stepper.weights();
  panel.s.w1 = std::clamp(w.w1, -kWeightLimit, kWeightLimit);
  panel.s.w2 = std::clamp(w.w2, -kWeightLimit, kWeightLimit);
  panel.s.b = std::clamp(w.b, -kWeightLimit, kWeightLimit);
  if (g.stepper.finished()) g.playing = false;
}

void restart_learning_rule(GatesPanel& panel) {
  GatesState& g = panel.state;
  g.stepper.reset(panel.s.gate, panel.s.perceptron_lr);
  g.playing = false;
  g.step_clock = 0;
  g.engine_run = train_perceptron(panel.s.gate, panel.s.perceptron_lr, PerceptronStepper::kMaxEpochs);
}

void select_gate(GatesPanel& panel, Gate gate) {
  GatesSettings before = panel.s;
  panel.s.gate = gate;
  // XOR has no weights of its own; OR's get three of its four rows right, a fair start.
  Perceptron p = tutorial_perceptron(gate == Gate::XOR ? Gate::OR : gate);
  panel.s.w1 = p.w1;
  panel.s.w2 = p.w2;
  panel.s.b = p.b;
  gates_sync(panel, before);
}

void start_xor221(GatesPanel& panel) {
  std::string err = panel.state.xor_runner.configure(xor221_config(panel.s));
  if (!err.empty()) {
    panel.ui.warnings.push_back("XOR 2-2-1: " + err);
    return;
  }
  panel.state.xor_started = true;
  panel.state.xor_runner.set_running(true);
}

void gates_sync(GatesPanel& panel, const GatesSettings& before) {
  const GatesSettings& now = panel.s;
  if (now.gate != before.gate || now.perceptron_lr != before.perceptron_lr) restart_learning_rule(panel);
  if (!panel.state.xor_started) return;
  if (now.xor_seed != before.xor_seed) {
    start_xor221(panel);
  } else if (now.xor_lr != before.xor_lr) {
    panel.state.xor_runner.set_lr(now.xor_lr);
  }
}

std::span<const Command<GatesPanel>> gates_commands() {
  using A = const CommandArg&;
  static const Command<GatesPanel> table[] = {
      {"gates.learn", ArgKind::None,
       [](GatesPanel& p, A) {
         restart_learning_rule(p);
         p.state.playing = true;
         return true;
       }},
      {"gates.pause", ArgKind::None, [](GatesPanel& p, A) { p.state.playing = false; return true; }},
      {"gates.step", ArgKind::None, [](GatesPanel& p, A) { learning_rule_step(p); return true; }},
      {"gates.finish", ArgKind::None,
       [](GatesPanel& p, A) {
         while (!p.state.stepper.finished()) learning_rule_step(p);
         return true;
       }},
      // Like the panel's gate buttons: the gate with the tutorial's weights on the sliders.
      {"gates.gate", ArgKind::Text,
       [](GatesPanel& p, A a) {
         try {
           select_gate(p, parse_gate(a.text));
         } catch (const Error&) {
           return false;
         }
         return true;
       }},
      {"xor221.train", ArgKind::None,
       [](GatesPanel& p, A) {
         if (p.state.xor_started) p.state.xor_runner.set_running(true);
         else start_xor221(p);
         return p.state.xor_started;
       }},
      {"xor221.pause", ArgKind::None, [](GatesPanel& p, A) { p.state.xor_runner.set_running(false); return true; }},
      {"xor221.reset", ArgKind::None,
       [](GatesPanel& p, A) {
         start_xor221(p);
         p.state.xor_runner.set_running(false);
         return p.state.xor_started;
       }},
  };
  return table;
}

}  // namespace nnplay::ui
