// libFuzzer target: resuming from a checkpoint (the safetensors reader, then every check
// restore_checkpoint makes) on arbitrary bytes. Each input is tried against three runs
// that differ in what a checkpoint must hold: a linear model with plain SGD (no momentum
// buffer), the same with momentum, and an MLP with Adam; tests/fuzz/seeds_checkpoint.py
// writes valid checkpoints of all three. The only acceptable outcomes are a restored run
// or an nnplay::Error; anything else is a bug. Built and run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "fuzz_util.h"
#include "nnplay/checkpoint.h"
#include "nnplay/error.h"
#include "nnplay/safetensors.h"

namespace {

using namespace nnplay;

// A tiny training set: 6 images of 2x2 pixels, labels 0..2.
Dataset tiny_set() {
  Dataset d;
  d.name = "fuzz set";
  d.count = 6;
  d.rows = 2;
  d.cols = 2;
  d.classes = 10;
  for (int i = 0; i < 24; ++i) d.images.push_back(uint8_t(i * 10));
  for (int i = 0; i < 6; ++i) d.labels.push_back(uint8_t(i % 3));
  return d;
}

// What one run holds; the settings match the ones the seeds record.
struct Run {
  std::unique_ptr<Backend> be = make_cpu_backend(1);
  Dataset data = tiny_set();
  Rng init{7};
  Sequential model;
  std::unique_ptr<Optimizer> opt;
  BatchLoader loader;
  RunSettings settings;
  Run(const ModelSpec& spec, const OptimizerConfig& oc)
      : model(*be, spec, init),
        opt(make_optimizer(model.parameters(), oc)),
        loader(*be, data, 2, true, true, 7),
        settings{oc, 2, 7, 6, "fuzz set"} {}
};

Run& run(int which) {
  static Run sgd({{4, 3}, Activation::ReLU, Activation::None, true}, {"sgd", 0.1f, 0.0f, 0.0f});
  static Run momentum({{4, 3}, Activation::ReLU, Activation::None, true}, {"sgd", 0.1f, 0.9f, 0.0f});
  static Run adam({{4, 5, 3}, Activation::ReLU, Activation::None, true}, {"adam", 0.001f, 0.0f, 0.0f});
  return which == 0 ? sgd : which == 1 ? momentum : adam;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  StFile file;
  try {
    file = parse_safetensors(data, size, "fuzz");
  } catch (const Error& e) {
    fuzz::rejected(e);
    return 0;
  }
  for (int which = 0; which < 3; ++which) {
    Run& r = run(which);
    try {
      const int epoch = restore_checkpoint(file, r.model, *r.opt, r.loader, r.settings);
      fuzz::require(epoch >= 0, "a restored checkpoint reports a negative epoch");
    } catch (const Error& e) {
      fuzz::rejected(e);
    }
  }
  return 0;
}
