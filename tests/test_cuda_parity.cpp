// CPU-versus-CUDA parity: every op the models use, forward and backward (the fused bias
// and activation too), on shapes that take each kernel's other paths (rows > 256, sizes
// that are no multiple of a block, more elements than a grid covers at once); the
// optimizer updates, run and replayed from a recording; the losses, a NaN among them;
// three epochs of the linear model and of the MLP from the same seed, run, recorded as a
// CUDA Graph and replayed; and a NaN loss halting the updates on the device. The CPU
// backend is the reference. Without a usable GPU every test that needs one skips, saying
// why.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>

#include "nnplay/dataset.h"
#include "nnplay/device_steps.h"
#include "nnplay/layers.h"
#include "nnplay/trainer.h"
#include "test_util.h"

using namespace nnplay;

namespace {

#define REQUIRE_GPU()                                                           \
  do {                                                                          \
    std::string why;                                                            \
    if (!cuda_available(&why)) GTEST_SKIP() << "no CUDA parity check: " << why; \
  } while (0)

std::vector<float> random_vec(Rng& rng, size_t n, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(lo, hi);
  return v;
}

std::vector<float> scaled(std::vector<float> v, float s) {
  for (float& x : v) x *= s;
  return v;
}

// |gpu − cpu| ≤ 1e-5 · max(|cpu|, floor) for every element, printing the worst one; a
// NaN must be a NaN on both. floor is the tensor's largest |cpu| unless given, which makes
// the check relative for the tensor as a whole: the kernels compute the CPU's formulas and
// differ only in rounding (the order of a sum, where cuBLAS and the reductions split
// theirs; fused multiply-adds; the device's expf/logf/tanhf, within 2 units in the last
// place), and a sum's rounding error follows the size of its terms, not of its result,
// so an element that cancels to near zero cannot be held to its own size. For values of
// one magnitude the error is a few 1e-7 of it; 1e-5 leaves room for sums of a thousand
// terms. The tests keep sums the size that training has (a gradient from a mean loss
// carries its 1/N).
constexpr double kTolerance = 1e-5;
constexpr double kTensorScale = -1;  // floor: the tensor's largest |cpu|

void expect_close(const std::vector<float>& gpu, const std::vector<float>& cpu, const std::string& what,
                  double floor = kTensorScale) {
  ASSERT_EQ(gpu.size(), cpu.size()) << what;
  if (floor == kTensorScale) {
    floor = 0;
    for (float c : cpu)
      if (std::isfinite(c)) floor = std::max(floor, double(std::fabs(c)));
  }
  double worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < cpu.size(); ++i) {
    if (std::isnan(cpu[i]) || std::isnan(gpu[i])) {
      EXPECT_TRUE(std::isnan(cpu[i]) && std::isnan(gpu[i]))
          << what << ": element " << i << " gpu " << gpu[i] << " cpu " << cpu[i];
      continue;
    }
    const double scale = std::max(std::fabs(double(cpu[i])), floor);
    const double e = gpu[i] == cpu[i] ? 0.0 : std::fabs(double(gpu[i]) - cpu[i]) / scale;
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  EXPECT_LE(worst, kTolerance) << what << ": worst element " << at << " gpu " << gpu[at] << " cpu " << cpu[at];
}

void expect_close(float gpu, float cpu, const std::string& what) {
  expect_close(std::vector<float>{gpu}, std::vector<float>{cpu}, what);
}

struct Pair {
  std::unique_ptr<Backend> cpu = make_cpu_backend(1);
  std::unique_ptr<Backend> gpu = make_cuda_backend();
};

// The same host values on both backends.
struct Both {
  Tensor cpu, gpu;
};
Both both(Pair& p, const Shape& shape, const std::vector<float>& values) {
  return {test::make_tensor(*p.cpu, shape, values), test::make_tensor(*p.gpu, shape, values)};
}
struct BothLabels {
  Labels cpu, gpu;
};
BothLabels both_labels(Pair& p, const std::vector<int32_t>& values) {
  const int64_t n = int64_t(values.size());
  BothLabels l{Labels(*p.cpu, n), Labels(*p.gpu, n)};
  l.cpu.from_host(values.data(), n);
  l.gpu.from_host(values.data(), n);
  return l;
}

std::string shape_name(int64_t n, int64_t in, int64_t out) {
  return std::to_string(n) + "x" + std::to_string(in) + "->" + std::to_string(out);
}

}  // namespace

