// The trainer's device path, on the CPU: step losses kept in a StepLog and read back once
// per epoch, the epoch's order uploaded to the backend, and epochs recorded and replayed
// (what the CUDA backend does with CUDA Graphs). A CPU backend that acts as a device
// (tests/recording_backend.h) must train to the same bits as the plain CPU backend, and a
// loss that turns NaN must stop training with the weights and the optimizer's step count
// from before that step, whether the epoch ran, was recorded or was replayed.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "nnplay/dataset.h"
#include "nnplay/layers.h"
#include "nnplay/trainer.h"
#include "quadrant_set.h"
#include "recording_backend.h"

using namespace nnplay;
using nnplay::test::quadrant_set;

namespace {

struct Result {
  std::vector<double> epoch_losses, test_acc;
  std::vector<float> weights;
  long steps = 0;
};

struct Case {
  ModelSpec spec;
  OptimizerConfig opt;
  int64_t batch;
};

Result train(Backend& be, const Case& s, int epochs, const Dataset& train_set, const Dataset& test_set,
             int* replayed = nullptr) {
  Rng init(7);
  Sequential model(be, s.spec, init);
  auto opt = make_optimizer(model.parameters(), s.opt);
  BatchLoader loader(be, train_set, s.batch, true, /*drop_last=*/false, 99);
  Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
  Result r;
  for (int e = 1; e <= epochs; ++e) {
    r.epoch_losses.push_back(trainer.run_epoch().mean_loss);
    r.test_acc.push_back(trainer.evaluate(test_set, 128).accuracy);
  }
  r.weights = model.parameters().data().to_host();
  r.steps = opt->step_count();
  if (replayed) *replayed = trainer.replayed_epochs();
  return r;
}

}  // namespace

TEST(TrainerDevicePath, RecordedAndReplayedEpochsTrainToTheSameBits) {
  const Dataset train_set = quadrant_set(1000, 1), test_set = quadrant_set(300, 2);
  for (const Case& s : {Case{{{64, 10}, Activation::None, Activation::None, true}, {"sgd", 0.1f, 0, 0}, 100},
                         Case{{{64, 32, 16, 10}, Activation::ReLU, Activation::None, true}, {"adam", 1e-2f, 0, 0}, 64},
                         Case{{{64, 24, 10}, Activation::Tanh, Activation::None, true}, {"sgd", 0.05f, 0.9f, 1e-3f}, 50}}) {
    SCOPED_TRACE(s.spec.describe() + " " + s.opt.name);
    auto cpu = make_cpu_backend(1);
    test::RecordingCpuBackend dev;
    int replayed = 0;
    const Result a = train(*cpu, s, 5, train_set, test_set);
    const Result b = train(dev, s, 5, train_set, test_set, &replayed);
    // Epoch 1 runs (and allocates), epoch 2 is recorded, then replayed, and so are 3-5.
    EXPECT_EQ(dev.recordings_, 1);
    EXPECT_EQ(dev.replays_, 4);
    EXPECT_EQ(replayed, 3);
    ASSERT_EQ(a.epoch_losses.size(), b.epoch_losses.size());
    for (size_t e = 0; e < a.epoch_losses.size(); ++e) {
      EXPECT_EQ(a.epoch_losses[e], b.epoch_losses[e]) << "epoch " << e + 1;
      EXPECT_EQ(a.test_acc[e], b.test_acc[e]) << "epoch " << e + 1;
    }
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.steps, b.steps);
    const int64_t steps_per_epoch = (1000 + s.batch - 1) / s.batch;
    EXPECT_EQ(b.steps, 5 * steps_per_epoch);
    EXPECT_LT(a.epoch_losses.back(), a.epoch_losses.front()) << "it learns";
  }
}

