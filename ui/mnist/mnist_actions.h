// The MNIST panel's operations, shared by its widgets, the settings string and the test
// commands ("mnist.train", "mnist.draw=[[[x,y],...]]", ...), so that a click, a setting
// and a test reach the same code. Nothing is loaded until the panel is first used
// (mnist_start): then the desktop reads data/mnist in the background and the default
// model from assets/models, and the page waits for its glue to deliver both.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "mnist/mnist_state.h"
#include "widgets/commands.h"

namespace nnplay::ui {

// True in the WebAssembly page (files come from its glue; downloads go through it).
bool mnist_page_build();

void mnist_start(MnistPanel& panel);  // first use: ask for the data and the default weights
// Once per frame (cheap until started): picks up loaded data, trains a slice in the
// page, and keeps the predictor and the pad's probabilities in step with the weights.
void mnist_frame(MnistPanel& panel, double slice_ms);
// After panel.s changed: the model's shape or seed starts a new model; the optimizer,
// batch, image counts or device rebuild the run from the current weights; learning rate
// and epochs change the running session in place.
void sync_mnist(MnistPanel& panel, const MnistSettings& before);

void mnist_new_model(MnistPanel& panel);  // fresh weights from the seed (the Reset button)
void mnist_set_training(MnistPanel& panel, bool on);
bool mnist_load_weights(MnistPanel& panel, const std::string& path);
// The trained CNN shipped in assets/models (the page fetches it first, then loads it).
bool mnist_load_trained_cnn(MnistPanel& panel);
// Saving: on the desktop to `path`; in the page into its download folder (path is then
// the file's name), for the glue to hand to the browser.
bool mnist_save_weights(MnistPanel& panel, const std::string& path);
bool mnist_save_png(MnistPanel& panel, const std::string& path);
void mnist_start_data(MnistPanel& panel, const std::string& dir);
bool mnist_finetune(MnistPanel& panel, int steps);
void mnist_pad_test_digit(MnistPanel& panel);        // a random test image onto the pad
void mnist_show_sample(MnistPanel& panel, int index);  // the browser's test image (clamped)
void mnist_random_sample(MnistPanel& panel);
// Recomputes the pad's (and the browsed sample's) probabilities when the image or the
// weights changed since the last time.
void mnist_refresh_predictions(MnistPanel& panel);

// The panel's command table: mnist.train, mnist.pause, mnist.reset, mnist.clear,
// mnist.random_digit, mnist.sample[_next|_prev|_random|=N], mnist.draw=<strokes JSON>,
// mnist.brush=<radius>, mnist.confusion=<truth-pred|none>, mnist.personal_add=<label>,
// mnist.personal_clear, mnist.finetune[=steps], mnist.save_weights[=path],
// mnist.save_png[=path], mnist.load_cnn (the trained CNN); and what the page's glue
// delivers: mnist.data_progress=<0..1>, mnist.data=<folder>, mnist.data_error=<why>,
// mnist.default_weights=<path>, mnist.load_weights=<path> (a file opened, dropped or named
// by ?weights=) and mnist.weights_error=<why>.
std::span<const Command<MnistPanel>> mnist_commands();
// Runs an "mnist.*" command (starting the panel first, and keeping the predictions in
// step); nullopt when cmd is not one.
std::optional<bool> run_mnist_command(MnistPanel& panel, std::string_view cmd);

}  // namespace nnplay::ui