TEST(CudaParity, LinearForwardBackward) {
  REQUIRE_GPU();
  Pair p;
  // Tiny, the models' own, and rows past a block (256) with widths that are no multiple
  // of the bias gradient's 32 columns.
  for (auto [n, in, out] : {std::tuple{100, 784, 10}, std::tuple{128, 256, 256}, std::tuple{4, 2, 10},
                            std::tuple{7, 33, 5}, std::tuple{300, 37, 45}, std::tuple{1027, 20, 70}}) {
    const std::string what = shape_name(n, in, out);
    Rng r1(1), r2(1);
    ModelSpec spec{{in, out}, Activation::None, Activation::None, true};
    Sequential mc(*p.cpu, spec, r1), mg(*p.gpu, spec, r2);
    Rng data(2);
    std::vector<float> x = random_vec(data, size_t(n) * in), dy = scaled(random_vec(data, size_t(n) * out), 1.0f / n);
    Both xs = both(p, {n, in}, x), dys = both(p, {n, out}, dy);
    expect_close(mg.forward(xs.gpu).to_host(), mc.forward(xs.cpu).to_host(), "linear forward " + what);
    mc.zero_grad();
    mg.zero_grad();
    const Tensor& dxc = mc.layer(0).backward(dys.cpu, true);
    const Tensor& dxg = mg.layer(0).backward(dys.gpu, true);
    expect_close(dxg.to_host(), dxc.to_host(), "linear dx " + what);
    expect_close(mg.parameters().grad().to_host(), mc.parameters().grad().to_host(), "linear dW, db " + what);
  }
}

// linear_backward adds to dW and db (beta 1 in the GEMM) and overwrites dx (beta 0):
// called twice, the gradients hold both calls' sums and dx the second call's alone.
TEST(CudaParity, LinearBackwardAccumulatesIntoDwAndDb) {
  REQUIRE_GPU();
  Pair p;
  const int64_t n = 300, in = 37, out = 45;
  Rng rng(11);
  Both x = both(p, {n, in}, random_vec(rng, size_t(n * in))), W = both(p, {out, in}, random_vec(rng, size_t(out * in)));
  Both dW = both(p, {out, in}, random_vec(rng, size_t(out * in))), db = both(p, {out}, random_vec(rng, size_t(out)));
  Both dx = both(p, {n, in}, std::vector<float>(size_t(n * in), 0.0f));
  for (int call = 0; call < 2; ++call) {
    Both dy = both(p, {n, out}, scaled(random_vec(rng, size_t(n * out)), 1.0f / n));
    p.cpu->linear_backward(x.cpu, W.cpu, dy.cpu, &dx.cpu, dW.cpu, db.cpu);
    p.gpu->linear_backward(x.gpu, W.gpu, dy.gpu, &dx.gpu, dW.gpu, db.gpu);
  }
  expect_close(dW.gpu.to_host(), dW.cpu.to_host(), "dW after two calls");
  expect_close(db.gpu.to_host(), db.cpu.to_host(), "db after two calls");
  expect_close(dx.gpu.to_host(), dx.cpu.to_host(), "dx of the second call");
}

