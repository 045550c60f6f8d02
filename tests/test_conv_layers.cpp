// Convolutional networks in the engine: finite-difference gradient checks for Conv2d,
// MaxPool2d, Flatten and Dropout (alone and inside a model), the fast convolution against
// the reference one on awkward shapes, the layer-list parser, the module plan's names and
// costs, model files, and training: checkpoints resume exactly and the device path
// (recording and replaying) gives the same weights as the CPU.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>

#include "cpu/conv.h"
#include "cpu/thread_pool.h"
#include "nnplay/checkpoint.h"
#include "nnplay/conv_layers.h"
#include "nnplay/error.h"
#include "nnplay/layer_list.h"
#include "nnplay/model_file.h"
#include "nnplay/recipes.h"
#include "recording_backend.h"
#include "test_util.h"

using namespace nnplay;
using nnplay::test::make_tensor;

namespace {

std::vector<float> random_vec(Rng& rng, size_t n, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(lo, hi);
  return v;
}

double weighted_sum(const std::vector<float>& y, const std::vector<float>& r) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += double(y[i]) * r[i];
  return s;
}

// Central differences of f around values (changed in place and restored) against analytic.
void expect_grad_matches(const std::string& what, std::vector<float>& values, const std::vector<float>& analytic,
                         const std::function<double()>& f, float h = 1e-2f, double tol = 3e-3) {
  ASSERT_EQ(values.size(), analytic.size()) << what;
  for (size_t i = 0; i < values.size(); ++i) {
    const float saved = values[i];
    values[i] = saved + h;
    const double up = f();
    values[i] = saved - h;
    const double down = f();
    values[i] = saved;
    const double numeric = (up - down) / (2.0 * double(h));
    EXPECT_NEAR(analytic[i], numeric, tol * (1.0 + std::fabs(numeric))) << what << " element " << i;
  }
}

// A small dataset of 8x8 "images" whose class is the quadrant of their brightest pixel.
Dataset quadrant_images(int64_t count, uint64_t seed) {
  Dataset d;
  d.name = "quadrant images";
  d.count = count;
  d.rows = d.cols = 8;
  d.classes = 4;
  Rng rng(seed);
  for (int64_t i = 0; i < count; ++i) {
    const uint32_t r = rng.below(8), c = rng.below(8);
    for (int64_t p = 0; p < 64; ++p) d.images.push_back(uint8_t(rng.below(60)));
    d.images[size_t(i * 64 + r * 8 + c)] = 255;
    d.labels.push_back(uint8_t((r >= 4 ? 2 : 0) + (c >= 4 ? 1 : 0)));
  }
  return d;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Gradient checks

struct ConvCase {
  const char* name;
  Conv2dGeometry g;
  int64_t n;
};

class ConvGrad : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvGrad, MatchesFiniteDifferences) {
  auto be = make_cpu_backend(1);
  const Conv2dGeometry g = GetParam().g;
  const int64_t n = GetParam().n;
  Rng rng(21);
  ParameterSet params;
  const int w = params.declare("weight", {g.out_c, g.in_c, g.kh, g.kw});
  const int b = params.declare("bias", {g.out_c});
  params.allocate(*be);
  Conv2d conv(*be, params, w, b, g);
  conv.reset_parameters(rng);
  const Shape xs{n, g.in_c, g.in_h, g.in_w};
  std::vector<float> x = random_vec(rng, size_t(shape_numel(xs)));
  std::vector<float> r = random_vec(rng, size_t(n * g.out_c * g.out_h() * g.out_w()));
  std::vector<float> W = conv.weight().to_host(), bias = conv.bias().to_host();
  auto loss = [&]() {
    conv.weight().from_host(W);
    conv.bias().from_host(bias);
    Tensor xt = make_tensor(*be, xs, x);
    return weighted_sum(conv.forward(xt).to_host(), r);
  };
  Tensor xt = make_tensor(*be, xs, x);
  params.zero_grad();
  const Tensor& y = conv.forward(xt);
  EXPECT_EQ(y.shape(), (Shape{n, g.out_c, g.out_h(), g.out_w()}));
  Tensor dy = make_tensor(*be, y.shape(), r);
  std::vector<float> dx = conv.backward(dy).to_host();
  std::vector<float> grads = params.grad().to_host();
  std::vector<float> dW(grads.begin(), grads.begin() + int64_t(W.size())), db(grads.begin() + int64_t(W.size()), grads.end());
  // The loss is linear in each input, so central differences are exact up to rounding.
  expect_grad_matches(std::string(GetParam().name) + " dx", x, dx, loss);
  expect_grad_matches(std::string(GetParam().name) + " dW", W, dW, loss);
  expect_grad_matches(std::string(GetParam().name) + " db", bias, db, loss);
}

