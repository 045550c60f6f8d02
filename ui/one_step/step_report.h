// The one-step view's part of the text views of the app state: its object in the JSON
// that tests read (App::test_state_json) and its one-line summary for the live region.
#pragma once

#include <string>

#include "one_step/step_actions.h"
#include "widgets/json_writer.h"

namespace nnplay::ui {

void write_step_state(JsonWriter& j, const StepPanel& panel);  // writes the "step" key and object
std::string step_status_line(const StepPanel& panel);

}  // namespace nnplay::ui
