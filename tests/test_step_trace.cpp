// The step trace: one traced step leaves the same weights, bit for bit, as the trainer's
// own step; its stages come in the step's order with consistent shapes; the chain rule's
// terms sum to the recorded gradient; and a trace is reproducible.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>

#include "nnplay/error.h"
#include "nnplay/recipes.h"
#include "nnplay/step_cases.h"
#include "nnplay/step_record.h"
#include "nnplay/xor.h"
#include "test_util.h"

using namespace nnplay;

namespace {

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

const Dataset& mnist_train() {
  static Dataset d = [] {
    std::string dir = test::mnist_dir_or_fail();
    return dir.empty() ? Dataset{} : load_idx_dataset(dir, Split::Train);
  }();
  return d;
}

// Every Linear's weight: a few entries, the largest-gradient one among them.
void expect_chain_rules_sum(const StepTrace& t) {
  for (int k : linear_modules(t)) {
    const TraceTensor* g = t.tensor("grad." + t.modules[size_t(k)].weight);
    ASSERT_NE(g, nullptr);
    const int64_t rows = g->shape[0], cols = g->shape[1];
    const WeightRef picks[] = {{k, 0, 0}, {k, rows - 1, cols - 1}, {k, rows / 2, cols / 2}};
    for (const WeightRef& w : picks) {
      SCOPED_TRACE("module " + std::to_string(k) + " W[" + std::to_string(w.row) + "][" + std::to_string(w.col) + "]");
      const ChainRule r = chain_rule(t, w);
      ASSERT_EQ(int64_t(r.terms.size()), t.batch_size);
      double magnitude = 0.0;
      for (const ChainTerm& term : r.terms) {
        magnitude += std::fabs(term.product);
        EXPECT_EQ(term.product, double(term.upstream) * double(term.input));
        if (r.outer_label == "p") {  // cross-entropy: dL/dz = (p − y) / N
          EXPECT_NEAR(term.upstream, (term.outer - term.local) / float(t.batch_size), 1e-7f);
        } else if (!r.upstream_formula.empty()) {
          EXPECT_NEAR(term.upstream, term.outer * term.local, 1e-6f * std::fabs(term.outer) + 1e-12f);
        }
      }
      // The engine sums in its own order, in float: equal up to rounding.
      EXPECT_NEAR(r.sum, r.gradient, 1e-6 * magnitude + 1e-12);
      EXPECT_EQ(r.gradient, g->values[size_t(w.row * cols + w.col)]);
      EXPECT_FLOAT_EQ(r.new_weight, r.weight - r.lr_gradient);
    }
  }
}

void expect_well_formed(const StepTrace& t) {
  std::set<std::string> keys, ids;
  for (const TraceStage& s : t.stages) {
    EXPECT_TRUE(ids.insert(s.id).second) << "duplicate stage " << s.id;
    EXPECT_FALSE(s.formula.empty()) << s.id;
    for (const TraceTensor& x : s.tensors) {
      EXPECT_TRUE(keys.insert(x.key).second) << "duplicate key " << x.key;
      EXPECT_EQ(int64_t(x.values.size()), shape_numel(x.shape)) << x.key;
    }
  }
  // The step's order: batch, forward, loss, backward (last module first), update.
  std::vector<StagePhase> phases;
  for (const TraceStage& s : t.stages) phases.push_back(s.phase);
  EXPECT_TRUE(std::is_sorted(phases.begin(), phases.end()));
  EXPECT_EQ(t.stages.front().id, "input");
  const int last = int(t.modules.size()) - 1;
  ASSERT_NE(t.stage("dloss"), nullptr);
  ASSERT_NE(t.stage("backward.0"), nullptr);
  EXPECT_LT(t.stage("dloss") - t.stages.data(), t.stage("backward." + std::to_string(last)) - t.stages.data());
  EXPECT_LE(t.stage("backward." + std::to_string(last)) - t.stages.data(), t.stage("backward.0") - t.stages.data());
  for (const ParameterEntry& e : t.parameters)
    for (const char* prefix : {"param.", "grad.", "lr_grad.", "new."})
      EXPECT_NE(t.tensor(prefix + e.name), nullptr) << prefix << e.name;
  ASSERT_NE(t.tensor("loss"), nullptr);
  EXPECT_EQ(t.tensor("loss")->values[0], t.loss_value);
  // The new weights in the stages are the step's own.
  for (const ParameterEntry& e : t.parameters)
    EXPECT_TRUE(same_bits(t.tensor("new." + e.name)->values,
                          std::vector<float>(t.params_after.begin() + e.offset,
                                             t.params_after.begin() + e.offset + e.numel)));
}

}  // namespace

TEST(StepTrace, XorStepEqualsTheTrainersBitForBit) {
  auto be = make_cpu_backend(1);
  XorConfig cfg;
  cfg.epochs = 1;
  const XorResult plain = train_xor(*be, cfg);
  auto c = StepCase::make_xor(*be, cfg);
  const StepTrace t = c->run();
  EXPECT_TRUE(same_bits(t.params_after, plain.parameters));
  EXPECT_EQ(t.loss_value, plain.final_loss);
  EXPECT_TRUE(same_bits(c->model().parameters().data().to_host(), plain.parameters));
  expect_well_formed(t);
  EXPECT_NE(t.stage("forward.7"), nullptr);
  EXPECT_EQ(t.stage("softmax"), nullptr);  // BCE on sigmoid outputs: no softmax stage
  expect_chain_rules_sum(t);
}