INSTANTIATE_TEST_SUITE_P(Shapes, ConvGrad,
                         ::testing::Values(ConvCase{"plain", {2, 5, 6, 3, 3, 3, 1, 0}, 2},
                                           ConvCase{"stride2_pad1", {3, 7, 6, 2, 3, 2, 2, 1}, 2},
                                           ConvCase{"pad2_stride3", {1, 5, 5, 4, 3, 3, 3, 2}, 1},
                                           ConvCase{"one_by_one", {4, 3, 3, 2, 1, 1, 1, 0}, 3}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ConvLayersGrad, MaxPoolOverlappingAndTailWindows) {
  auto be = make_cpu_backend(1);
  // k 3, stride 2 on 7x8: windows overlap, and the last column of the input is in none.
  const Pool2dGeometry g{2, 7, 8, 3, 2};
  MaxPool2d pool(*be, g);
  Rng rng(3);
  const Shape xs{2, 2, 7, 8};
  // Distinct values spaced far apart keep each window's maximum away from a tie under ±h.
  std::vector<float> x(size_t(shape_numel(xs)));
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(i) * 0.1f;
  shuffle(x.data(), uint32_t(x.size()), rng);
  std::vector<float> r = random_vec(rng, size_t(2 * 2 * g.out_h() * g.out_w()));
  auto loss = [&]() {
    Tensor xt = make_tensor(*be, xs, x);
    return weighted_sum(pool.forward(xt).to_host(), r);
  };
  Tensor xt = make_tensor(*be, xs, x);
  const Tensor& y = pool.forward(xt);
  EXPECT_EQ(y.shape(), (Shape{2, 2, 3, 3}));
  Tensor dy = make_tensor(*be, y.shape(), r);
  std::vector<float> dx = pool.backward(dy).to_host();
  expect_grad_matches("maxpool dx", x, dx, loss, 1e-2f);
}

TEST(ConvLayersGrad, MaxPoolTiesGoToTheFirstMaximum) {
  auto be = make_cpu_backend(1);
  MaxPool2d pool(*be, Pool2dGeometry{1, 2, 2, 2, 2});
  Tensor x = make_tensor(*be, {1, 1, 2, 2}, {1.0f, 3.0f, 3.0f, 2.0f});
  EXPECT_EQ(pool.forward(x).to_host(), std::vector<float>{3.0f});
  Tensor dy = make_tensor(*be, {1, 1, 1, 1}, {5.0f});
  EXPECT_EQ(pool.backward(dy).to_host(), (std::vector<float>{0.0f, 5.0f, 0.0f, 0.0f}));
}

TEST(ConvLayersGrad, FlattenAndDropout) {
  auto be = make_cpu_backend(1);
  Rng rng(8);
  const Shape xs{3, 2, 2, 5};
  std::vector<float> x = random_vec(rng, 60), r = random_vec(rng, 60);

  Flatten flat(*be);
  Tensor xt = make_tensor(*be, xs, x);
  EXPECT_EQ(flat.forward(xt).shape(), (Shape{3, 20}));
  EXPECT_EQ(flat.forward(xt).to_host(), x);
  Tensor dy = make_tensor(*be, {3, 20}, r);
  EXPECT_EQ(flat.backward(dy).shape(), xs);
  EXPECT_EQ(flat.backward(dy).to_host(), r);

  // Dropout in training mode with a fixed mask (the generator restarted before each pass).
  Rng masks(99);
  const Rng::State start = masks.state();
  Dropout drop(*be, 0.4f, masks);
  drop.set_training(true);
  auto loss = [&]() {
    masks.set_state(start);
    Tensor t = make_tensor(*be, xs, x);
    return weighted_sum(drop.forward(t).to_host(), r);
  };
  masks.set_state(start);
  const std::vector<float> y = drop.forward(xt).to_host();
  int zeros = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] == 0.0f) ++zeros;
    else EXPECT_FLOAT_EQ(y[i], x[i] / 0.6f);
  }
  EXPECT_GT(zeros, 10);
  EXPECT_LT(zeros, 40);
  Tensor dyd = make_tensor(*be, xs, r);
  std::vector<float> dx = drop.backward(dyd).to_host();
  expect_grad_matches("dropout dx", x, dx, loss);
  // Evaluation mode passes everything through.
  drop.set_training(false);
  EXPECT_EQ(drop.forward(xt).to_host(), x);
}

