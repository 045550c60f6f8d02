// The MNIST panel's part of the text views of the app state: its object in the JSON that
// tests read (App::test_state_json) and its one-line summary for the live region.
#pragma once

#include <string>

#include "mnist/mnist_state.h"
#include "widgets/json_writer.h"

namespace nnplay::ui {

void write_mnist_state(JsonWriter& j, const MnistPanel& panel);  // writes the "mnist" key and object
std::string mnist_status_line(const MnistPanel& panel);

}  // namespace nnplay::ui
