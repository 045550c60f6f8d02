// The network lab's commands, applied to its session between training slices.
#include "training/training_runner.h"

#include "nnplay/error.h"

namespace nnplay::ui {

std::string TrainingRunner::configure(const NetworkConfig& cfg) {
  std::unique_ptr<NetworkSession> fresh;
  try {
    fresh = std::make_unique<NetworkSession>(cfg, runner_.next_generation());
  } catch (const Error& e) {
    return e.what();
  }
  runner_.replace(std::move(fresh));
  return "";
}

void TrainingRunner::set_running(bool on) {
  runner_.command([&](NetworkSession& s) { s.set_running(on); });
}

void TrainingRunner::step_epoch() {
  runner_.command([](NetworkSession& s) {
    s.set_running(false);
    s.step_epoch();
  });
}

void TrainingRunner::set_lr(float lr) {
  runner_.command([&](NetworkSession& s) { s.set_lr(lr); });
}

std::string TrainingRunner::set_parameters(const std::vector<float>& params) {
  std::string err;
  runner_.command([&](NetworkSession& s) {
    try {
      s.set_parameters(params);
    } catch (const Error& e) {
      err = e.what();
    }
  });
  return err;
}

void TrainingRunner::set_activation(Activation a) {
  runner_.command([&](NetworkSession& s) { s.set_activation(a); });
}

void TrainingRunner::set_max_epochs(int n) {
  runner_.command([&](NetworkSession& s) { s.set_max_epochs(n); });
}

void TrainingRunner::set_speed(int epochs_per_second) {
  runner_.command([&](NetworkSession& s) { s.set_speed(epochs_per_second); });
}

}  // namespace nnplay::ui