// Every parameter of a small CNN (conv, pool, flatten, fc, with tanh so that no kink is
// near) against finite differences of the whole model's loss.
TEST(ConvLayersGrad, WholeCnnModel) {
  auto be = make_cpu_backend(1);
  Rng rng(12);
  ModelSpec spec = ModelSpec::from_layers("tanh,conv3x3x3/p1,pool2,conv2x2x2/s2,fc5,fc3", {2, 8, 6});
  Sequential model(*be, spec, rng);
  const int64_t n = 2;
  std::vector<float> x = random_vec(rng, size_t(n * 96)), r = random_vec(rng, size_t(n * 3));
  std::vector<float> params = model.parameters().data().to_host();
  auto loss = [&]() {
    model.parameters().data().from_host(params);
    Tensor xt = make_tensor(*be, {n, 96}, x);
    return weighted_sum(model.forward(xt).to_host(), r);
  };
  Tensor xt = make_tensor(*be, {n, 96}, x);
  model.zero_grad();
  model.forward(xt);
  Tensor dy = make_tensor(*be, {n, 3}, r);
  model.backward(dy);
  const std::vector<float> g = model.parameters().grad().to_host();
  expect_grad_matches("cnn parameters", params, g, loss, 1e-2f, 5e-3);
}

// ---------------------------------------------------------------------------------------
// The fast convolution against the reference

struct FastCase {
  const char* name;
  Conv2dGeometry g;
  int64_t n;
};

class ConvFastVsRef : public ::testing::TestWithParam<FastCase> {};

TEST_P(ConvFastVsRef, ForwardAndBackwardAgree) {
  const Conv2dGeometry g = GetParam().g;
  const int64_t n = GetParam().n;
  Rng rng(5);
  const size_t xn = size_t(n * g.in_c * g.in_h * g.in_w), wn = size_t(g.out_c * g.in_c * g.kh * g.kw);
  const size_t yn = size_t(n * g.out_c * g.out_h() * g.out_w());
  std::vector<float> x = random_vec(rng, xn), W = random_vec(rng, wn), b = random_vec(rng, size_t(g.out_c));
  std::vector<float> dy = random_vec(rng, yn);
  cpu::ThreadPool pool(2);
  std::vector<float> scratch;

  std::vector<float> y_ref(yn), y_fast(yn, NAN);
  cpu::conv2d_forward_ref(g, n, x.data(), W.data(), b.data(), y_ref.data());
  cpu::conv2d_forward(&pool, scratch, g, n, x.data(), W.data(), b.data(), y_fast.data());
  // Float sums of K = in_c·kh·kw products of values in ±1: errors of a few ulps times √K.
  const double tol = 1e-5 * std::sqrt(double(g.in_c * g.kh * g.kw)) * 4;
  for (size_t i = 0; i < yn; ++i) ASSERT_NEAR(y_fast[i], y_ref[i], tol) << "y " << i;

  // Backward accumulates into dW and db: start both from the same non-zero values.
  std::vector<float> dW0 = random_vec(rng, wn), db0 = random_vec(rng, size_t(g.out_c));
  std::vector<float> dx_ref(xn), dW_ref = dW0, db_ref = db0;
  std::vector<float> dx_fast(xn, NAN), dW_fast = dW0, db_fast = db0;
  cpu::conv2d_backward_ref(g, n, x.data(), W.data(), dy.data(), dx_ref.data(), dW_ref.data(), db_ref.data());
  cpu::conv2d_backward(&pool, scratch, g, n, x.data(), W.data(), dy.data(), dx_fast.data(), dW_fast.data(),
                       db_fast.data());
  const double tol_w = 1e-5 * std::sqrt(double(n * g.out_h() * g.out_w())) * 4;
  for (size_t i = 0; i < xn; ++i) ASSERT_NEAR(dx_fast[i], dx_ref[i], tol) << "dx " << i;
  for (size_t i = 0; i < wn; ++i) ASSERT_NEAR(dW_fast[i], dW_ref[i], tol_w) << "dW " << i;
  for (size_t i = 0; i < size_t(g.out_c); ++i) ASSERT_NEAR(db_fast[i], db_ref[i], tol_w) << "db " << i;

  // Without dx (the first layer) the parameter gradients are the same.
  std::vector<float> dW_nodx = dW0, db_nodx = db0;
  cpu::conv2d_backward(&pool, scratch, g, n, x.data(), W.data(), dy.data(), nullptr, dW_nodx.data(), db_nodx.data());
  EXPECT_EQ(dW_nodx, dW_fast);
  EXPECT_EQ(db_nodx, db_fast);

  // One thread gives the same bits as two.
  std::vector<float> y_one(yn);
  cpu::ThreadPool single(1);
  cpu::conv2d_forward(&single, scratch, g, n, x.data(), W.data(), b.data(), y_one.data());
  EXPECT_EQ(y_one, y_fast);
}

