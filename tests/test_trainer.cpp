// The one training loop: a step, a time budget's steps and an epoch train the same bits;
// events report every step and epoch; the evaluator gives the same result whole or in
// chunks; point batches (the 2-D sets, XOR) shuffle per epoch.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "nnplay/batches.h"
#include "nnplay/error.h"
#include "nnplay/evaluator.h"
#include "nnplay/recipes.h"
#include "nnplay/trainer.h"
#include "nnplay/xor.h"
#include "quadrant_set.h"

using namespace nnplay;
using nnplay::test::quadrant_set;

namespace {

enum class Drive { Epochs, Steps, Slices };

struct TrainedRun {
  std::vector<float> weights;
  std::vector<double> epoch_losses;
  int64_t steps_seen = 0;
};

TrainedRun train(Drive how, const Dataset& data, int epochs) {
  auto be = make_cpu_backend(1);
  Recipe r = mnist_mlp_recipe(64);
  r.spec.sizes = {64, 24, 10};
  r.batch = 32;
  r.optimizer.lr = 1e-2f;
  ClassifierRun run(*be, r, data);
  TrainedRun out;
  run.trainer().set_events({[&](const StepInfo&) { ++out.steps_seen; },
                            [&](const EpochResult& e) { out.epoch_losses.push_back(e.mean_loss); }});
  Trainer& t = run.trainer();
  switch (how) {
    case Drive::Epochs:
      for (int e = 0; e < epochs; ++e) t.run_epoch();
      break;
    case Drive::Steps:
      while (t.completed_epochs() < epochs) t.step();
      break;
    case Drive::Slices:
      // Tiny budgets: a slice ends after one step, sometimes several, never at a fixed place.
      // The last slice is capped at the end of the last epoch, as the panels cap theirs.
      while (t.completed_epochs() < epochs) {
        const int64_t left = int64_t(epochs - t.completed_epochs()) * t.steps_per_epoch() - t.step_in_epoch();
        t.run_for(0.05, std::min<int64_t>(7, left));
      }
      break;
  }
  out.weights = run.model().parameters().data().to_host();
  return out;
}

}  // namespace

TEST(Trainer, StepSliceAndEpochTrainTheSameBits) {
  const Dataset data = quadrant_set(1000, 11);
  const TrainedRun a = train(Drive::Epochs, data, 3), b = train(Drive::Steps, data, 3), c = train(Drive::Slices, data, 3);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.weights, c.weights);
  EXPECT_EQ(a.epoch_losses, b.epoch_losses);
  EXPECT_EQ(a.epoch_losses, c.epoch_losses);
  ASSERT_EQ(a.epoch_losses.size(), 3u);
  EXPECT_EQ(a.steps_seen, 3 * (1000 / 32));
  EXPECT_EQ(c.steps_seen, a.steps_seen);
  EXPECT_LT(a.epoch_losses.back(), a.epoch_losses.front()) << "it learns";
}

TEST(Trainer, StepEventsCountTheBatchBeforeTheUpdate) {
  const Dataset data = quadrant_set(200, 12);
  auto be = make_cpu_backend(1);
  ClassifierRun run(*be, mnist_linear_recipe(64), data);
  std::vector<StepInfo> seen;
  run.trainer().set_count_correct(true);
  run.trainer().set_events({[&](const StepInfo& s) { seen.push_back(s); }, {}});
  const EpochResult e = run.trainer().run_epoch();
  ASSERT_EQ(seen.size(), 2u);  // 200 images, batch 100
  double sum = 0;
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].epoch, 1);
    EXPECT_EQ(seen[i].step, int64_t(i) + 1);
    EXPECT_EQ(seen[i].steps, 2);
    EXPECT_EQ(seen[i].samples, 100);
    EXPECT_GE(seen[i].correct, 0);
    EXPECT_LE(seen[i].correct, 100);
    sum += seen[i].loss;
  }
  EXPECT_EQ(e.mean_loss, sum / 2);
  EXPECT_EQ(e.samples, 200);
  EXPECT_EQ(run.trainer().completed_epochs(), 1);
  EXPECT_FALSE(run.trainer().mid_epoch());
}

