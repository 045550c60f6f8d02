// The MNIST panel (panel 4): the tutorial's MNIST chapter, interactive. Its parts are
// drawn by panel_mnist.cpp (layout, status, training controls, settings, weights file),
// panel_mnist_views.cpp (the measured column: recorded results, curves, weight images,
// confusion matrix; and the test-image browser) and panel_mnist_pad.cpp (the drawing pad
// and fine-tuning on drawn digits).
#pragma once

#include "imgui.h"
#include "mnist/mnist_state.h"
#include "widgets/layout.h"
#include "widgets/panel_style.h"
#include "widgets/translations.h"

namespace nnplay::ui {

// The panel's palette: the training curves' blue (also the train button), the test
// curve's orange, and green / red for right and wrong.
constexpr ImU32 kMnistAccent = IM_COL32(8, 119, 189, 255);
constexpr ImU32 kMnistAccentHover = IM_COL32(30, 145, 220, 255);
constexpr ImU32 kMnistTest = IM_COL32(245, 147, 34, 255);
constexpr ImU32 kMnistGood = IM_COL32(90, 200, 110, 255);
constexpr ImU32 kMnistBad = IM_COL32(230, 80, 70, 255);

void draw_mnist_panel(MnistPanel& panel);

// A part's heading: a quiet title over a rule.
void mnist_heading(const char* text);
// A button's width for its label; and a row that wraps: the next item stays on this line
// only when `width` still fits (a phone's narrow column).
float mnist_button_width(const char* label);
void mnist_flow(float width);

// Parts, in the order draw_mnist_panel places them.
void draw_mnist_pad(MnistPanel& panel, const MnistSnapshot* s);
void draw_mnist_samples(MnistPanel& panel, const MnistSnapshot& s);
void draw_mnist_finetune(MnistPanel& panel, const MnistSnapshot* s);
// Inside a CNN: the first layer's filters and the pad's feature maps (nothing for an MLP).
void draw_mnist_cnn(MnistPanel& panel);
// The measured column: the model and its recorded results, curves with the tutorial's
// per-epoch costs, weight images, confusion matrix.
void draw_mnist_results(MnistPanel& panel, const MnistSnapshot& s);

}  // namespace nnplay::ui