// The convolution's forward and backward on the CNN recipe's two shapes and on one with
// stride, padding and a rectangular kernel; dW and db accumulate (called twice).
TEST(CudaParity, Conv2dForwardBackward) {
  REQUIRE_GPU();
  Pair p;
  struct Case {
    int64_t n;
    Conv2dGeometry g;
  };
  for (const Case& c : {Case{32, {1, 28, 28, 24, 5, 5, 1, 0}}, Case{32, {24, 12, 12, 32, 3, 3, 1, 0}},
                        Case{3, {3, 9, 7, 5, 3, 2, 2, 1}}}) {
    const Conv2dGeometry& g = c.g;
    const std::string what = std::to_string(c.n) + "x" + std::to_string(g.in_c) + "x" + std::to_string(g.in_h) + "x" +
                             std::to_string(g.in_w) + " k" + std::to_string(g.kh) + "x" + std::to_string(g.kw) +
                             " s" + std::to_string(g.stride) + " p" + std::to_string(g.padding);
    const int64_t in_size = g.in_c * g.in_h * g.in_w, out_size = g.out_c * g.out_h() * g.out_w();
    const int64_t w_size = g.out_c * g.in_c * g.kh * g.kw;
    Rng rng(5);
    Both x = both(p, {c.n, g.in_c, g.in_h, g.in_w}, random_vec(rng, size_t(c.n * in_size)));
    Both W = both(p, {g.out_c, g.in_c, g.kh, g.kw}, random_vec(rng, size_t(w_size)));
    Both b = both(p, {g.out_c}, random_vec(rng, size_t(g.out_c)));
    Both y = both(p, {c.n, g.out_c, g.out_h(), g.out_w()}, std::vector<float>(size_t(c.n * out_size), 0.0f));
    p.cpu->conv2d_forward(g, x.cpu, W.cpu, b.cpu, y.cpu);
    p.gpu->conv2d_forward(g, x.gpu, W.gpu, b.gpu, y.gpu);
    expect_close(y.gpu.to_host(), y.cpu.to_host(), "conv forward " + what);
    Both dW = both(p, {g.out_c, g.in_c, g.kh, g.kw}, random_vec(rng, size_t(w_size)));
    Both db = both(p, {g.out_c}, random_vec(rng, size_t(g.out_c)));
    Both dx = both(p, {c.n, g.in_c, g.in_h, g.in_w}, std::vector<float>(size_t(c.n * in_size), 0.0f));
    for (int call = 0; call < 2; ++call) {
      Both dy = both(p, {c.n, g.out_c, g.out_h(), g.out_w()}, scaled(random_vec(rng, size_t(c.n * out_size)), 1.0f / c.n));
      p.cpu->conv2d_backward(g, x.cpu, W.cpu, dy.cpu, &dx.cpu, dW.cpu, db.cpu);
      p.gpu->conv2d_backward(g, x.gpu, W.gpu, dy.gpu, &dx.gpu, dW.gpu, db.gpu);
    }
    expect_close(dx.gpu.to_host(), dx.cpu.to_host(), "conv dx " + what);
    expect_close(dW.gpu.to_host(), dW.cpu.to_host(), "conv dW " + what);
    expect_close(db.gpu.to_host(), db.cpu.to_host(), "conv db " + what);
  }
}

// Max pooling picks the same element as the CPU, ties (values on a coarse grid) and
// overlapping windows included, so both directions agree exactly.
TEST(CudaParity, MaxPoolForwardBackwardAndDropout) {
  REQUIRE_GPU();
  Pair p;
  for (const Pool2dGeometry& g : {Pool2dGeometry{24, 24, 24, 2, 2}, Pool2dGeometry{3, 9, 7, 2, 2},
                                  Pool2dGeometry{2, 9, 9, 3, 2}}) {
    const std::string what = std::to_string(g.c) + "x" + std::to_string(g.in_h) + "x" + std::to_string(g.in_w) + " k" +
                             std::to_string(g.k) + " s" + std::to_string(g.stride);
    const int64_t n = 5, in_size = g.c * g.in_h * g.in_w, out_size = g.c * g.out_h() * g.out_w();
    Rng rng(9);
    std::vector<float> xv = random_vec(rng, size_t(n * in_size));
    for (float& v : xv) v = std::round(v * 4.0f);  // many ties
    Both x = both(p, {n, g.c, g.in_h, g.in_w}, xv);
    Both y = both(p, {n, g.c, g.out_h(), g.out_w()}, std::vector<float>(size_t(n * out_size), 0.0f));
    p.cpu->maxpool2d_forward(g, x.cpu, y.cpu);
    p.gpu->maxpool2d_forward(g, x.gpu, y.gpu);
    EXPECT_EQ(y.gpu.to_host(), y.cpu.to_host()) << "maxpool forward " << what;
    Both dy = both(p, {n, g.c, g.out_h(), g.out_w()}, random_vec(rng, size_t(n * out_size)));
    Both dx = both(p, {n, g.c, g.in_h, g.in_w}, random_vec(rng, size_t(n * in_size)));  // every element overwritten
    p.cpu->maxpool2d_backward(g, x.cpu, dy.cpu, dx.cpu);
    p.gpu->maxpool2d_backward(g, x.gpu, dy.gpu, dx.gpu);
    expect_close(dx.gpu.to_host(), dx.cpu.to_host(), "maxpool backward " + what);
  }
  Rng rng(13);
  const int64_t n = 1000, f = 37;
  std::vector<float> mask(size_t(n * f));
  for (float& m : mask) m = rng.uniform() < 0.25f ? 0.0f : 1.0f / 0.75f;
  Both x = both(p, {n, f}, random_vec(rng, size_t(n * f))), m = both(p, {n, f}, mask);
  Both y = both(p, {n, f}, std::vector<float>(size_t(n * f), 0.0f));
  p.cpu->dropout_forward(x.cpu, m.cpu, y.cpu);
  p.gpu->dropout_forward(x.gpu, m.gpu, y.gpu);
  EXPECT_EQ(y.gpu.to_host(), y.cpu.to_host()) << "dropout forward";
  p.cpu->dropout_backward(x.cpu, m.cpu, y.cpu);
  p.gpu->dropout_backward(x.gpu, m.gpu, y.gpu);
  EXPECT_EQ(y.gpu.to_host(), y.cpu.to_host()) << "dropout backward";
}

