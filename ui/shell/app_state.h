// Everything the front end remembers between frames, in plain structs (no statics):
// the settings (the shareable part) and each panel's working state derived from them.
// Defined here, out of app.h, so the platform mains never depend on panel internals.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shell/app.h"
#include "widgets/layout.h"
#include "loss_lab/loss_lab.h"
#include "mnist/mnist_state.h"
#include "training/network_view.h"
#include "gates/perceptron_stepper.h"
#include "testing/self_test.h"
#include "shell/settings.h"
#include "one_step/step_state.h"
#include "training/training_runner.h"

namespace nnplay::ui {

struct GatesState {
  PerceptronStepper stepper;  // the animated learning rule
  bool playing = false;
  float steps_per_second = 4.0f;
  double step_clock = 0;  // seconds accumulated towards the next animated step
  PerceptronRun engine_run;  // train_perceptron's verdict for the same gate and rate
  // The 2-2-1 network for XOR: trained in per-frame slices in both modes (it is tiny).
  TrainingRunner xor_runner{TrainingMode::PerFrameSlices};
  bool xor_started = false;  // configured at least once
  bool open_xor_section = false;  // the one-click button asks the section to open
  NetworkView xor_view;
};

struct LossState {
  LossLabInputs inputs;
  LossLabResult result;
  int gradient_form = int(CostForm::CrossEntropy);  // whose dz the gradient table shows
};

struct NetworkState {
  std::unique_ptr<TrainingRunner> runner;
  NetworkView view;
  double view_time = -1;  // ImGui time of the last view update (throttled while training)
  std::string config_error;  // why the last rebuild failed, shown in the panel
};

struct AppState {
  Settings s;
  TrainingMode mode = TrainingMode::PerFrameSlices;
  std::vector<std::string> warnings;
  std::optional<PanelId> select_tab;  // a tab to bring to front on the next frame
  std::string published_settings;     // the settings string last reported as changed
  bool settings_changed = false;
  uint64_t frames = 0;
  bool expand_all = false;  // every section open (tests and the self-test draw them all)
  RectReport rects;         // where the panels' main visuals and train buttons were drawn
  float overflow_x = 0;     // how far the last frame's content reached past the window's width
  GatesState gates;
  LossState loss;
  NetworkState network;
  MnistState mnist;
  StepState step;  // the one-step view
  SelfTest self_test;
};

}  // namespace nnplay::ui
