// Finding and loading the MNIST panel's data, in the background on the desktop.
#include "mnist/mnist_data.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <vector>

#include "nnplay/error.h"

namespace nnplay::ui {

namespace {

bool holds_mnist(const std::string& dir) {
  struct stat st;
  const std::string probe = dir + "/train-images-idx3-ubyte";
  return ::stat(probe.c_str(), &st) == 0 || ::stat((probe + ".gz").c_str(), &st) == 0;
}

void check_digits(const Dataset& d) {
  if (d.rows != 28 || d.cols != 28)
    throw Error(d.name + ": images are " + std::to_string(d.rows) + "x" + std::to_string(d.cols) +
                "; the MNIST panel draws 28x28 digits");
  for (uint8_t y : d.labels)
    if (y > 9) throw Error(d.name + ": label " + std::to_string(int(y)) + " is not a digit 0..9");
}

}  // namespace

std::string find_mnist_dir(const std::string& setting) {
  if (!setting.empty()) return setting;
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("NNPLAY_MNIST_DIR"); env && *env) candidates.push_back(env);
  candidates.push_back("data/mnist");
#ifdef NNPLAY_UI_SOURCE_DIR
  candidates.push_back(std::string(NNPLAY_UI_SOURCE_DIR) + "/data/mnist");
#endif
  for (const std::string& c : candidates)
    if (holds_mnist(c)) return c;
  return "data/mnist";  // the error will name it
}

std::shared_ptr<const MnistData> load_mnist_data(const std::string& dir) {
  auto d = std::make_shared<MnistData>();
  d->train = load_idx_dataset(dir, Split::Train);
  d->test = load_idx_dataset(dir, Split::Test);
  check_digits(d->train);
  check_digits(d->test);
  d->source = dir;
  return d;
}

void MnistDataLoader::start(const std::string& dir) {
  dir_ = dir;
  error_.clear();
  state_ = State::Loading;
  progress_ = -1;
#if NNPLAY_UI_HAVE_THREADS
  pending_ = std::async(std::launch::async, [dir] { return load_mnist_data(dir); });
#else
  load_now(dir);
#endif
}

void MnistDataLoader::load_now(const std::string& dir) {
  dir_ = dir;
#if NNPLAY_UI_HAVE_THREADS
  pending_ = {};
#endif
  try {
    data_ = load_mnist_data(dir);
    state_ = State::Ready;
    error_.clear();
    fresh_ = true;
  } catch (const Error& e) {
    set_failed(e.what());
  }
}

void MnistDataLoader::set_progress(double fraction) {
  // The data loaded before (if any) stays in use until the new download is in place.
  state_ = State::Loading;
  progress_ = fraction < 0 ? -1 : fraction > 1 ? 1 : fraction;
}

void MnistDataLoader::set_failed(const std::string& why) {
  state_ = State::Failed;
  error_ = why;
  progress_ = -1;
}

bool MnistDataLoader::poll() {
#if NNPLAY_UI_HAVE_THREADS
  if (pending_.valid() && pending_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    try {
      data_ = pending_.get();
      state_ = State::Ready;
      fresh_ = true;
    } catch (const Error& e) {
      set_failed(e.what());
    } catch (const std::exception& e) {
      set_failed(std::string("loading MNIST failed: ") + e.what());
    }
  }
#endif
  const bool report = fresh_;
  fresh_ = false;
  return report;
}

}  // namespace nnplay::ui