TEST(StepTrace, MnistStepsEqualTheTrainersBitForBit) {
  const Dataset& train = mnist_train();
  ASSERT_GT(train.count, 0);
  for (const char* name : {"linear", "mlp"}) {
    SCOPED_TRACE(name);
    auto be = make_cpu_backend(1);
    const Recipe recipe = step_mnist_recipe(name);
    ClassifierRun run(*be, recipe, train);
    const float plain_loss = run.trainer().step();
    auto c = StepCase::make_mnist(*be, recipe, train);
    const StepTrace t = c->run();
    EXPECT_EQ(t.loss_value, plain_loss);
    EXPECT_TRUE(same_bits(t.params_after, run.model().parameters().data().to_host()));
    EXPECT_EQ(t.batch_size, recipe.batch);
    expect_well_formed(t);
    ASSERT_NE(t.tensor("softmax"), nullptr);
    ASSERT_NE(t.tensor("onehot"), nullptr);
    expect_chain_rules_sum(t);
  }
}

TEST(StepTrace, IsReproducible) {
  auto be = make_cpu_backend(1);
  const StepTrace a = StepCase::make_xor(*be)->run();
  auto be4 = make_cpu_backend(4);  // the thread count changes no result
  const StepTrace b = StepCase::make_xor(*be4)->run();
  EXPECT_EQ(a.case_hash, b.case_hash);
  ASSERT_EQ(a.stages.size(), b.stages.size());
  for (size_t i = 0; i < a.stages.size(); ++i) {
    ASSERT_EQ(a.stages[i].tensors.size(), b.stages[i].tensors.size());
    for (size_t j = 0; j < a.stages[i].tensors.size(); ++j)
      EXPECT_TRUE(same_bits(a.stages[i].tensors[j].values, b.stages[i].tensors[j].values)) << a.stages[i].id;
  }
}

TEST(StepTrace, DefaultWeightHasTheLargestGradientOfTheFirstLinear) {
  auto be = make_cpu_backend(1);
  const StepTrace t = StepCase::make_xor(*be)->run();
  const WeightRef w = default_chain_weight(t);
  EXPECT_EQ(w.module, 0);
  const TraceTensor* g = t.tensor("grad.0.weight");
  const float picked = std::fabs(g->values[size_t(w.row * g->shape[1] + w.col)]);
  for (float v : g->values) EXPECT_LE(std::fabs(v), picked);
}

TEST(StepTrace, RefusesWhatItCannotShow) {
  auto be = make_cpu_backend(1);
  XorConfig cfg;
  cfg.optimizer = {"adam", 0.01f, 0.0f, 0.0f};
  EXPECT_THROW(StepCase::make_xor(*be, cfg)->run(), Error);
  const StepTrace t = StepCase::make_xor(*be)->run();
  EXPECT_THROW(chain_rule(t, {1, 0, 0}), Error);   // a Sigmoid, not a Linear
  EXPECT_THROW(chain_rule(t, {0, 10, 0}), Error);  // row outside 10 × 2
  EXPECT_THROW(chain_rule(t, {0, 0, 2}), Error);
}

TEST(StepTrace, ARecordingOfAnotherCaseIsNotCompared) {
  auto be = make_cpu_backend(1);
  const StepTrace t = StepCase::make_xor(*be)->run();
  StFile other;
  other.source = "other";
  other.metadata = {{"case", "0123456789abcdef"}, {"model", "784-10"}, {"loss", "cross_entropy"}, {"lr", "0.1"}};
  const StepComparison c = compare_with_recorded(t, other);
  EXPECT_FALSE(c.same_case);
  EXPECT_NE(c.why_not.find("784-10"), std::string::npos) << c.why_not;
  EXPECT_TRUE(c.quantities.empty());
}

// A small CNN (what the MNIST panel's "small CNN" builds), one SGD step on its first
// shuffled batch: the traced step equals the trainer's, every stage is well formed, the
// convolution and pooling stages carry their tensors, and the chain rule of each Linear
// weight sums to its gradient.
TEST(StepTrace, CnnStepEqualsTheTrainersBitForBit) {
  const Dataset& train = mnist_train();
  ASSERT_GT(train.count, 0);
  auto be = make_cpu_backend(1);
  Recipe recipe = mnist_layers_recipe("conv5x5x8,pool2,conv3x3x16,pool2,fc64,fc10");
  recipe.optimizer = {"sgd", 0.05f, 0.0f, 0.0f};
  recipe.batch = 16;
  ClassifierRun run(*be, recipe, train);
  const float plain_loss = run.trainer().step();
  auto c = StepCase::make_mnist(*be, recipe, train);
  const StepTrace t = c->run();
  EXPECT_EQ(t.loss_value, plain_loss);
  EXPECT_TRUE(same_bits(t.params_after, run.model().parameters().data().to_host()));
  EXPECT_EQ(t.batch_size, 16);
  expect_well_formed(t);
  int convs = 0, pools = 0;
  for (const TraceModule& m : t.modules) {
    convs += m.kind == "Conv2d";
    pools += m.kind == "MaxPool2d";
  }
  EXPECT_EQ(convs, 2);
  EXPECT_EQ(pools, 2);
  EXPECT_EQ(linear_modules(t).size(), 2u);
  const TraceTensor* w0 = t.tensor("grad.0.weight");  // the first convolution's filters
  ASSERT_NE(w0, nullptr);
  EXPECT_EQ(w0->shape, (Shape{8, 1, 5, 5}));
  EXPECT_EQ(default_chain_weight(t).module, linear_modules(t).front());
  expect_chain_rules_sum(t);
}
