// Everything the front end remembers between frames, in plain structs (no statics): the
// settings (the shareable part), the context every panel gets, and each panel's working
// state, with the view of it that the panel's functions take (its settings, its state and
// the context; nothing of another panel). Defined here, out of app.h, so that the
// platform mains never depend on panel internals.
#pragma once

#include <cstdint>
#include <string>

#include "gates/gates_panel.h"
#include "loss_lab/loss_lab_panel.h"
#include "mnist/mnist_state.h"
#include "network_lab/network_lab_panel.h"
#include "one_step/step_actions.h"
#include "shell/settings.h"
#include "testing/self_test.h"

namespace nnplay::ui {

struct AppState {
  Settings s;
  PanelContext ui;
  std::string published_settings;  // the settings string last reported as changed
  bool settings_changed = false;
  uint64_t frames = 0;
  float overflow_x = 0;  // how far the last frame's content reached past the window's width

  GatesState gates;
  LossState loss;
  NetworkState network;
  MnistState mnist;
  StepState step;  // the one-step view
  SelfTest self_test;

  // The panels' views (AppState lives behind a unique_ptr and never moves).
  GatesPanel gates_panel{s.gates, gates, ui};
  LossLabPanel loss_panel{s.loss, loss, ui};
  NetworkLabPanel network_panel{s.network, network, ui};
  MnistPanel mnist_panel{s.mnist, mnist, ui};
  StepPanel step_panel{step, ui};

  AppState() { ui.hidden = &s.hidden; }
  AppState(const AppState&) = delete;
  AppState& operator=(const AppState&) = delete;
};

}  // namespace nnplay::ui
