// The full MLP run that `nnplay-train mnist --model mlp` makes by default (784-256-256-10
// ReLU, Adam lr 1e-3, batch 128, 10 epochs, seed 777) reaches at least 97.5% on the
// 10,000 test images. Registered for optimised builds only: under the sanitizers the
// same run takes minutes, and the sanitizer suite already covers every code path it uses.
#include <gtest/gtest.h>

#include "nnplay/dataset.h"
#include "nnplay/recipes.h"
#include "nnplay/trainer.h"
#include "test_util.h"

using namespace nnplay;

TEST(MnistMlp, DefaultRunReaches975Percent) {
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Dataset train = load_idx_dataset(dir, Split::Train), test = load_idx_dataset(dir, Split::Test);
  auto be = make_cpu_backend(1);
  Rng rng(777);
  Sequential model(*be, ModelSpec{{784, 256, 256, 10}, Activation::ReLU, Activation::None, true}, rng);
  auto opt = make_optimizer(model.parameters(), {"adam", 1e-3f, 0.0f, 0.0f});
  BatchLoader loader(*be, train, 128, true, true, shuffle_seed(777));
  Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
  for (int e = 1; e <= 10; ++e) trainer.run_epoch();
  EvalResult ev = trainer.evaluate(test);
  EXPECT_GE(ev.accuracy, 0.975);
  EXPECT_EQ(ev.confusion.total(), 10000);
}
