// The network lab's room: its working state (the training runner, the heat maps' view),
// the view of it that its functions take, what its buttons do (also by name, in
// network_commands()) and its drawing.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "training/network_settings.h"
#include "training/network_view.h"
#include "training/training_runner.h"
#include "widgets/commands.h"
#include "widgets/panel_context.h"

namespace nnplay::ui {

struct NetworkState {
  std::unique_ptr<TrainingRunner> runner;
  NetworkView view;
  double view_time = -1;  // ImGui time of the last view update (throttled while training)
  std::string config_error;  // why the last rebuild failed, shown in the panel
};

struct NetworkLabPanel {
  NetworkSettings& s;
  NetworkState& state;
  PanelContext& ui;
};

void network_init(NetworkLabPanel& panel);   // the runner (in the context's training mode) and its network
void network_frame(NetworkLabPanel& panel);  // the page's training slice
// After the settings changed. Learning rate, activation, the epoch limit and the speed
// change a running network in place; anything else rebuilds it (back to epoch 0).
void network_sync(NetworkLabPanel& panel, const NetworkSettings& before);
void rebuild_network(NetworkLabPanel& panel);  // back to epoch 0 with the current settings
// The "settings that learn it" for the chosen dataset (network_presets.h), as its
// button does; the run starts over, paused.
void apply_learning_preset(NetworkLabPanel& panel);

// network.train, network.pause, network.step (one epoch), network.reset, network.preset.
std::span<const Command<NetworkLabPanel>> network_commands();

void draw_network_lab_panel(NetworkLabPanel& panel);

}  // namespace nnplay::ui
