// Text views of the app state for outside readers: the JSON that tests read
// (App::test_state_json) and the one-line summary for a screen reader's live region
// (App::live_status).
#pragma once

#include <string>

#include "shell/app_state.h"

namespace nnplay::ui {

std::string state_json(const AppState& st);
std::string status_line(const AppState& st);

}  // namespace nnplay::ui