INSTANTIATE_TEST_SUITE_P(
    OddShapes, ConvFastVsRef,
    ::testing::Values(FastCase{"mnist_first_layer", {1, 28, 28, 24, 5, 5, 1, 0}, 3},
                      FastCase{"stride2_pad1_rect", {3, 9, 7, 5, 3, 2, 2, 1}, 4},
                      FastCase{"stride3_pad2", {2, 11, 10, 3, 5, 4, 3, 2}, 2},
                      FastCase{"kernel_covers_input", {2, 4, 5, 3, 4, 5, 1, 0}, 5},
                      FastCase{"one_by_one_stride2", {6, 7, 7, 4, 1, 1, 2, 0}, 2},
                      // Kernels wider or taller than the input, padded: the outer taps see
                      // only padding in every output position (found by the layer_list fuzzer:
                      // the zero fill of such a tap ran past its row).
                      FastCase{"taps_only_on_padding", {2, 5, 5, 3, 9, 9, 1, 2}, 2},
                      FastCase{"wide_kernel_on_narrow_input", {3, 7, 5, 6, 4, 9, 1, 2}, 2},
                      FastCase{"wide_kernel_stride2", {1, 9, 4, 2, 4, 9, 2, 3}, 3},
                      // Enough columns that the images go through the GEMM in several chunks.
                      FastCase{"several_chunks", {16, 20, 20, 8, 3, 3, 1, 1}, 50}),
    [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------------------
// Layer lists

TEST(LayerList, ParsesAndWritesTheCanonicalForm) {
  EXPECT_EQ(format_layer_list(parse_layer_list("conv5x5x16, pool2,conv3x3x32/s1p0,pool2/s2,fc128,fc10")),
            "conv5x5x16,pool2,conv3x3x32,pool2,fc128,fc10");
  EXPECT_EQ(format_layer_list(parse_layer_list("tanh,conv3x32p1,conv3x2x8/s2/p1,pool3/s2,dropout0.25,fc10")),
            "tanh,conv3x3x32/p1,conv3x2x8/s2p1,pool3/s2,dropout0.25,fc10");
  const std::vector<LayerDesc> l = parse_layer_list("conv3x2x8s2p1,fc10");
  EXPECT_EQ(l[0].kh, 3);
  EXPECT_EQ(l[0].kw, 2);
  EXPECT_EQ(l[0].out, 8);
  EXPECT_EQ(l[0].stride, 2);
  EXPECT_EQ(l[0].padding, 1);
}

// Found by the layer_list fuzzer's round trip: the canonical text of a dropout was written
// with "%g", so 0.00001 became "dropout1e-05", which does not parse, and 0.1234567 lost its
// seventh digit; 0.99999999 is below 1 but its float is 1.
TEST(LayerList, DropoutProbabilitiesReadBackExactly) {
  for (const char* text : {"dropout0.00001,fc10", "dropout0.1234567,fc10", "dropout0.25,fc10", "dropout0,fc10",
                           "dropout0.99999994,fc10", "dropout0.000000000000000000000000000000000000000000001,fc10"}) {
    const std::vector<LayerDesc> l = parse_layer_list(text);
    const std::string canonical = format_layer_list(l);
    const std::vector<LayerDesc> again = parse_layer_list(canonical);
    EXPECT_EQ(again[0].p, l[0].p) << text << " -> " << canonical;
    EXPECT_EQ(format_layer_list(again), canonical) << text;
  }
  EXPECT_EQ(format_layer_list(parse_layer_list("dropout0.00001,fc10")), "dropout0.00001,fc10");
  EXPECT_EQ(format_layer_list(parse_layer_list("dropout0.25,fc10")), "dropout0.25,fc10");
  EXPECT_EQ(format_layer_list(parse_layer_list("dropout0,fc10")), "dropout0,fc10");
  EXPECT_THROW(parse_layer_list("dropout0.99999999,fc10"), Error);
}

// A cost too large for int64 is held at its largest value (it overflowed, which is
// undefined behaviour, or threw from shape_numel for a list from_layers had accepted).
TEST(LayerList, CostsTooLargeToCountSaturate) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const ModelSpec one = ModelSpec::from_layers("conv999999x999999x999999/p999998,fc10", {1, 28, 28});
  EXPECT_EQ(model_cost(one).flops, kMax);
  EXPECT_EQ(model_cost(one).parameters, kMax);
  const ModelSpec two = ModelSpec::from_layers(
      "conv999999x999999x999999/p999998,conv999999x999999x999999/p999998,pool999999/s999999,fc10", {1, 28, 28});
  EXPECT_EQ(model_cost(two).flops, kMax);
  EXPECT_EQ(model_cost(ModelSpec::from_layers("conv5x5x16,fc10", {1, 28, 28})).flops,
            2 * (16 * 24 * 24 * 25 + 16 * 24 * 24 * 10));
}

TEST(LayerList, ABadTokenIsNamed) {
  for (const char* bad : {"conv5x5x16,poo2,fc10", "conv5x5x0,fc10", "conv5x5x16/s0,fc10", "pool2p1,fc10",
                          "dropout1.5,fc10", "fc10,", "fc-3", "conv5x5x16/q2,fc10", "pool2,,fc10"}) {
    try {
      parse_layer_list(bad);
      ADD_FAILURE() << bad << ": expected an error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("bad token '"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("convKxKxC"), std::string::npos) << e.what();
    }
  }
  try {
    parse_layer_list("conv5x5x16,poo2,fc10");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'poo2'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_layer_list("fc10,pool2"), Error);  // the class scores must come last
}

TEST(LayerList, LayersThatDoNotFitTheirInputAreNamed) {
  try {
    ModelSpec::from_layers("conv5x5x16,pool2,conv5x5x8,pool2,conv5x5x8,fc10", {1, 28, 28});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'conv5x5x8' needs at least 5x5 inputs but gets 4x4"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ModelSpec::from_layers("fc10,conv3x3x2,fc10", {1, 28, 28}), Error);  // conv after flattening
  EXPECT_THROW(ModelSpec::from_layers("conv3x3x2/p3,fc10", {1, 28, 28}), Error);    // padding ≥ kernel
  EXPECT_THROW(ModelSpec::from_layers("conv3x3x2,fc10", {784}), Error);             // no [C, H, W]
}

TEST(LayerList, TheRecipesNamesShapesAndCosts) {
  const Recipe r = mnist_cnn_recipe();
  EXPECT_EQ(r.spec.describe(), "conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10 on 1x28x28");
  EXPECT_EQ(r.spec.sizes, (std::vector<int64_t>{784, 10}));
  const ModelCost c = model_cost(r.spec);
  EXPECT_EQ(c.parameters, 24 * 25 + 24 + 32 * 24 * 9 + 32 + 800 * 256 + 256 + 256 * 10 + 10);
  EXPECT_EQ(c.flops, 2 * (24 * 24 * 24 * 25 + 10 * 10 * 32 * 24 * 9 + 800 * 256 + 256 * 10));
  auto be = make_cpu_backend(1);
  Rng rng(r.seed);
  Sequential model(*be, r.spec, rng);
  EXPECT_EQ(model.parameters().total(), c.parameters);
  std::vector<std::string> names;
  for (const ParameterEntry& e : model.parameters().entries()) names.push_back(e.name + shape_str(e.shape));
  // nn.Sequential(Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d, Flatten, Linear, ReLU, Linear)
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight[24, 1, 5, 5]", "0.bias[24]", "3.weight[32, 24, 3, 3]",
                                             "3.bias[32]", "7.weight[256, 800]", "7.bias[256]", "9.weight[10, 256]",
                                             "9.bias[10]"}));
  EXPECT_EQ(pytorch_modules(r.spec),
            "Conv2d(1, 24, kernel_size=(5, 5)), ReLU, MaxPool2d(kernel_size=2, stride=2), Conv2d(24, 32, "
            "kernel_size=(3, 3)), ReLU, MaxPool2d(kernel_size=2, stride=2), Flatten, Linear(800, 256), ReLU, "
            "Linear(256, 10)");
  // Initial weights lie in PyTorch's bounds: ±1/sqrt(fan_in).
  const std::vector<float> p = model.parameters().data().to_host();
  for (int64_t i = 0; i < 624; ++i) EXPECT_LE(std::fabs(p[size_t(i)]), 1.0f / 5.0f);
  // The MNIST loader's rows go straight in: [N, 784] is read as [N, 1, 28, 28].
  Tensor x(*be, {3, 784});
  EXPECT_EQ(model.forward(x).shape(), (Shape{3, 10}));
  EXPECT_EQ(model.layer(0).output().shape(), (Shape{3, 24, 24, 24}));
}

