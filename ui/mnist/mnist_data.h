// Where the MNIST panel's images come from, and loading them without stalling frames.
//
// The desktop reads a folder of IDX files (data/mnist, or the folder in the settings) on
// a background thread. The page cannot read disks: its glue fetches the subset packed at
// build time (scripts/pack-mnist-subset.sh: gzipped IDX files), writes it into the
// in-memory file system, reports progress with "mnist.data_progress=<0..1>" and then asks
// for it with "mnist.data=<folder>", which loads it (small) at once. Either way the result
// is one immutable MnistData shared by the training session and the panels.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <string>

#include "nnplay/dataset.h"
#include "training/session_runner.h"  // NNPLAY_UI_HAVE_THREADS

namespace nnplay::ui {

struct MnistData {
  Dataset train, test;  // as loaded; the session takes the first mtrain / mtest of each
  std::string source;   // the folder they came from
};

// The folder to load on the desktop: `setting` if given, else $NNPLAY_MNIST_DIR, else
// data/mnist under the working directory, else under the source tree this was built
// from. Returns the first that holds train-images-idx3-ubyte[.gz] (or `setting` as is).
std::string find_mnist_dir(const std::string& setting);

// Loads both splits of a folder; throws Error naming the file and the problem. Checks
// that the images are 28×28 with labels 0..9, as the panel's views assume.
std::shared_ptr<const MnistData> load_mnist_data(const std::string& dir);

class MnistDataLoader {
 public:
  enum class State { Idle, Loading, Ready, Failed };

  // Starts loading dir (in the background where threads exist). A load in flight is
  // superseded: its result is dropped when it arrives.
  void start(const std::string& dir);
  // Loads at once, on this thread (the page's small subset).
  void load_now(const std::string& dir);
  // The page reports its download's progress (0..1) before the files are in place.
  void set_progress(double fraction);
  void set_failed(const std::string& why);
  // Call once per frame: true once when new data has become ready.
  bool poll();

  State state() const { return state_; }
  double progress() const { return progress_; }  // 0..1 while loading (-1: unknown)
  const std::string& error() const { return error_; }
  const std::string& dir() const { return dir_; }
  std::shared_ptr<const MnistData> data() const { return data_; }

 private:
  State state_ = State::Idle;
  double progress_ = -1;
  std::string error_, dir_;
  std::shared_ptr<const MnistData> data_;
  bool fresh_ = false;  // data_ arrived and poll() has not reported it yet
#if NNPLAY_UI_HAVE_THREADS
  std::future<std::shared_ptr<const MnistData>> pending_;
#endif
};

}  // namespace nnplay::ui
