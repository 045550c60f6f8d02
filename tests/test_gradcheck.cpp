// Finite-difference gradient checks for every layer and every loss: the analytic
// backward pass must match central differences of the forward pass.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "nnplay/backend.h"
#include "nnplay/error.h"
#include "nnplay/layers.h"
#include "nnplay/softmax.h"
#include "test_util.h"

using namespace nnplay;
using nnplay::test::make_tensor;

namespace {

std::vector<float> random_vec(Rng& rng, size_t n, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(lo, hi);
  return v;
}

// Compares analytic with central differences of f around values (changed in place and
// restored). f returns the scalar loss in double.
void expect_grad_matches(const char* what, std::vector<float>& values, const std::vector<float>& analytic,
                         const std::function<double()>& f, float h = 1e-2f, double tol = 2e-3) {
  ASSERT_EQ(values.size(), analytic.size()) << what;
  for (size_t i = 0; i < values.size(); ++i) {
    float saved = values[i];
    values[i] = saved + h;
    double up = f();
    values[i] = saved - h;
    double down = f();
    values[i] = saved;
    double numeric = (up - down) / (2.0 * double(h));
    EXPECT_NEAR(analytic[i], numeric, tol * (1.0 + std::fabs(numeric))) << what << " element " << i;
  }
}

// L = Σ y ⊙ r for a fixed random r, so dL/dy = r.
double weighted_sum(const std::vector<float>& y, const std::vector<float>& r) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += double(y[i]) * r[i];
  return s;
}

}  // namespace

TEST(GradCheck, Linear) {
  auto be = make_cpu_backend(1);
  Rng rng(11);
  ModelSpec spec{{4, 5}, Activation::None, Activation::None, true};
  Sequential model(*be, spec, rng);
  Linear& lin = *model.linears()[0];
  std::vector<float> x = random_vec(rng, 3 * 4), r = random_vec(rng, 3 * 5);
  std::vector<float> W = lin.weight().to_host(), b = lin.bias().to_host();

  auto loss = [&]() {
    lin.weight().from_host(W);
    lin.bias().from_host(b);
    Tensor xt = make_tensor(*be, {3, 4}, x);
    return weighted_sum(model.forward(xt).to_host(), r);
  };
  Tensor xt = make_tensor(*be, {3, 4}, x);
  model.zero_grad();
  model.forward(xt);
  Tensor dy = make_tensor(*be, {3, 5}, r);
  const Tensor& dx = lin.backward(dy, true);
  std::vector<float> dx_h = dx.to_host();
  std::vector<float> g = model.parameters().grad().to_host();
  std::vector<float> dW(g.begin(), g.begin() + 20), db(g.begin() + 20, g.end());

  expect_grad_matches("dx", x, dx_h, loss);
  expect_grad_matches("dW", W, dW, loss);
  expect_grad_matches("db", b, db, loss);
}

// An MLP's hidden layers add their bias in the activation's pass (the fused pair, see
// Backend::bias_activation_forward): every parameter's gradient, biases included, must
// still match finite differences of the whole model.
TEST(GradCheck, MlpWithFusedBiasAndActivation) {
  auto be = make_cpu_backend(1);
  for (Activation a : {Activation::Tanh, Activation::Sigmoid}) {
    Rng rng(12);
    Sequential model(*be, ModelSpec{{3, 4, 5, 2}, a, Activation::None, true}, rng);
    std::vector<float> x = random_vec(rng, 2 * 3), r = random_vec(rng, 2 * 2);
    std::vector<float> params = model.parameters().data().to_host();
    auto loss = [&]() {
      model.parameters().data().from_host(params);
      Tensor xt = make_tensor(*be, {2, 3}, x);
      return weighted_sum(model.forward(xt).to_host(), r);
    };
    Tensor xt = make_tensor(*be, {2, 3}, x);
    model.zero_grad();
    model.forward(xt);
    Tensor dy = make_tensor(*be, {2, 2}, r);
    model.backward(dy);
    const std::vector<float> g = model.parameters().grad().to_host();
    expect_grad_matches(activation_name(a), params, g, loss);
  }
}

TEST(GradCheck, LinearBackwardAccumulates) {
  auto be = make_cpu_backend(1);
  Rng rng(2);
  Sequential model(*be, ModelSpec{{3, 2}, Activation::None, Activation::None, true}, rng);
  Tensor x = make_tensor(*be, {2, 3}, random_vec(rng, 6));
  Tensor dy = make_tensor(*be, {2, 2}, random_vec(rng, 4));
  model.zero_grad();
  model.forward(x);
  model.backward(dy);
  std::vector<float> once = model.parameters().grad().to_host();
  model.forward(x);
  model.backward(dy);
  std::vector<float> twice = model.parameters().grad().to_host();
  for (size_t i = 0; i < once.size(); ++i) EXPECT_FLOAT_EQ(twice[i], 2 * once[i]);
  model.zero_grad();
  for (float v : model.parameters().grad().to_host()) EXPECT_EQ(v, 0.0f);
}