// Runs everywhere: a bias of the wrong size is refused by each backend with the op's name.
TEST(CudaParity, LinearForwardChecksTheBiasSize) {
  std::vector<std::unique_ptr<Backend>> backends;
  backends.push_back(make_cpu_backend(1));
  if (cuda_available()) backends.push_back(make_cuda_backend());
  for (auto& be : backends) {
    Tensor x(*be, {4, 3}), W(*be, {5, 3}), b(*be, {4}), y(*be, {4, 5});
    try {
      be->linear_forward(x, W, b, y);
      ADD_FAILURE() << be->name() << ": expected an error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("linear_forward: bias [4] vs W [5, 3]"), std::string::npos)
          << be->name() << ": " << e.what();
    }
  }
}

TEST(CudaParity, Activations) {
  REQUIRE_GPU();
  Pair p;
  // 1000 elements (no multiple of a block), and more than the 4096 blocks of 256 that the
  // elementwise kernels launch at most, so that their grid-stride loop goes round.
  for (auto [rows, cols] : {std::tuple{10, 100}, std::tuple{1027, 1023}}) {
    for (Activation a : {Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::Step, Activation::None}) {
      const std::string what =
          std::string(activation_name(a)) + " " + std::to_string(rows) + "x" + std::to_string(cols);
      const size_t count = size_t(rows) * size_t(cols);
      Rng rng(3);
      std::vector<float> x = random_vec(rng, count, -5, 5), dy = random_vec(rng, count);
      ActivationLayer lc(*p.cpu, a), lg(*p.gpu, a);
      Both xs = both(p, {rows, cols}, x), dys = both(p, {rows, cols}, dy);
      expect_close(lg.forward(xs.gpu).to_host(), lc.forward(xs.cpu).to_host(), what);
      expect_close(lg.backward(dys.gpu).to_host(), lc.backward(dys.cpu).to_host(), what + " backward");
    }
  }
}

// The fused bias + activation pair (forward, and backward with the bias gradient), as an
// MLP uses it: outputs, input gradient and every parameter gradient against the CPU, with
// batches under and over a block of rows and a hidden width of 70 (three column groups,
// the last one partial).
TEST(CudaParity, FusedBiasActivation) {
  REQUIRE_GPU();
  Pair p;
  for (int64_t rows : {50, 300, 1027}) {
    for (Activation a : {Activation::ReLU, Activation::Sigmoid, Activation::Tanh}) {
      const std::string what = std::string(activation_name(a)) + ", " + std::to_string(rows) + " rows";
      Rng r1(8), r2(8);
      ModelSpec spec{{33, 70, 17, 10}, a, Activation::None, true};
      Sequential mc(*p.cpu, spec, r1), mg(*p.gpu, spec, r2);
      Rng data(9);
      std::vector<float> x = random_vec(data, size_t(rows) * 33, -2, 2),
                         dy = scaled(random_vec(data, size_t(rows) * 10), 1.0f / float(rows));
      Both xs = both(p, {rows, 33}, x), dys = both(p, {rows, 10}, dy);
      expect_close(mg.forward(xs.gpu).to_host(), mc.forward(xs.cpu).to_host(), what);
      for (size_t i = 0; i < mc.size(); ++i)
        expect_close(mg.layer(i).output().to_host(), mc.layer(i).output().to_host(),
                     what + ": " + mc.layer(i).describe());
      mc.zero_grad();
      mg.zero_grad();
      mc.backward(dys.cpu);
      mg.backward(dys.gpu);
      expect_close(mg.parameters().grad().to_host(), mc.parameters().grad().to_host(), what + ": gradients");
    }
  }
}

