// The MNIST panel's commands, applied to its session between training slices.
#include "mnist/mnist_runner.h"

#include "nnplay/error.h"

namespace nnplay::ui {

std::string MnistRunner::configure(const MnistConfig& cfg, std::shared_ptr<const MnistData> data,
                                   const MnistOrigin& origin) {
  std::unique_ptr<MnistSession> fresh;
  try {
    fresh = std::make_unique<MnistSession>(cfg, std::move(data), origin, runner_.next_generation());
  } catch (const Error& e) {
    return e.what();
  }
  runner_.replace(std::move(fresh));
  return "";
}

void MnistRunner::set_running(bool on) {
  runner_.command([&](MnistSession& s) { s.set_running(on); });
}

void MnistRunner::set_lr(float lr) {
  runner_.command([&](MnistSession& s) { s.set_lr(lr); });
}

void MnistRunner::set_max_epochs(int n) {
  runner_.command([&](MnistSession& s) { s.set_max_epochs(n); });
}

void MnistRunner::finetune(std::vector<PersonalSample> samples, int steps) {
  runner_.command([&](MnistSession& s) { s.finetune(std::move(samples), steps); });
}

std::vector<float> MnistRunner::params() const {
  return runner_.read([](const MnistSession& s) { return s.params(); }, std::vector<float>{});
}

}  // namespace nnplay::ui
