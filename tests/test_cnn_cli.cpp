// `nnplay-train mnist --model cnn` and `--layers` end to end on a subset of MNIST: the
// recipe trains to a checked accuracy within a short run, its file evaluates to the same
// accuracy with `eval`, a resumed run ends with the weights of an uninterrupted one, and a
// bad layer list is one clear line with exit status 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cli_run.h"
#include "nnplay/safetensors.h"
#include "test_util.h"

using namespace nnplay;
using nnplay::test::contains;
using nnplay::test::run_cli;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() : path(std::filesystem::temp_directory_path() / ("nnplay_cnn_cli_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

double accuracy_of(const std::string& out) {
  const size_t at = out.find("Accuracy: ");
  return at == std::string::npos ? -1.0 : std::atof(out.c_str() + at + 10);
}

}  // namespace

TEST(CnnCli, TheRecipeTrainsOnASubsetAndItsFileEvaluatesTheSame) {
  const std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  TempDir tmp;
  // One epoch on 10,000 images (313 steps): about 10 s of training on one core.
  auto r = run_cli("mnist --model cnn --data " + dir + " --train-limit 10000 --epochs 1 --device cpu "
                   "--progress never --no-sample --save " + (tmp / "cnn.safetensors"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "conv5x5x24,pool2,conv3x3x32,pool2,fc256,fc10 on 1x28x28")) << r.output;
  EXPECT_TRUE(contains(r.output, "215194 parameters, 2.49 MFLOPs per image (forward)")) << r.output;
  EXPECT_TRUE(contains(r.output, "Epoch: 0001 cost = ")) << r.output;
  const double acc = accuracy_of(r.output);
  std::printf("[ info ] CNN recipe, 1 epoch on 10,000 images: test accuracy %.4f\n", acc);
  EXPECT_GE(acc, 0.96) << r.output;  // 0.9667 at the time of writing

  auto e = run_cli("eval --data " + dir + " --weights " + (tmp / "cnn.safetensors"));
  ASSERT_EQ(e.status, 0) << e.output;
  EXPECT_TRUE(contains(e.output, "Conv2d(1, 24, kernel_size=(5, 5))")) << e.output;
  EXPECT_NEAR(accuracy_of(e.output), acc, 1e-9) << e.output;
  EXPECT_TRUE(contains(e.output, "reproduced")) << e.output;
}

TEST(CnnCli, AResumedRunEndsWithTheWeightsOfAnUninterruptedOne) {
  const std::string dir = test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  TempDir tmp;
  const std::string common = "mnist --data " + dir + " --layers conv3x3x4,pool2,dropout0.25,fc16,fc10 " +
                             "--train-limit 2000 --progress never --no-sample ";
  auto straight = run_cli(common + "--epochs 2 --save " + (tmp / "straight.safetensors"));
  ASSERT_EQ(straight.status, 0) << straight.output;
  auto first = run_cli(common + "--epochs 1 --save-every 1 --checkpoint " + (tmp / "ckpt.safetensors"));
  ASSERT_EQ(first.status, 0) << first.output;
  auto resumed = run_cli(common + "--epochs 2 --resume " + (tmp / "ckpt.safetensors") + " --save " +
                         (tmp / "resumed.safetensors"));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_TRUE(contains(resumed.output, "Resumed from")) << resumed.output;
  EXPECT_EQ(accuracy_of(resumed.output), accuracy_of(straight.output));
  const StFile a = read_safetensors(tmp / "straight.safetensors"), b = read_safetensors(tmp / "resumed.safetensors");
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    EXPECT_EQ(a.tensors[i].name, b.tensors[i].name);
    EXPECT_EQ(a.tensors[i].values, b.tensors[i].values) << a.tensors[i].name;
  }
}

TEST(CnnCli, ABadLayerListIsOneClearLine) {
  auto r = run_cli("mnist --layers conv5x5x16,poo2,fc10 --data " + test::mnist_dir_or_fail());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "bad token 'poo2'")) << r.output;
  r = run_cli("mnist --model mlp --layers fc10 --data " + test::mnist_dir_or_fail());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "--layers")) << r.output;
}