// Every loss, value and gradient: one block's worth of rows, several blocks, and more
// elements (or rows) than the loss kernels' 1024 blocks of 256 cover at once.
TEST(CudaParity, Losses) {
  REQUIRE_GPU();
  Pair p;
  for (auto [n, c] :
       {std::tuple{100, 10}, std::tuple{300, 10}, std::tuple{1027, 3}, std::tuple{600, 500}, std::tuple{300000, 2}}) {
    Rng rng(4);
    const size_t count = size_t(n) * size_t(c);
    std::vector<float> logits = random_vec(rng, count, -4, 4), probs = random_vec(rng, count, 0.01f, 0.99f),
                       targets = random_vec(rng, count, 0, 1);
    std::vector<int32_t> labels(static_cast<size_t>(n));
    for (int32_t& l : labels) l = int32_t(rng.below(uint32_t(c)));
    BothLabels ls = both_labels(p, labels);
    for (LossKind k : {LossKind::MSE, LossKind::BCE, LossKind::CrossEntropy, LossKind::NLL}) {
      const std::string what = std::string(loss_name(k)) + " " + std::to_string(n) + "x" + std::to_string(c);
      Both pred = both(p, {n, c}, k == LossKind::BCE ? probs : logits), t = both(p, {n, c}, targets);
      Tensor gc(*p.cpu, {n, c}), gg(*p.gpu, {n, c});
      const float vc = p.cpu->loss_forward_backward(k, pred.cpu, &t.cpu, &ls.cpu, gc);
      const float vg = p.gpu->loss_forward_backward(k, pred.gpu, &t.gpu, &ls.gpu, gg);
      expect_close(vg, vc, what + " loss");
      expect_close(gg.to_host(), gc.to_host(), what + " gradient");
      expect_close(p.gpu->loss_forward(k, pred.gpu, &t.gpu, &ls.gpu), vc, what + " loss alone");
    }
  }
}

// Labels out of range, in several blocks: the error names the first bad row, like the CPU's.
TEST(CudaParity, ABadLabelNamesTheFirstBadRow) {
  REQUIRE_GPU();
  Pair p;
  const int64_t n = 1000, c = 10;
  std::vector<int32_t> labels(size_t(n), 3);
  labels[900] = 12;
  labels[517] = -1;
  labels[300] = 10;
  Tensor z(*p.gpu, {n, c}), dz(*p.gpu, {n, c});
  Labels l(*p.gpu, n);
  l.from_host(labels.data(), n);
  for (LossKind k : {LossKind::CrossEntropy, LossKind::NLL}) {
    try {
      p.gpu->loss_forward_backward(k, z, nullptr, &l, dz);
      ADD_FAILURE() << loss_name(k) << ": expected an error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("at row 300 "), std::string::npos) << e.what();
    }
  }
}