TEST(TrainerDevicePath, ChangingTheLearningRateRecordsAgain) {
  const Dataset train_set = quadrant_set(500, 3);
  test::RecordingCpuBackend dev;
  auto cpu = make_cpu_backend(1);
  std::vector<float> weights[2];
  int i = 0;
  for (Backend* be : {static_cast<Backend*>(cpu.get()), static_cast<Backend*>(&dev)}) {
    Rng init(7);
    Sequential model(*be, {{64, 10}, Activation::None, Activation::None, true}, init);
    auto opt = make_optimizer(model.parameters(), {"sgd", 0.1f, 0, 0});
    BatchLoader loader(*be, train_set, 100, true, true, 5);
    Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
    for (int e = 1; e <= 6; ++e) {
      if (e == 4) opt->set_lr(0.02f);  // baked into a recording: a new one is needed
      trainer.run_epoch();
    }
    weights[i++] = model.parameters().data().to_host();
  }
  EXPECT_EQ(weights[0], weights[1]);
  // lr 0.1: epoch 1 runs, 2 recorded, 3 replayed; lr 0.02: 4 runs, 5 recorded, 6 replayed.
  EXPECT_EQ(dev.recordings_, 2);
  EXPECT_EQ(dev.replays_, 4);
}

// Weights so large that the logits overflow: the next step's loss is not finite.
TEST(TrainerDevicePath, ANonFiniteLossStopsBeforeThatStepOnEveryPath) {
  const Dataset train_set = quadrant_set(600, 4);
  auto cpu = make_cpu_backend(1);
  test::RecordingCpuBackend dev;
  for (Backend* be : {static_cast<Backend*>(cpu.get()), static_cast<Backend*>(&dev)}) {
    for (int blow_up_before : {2, 3, 4}) {  // device: epoch 2 is recorded, 3 and 4 are replayed
      SCOPED_TRACE(std::string(be->name()) + ", before epoch " + std::to_string(blow_up_before));
      Rng init(7);
      Sequential model(*be, {{64, 16, 10}, Activation::ReLU, Activation::None, true}, init);
      auto opt = make_optimizer(model.parameters(), {"adam", 1e-3f, 0, 0});
      BatchLoader loader(*be, train_set, 100, true, true, 5);
      Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
      const int64_t steps = loader.batches_per_epoch();
      for (int e = 1; e < blow_up_before; ++e) trainer.run_epoch();
      std::vector<float> huge = model.parameters().data().to_host();
      for (float& w : huge) w = w >= 0 ? 3e38f : -3e38f;
      model.parameters().data().from_host(huge);
      try {
        trainer.run_epoch();
        FAIL() << "expected a DivergenceError";
      } catch (const DivergenceError& e) {
        EXPECT_EQ(e.epoch, blow_up_before);
        EXPECT_EQ(e.step, 1);
        EXPECT_FALSE(std::isfinite(e.loss));
        EXPECT_NE(std::string(e.what()).find("before the weights were updated"), std::string::npos) << e.what();
      }
      EXPECT_EQ(model.parameters().data().to_host(), huge) << "the weights are those from before the bad step";
      EXPECT_EQ(opt->step_count(), long(blow_up_before - 1) * long(steps)) << "skipped updates are not counted";
    }
  }
  // The device path went through all three: ran (epoch 2 after one eager epoch is
  // recorded), recorded, and replayed (epoch 4, after epoch 2 recorded and 3 replayed).
  EXPECT_GE(dev.recordings_, 2);
  EXPECT_GE(dev.replays_, 2);
}

TEST(TrainerDevicePath, StepLossesComeBackOncePerEpochWithoutAProgressCallback) {
  const Dataset train_set = quadrant_set(400, 5);
  test::RecordingCpuBackend dev;
  Rng init(7);
  Sequential model(dev, {{64, 10}, Activation::None, Activation::None, true}, init);
  auto opt = make_optimizer(model.parameters(), {"sgd", 0.1f, 0, 0});
  BatchLoader loader(dev, train_set, 10, true, true, 5);
  Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
  // With a progress callback, every step is reported, in bursts.
  std::vector<int64_t> seen;
  trainer.set_events({[&](const StepInfo& s) { seen.push_back(s.step); }, {}});
  EpochResult r = trainer.run_epoch();
  ASSERT_EQ(int64_t(seen.size()), loader.batches_per_epoch());
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], int64_t(i) + 1);
  EXPECT_EQ(r.steps, 40);
  EXPECT_EQ(r.samples, 400);
  EXPECT_TRUE(std::isfinite(r.mean_loss));
  EXPECT_EQ(dev.recordings_, 0) << "a progress callback reads mid-epoch: nothing is recorded";
}