TEST(LayerList, MlpSpecsStillBuildTheSameModel) {
  // A sizes spec goes through the same plan: names, fused biases and the draws of the
  // initial weights are those of the MLP builder before layer lists existed.
  auto be = make_cpu_backend(1);
  Rng a(777);
  Sequential mlp(*be, ModelSpec{{784, 10}, Activation::ReLU, Activation::None, true}, a);
  EXPECT_EQ(mlp.parameters().entries()[0].name, "weight");
  EXPECT_EQ(pytorch_modules(mlp.spec()), "Linear(784, 10)");
  EXPECT_EQ(pytorch_modules(ModelSpec{{2, 10, 1}, Activation::Sigmoid, Activation::Sigmoid, true}),
            "Linear(2, 10), Sigmoid, Linear(10, 1), Sigmoid");
}

// ---------------------------------------------------------------------------------------
// Files and training

TEST(ConvModels, ModelFilesRecordTheLayerListAndLoadBack) {
  auto be = make_cpu_backend(1);
  Rng rng(4);
  const ModelSpec spec = ModelSpec::from_layers("conv3x3x4/s2p1,pool2,dropout0.5,fc10", {1, 28, 28});
  Sequential model(*be, spec, rng);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("nnplay_cnn_" + std::to_string(::getpid()) + ".safetensors")).string();
  save_model(path, model);
  StFile f = read_safetensors(path);
  std::filesystem::remove(path);
  EXPECT_EQ(f.metadata.at(meta::kLayerList), "conv3x3x4/s2p1,pool2,dropout0.5,fc10");
  EXPECT_EQ(f.metadata.at(meta::kInputShape), "1x28x28");
  LoadedModel lm = load_model(*be, f);
  EXPECT_TRUE(lm.model->spec().same_architecture(spec));
  EXPECT_EQ(lm.model->parameters().data().to_host(), model.parameters().data().to_host());
  Rng data(1);
  Tensor x = make_tensor(*be, {2, 784}, random_vec(data, 2 * 784, 0.0f, 1.0f));
  EXPECT_EQ(lm.model->forward(x).to_host(), model.forward(x).to_host());  // evaluation mode: no dropout

  // Without the metadata (a PyTorch state_dict) the layers must be given.
  f.metadata.clear();
  try {
    load_model(*be, f);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--layers"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(load_model(*be, f, {}, spec));
  // A given list that the file's weights do not fit is refused.
  EXPECT_THROW(load_model(*be, f, {}, ModelSpec::from_layers("conv3x3x5/s2p1,pool2,fc10", {1, 28, 28})), Error);
}

