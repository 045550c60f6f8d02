// What the network lab's controls do (network_lab_panel.h), and its command table.
#include <memory>

#include "network_lab/network_lab_panel.h"
#include "network_lab/network_presets.h"

namespace nnplay::ui {

namespace {

// Training time per frame in the page: enough to make progress, little enough that a
// 60 Hz page keeps drawing smoothly.
constexpr double kNetworkSliceMs = 6.0;

}  // namespace

void network_init(NetworkLabPanel& panel) {
  if (!panel.state.runner) panel.state.runner = std::make_unique<TrainingRunner>(panel.ui.mode);
  rebuild_network(panel);
}

void network_frame(NetworkLabPanel& panel) {
  if (panel.ui.mode == TrainingMode::PerFrameSlices) panel.state.runner->pump(kNetworkSliceMs);
}

void rebuild_network(NetworkLabPanel& panel) {
  std::string err = panel.state.runner->configure(network_config(panel.s));
  panel.state.config_error = err;
  if (!err.empty()) panel.ui.warnings.push_back("network lab: " + err);
  panel.state.view_time = -1;
}

void network_sync(NetworkLabPanel& panel, const NetworkSettings& before) {
  const NetworkSettings& now = panel.s;
  NetworkSettings structural = before;
  structural.lr = now.lr;
  structural.activation = now.activation;
  structural.epochs = now.epochs;
  structural.speed = now.speed;
  if (!(structural == now)) {
    rebuild_network(panel);
    return;
  }
  TrainingRunner& r = *panel.state.runner;
  if (now.lr != before.lr) r.set_lr(now.lr);
  if (now.activation != before.activation) r.set_activation(now.activation);
  if (now.epochs != before.epochs) r.set_max_epochs(now.epochs);
  if (now.speed != before.speed) r.set_speed(now.speed);
  panel.state.view_time = -1;
}

void apply_learning_preset(NetworkLabPanel& panel) {
  const NetworkSettings before = panel.s;
  apply_preset(panel.s, learning_preset(panel.s.dataset));
  network_sync(panel, before);
}

std::span<const Command<NetworkLabPanel>> network_commands() {
  using P = NetworkLabPanel&;
  using A = const CommandArg&;
  static const Command<NetworkLabPanel> table[] = {
      {"network.train", ArgKind::None, [](P p, A) { p.state.runner->set_running(true); return true; }},
      {"network.pause", ArgKind::None, [](P p, A) { p.state.runner->set_running(false); return true; }},
      {"network.step", ArgKind::None, [](P p, A) { p.state.runner->step_epoch(); return true; }},
      {"network.reset", ArgKind::None,
       [](P p, A) {
         rebuild_network(p);
         return p.state.config_error.empty();
       }},
      {"network.preset", ArgKind::None,
       [](P p, A) {
         apply_learning_preset(p);
         return p.state.config_error.empty();
       }},
  };
  return table;
}

}  // namespace nnplay::ui
