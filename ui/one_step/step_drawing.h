// The one-step view's pictures: the network with the stage's values on its neurons
// (forward: what each neuron computed; backward: its gradient) and its weights or their
// gradients on the edges, and, for MNIST models, the batch as 28×28 digits and the first
// layer's weights, gradients, steps and new weights as 28×28 images. Clicking an edge or
// a pixel of a weight image picks the weight whose chain rule the view writes out.
#pragma once

#include <string>

#include "one_step/step_actions.h"

namespace nnplay::ui {

// The index of a stage by id, and of the stage that first shows a tensor; -1 if absent.
int stage_index(const StepTrace& t, const std::string& id);
int tensor_stage(const StepTrace& t, const std::string& key);

// The graph in a width × height canvas (reported as "step.visual").
void draw_step_network(StepPanel& panel, float width, float height);
// Whether the model reads 28×28 images (then draw_step_images has something to draw).
bool step_has_images(const StepTrace& t);
void draw_step_images(StepPanel& panel, float width);

}  // namespace nnplay::ui
