// `nnplay-train step` end to end: the stages in order, the chain rule with its numbers,
// the comparison with PyTorch's recording, and the plain statement when there is none.
#include <gtest/gtest.h>

#include "cli_run.h"
#include "test_util.h"

namespace {

using nnplay::test::contains;
using Result = nnplay::test::CliResult;
Result run(const std::string& args) { return nnplay::test::run_cli(args); }

}  // namespace

TEST(StepCli, XorShowsEveryStageAndPyTorchsValues) {
  Result r = run("step --model xor");
  ASSERT_EQ(r.status, 0) << r.output;
  const char* in_order[] = {"The batch: inputs", "Linear 0 (2 → 10): pre-activation", "z = x·Wᵀ + b",
                            "Sigmoid 1: activation", "The loss (bce)", "dL/da = (a − t) / (a·(1 − a)·N)",
                            "Linear 6: gradients", "dL/dW = (dL/dz)ᵀ·x", "Linear 0: the step",
                            "W' = W − lr·dL/dW", "The chain rule for W["};
  size_t at = 0;
  for (const char* part : in_order) {
    const size_t found = r.output.find(part, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << part << "\n" << r.output;
    at = found;
  }
  EXPECT_TRUE(contains(r.output, "recorded this step")) << r.output;
  EXPECT_TRUE(contains(r.output, "largest relative difference")) << r.output;
  EXPECT_TRUE(contains(r.output, "    PyTorch ")) << r.output;
  EXPECT_TRUE(contains(r.output, "sum of the terms =")) << r.output;
}

TEST(StepCli, ChosenWeight) {
  Result r = run("step --model xor --weight 4,2,7");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "The chain rule for W[2][7] of module 4 (4.weight)")) << r.output;
  EXPECT_TRUE(contains(r.output, "dL/dz[n][r] = dL/da[n][r] · a(1 − a)")) << r.output;
}

TEST(StepCli, AnotherCaseSaysNothingIsRecorded) {
  Result r = run("step --model xor --lr 0.5");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "No PyTorch values are recorded for this case")) << r.output;
  EXPECT_FALSE(contains(r.output, "    PyTorch ")) << r.output;
}

TEST(StepCli, LinearOnMnist) {
  Result r = run(std::string("step --model linear --data ") + NNPLAY_MNIST_DIR);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "Softmax of the logits")) << r.output;
  EXPECT_TRUE(contains(r.output, "One-hot targets")) << r.output;
  EXPECT_TRUE(contains(r.output, "dL/dz = (p − y) / N")) << r.output;
  EXPECT_TRUE(contains(r.output, "recorded this step")) << r.output;
  EXPECT_TRUE(contains(r.output, "dL/dz[n][r] = (p[n][r] − y[n][r]) / N")) << r.output;
}

TEST(StepCli, BadWeightIsOneLineAndStatus2) {
  Result r = run("step --model xor --weight 1,0,0");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "module 1 is not a Linear layer")) << r.output;
  r = run("step --model xor --weight 0,a");
  EXPECT_EQ(r.status, 2) << r.output;
}