TEST(Trainer, ADivergingStepThrowsBeforeTheUpdate) {
  const Dataset data = quadrant_set(200, 13);
  auto be = make_cpu_backend(1);
  Recipe r = mnist_linear_recipe(64);
  r.optimizer.lr = 1e38f;
  ClassifierRun run(*be, r, data);
  try {
    for (int i = 0; i < 20; ++i) run.trainer().step();
    FAIL() << "expected a DivergenceError";
  } catch (const DivergenceError& e) {
    EXPECT_NE(std::string(e.what()).find("lower the learning rate"), std::string::npos);
    EXPECT_EQ(run.optimizer().step_count(), long(e.step - 1) + long(e.epoch - 1) * 2);
  }
}

TEST(Evaluator, InChunksOrWholeTheSameResult) {
  const Dataset data = quadrant_set(1000, 14);
  auto be = make_cpu_backend(1);
  ClassifierRun run(*be, mnist_linear_recipe(64), data);
  for (int e = 0; e < 5; ++e) run.trainer().run_epoch();
  BatchLoader whole(*be, data, 1000, false, false, 0), chunks(*be, data, 128, false, false, 0);
  const EvalResult a = Evaluator(run.model(), whole, LossKind::CrossEntropy, 5).run();
  Evaluator ev(run.model(), chunks, LossKind::CrossEntropy, 5);
  int chunks_run = 0;
  while (!ev.done()) {
    ev.run_chunk();
    ++chunks_run;
  }
  const EvalResult& b = ev.result();
  EXPECT_EQ(chunks_run, 8 + 1);  // 8 batches, then the call that completes
  EXPECT_EQ(a.predictions, b.predictions);
  EXPECT_EQ(a.confusion.counts, b.confusion.counts);
  EXPECT_EQ(a.count, 1000);
  EXPECT_NEAR(a.loss, b.loss, 1e-6);
  EXPECT_EQ(a.first_outputs.size(), 50u);
  EXPECT_EQ(a.first_outputs, b.first_outputs);
  EXPECT_GT(a.accuracy, 0.4) << "five epochs learn something";
  EXPECT_EQ(run.trainer().evaluate(data, 250).predictions, a.predictions);
}

TEST(PointBatches, MinibatchesCoverEveryPointOncePerEpochInANewOrder) {
  auto be = make_cpu_backend(1);
  std::vector<float> x, y;
  for (int i = 0; i < 10; ++i) {
    x.push_back(float(i));
    x.push_back(float(-i));
    y.push_back(float(i % 2));
  }
  PointBatches pb(*be, x, y, 2, 4, Rng(5));
  EXPECT_EQ(pb.batches_per_epoch(), 3);  // 4 + 4 + 2
  std::vector<float> first;
  for (int epoch = 0; epoch < 2; ++epoch) {
    pb.start_epoch();
    std::vector<float> seen;
    Batch b;
    while (pb.next(b)) {
      const std::vector<float> bx = b.x->to_host(), by = b.targets->to_host();
      for (int64_t k = 0; k < b.size(); ++k) {
        EXPECT_EQ(bx[size_t(2 * k + 1)], -bx[size_t(2 * k)]);
        EXPECT_EQ(by[size_t(k)], float(int(bx[size_t(2 * k)]) % 2));
        seen.push_back(bx[size_t(2 * k)]);
      }
    }
    std::vector<float> sorted = seen;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 10; ++i) EXPECT_EQ(sorted[size_t(i)], float(i));
    if (epoch == 0) first = seen;
    else EXPECT_NE(seen, first) << "reshuffled";
  }
  PointBatches full(*be, x, y, 2);
  EXPECT_EQ(full.batches_per_epoch(), 1);
  EXPECT_THROW(PointBatches(*be, {1, 2, 3}, {0}, 2), Error);
}