// Trains 6 epochs on both backends, calling change(model, optimizer) after epoch 3; the
// device must train the same bits as the CPU, so a change baked into a recording has to
// make a new one.
void expect_change_records_again(const std::function<void(Sequential&, Optimizer&)>& change) {
  const Dataset train_set = quadrant_set(500, 3);
  test::RecordingCpuBackend dev;
  auto cpu = make_cpu_backend(1);
  std::vector<float> weights[2];
  int i = 0;
  for (Backend* be : {static_cast<Backend*>(cpu.get()), static_cast<Backend*>(&dev)}) {
    Rng init(7);
    Sequential model(*be, {{64, 16, 10}, Activation::ReLU, Activation::None, true}, init);
    auto opt = make_optimizer(model.parameters(), {"sgd", 0.1f, 0, 0});
    BatchLoader loader(*be, train_set, 100, true, true, 5);
    Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
    for (int e = 1; e <= 6; ++e) {
      if (e == 4) change(model, *opt);
      trainer.run_epoch();
    }
    weights[i++] = model.parameters().data().to_host();
  }
  EXPECT_EQ(weights[0], weights[1]);
  EXPECT_EQ(dev.recordings_, 2);
}

TEST(TrainerDevicePath, ALearningRateChangeInTheLastBitRecordsAgain) {
  // %g would print both as 0.1: the recording key must hold the rate exactly.
  expect_change_records_again([](Sequential&, Optimizer& opt) { opt.set_lr(std::nextafter(0.1f, 1.0f)); });
}

TEST(TrainerDevicePath, AnActivationChangeRecordsAgain) {
  expect_change_records_again([](Sequential& model, Optimizer&) { model.set_hidden_activation(Activation::Tanh); });
}

TEST(TrainerDevicePath, AnErrorWhileRecordingLeavesTheStepCountOfTheUpdatesMade) {
  const Dataset train_set = quadrant_set(500, 6);
  test::RecordingCpuBackend dev;
  Rng init(7);
  Sequential model(dev, {{64, 10}, Activation::None, Activation::None, true}, init);
  auto opt = make_optimizer(model.parameters(), {"adam", 1e-3f, 0, 0});
  BatchLoader loader(dev, train_set, 100, true, true, 5);
  Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
  trainer.run_epoch();
  const std::vector<float> before = model.parameters().data().to_host();
  dev.recorded_gathers_before_error_ = 2;  // epoch 2 is recorded: its third gather fails
  EXPECT_THROW(trainer.run_epoch(), Error);
  EXPECT_EQ(opt->step_count(), loader.batches_per_epoch()) << "the captured steps never ran";
  EXPECT_EQ(model.parameters().data().to_host(), before);
}

TEST(TrainerDevicePath, ALabelOutsideTheClassesIsALabelErrorNotDivergence) {
  Dataset train_set = quadrant_set(300, 8);
  train_set.labels[123] = 12;
  auto cpu = make_cpu_backend(1);
  test::RecordingCpuBackend dev;
  for (Backend* be : {static_cast<Backend*>(cpu.get()), static_cast<Backend*>(&dev)}) {
    SCOPED_TRACE(be->name());
    Rng init(7);
    Sequential model(*be, {{64, 10}, Activation::None, Activation::None, true}, init);
    auto opt = make_optimizer(model.parameters(), {"sgd", 0.1f, 0, 0});
    BatchLoader loader(*be, train_set, 300, false, false, 5);
    Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
    try {
      trainer.run_epoch();
      FAIL() << "expected an error";
    } catch (const DivergenceError& e) {
      FAIL() << "reported as divergence: " << e.what();
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("label 12"), std::string::npos) << e.what();
    }
  }
}
