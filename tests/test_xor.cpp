// The tutorial's XOR MLP learns XOR; a network without a hidden layer cannot.
#include <gtest/gtest.h>

#include "nnplay/error.h"
#include "nnplay/xor.h"

using namespace nnplay;

TEST(XorMlp, TutorialModelReachesAccuracyOne) {
  auto be = make_cpu_backend(1);
  XorConfig cfg;  // 2-10-10-10-1 sigmoid, BCE, SGD lr 1, 10001 epochs, seed 777
  std::vector<float> losses;
  XorResult r = train_xor(*be, cfg, [&](int, float loss) { losses.push_back(loss); });
  ASSERT_EQ(losses.size(), 10001u);
  EXPECT_NEAR(losses.front(), 0.69, 0.05) << "an untrained sigmoid output starts near log 2";
  EXPECT_LT(r.final_loss, 0.01f);
  EXPECT_EQ(r.predictions, (std::vector<int>{0, 1, 1, 0}));
  EXPECT_EQ(r.accuracy, 1.0);
  EXPECT_LT(r.outputs[0], 0.05f);
  EXPECT_GT(r.outputs[1], 0.95f);
}

TEST(XorMlp, SameSeedGivesBitIdenticalWeights) {
  auto be = make_cpu_backend(1);
  XorConfig cfg;
  cfg.epochs = 500;
  XorResult a = train_xor(*be, cfg), b = train_xor(*be, cfg);
  EXPECT_EQ(a.parameters, b.parameters);
  cfg.seed = 778;
  EXPECT_NE(train_xor(*be, cfg).parameters, a.parameters);
}

TEST(XorMlp, NoHiddenLayerCannotLearnXor) {
  // A single sigmoid unit is a linear classifier: at best 3 of the 4 points.
  auto be = make_cpu_backend(1);
  XorConfig cfg;
  cfg.hidden = {};
  cfg.epochs = 5000;
  EXPECT_LE(train_xor(*be, cfg).accuracy, 0.75);
}

TEST(XorMlp, DivergenceIsReportedWithEpochAndStep) {
  auto be = make_cpu_backend(1);
  XorConfig cfg;
  cfg.loss = LossKind::MSE;
  cfg.activation = Activation::ReLU;
  cfg.optimizer.lr = 1e30f;
  cfg.epochs = 100;
  try {
    train_xor(*be, cfg);
    FAIL() << "expected the loss to diverge";
  } catch (const DivergenceError& e) {
    EXPECT_GE(e.epoch, 0);
    EXPECT_NE(std::string(e.what()).find("lower the learning rate"), std::string::npos) << e.what();
  }
}