// A NaN probability gives a NaN loss, as on the CPU (whose clamp, std::max, keeps a NaN),
// and halts a step log; probabilities of exactly 0 and 1 take the clamps and stay finite.
TEST(CudaParity, BceOfANanIsNan) {
  REQUIRE_GPU();
  Pair p;
  const int64_t n = 300, c = 3;
  Rng rng(12);
  std::vector<float> probs = random_vec(rng, size_t(n * c), 0.01f, 0.99f),
                     targets = random_vec(rng, size_t(n * c), 0, 1);
  probs[5] = 0.0f;
  probs[6] = 1.0f;
  Both t = both(p, {n, c}, targets);
  {
    Both pred = both(p, {n, c}, probs);
    Tensor gc(*p.cpu, {n, c}), gg(*p.gpu, {n, c});
    const float vc = p.cpu->loss_forward_backward(LossKind::BCE, pred.cpu, &t.cpu, nullptr, gc);
    const float vg = p.gpu->loss_forward_backward(LossKind::BCE, pred.gpu, &t.gpu, nullptr, gg);
    ASSERT_TRUE(std::isfinite(vc));
    expect_close(vg, vc, "bce with probabilities 0 and 1");
    // Probabilities 0 and 1 give gradients of 1e9: each element is held to its own size.
    expect_close(gg.to_host(), gc.to_host(), "bce gradient with probabilities 0 and 1", 1e-30);
  }
  probs[700] = std::numeric_limits<float>::quiet_NaN();
  Both pred = both(p, {n, c}, probs);
  Tensor gc(*p.cpu, {n, c}), gg(*p.gpu, {n, c});
  EXPECT_TRUE(std::isnan(p.cpu->loss_forward_backward(LossKind::BCE, pred.cpu, &t.cpu, nullptr, gc)));
  EXPECT_TRUE(std::isnan(p.gpu->loss_forward_backward(LossKind::BCE, pred.gpu, &t.gpu, nullptr, gg)));
  expect_close(gg.to_host(), gc.to_host(), "bce gradient with a NaN", 1e-30);
  StepLog log{Tensor(*p.gpu, {4}), Labels(*p.gpu, 1)};
  p.gpu->device_steps()->loss_forward_backward_logged(LossKind::BCE, pred.gpu, &t.gpu, nullptr, gg, log, 2);
  EXPECT_TRUE(std::isnan(log.losses.to_host()[2]));
  EXPECT_EQ(log.halt.to_host()[0], 3) << "the log halts at step 2";
}

// The reductions (the bias gradients, fused and not, and a loss) give the same bits on
// every run.
TEST(CudaParity, ReductionsAreDeterministic) {
  REQUIRE_GPU();
  Pair p;
  const int64_t n = 1027, c = 70;
  Rng rng(13);
  Tensor z = test::make_tensor(*p.gpu, {n, c}, random_vec(rng, size_t(n * c), -2, 2));
  Tensor dy = test::make_tensor(*p.gpu, {n, c}, random_vec(rng, size_t(n * c)));
  Tensor y(*p.gpu, {n, c}), dz(*p.gpu, {n, c}), x(*p.gpu, {n, 1}), W(*p.gpu, {c, 1}), dW(*p.gpu, {c, 1});
  std::vector<int32_t> labels(static_cast<size_t>(n));
  for (int32_t& l : labels) l = int32_t(rng.below(uint32_t(c)));
  Labels l(*p.gpu, n);
  l.from_host(labels.data(), n);
  p.gpu->activation_forward(Activation::Tanh, z, y);
  std::vector<float> first;
  for (int run = 0; run < 3; ++run) {
    Tensor db_fused(*p.gpu, {c}), db(*p.gpu, {c});
    p.gpu->activation_bias_backward(Activation::Tanh, z, y, dy, dz, db_fused);
    p.gpu->linear_backward(x, W, dy, nullptr, dW, db);
    std::vector<float> results = db_fused.to_host(), more = db.to_host();
    results.insert(results.end(), more.begin(), more.end());
    results.push_back(p.gpu->loss_forward_backward(LossKind::CrossEntropy, z, nullptr, &l, dz));
    if (run == 0)
      first = results;
    else
      EXPECT_EQ(results, first) << "run " << run;
  }
}

TEST(CudaParity, OptimizerUpdates) {
  REQUIRE_GPU();
  Pair p;
  for (OptimizerConfig cfg :
       {OptimizerConfig{"sgd", 0.1f, 0.0f, 0.0f}, OptimizerConfig{"sgd", 0.05f, 0.9f, 1e-3f},
        OptimizerConfig{"adam", 1e-3f, 0.0f, 0.0f}, OptimizerConfig{"adam", 1e-2f, 0.0f, 1e-2f}}) {
    Rng r1(5), r2(5);
    ModelSpec spec{{20, 30, 10}, Activation::ReLU, Activation::None, true};
    Sequential mc(*p.cpu, spec, r1), mg(*p.gpu, spec, r2);
    auto oc = make_optimizer(mc.parameters(), cfg), og = make_optimizer(mg.parameters(), cfg);
    Rng g(6);
    for (int step = 0; step < 5; ++step) {
      std::vector<float> grad = random_vec(g, size_t(mc.parameters().total()));
      mc.parameters().grad().from_host(grad);
      mg.parameters().grad().from_host(grad);
      oc->step();
      og->step();
    }
    expect_close(mg.parameters().data().to_host(), mc.parameters().data().to_host(), cfg.name);
  }
}