class ActivationGrad : public ::testing::TestWithParam<Activation> {};

TEST_P(ActivationGrad, MatchesFiniteDifferences) {
  auto be = make_cpu_backend(1);
  Rng rng(5);
  ActivationLayer layer(*be, GetParam());
  std::vector<float> x = random_vec(rng, 24, -3.0f, 3.0f), r = random_vec(rng, 24);
  if (GetParam() == Activation::ReLU || GetParam() == Activation::Step)
    for (float& v : x)
      if (std::fabs(v) < 0.05f) v = 0.5f;  // keep clear of the kink, where the derivative jumps
  auto loss = [&]() {
    Tensor xt = make_tensor(*be, {4, 6}, x);
    return weighted_sum(layer.forward(xt).to_host(), r);
  };
  Tensor xt = make_tensor(*be, {4, 6}, x);
  layer.forward(xt);
  Tensor dy = make_tensor(*be, {4, 6}, r);
  std::vector<float> dx = layer.backward(dy).to_host();
  expect_grad_matches(activation_name(GetParam()), x, dx, loss, 1e-2f, 3e-3);
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGrad,
                         ::testing::Values(Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::Step,
                                           Activation::None),
                         [](const auto& param_info) { return std::string(activation_name(param_info.param)); });

TEST(GradCheck, ActivationValues) {
  auto be = make_cpu_backend(1);
  Tensor x = make_tensor(*be, {1, 4}, {-1.0f, 0.0f, 0.5f, 100.0f});
  ActivationLayer sig(*be, Activation::Sigmoid), relu(*be, Activation::ReLU), step(*be, Activation::Step),
      tanh_l(*be, Activation::Tanh);
  auto s = sig.forward(x).to_host();
  EXPECT_NEAR(s[0], 0.26894142f, 1e-7);
  EXPECT_EQ(s[1], 0.5f);
  EXPECT_EQ(s[3], 1.0f);
  EXPECT_EQ(relu.forward(x).to_host(), (std::vector<float>{0, 0, 0.5f, 100}));
  EXPECT_EQ(step.forward(x).to_host(), (std::vector<float>{0, 0, 1, 1}));  // 0 maps to 0, like the tutorial
  EXPECT_NEAR(tanh_l.forward(x).to_host()[2], 0.46211716f, 1e-7);
}

// Losses: check d(loss)/d(pred) from loss_forward_backward against finite differences.
struct LossCase {
  LossKind kind;
  const char* name;
};
class LossGrad : public ::testing::TestWithParam<LossCase> {};

TEST_P(LossGrad, MatchesFiniteDifferences) {
  auto be = make_cpu_backend(1);
  Rng rng(8);
  const LossKind kind = GetParam().kind;
  const int n = 4, c = 3;
  std::vector<float> pred = random_vec(rng, n * c, -2.0f, 2.0f);
  if (kind == LossKind::BCE) pred = random_vec(rng, n * c, 0.05f, 0.95f);
  if (kind == LossKind::NLL) {  // NLL takes log-probabilities
    std::vector<float> z = pred;
    log_softmax_forward(z.data(), pred.data(), n, c);
  }
  std::vector<float> target = random_vec(rng, n * c, 0.0f, 1.0f);
  std::vector<int32_t> labels = {0, 2, 1, 2};
  Tensor tgt = make_tensor(*be, {n, c}, target);
  Labels lab(*be, n);
  lab.from_host(labels.data(), n);
  auto loss = [&]() {
    Tensor p = make_tensor(*be, {n, c}, pred);
    return double(be->loss_forward(kind, p, &tgt, &lab));
  };
  Tensor p = make_tensor(*be, {n, c}, pred), dp(*be, {n, c});
  float value = be->loss_forward_backward(kind, p, &tgt, &lab, dp);
  EXPECT_FLOAT_EQ(value, float(loss()));
  expect_grad_matches(GetParam().name, pred, dp.to_host(), loss, 1e-3f, 3e-3);
}

