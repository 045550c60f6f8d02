// The MNIST panel's operations, shared by its widgets, the settings string and the test
// commands ("mnist.train", "mnist.draw=[[[x,y],...]]", ...), so that a click, a setting
// and a test reach the same code. Nothing is loaded until the panel is first used
// (mnist_start): then the desktop reads data/mnist in the background and the default
// model from assets/models, and the page waits for its glue to deliver both.
#pragma once

#include <string>

#include "shell/app_state.h"

namespace nnplay::ui {

// True in the WebAssembly page (files come from its glue; downloads go through it).
bool mnist_page_build();

void mnist_start(AppState& st);  // first use: ask for the data and the default weights
// Once per frame (cheap until started): picks up loaded data, trains a slice in the
// page, and keeps the predictor and the pad's probabilities in step with the weights.
void mnist_frame(AppState& st, double slice_ms);
// After st.s.mnist changed: the model's shape or seed starts a new model; the optimizer,
// batch, image counts or device rebuild the run from the current weights; learning rate
// and epochs change the running session in place.
void sync_mnist(AppState& st, const MnistSettings& before);

void mnist_new_model(AppState& st);  // fresh weights from the seed (the Reset button)
void mnist_set_training(AppState& st, bool on);
bool mnist_load_weights(AppState& st, const std::string& path);
// The trained CNN shipped in assets/models (the page fetches it first, then loads it).
bool mnist_load_trained_cnn(AppState& st);
// Saving: on the desktop to `path`; in the page into its download folder (path is then
// the file's name), for the glue to hand to the browser.
bool mnist_save_weights(AppState& st, const std::string& path);
bool mnist_save_png(AppState& st, const std::string& path);
void mnist_start_data(AppState& st, const std::string& dir);
bool mnist_finetune(AppState& st, int steps);
void mnist_pad_test_digit(AppState& st);        // a random test image onto the pad
void mnist_show_sample(AppState& st, int index);  // the browser's test image (clamped)
void mnist_random_sample(AppState& st);
// Recomputes the pad's (and the browsed sample's) probabilities when the image or the
// weights changed since the last time.
void mnist_refresh_predictions(AppState& st);

// "mnist.*" commands (see App::test_command; mnist.load_cnn loads the trained CNN); false
// when unknown or when it failed. The
// page's glue uses some of them too: mnist.data_progress=<0..1>, mnist.data=<folder>,
// mnist.data_error=<why>, mnist.default_weights=<path>, mnist.load_weights=<path> (a
// file opened, dropped or named by ?weights=) and mnist.weights_error=<why>.
bool run_mnist_command(AppState& st, const std::string& cmd);

// The self-test's MNIST check, one call per frame: -1 while running, 0 passed, 1 failed.
int mnist_self_test(AppState& st, long frame, std::string& detail);

}  // namespace nnplay::ui