// A run interrupted by a checkpoint and resumed (dropout masks, Adam, the learning-rate
// schedule, the shuffle) ends with the same weights as one that ran straight through.
TEST(ConvModels, CheckpointResumeEqualsAnUninterruptedRun) {
  auto be = make_cpu_backend(1);
  const Dataset train = quadrant_images(256, 7);
  Recipe r = mnist_layers_recipe("conv3x3x4/p1,pool2,dropout0.3,fc8,fc4", 8, 8);
  r.batch = 32;
  r.epochs = 3;
  r.optimizer.lr = 0.01f;
  r.lr_every = 1;
  r.lr_gamma = 0.5f;
  const RunSettings settings{r.optimizer, r.batch, r.seed, train.count, "quadrants"};

  ClassifierRun straight(*be, r, train);
  for (int e = 0; e < r.epochs; ++e) straight.trainer().run_epoch();

  const std::string path = (std::filesystem::temp_directory_path() /
                            ("nnplay_cnn_ckpt_" + std::to_string(::getpid()) + ".safetensors")).string();
  {
    ClassifierRun first(*be, r, train);
    first.trainer().run_epoch();
    save_checkpoint(path, first.model(), first.optimizer(), first.loader(), 1, settings);
  }
  ClassifierRun resumed(*be, r, train);
  resumed.trainer().set_completed_epochs(
      restore_checkpoint(path, resumed.model(), resumed.optimizer(), resumed.loader(), settings));
  std::filesystem::remove(path);
  for (int e = 1; e < r.epochs; ++e) resumed.trainer().run_epoch();
  EXPECT_FLOAT_EQ(resumed.optimizer().lr(), 0.01f * 0.5f * 0.5f);
  EXPECT_EQ(resumed.model().parameters().data().to_host(), straight.model().parameters().data().to_host());
  // And it learned something.
  EXPECT_GT(straight.trainer().evaluate(train).accuracy, 0.5);
}

