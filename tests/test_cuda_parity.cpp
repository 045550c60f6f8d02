// CPU-versus-CUDA parity: every op the models use, forward and backward (the fused bias
// and activation too), the optimizer updates, and three epochs of the linear model and of
// the MLP from the same seed, run, recorded as a CUDA Graph and replayed; and a NaN loss
// halting the updates on the device. The CPU backend is the reference. Without a usable
// GPU every test here skips, saying why.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "nnplay/dataset.h"
#include "nnplay/layers.h"
#include "nnplay/trainer.h"
#include "test_util.h"

using namespace nnplay;

namespace {

#define REQUIRE_GPU()                                                   \
  do {                                                                  \
    std::string why;                                                    \
    if (!cuda_available(&why)) GTEST_SKIP() << "no CUDA parity check: " << why; \
  } while (0)

std::vector<float> random_vec(Rng& rng, size_t n, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(lo, hi);
  return v;
}

// max |a − b| / (1 + |b|) ≤ 1e-4, printing the worst element.
void expect_close(const std::vector<float>& gpu, const std::vector<float>& cpu, const char* what, double tol = 1e-4) {
  ASSERT_EQ(gpu.size(), cpu.size()) << what;
  double worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < cpu.size(); ++i) {
    double e = std::fabs(double(gpu[i]) - cpu[i]) / (1.0 + std::fabs(double(cpu[i])));
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  EXPECT_LE(worst, tol) << what << ": worst element " << at << " gpu " << gpu[at] << " cpu " << cpu[at];
}

struct Pair {
  std::unique_ptr<Backend> cpu = make_cpu_backend(1);
  std::unique_ptr<Backend> gpu = make_cuda_backend();
};

}  // namespace

TEST(CudaParity, LinearForwardBackward) {
  REQUIRE_GPU();
  Pair p;
  for (auto [n, in, out] : {std::tuple{100, 784, 10}, std::tuple{128, 256, 256}, std::tuple{4, 2, 10}, std::tuple{7, 33, 5}}) {
    Rng r1(1), r2(1);
    ModelSpec spec{{in, out}, Activation::None, Activation::None, true};
    Sequential mc(*p.cpu, spec, r1), mg(*p.gpu, spec, r2);
    Rng data(2);
    std::vector<float> x = random_vec(data, size_t(n) * in), dy = random_vec(data, size_t(n) * out);
    Tensor xc = test::make_tensor(*p.cpu, {n, in}, x), xg = test::make_tensor(*p.gpu, {n, in}, x);
    Tensor dyc = test::make_tensor(*p.cpu, {n, out}, dy), dyg = test::make_tensor(*p.gpu, {n, out}, dy);
    expect_close(mg.forward(xg).to_host(), mc.forward(xc).to_host(), "linear forward");
    mc.zero_grad();
    mg.zero_grad();
    const Tensor& dxc = mc.layer(0).backward(dyc, true);
    const Tensor& dxg = mg.layer(0).backward(dyg, true);
    expect_close(dxg.to_host(), dxc.to_host(), "linear dx");
    expect_close(mg.parameters().grad().to_host(), mc.parameters().grad().to_host(), "linear dW, db");
  }
}

TEST(CudaParity, Activations) {
  REQUIRE_GPU();
  Pair p;
  for (Activation a : {Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::Step, Activation::None}) {
    Rng rng(3);
    std::vector<float> x = random_vec(rng, 1000, -5, 5), dy = random_vec(rng, 1000);
    ActivationLayer lc(*p.cpu, a), lg(*p.gpu, a);
    Tensor xc = test::make_tensor(*p.cpu, {10, 100}, x), xg = test::make_tensor(*p.gpu, {10, 100}, x);
    expect_close(lg.forward(xg).to_host(), lc.forward(xc).to_host(), activation_name(a));
    Tensor dyc = test::make_tensor(*p.cpu, {10, 100}, dy), dyg = test::make_tensor(*p.gpu, {10, 100}, dy);
    expect_close(lg.backward(dyg).to_host(), lc.backward(dyc).to_host(), activation_name(a));
  }
}

// The fused bias + activation pair (forward, and backward with the bias gradient), as an
// MLP uses it: outputs, input gradient and every parameter gradient against the CPU.
TEST(CudaParity, FusedBiasActivation) {
  REQUIRE_GPU();
  Pair p;
  for (Activation a : {Activation::ReLU, Activation::Sigmoid, Activation::Tanh}) {
    Rng r1(8), r2(8);
    ModelSpec spec{{33, 64, 17, 10}, a, Activation::None, true};
    Sequential mc(*p.cpu, spec, r1), mg(*p.gpu, spec, r2);
    Rng data(9);
    std::vector<float> x = random_vec(data, 50 * 33, -2, 2), dy = random_vec(data, 50 * 10);
    Tensor xc = test::make_tensor(*p.cpu, {50, 33}, x), xg = test::make_tensor(*p.gpu, {50, 33}, x);
    expect_close(mg.forward(xg).to_host(), mc.forward(xc).to_host(), activation_name(a));
    for (size_t i = 0; i < mc.size(); ++i)
      expect_close(mg.layer(i).output().to_host(), mc.layer(i).output().to_host(), mc.layer(i).describe().c_str());
    Tensor dyc = test::make_tensor(*p.cpu, {50, 10}, dy), dyg = test::make_tensor(*p.gpu, {50, 10}, dy);
    mc.zero_grad();
    mg.zero_grad();
    mc.backward(dyc);
    mg.backward(dyg);
    expect_close(mg.parameters().grad().to_host(), mc.parameters().grad().to_host(), activation_name(a));
  }
}

