// Training on the real MNIST files: accuracy of the tutorial's linear model on a subset,
// bit-identical results for the same seed, and raw/.gz files reading the same.
#include <gtest/gtest.h>

#include "nnplay/dataset.h"
#include "nnplay/idx.h"
#include "nnplay/trainer.h"
#include "test_util.h"

using namespace nnplay;

namespace {

struct TrainRun {
  std::vector<float> params;
  double test_accuracy;
  double last_loss;
};

TrainRun train_linear(const Dataset& train, const Dataset& test, int epochs, int threads, uint64_t seed) {
  auto be = make_cpu_backend(threads);
  Rng rng(seed);
  Sequential model(*be, ModelSpec{{784, 10}, Activation::None, Activation::None, true}, rng);
  auto opt = make_optimizer(model.parameters(), {"sgd", 0.1f, 0.0f, 0.0f});
  BatchLoader loader(*be, train, 100, true, true, seed);
  Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
  TrainRun r{};
  for (int e = 1; e <= epochs; ++e) r.last_loss = trainer.run_epoch().mean_loss;
  EvalResult ev = trainer.evaluate(test);
  r.params = model.parameters().data().to_host();
  r.test_accuracy = ev.accuracy;
  EXPECT_EQ(ev.confusion.total(), test.count);
  return r;
}

}  // namespace

TEST(Mnist, FilesHaveTheExpectedShape) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Dataset train = load_idx_dataset(dir, Split::Train), test = load_idx_dataset(dir, Split::Test);
  EXPECT_EQ(train.count, 60000);
  EXPECT_EQ(test.count, 10000);
  EXPECT_EQ(train.rows, 28);
  EXPECT_EQ(train.cols, 28);
  EXPECT_EQ(int(train.labels[0]), 5);  // the first MNIST training digit is a 5
  EXPECT_EQ(int(test.labels[0]), 7);   // and the first test digit a 7
}

TEST(Mnist, GzipAndRawFilesAreIdentical) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  IdxLabels raw = read_idx_labels(dir + "/t10k-labels-idx1-ubyte");
  IdxLabels gz = read_idx_labels(dir + "/t10k-labels-idx1-ubyte.gz");
  EXPECT_EQ(raw.labels, gz.labels);
}

TEST(Mnist, LinearModelOnFiveThousandImagesReaches85Percent) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Dataset train = load_idx_dataset(dir, Split::Train).head(5000);
  Dataset test = load_idx_dataset(dir, Split::Test);
  TrainRun r = train_linear(train, test, 3, 1, 777);
  EXPECT_GE(r.test_accuracy, 0.85) << "3 epochs of the tutorial's model on 5,000 images";
  EXPECT_LT(r.last_loss, 0.6);
}

TEST(Mnist, SameSeedGivesBitIdenticalWeights) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Dataset train = load_idx_dataset(dir, Split::Train).head(2000);
  Dataset test = load_idx_dataset(dir, Split::Test).head(500);
  TrainRun a = train_linear(train, test, 1, 1, 777), b = train_linear(train, test, 1, 1, 777);
  EXPECT_EQ(a.params, b.params);
  EXPECT_EQ(a.test_accuracy, b.test_accuracy);
  // Threads split the work by output block, never a sum: the same bits with 2 threads.
  TrainRun c = train_linear(train, test, 1, 2, 777);
  EXPECT_EQ(a.params, c.params);
  TrainRun d = train_linear(train, test, 1, 1, 778);
  EXPECT_NE(a.params, d.params);
}

TEST(Mnist, MlpLearnsQuickly) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Dataset train = load_idx_dataset(dir, Split::Train).head(6000);
  Dataset test = load_idx_dataset(dir, Split::Test).head(2000);
  auto be = make_cpu_backend(1);
  Rng rng(777);
  Sequential model(*be, ModelSpec{{784, 64, 10}, Activation::ReLU, Activation::None, true}, rng);
  auto opt = make_optimizer(model.parameters(), {"adam", 1e-3f, 0.0f, 0.0f});
  BatchLoader loader(*be, train, 64, true, true, 777);
  Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
  for (int e = 1; e <= 3; ++e) trainer.run_epoch();
  EXPECT_GE(trainer.evaluate(test).accuracy, 0.85);
}