// Conv and pooling ops recorded and replayed, as a GPU's epochs are, give the CPU's weights.
TEST(ConvModels, DevicePathTrainsTheSameWeights) {
  const Dataset train = quadrant_images(192, 9);
  Recipe r = mnist_layers_recipe("conv3x3x3,pool2,fc4", 8, 8);
  r.batch = 32;
  auto cpu = make_cpu_backend(1);
  test::RecordingCpuBackend rec;
  ClassifierRun a(*cpu, r, train), b(rec, r, train);
  for (int e = 0; e < 3; ++e) {
    a.trainer().run_epoch();
    b.trainer().run_epoch();
  }
  EXPECT_GE(b.trainer().replayed_epochs(), 1);
  EXPECT_EQ(a.model().parameters().data().to_host(), b.model().parameters().data().to_host());
}

TEST(ConvModels, BackendsWithoutTheOpsSaySo) {
  // The default of every optional op names itself and the backend.
  class NoConv final : public Backend {
   public:
    const char* name() const override { return "bare"; }
    void* alloc(size_t) override { return nullptr; }
    void release(void*) override {}
    void upload(void*, const void*, size_t) override {}
    void download(void*, const void*, size_t) override {}
    void fill(float*, int64_t, float) override {}
    void linear_forward(const Tensor&, const Tensor&, const Tensor&, Tensor&) override {}
    void linear_backward(const Tensor&, const Tensor&, const Tensor&, Tensor*, Tensor&, Tensor&) override {}
    void activation_forward(Activation, const Tensor&, Tensor&) override {}
    void activation_backward(Activation, const Tensor&, const Tensor&, const Tensor&, Tensor&) override {}
    void bias_activation_forward(Activation, Tensor&, const Tensor&, Tensor&) override {}
    void activation_bias_backward(Activation, const Tensor&, const Tensor&, const Tensor&, Tensor&, Tensor&) override {}
    float loss_forward_backward(LossKind, const Tensor&, const Tensor*, const Labels*, Tensor&) override { return 0; }
    float loss_forward(LossKind, const Tensor&, const Tensor*, const Labels*) override { return 0; }
    void sgd_step(const SgdParams&, long, Tensor&, const Tensor&, Tensor&, const int32_t*) override {}
    void adam_step(const AdamParams&, long, Tensor&, const Tensor&, Tensor&, Tensor&, const int32_t*) override {}
    void gather_batch(const uint8_t*, const uint8_t*, int64_t, const int32_t*, int64_t, float, Tensor&,
                      Labels&) override {}
    void argmax_rows(const Tensor&, int32_t*) override {}
  } bare;
  Tensor t;
  try {
    bare.conv2d_forward(Conv2dGeometry{}, t, t, t, t);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "conv2d_forward: not supported by the bare backend");
  }
  EXPECT_THROW(bare.maxpool2d_backward(Pool2dGeometry{}, t, t, t), Error);
  EXPECT_THROW(bare.dropout_forward(t, t, t), Error);
}