TEST(CudaParity, Losses) {
  REQUIRE_GPU();
  Pair p;
  const int n = 100, c = 10;
  Rng rng(4);
  std::vector<float> logits = random_vec(rng, n * c, -4, 4), probs = random_vec(rng, n * c, 0.01f, 0.99f),
                     targets = random_vec(rng, n * c, 0, 1);
  std::vector<int32_t> labels(n);
  for (int32_t& l : labels) l = int32_t(rng.below(c));
  for (LossKind k : {LossKind::MSE, LossKind::BCE, LossKind::CrossEntropy, LossKind::NLL}) {
    const std::vector<float>& pred = k == LossKind::BCE ? probs : logits;
    Tensor pc = test::make_tensor(*p.cpu, {n, c}, pred), pg = test::make_tensor(*p.gpu, {n, c}, pred);
    Tensor tc = test::make_tensor(*p.cpu, {n, c}, targets), tg = test::make_tensor(*p.gpu, {n, c}, targets);
    Labels lc(*p.cpu, n), lg(*p.gpu, n);
    lc.from_host(labels.data(), n);
    lg.from_host(labels.data(), n);
    Tensor gc(*p.cpu, {n, c}), gg(*p.gpu, {n, c});
    float vc = p.cpu->loss_forward_backward(k, pc, &tc, &lc, gc);
    float vg = p.gpu->loss_forward_backward(k, pg, &tg, &lg, gg);
    EXPECT_NEAR(vg, vc, 1e-4 * (1 + std::fabs(vc))) << loss_name(k);
    expect_close(gg.to_host(), gc.to_host(), loss_name(k));
  }
}

TEST(CudaParity, OptimizerUpdates) {
  REQUIRE_GPU();
  Pair p;
  for (OptimizerConfig cfg : {OptimizerConfig{"sgd", 0.1f, 0.0f, 0.0f}, OptimizerConfig{"sgd", 0.05f, 0.9f, 1e-3f},
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
    expect_close(mg.parameters().data().to_host(), mc.parameters().data().to_host(), cfg.name.c_str());
  }
}

TEST(CudaParity, DeviceSelection) {
  // Runs everywhere: "cuda" without a GPU is a clear error, "auto" falls back to the CPU.
  std::string why, note;
  if (cuda_available(&why)) {
    EXPECT_STREQ(make_backend("auto", 1, &note)->name(), "cuda");
  } else {
    EXPECT_STREQ(make_backend("auto", 1, &note)->name(), "cpu");
    EXPECT_NE(note.find("training on the CPU"), std::string::npos) << note;
    try {
      make_backend("cuda", 1);
      FAIL() << "expected an error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("CUDA device requested"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(make_backend("tpu", 1), Error);
}

// Training as the CLI does, from the same seed: three epochs, the first run op by op, the
// second recorded as a CUDA Graph and the third replayed from it, each against the CPU
// (final loss within 1e-3, test accuracy within 0.2%).
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
  for (const Case& c : {Case{{{784, 10}, Activation::None, Activation::None, true}, {"sgd", 0.1f, 0, 0}, 100},
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
      Trainer trainer(model, *opt, LossKind::CrossEntropy);
      BatchLoader loader(*be, train, c.batch, true, true, 777);
      for (int e = 1; e <= 3; ++e) {
        losses[k].push_back(trainer.train_epoch(loader, e).mean_loss);
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
  Trainer trainer(model, *opt, LossKind::CrossEntropy);
  BatchLoader loader(*p.gpu, train, 100, true, true, 777);
  for (int e = 1; e <= 3; ++e) trainer.train_epoch(loader, e);
  ASSERT_EQ(trainer.replayed_epochs(), 1);
  std::vector<float> huge = model.parameters().data().to_host();
  for (float& w : huge) w = w >= 0 ? 3e38f : -3e38f;
  model.parameters().data().from_host(huge);
  try {
    trainer.train_epoch(loader, 4);
    FAIL() << "expected a DivergenceError";
  } catch (const DivergenceError& e) {
    EXPECT_EQ(e.epoch, 4);
    EXPECT_EQ(e.step, 1);
  }
  EXPECT_EQ(trainer.replayed_epochs(), 2);
  EXPECT_EQ(model.parameters().data().to_host(), huge);
  EXPECT_EQ(opt->step_count(), 3 * loader.batches_per_epoch());
}
