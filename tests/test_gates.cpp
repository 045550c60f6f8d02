// The tutorial's gate perceptrons, XOR as a circuit, and the perceptron learning rule.
#include <gtest/gtest.h>

#include "nnplay/error.h"
#include "nnplay/gates.h"

using namespace nnplay;

TEST(Gates, TutorialPerceptronsComputeTheirTruthTables) {
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR}) {
    Perceptron p = tutorial_perceptron(g);
    for (int x1 = 0; x1 <= 1; ++x1)
      for (int x2 = 0; x2 <= 1; ++x2) EXPECT_EQ(p(float(x1), float(x2)), gate_target(g, x1, x2)) << gate_name(g);
  }
  EXPECT_EQ(gate_target(Gate::AND, 1, 1), 1);
  EXPECT_EQ(gate_target(Gate::AND, 0, 1), 0);
  EXPECT_EQ(gate_target(Gate::NAND, 1, 1), 0);
  EXPECT_EQ(gate_target(Gate::OR, 0, 0), 0);
  EXPECT_EQ(gate_target(Gate::XOR, 1, 0), 1);
  EXPECT_EQ(gate_target(Gate::XOR, 1, 1), 0);
}

TEST(Gates, XorComposedFromNandOrAnd) {
  EXPECT_EQ(xor_composed(0, 0), 0);
  EXPECT_EQ(xor_composed(0, 1), 1);
  EXPECT_EQ(xor_composed(1, 0), 1);
  EXPECT_EQ(xor_composed(1, 1), 0);
  EXPECT_THROW(tutorial_perceptron(Gate::XOR), Error);
}

TEST(Gates, PerceptronRuleLearnsSeparableGates) {
  for (Gate g : {Gate::AND, Gate::NAND, Gate::OR}) {
    PerceptronRun run = train_perceptron(g, 0.1f, 1000);
    EXPECT_TRUE(run.converged) << gate_name(g);
    EXPECT_FALSE(run.cycled);
    EXPECT_LT(run.epochs, 50) << gate_name(g);
    EXPECT_EQ(run.history.back().errors, 0);
    for (int x1 = 0; x1 <= 1; ++x1)
      for (int x2 = 0; x2 <= 1; ++x2)
        EXPECT_EQ(run.final_weights(float(x1), float(x2)), gate_target(g, x1, x2)) << gate_name(g);
  }
}

TEST(Gates, PerceptronRuleProvablyNeverLearnsXor) {
  for (float lr : {0.1f, 1.0f, 0.25f}) {
    PerceptronRun run = train_perceptron(Gate::XOR, lr, 100000);
    EXPECT_FALSE(run.converged);
    EXPECT_TRUE(run.cycled) << "the weights must come back to an earlier epoch's, proving an endless loop";
    EXPECT_LT(run.epochs, 100) << "the cycle is found quickly, not by running out of epochs";
    EXPECT_GE(run.cycle_start, 0);
    EXPECT_LT(run.cycle_start, run.epochs);
    for (const auto& e : run.history) EXPECT_GT(e.errors, 0);
  }
}

TEST(Gates, ParseGate) {
  EXPECT_EQ(parse_gate("nand"), Gate::NAND);
  EXPECT_EQ(parse_gate("XOR"), Gate::XOR);
  EXPECT_THROW(parse_gate("nor"), Error);
}
