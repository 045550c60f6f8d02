// The --self-test walk: a fixed list of checks run one per frame or over many frames
// (training), each driving the panels through the same commands as a user or a test
// would, and checking real results (tutorial weights compute their gates, the
// learning rule converges or cycles as the engine says, XOR is learnt to accuracy 1.0,
// the five costs agree, settings round-trip). The user's settings are restored at the end.
#pragma once

#include <string>

namespace nnplay::ui {

struct AppState;

struct SelfTest {
  bool started = false;
  int result = -1;  // -1 running, 0 passed, 1 failed
  size_t step = 0;
  long step_frames = 0;       // frames spent in the current step
  double step_started = 0;    // seconds (steady clock) when the current step began
  std::string saved_settings;  // restored when the walk ends
  bool saved_expand_all = false;
  int failures = 0;
};

// One frame of the walk; returns -1 while running, then 0 (all passed) or 1 forever.
int self_test_step(AppState& st, std::string& log);

// The walk's MNIST check, one call per frame: -1 while running, 0 passed, 1 failed.
int mnist_self_test(AppState& st, long frame, std::string& detail);

}  // namespace nnplay::ui
