// The perceptron & gates panel's room: its working state, the view of it that its
// functions take (its settings, its state and the shell's context, nothing else), what
// its buttons do (also by name, in gates_commands()) and its drawing.
#pragma once

#include <span>

#include "gates/gates_settings.h"
#include "gates/perceptron_stepper.h"
#include "training/network_view.h"
#include "training/training_runner.h"
#include "widgets/commands.h"
#include "widgets/panel_context.h"

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

struct GatesPanel {
  GatesSettings& s;
  GatesState& state;
  PanelContext& ui;
};

void gates_init(GatesPanel& panel);
// After the settings changed (a settings string, a slider): only what differs is redone.
void gates_sync(GatesPanel& panel, const GatesSettings& before);
void gates_frame(GatesPanel& panel, double dt);  // the XOR network's slice, the rule's animation

// Selecting a gate also puts the tutorial's weights on the sliders.
void select_gate(GatesPanel& panel, Gate g);
void restart_learning_rule(GatesPanel& panel);
void learning_rule_step(GatesPanel& panel);  // one input of the rule; its weights go onto the sliders
void start_xor221(GatesPanel& panel);        // (re)builds the 2-2-1 network and starts training

// gates.learn, gates.pause, gates.step, gates.finish, gates.gate=and|nand|or|xor,
// xor221.train, xor221.pause, xor221.reset.
std::span<const Command<GatesPanel>> gates_commands();

void draw_gates_panel(GatesPanel& panel);

}  // namespace nnplay::ui
