// The MNIST panel (panel 4): the tutorial's MNIST chapter, interactive. Its parts are
// drawn by panel_mnist.cpp (status, training controls, settings, data, weights file),
// panel_mnist_views.cpp (curves, weight images, confusion matrix, test-image browser)
// and panel_mnist_pad.cpp (the drawing pad and fine-tuning on drawn digits).
#pragma once

#include "app_state.h"

namespace nnplay::ui {

void draw_mnist_panel(AppState& st);

// Parts, each drawn inside its own collapsing section by draw_mnist_panel.
void draw_mnist_curves(const MnistSnapshot& s);
void draw_mnist_weight_images(AppState& st, const MnistSnapshot& s);
void draw_mnist_confusion(AppState& st, const MnistSnapshot& s);
void draw_mnist_samples(AppState& st, const MnistSnapshot& s);
void draw_mnist_pad(AppState& st, const MnistSnapshot* s);
void draw_mnist_finetune(AppState& st, const MnistSnapshot* s);

}  // namespace nnplay::ui