// SGD with momentum and Adam (with weight decay), step by step and from a recording of
// one update replayed with its step number shifted (Adam's bias corrections and SGD's
// first step then come from the device), against the CPU's steps 1, 2, 3, ...
TEST(CudaParity, AdamAndSgdMomentumRunAndReplayed) {
  REQUIRE_GPU();
  Pair p;
  const int64_t n = 1000 + 3;  // no multiple of a block
  const SgdParams sgd{0.05f, 0.9f, 1e-3f};
  const AdamParams adam{1e-2f, 0.9f, 0.999f, 1e-8f, 1e-2f};
  for (bool replayed : {false, true}) {
    for (bool use_adam : {false, true}) {
      const std::string what = std::string(use_adam ? "adam" : "sgd momentum") + (replayed ? ", replayed" : ", run");
      Rng rng(14);
      Both w = both(p, {n}, random_vec(rng, size_t(n)));
      Both g = both(p, {n}, random_vec(rng, size_t(n)));
      Both m = both(p, {n}, std::vector<float>(size_t(n), 0.0f)), v = both(p, {n}, std::vector<float>(size_t(n), 0.0f));
      auto update = [&](Backend& be, Tensor& wt, Tensor& gt, Tensor& mt, Tensor& vt, long step) {
        if (use_adam)
          be.adam_step(adam, step, wt, gt, mt, vt, nullptr);
        else
          be.sgd_step(sgd, step, wt, gt, mt, nullptr);
      };
      std::unique_ptr<DeviceSteps::Recording> rec;
      if (replayed) {
        p.gpu->device_steps()->begin_recording();
        update(*p.gpu, w.gpu, g.gpu, m.gpu, v.gpu, 1);
        rec = p.gpu->device_steps()->end_recording();
      }
      for (long step = 1; step <= 6; ++step) {
        update(*p.cpu, w.cpu, g.cpu, m.cpu, v.cpu, step);
        if (replayed)
          ASSERT_TRUE(p.gpu->device_steps()->replay(*rec, step - 1)) << what;
        else
          update(*p.gpu, w.gpu, g.gpu, m.gpu, v.gpu, step);
      }
      expect_close(w.gpu.to_host(), w.cpu.to_host(), what + ": weights");
      expect_close(m.gpu.to_host(), m.cpu.to_host(), what + ": first moment or momentum");
      if (use_adam) expect_close(v.gpu.to_host(), v.cpu.to_host(), what + ": second moment");
    }
  }
}

// A recording holds buffer addresses: one that used a buffer released while it was
// made must not be replayed (the buffer is freed once the capture ends).
TEST(CudaParity, ABufferReleasedWhileRecordingInvalidatesTheRecording) {
  REQUIRE_GPU();
  Pair p;
  Tensor kept(*p.gpu, {8});
  {
    p.gpu->device_steps()->begin_recording();
    p.gpu->fill(kept.data(), 8, 1.0f);
    auto rec = p.gpu->device_steps()->end_recording();
    EXPECT_TRUE(p.gpu->device_steps()->replay(*rec, 0)) << "nothing was allocated or released";
    EXPECT_EQ(kept.to_host(), std::vector<float>(8, 1.0f));
  }
  auto doomed = std::make_unique<Tensor>(*p.gpu, Shape{8});
  p.gpu->device_steps()->begin_recording();
  p.gpu->fill(doomed->data(), 8, 2.0f);
  doomed.reset();  // released during the capture
  auto rec = p.gpu->device_steps()->end_recording();
  EXPECT_FALSE(p.gpu->device_steps()->replay(*rec, 0));
}

