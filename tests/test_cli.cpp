// nnplay-train end to end: the subcommands' output, and bad input giving one clear line
// and exit status 2 (3 for a diverging loss), never a crash.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli_run.h"
#include "test_util.h"

namespace fs = std::filesystem;

namespace {

using Result = nnplay::test::CliResult;
using nnplay::test::contains;
Result run(const std::string& args) { return nnplay::test::run_cli(args); }

}  // namespace

TEST(Cli, Gates) {
  Result r = run("gates");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "AND gate: w1 = 0.5, w2 = 0.5, b = -0.7")) << r.output;
  EXPECT_FALSE(contains(r.output, "<- wrong")) << r.output;
  EXPECT_TRUE(contains(r.output, "AND : converged after")) << r.output;
  EXPECT_TRUE(contains(r.output, "XOR : never converges")) << r.output;
}

TEST(Cli, XorPrintsCostsAndTable) {
  Result r = run("xor --epochs 301");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "\n0 0.")) << r.output;
  EXPECT_TRUE(contains(r.output, "\n300 ")) << r.output;
  EXPECT_TRUE(contains(r.output, "Targets:                     0 1 1 0")) << r.output;
  EXPECT_TRUE(contains(r.output, "Accuracy:")) << r.output;
}

TEST(Cli, SoftmaxShowsFiveEqualCosts) {
  Result r = run("softmax --seed 3");
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* form : {"  1. ", "  2. ", "  3. ", "  4. nll_loss", "  5. cross_entropy"})
    EXPECT_TRUE(contains(r.output, form)) << form << "\n" << r.output;
  EXPECT_TRUE(contains(r.output, "One-hot(y):")) << r.output;
}

TEST(Cli, MnistShortRunPrintsTutorialLines) {
  std::string dir = nnplay::test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Result r = run("mnist --data " + dir + " --epochs 2 --train-limit 3000 --progress never");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Epoch: 0001 cost = ")) << r.output;
  EXPECT_TRUE(contains(r.output, "Epoch: 0002 cost = ")) << r.output;
  EXPECT_TRUE(contains(r.output, "Accuracy: 0.")) << r.output;
  EXPECT_TRUE(contains(r.output, "Label:")) << r.output;
  EXPECT_TRUE(contains(r.output, "Prediction:")) << r.output;
  EXPECT_TRUE(contains(r.output, "@@")) << "the sample digit is drawn as text art\n" << r.output;
}

TEST(Cli, MissingDataFolder) {
  Result r = run("mnist --data /nonexistent/mnist");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "nnplay-train: error: /nonexistent/mnist: data folder does not exist")) << r.output;
}

TEST(Cli, CorruptDataFolder) {
  std::string dir = nnplay::test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  fs::path tmp = fs::temp_directory_path() / ("nnplay-cli-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  for (const char* f : {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
    fs::copy_file(fs::path(dir) / f, tmp / f, fs::copy_options::overwrite_existing);
  {
    // A training-image file cut in the middle of its data.
    std::ifstream in(fs::path(dir) / "train-images-idx3-ubyte", std::ios::binary);
    std::vector<char> head(100000);
    in.read(head.data(), std::streamsize(head.size()));
    std::ofstream out(tmp / "train-images-idx3-ubyte", std::ios::binary);
    out.write(head.data(), std::streamsize(head.size()));
  }
  Result r = run("mnist --data " + tmp.string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "train-images-idx3-ubyte: truncated")) << r.output;
  // Swapped files: labels where images belong.
  fs::copy_file(fs::path(dir) / "train-labels-idx1-ubyte", tmp / "train-images-idx3-ubyte",
                fs::copy_options::overwrite_existing);
  r = run("mnist --data " + tmp.string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "wrong magic number")) << r.output;
  fs::remove_all(tmp);
}

TEST(Cli, InvalidOptionsPrintUsage) {
  Result r = run("mnist --no-such-option");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "--no-such-option")) << r.output;
  r = run("");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "subcommand")) << r.output;
  r = run("xor --activation swish");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "unknown activation 'swish'")) << r.output;
  r = run("mnist --model cnn --data /nonexistent");
  EXPECT_EQ(r.status, 2) << r.output;
  r = run("mnist --batch 0");
  EXPECT_EQ(r.status, 2) << r.output;
  r = run("xor --hidden 10-x");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "layer sizes")) << r.output;
  r = run("xor --lr -1");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "learning rate")) << r.output;
}

TEST(Cli, DivergingLossStopsWithEpochStepAndHint) {
  std::string dir = nnplay::test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Result r = run("mnist --data " + dir + " --lr 1e38 --epochs 2 --train-limit 2000 --progress never");
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_TRUE(contains(r.output, "at epoch 1, step")) << r.output;
  EXPECT_TRUE(contains(r.output, "lower the learning rate")) << r.output;
  EXPECT_FALSE(contains(r.output, "cost = nan")) << r.output;
  EXPECT_FALSE(contains(r.output, "Accuracy")) << r.output;
}

TEST(Cli, CudaDeviceWithoutGpuIsAClearError) {
  if (nnplay::cuda_available()) GTEST_SKIP() << "a GPU is present: the no-GPU error path cannot be exercised";
  std::string dir = nnplay::test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Result r = run("mnist --device cuda --data " + dir);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "CUDA device requested")) << r.output;
  r = run("mnist --device quantum --data " + dir);
  EXPECT_EQ(r.status, 2) << r.output;
}

TEST(Cli, AutoDeviceWithoutGpuSaysNoGpuWasFound) {
  if (nnplay::nvidia_gpu_present())
    GTEST_SKIP() << "this machine has an NVIDIA GPU: the no-GPU device line cannot be exercised";
  std::string dir = nnplay::test::mnist_dir_or_fail();
  ASSERT_FALSE(dir.empty());
  Result r = run("mnist --data " + dir + " --epochs 1 --train-limit 200 --progress never");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Device: no NVIDIA GPU found, training on the CPU\n")) << r.output;
  // The CUDA runtime's own words stay out of it; --device cuda's error keeps them.
  EXPECT_FALSE(contains(r.output, "driver")) << r.output;
  EXPECT_FALSE(contains(r.output, "CUDA")) << r.output;
}
