// SGD (momentum, weight decay) and Adam follow PyTorch's update rules step by step.
#include <gtest/gtest.h>

#include <cmath>

#include "nnplay/optim.h"
#include "test_util.h"

using namespace nnplay;

namespace {
// A one-parameter set whose gradient the test sets by hand.
struct OneParam {
  std::unique_ptr<Backend> be = make_cpu_backend(1);
  ParameterSet ps;
  OneParam(float w) {
    ps.declare("w", {1});
    ps.allocate(*be);
    ps.data().from_host(&w, 1);
  }
  void set_grad(float g) { ps.grad().from_host(&g, 1); }
  float w() { return ps.data().to_host()[0]; }
};
}  // namespace

TEST(Optim, SgdPlain) {
  OneParam p(1.0f);
  auto opt = make_optimizer(p.ps, {"sgd", 0.1f, 0.0f, 0.0f});
  p.set_grad(2.0f);
  opt->step();
  EXPECT_FLOAT_EQ(p.w(), 0.8f);
}

TEST(Optim, SgdMomentumAndWeightDecayLikeTorch) {
  // torch.optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01), w0 = 1, grads 1, 2, 3.
  OneParam p(1.0f);
  auto opt = make_optimizer(p.ps, {"sgd", 0.1f, 0.9f, 0.01f});
  double w = 1.0, buf = 0.0;
  float grads[] = {1.0f, 2.0f, 3.0f};
  for (int i = 0; i < 3; ++i) {
    p.set_grad(grads[i]);
    opt->step();
    double g = grads[i] + 0.01 * w;
    buf = i == 0 ? g : 0.9 * buf + g;
    w -= 0.1 * buf;
    EXPECT_NEAR(p.w(), w, 1e-6) << "step " << i + 1;
  }
}

TEST(Optim, AdamLikeTorch) {
  OneParam p(0.5f);
  OptimizerConfig cfg{"adam", 0.01f, 0.0f, 0.0f};
  auto opt = make_optimizer(p.ps, cfg);
  double w = 0.5, m = 0, v = 0;
  float grads[] = {0.3f, -0.2f, 0.7f, 0.1f};
  for (int t = 1; t <= 4; ++t) {
    float g = grads[t - 1];
    p.set_grad(g);
    opt->step();
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * double(g) * g;
    double mhat = m / (1 - std::pow(0.9, t)), vhat = v / (1 - std::pow(0.999, t));
    w -= 0.01 * mhat / (std::sqrt(vhat) + 1e-8);
    EXPECT_NEAR(p.w(), w, 1e-6) << "step " << t;
  }
  // Adam's first step moves by lr whatever the gradient's size.
  OneParam q(0.0f);
  auto opt2 = make_optimizer(q.ps, cfg);
  q.set_grad(1000.0f);
  opt2->step();
  EXPECT_NEAR(q.w(), -0.01f, 1e-6);
}

TEST(Optim, LearningRateCanChangeBetweenSteps) {
  OneParam p(1.0f);
  auto opt = make_optimizer(p.ps, {"sgd", 0.1f, 0.0f, 0.0f});
  opt->set_lr(0.5f);
  p.set_grad(1.0f);
  opt->step();
  EXPECT_FLOAT_EQ(p.w(), 0.5f);
}

TEST(Optim, BadConfigurationsAreErrors) {
  OneParam p(1.0f);
  EXPECT_THROW(make_optimizer(p.ps, {"rmsprop", 0.1f, 0, 0}), Error);
  EXPECT_THROW(make_optimizer(p.ps, {"sgd", 0.0f, 0, 0}), Error);
  EXPECT_THROW(make_optimizer(p.ps, {"sgd", -1.0f, 0, 0}), Error);
  EXPECT_THROW(make_optimizer(p.ps, {"sgd", NAN, 0, 0}), Error);
  EXPECT_THROW(make_optimizer(p.ps, {"sgd", 0.1f, 1.5f, 0}), Error);
}