TEST(CudaParity, DeviceSelection) {
  // Runs everywhere: "cuda" without a GPU is a clear one-line error, "auto" falls back to
  // the CPU.
  std::string why, note;
  if (cuda_available(&why)) {
    EXPECT_STREQ(make_backend("auto", 1, &note)->name(), "cuda");
  } else {
    EXPECT_EQ(why.find('\n'), std::string::npos) << why;
    EXPECT_STREQ(make_backend("auto", 1, &note)->name(), "cpu");
    EXPECT_NE(note.find("training on the CPU"), std::string::npos) << note;
    try {
      make_backend("cuda", 1);
      FAIL() << "expected an error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("CUDA device requested"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(make_backend("tpu", 1), Error);
}

// Training as the CLI does, from the same seed: three epochs, the first run op by op, the
// second recorded as a CUDA Graph and the third replayed from it, each against the CPU
// (mean loss within 1e-3, test accuracy within 0.2%: three epochs of float rounding in
// another order move the weights apart a little).
TEST(CudaParity, EpochsOfTheLinearModelAndTheMlpMatchTheCpu) {
  REQUIRE_GPU();
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Dataset train = load_idx_dataset(dir, Split::Train), test = load_idx_dataset(dir, Split::Test);
  Pair p;
  struct Case {
    ModelSpec spec;
    OptimizerConfig cfg;
    int64_t batch;
  };
  // The tutorial's linear model and the benchmark's MLP, with their optimizers and batches.
  for (const Case& c :
       {Case{{{784, 10}, Activation::None, Activation::None, true}, {"sgd", 0.1f, 0, 0}, 100},
        Case{{{784, 256, 256, 10}, Activation::ReLU, Activation::None, true}, {"adam", 1e-3f, 0, 0}, 128}}) {
    SCOPED_TRACE(c.spec.describe());
    std::vector<double> losses[2], accs[2];
    int replayed = 0;
    size_t operations = 0;
    int k = 0;
    for (Backend* be : {p.cpu.get(), p.gpu.get()}) {
      Rng rng(777);
      Sequential model(*be, c.spec, rng);
      auto opt = make_optimizer(model.parameters(), c.cfg);
      BatchLoader loader(*be, train, c.batch, true, true, 777);
      Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
      for (int e = 1; e <= 3; ++e) {
        losses[k].push_back(trainer.run_epoch().mean_loss);
        accs[k].push_back(trainer.evaluate(test).accuracy);
      }
      if (be == p.gpu.get()) {
        replayed = trainer.replayed_epochs();
        operations = trainer.recorded_operations();
      }
      ++k;
    }
    for (int e = 0; e < 3; ++e) {
      EXPECT_NEAR(losses[1][size_t(e)], losses[0][size_t(e)], 1e-3) << "epoch " << e + 1;
      EXPECT_NEAR(accs[1][size_t(e)], accs[0][size_t(e)], 0.002) << "epoch " << e + 1;
    }
    EXPECT_EQ(replayed, 1) << "epoch 3 replays the graph recorded in epoch 2";
    const int64_t steps = train.count / c.batch;
    EXPECT_GT(operations, size_t(steps)) << "one recorded epoch";
    std::printf("[ info ] %s: %zu graph nodes per epoch, %.1f per step\n", c.spec.describe().c_str(), operations,
                double(operations) / double(steps));
  }
}

// A loss that turns NaN on the device halts the updates there: the epoch (here a replayed
// one) stops with the weights and Adam's step count from before the bad step.
TEST(CudaParity, ANonFiniteLossHaltsTheUpdatesOnTheDevice) {
  REQUIRE_GPU();
  std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Dataset train = load_idx_dataset(dir, Split::Train).head(6000);
  Pair p;
  Rng rng(777);
  Sequential model(*p.gpu, {{784, 64, 10}, Activation::ReLU, Activation::None, true}, rng);
  auto opt = make_optimizer(model.parameters(), {"adam", 1e-3f, 0, 0});
  BatchLoader loader(*p.gpu, train, 100, true, true, 777);
  Trainer trainer(model, *opt, LossKind::CrossEntropy, loader);
  for (int e = 1; e <= 3; ++e) trainer.run_epoch();
  ASSERT_EQ(trainer.replayed_epochs(), 1);
  std::vector<float> huge = model.parameters().data().to_host();
  for (float& w : huge) w = w >= 0 ? 3e38f : -3e38f;
  model.parameters().data().from_host(huge);
  try {
    trainer.run_epoch();
    FAIL() << "expected a DivergenceError";
  } catch (const DivergenceError& e) {
    EXPECT_EQ(e.epoch, 4);
    EXPECT_EQ(e.step, 1);
  }
  EXPECT_EQ(trainer.replayed_epochs(), 2);
  EXPECT_EQ(model.parameters().data().to_host(), huge);
  EXPECT_EQ(opt->step_count(), 3 * loader.batches_per_epoch());
}