INSTANTIATE_TEST_SUITE_P(All, LossGrad,
                         ::testing::Values(LossCase{LossKind::MSE, "mse"}, LossCase{LossKind::BCE, "bce"},
                                           LossCase{LossKind::CrossEntropy, "cross_entropy"},
                                           LossCase{LossKind::NLL, "nll"}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(GradCheck, SoftmaxAndLogSoftmaxBackward) {
  Rng rng(4);
  const int n = 3, c = 5;
  std::vector<float> z = random_vec(rng, n * c, -2, 2), r = random_vec(rng, n * c);
  std::vector<float> p(n * c), dz(n * c), logp(n * c), dz2(n * c);
  auto sm_loss = [&]() {
    softmax_forward(z.data(), p.data(), n, c);
    return weighted_sum(p, r);
  };
  auto lsm_loss = [&]() {
    log_softmax_forward(z.data(), logp.data(), n, c);
    return weighted_sum(logp, r);
  };
  sm_loss();
  softmax_backward(p.data(), r.data(), dz.data(), n, c);
  expect_grad_matches("softmax", z, dz, sm_loss, 1e-3f);
  lsm_loss();
  log_softmax_backward(logp.data(), r.data(), dz2.data(), n, c);
  expect_grad_matches("log_softmax", z, dz2, lsm_loss, 1e-3f);
}

TEST(Losses, KnownValues) {
  auto be = make_cpu_backend(1);
  // BCE on probabilities, clamped like PyTorch: p = 0 with target 1 gives 100, not inf.
  Tensor p = make_tensor(*be, {1, 2}, {0.0f, 0.8f}), t = make_tensor(*be, {1, 2}, {1.0f, 1.0f});
  EXPECT_NEAR(be->loss_forward(LossKind::BCE, p, &t, nullptr), (100.0 - std::log(0.8)) / 2, 1e-4);
  Tensor a = make_tensor(*be, {2, 1}, {1.0f, 3.0f}), b = make_tensor(*be, {2, 1}, {0.0f, 1.0f});
  EXPECT_FLOAT_EQ(be->loss_forward(LossKind::MSE, a, &b, nullptr), 2.5f);
  // Cross-entropy of uniform logits over 4 classes is log 4.
  Tensor z = make_tensor(*be, {1, 4}, {7, 7, 7, 7});
  Labels l(*be, 1);
  int32_t lab = 2;
  l.from_host(&lab, 1);
  EXPECT_NEAR(be->loss_forward(LossKind::CrossEntropy, z, nullptr, &l), std::log(4.0), 1e-6);
}

TEST(Losses, RejectBadLabelsAndShapes) {
  auto be = make_cpu_backend(1);
  Tensor z = make_tensor(*be, {1, 3}, {0, 0, 0});
  Labels l(*be, 1);
  int32_t bad = 3;
  l.from_host(&bad, 1);
  EXPECT_THROW(be->loss_forward(LossKind::CrossEntropy, z, nullptr, &l), Error);
  Tensor t = make_tensor(*be, {1, 2}, {0, 0});
  EXPECT_THROW(be->loss_forward(LossKind::MSE, z, &t, nullptr), Error);
}

TEST(Layers, ShapeErrorsNameTheProblem) {
  auto be = make_cpu_backend(1);
  Rng rng(1);
  Sequential model(*be, ModelSpec{{4, 3}, Activation::None, Activation::None, true}, rng);
  Tensor wrong = make_tensor(*be, {2, 5}, std::vector<float>(10, 0.0f));
  try {
    model.forward(wrong);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected 4 input features"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[2, 5]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ModelSpec::parse_sizes("784--10"), Error);
  EXPECT_THROW(ModelSpec::parse_sizes("784-x"), Error);
  EXPECT_THROW(ModelSpec::parse_sizes("10"), Error);
  EXPECT_EQ(ModelSpec::parse_sizes("784-256-10"), (std::vector<int64_t>{784, 256, 10}));
}

TEST(Layers, PyTorchParameterNamesAndInitBounds) {
  auto be = make_cpu_backend(1);
  Rng rng(777);
  Sequential lin(*be, ModelSpec{{784, 10}, Activation::None, Activation::None, true}, rng);
  ASSERT_EQ(lin.parameters().entries().size(), 2u);
  EXPECT_EQ(lin.parameters().entries()[0].name, "weight");
  EXPECT_EQ(lin.parameters().entries()[0].shape, (Shape{10, 784}));
  EXPECT_EQ(lin.parameters().entries()[1].name, "bias");
  float bound = 1.0f / 28.0f;
  float lo = 1, hi = -1;
  for (float v : lin.parameters().data().to_host()) {
    EXPECT_LE(std::fabs(v), bound);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_LT(lo, -0.9f * bound);
  EXPECT_GT(hi, 0.9f * bound);
  // XOR MLP: Linear, Sigmoid, Linear, Sigmoid, ... → 0, 2, 4, 6.
  Sequential mlp(*be, ModelSpec{{2, 10, 10, 10, 1}, Activation::Sigmoid, Activation::Sigmoid, true}, rng);
  std::vector<std::string> names;
  for (const auto& e : mlp.parameters().entries()) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
                                             "6.weight", "6.bias"}));
  EXPECT_EQ(mlp.parameters().total(), 2 * 10 + 10 + 10 * 10 + 10 + 10 * 10 + 10 + 10 + 1);
}
